import { chromium, type Browser } from "playwright-core";

/** Debian's headless Chromium (`.ci/run` installs it when missing), driven by playwright-core. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** The flags every headless run uses (the e2e tests, the bench, Lighthouse): nothing reaches out. */
export const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function launchChromium(): Promise<Browser> {
  // playwright-core's launch() gives every run a fresh, temporary --user-data-dir.
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_FLAGS });
}
