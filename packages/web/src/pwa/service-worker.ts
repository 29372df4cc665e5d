/// <reference types="vite-plugin-pwa/vanillajs" />
/**
 * Registers the service worker that vite-plugin-pwa builds (vite.config.ts) and feeds what it says
 * into `appUpdates`. Imported by main.tsx only: `virtual:pwa-register` exists only in a Vite build
 * or dev server with the plugin, not in the unit tests.
 */
import { registerSW } from "virtual:pwa-register";
import { appUpdates } from "./update-store";

/** A waiting version is looked for again every hour (and on every visit), for long-open tabs. */
const CHECK_EVERY_MS = 60 * 60_000;

export function startServiceWorker(): void {
  if (!("serviceWorker" in navigator)) return;
  const updateServiceWorker = registerSW({
    onNeedRefresh: () => appUpdates.needRefresh(),
    onOfflineReady: () => appUpdates.offlineReady(),
    onRegisteredSW(_url, registration) {
      if (registration) setInterval(() => void registration.update().catch(() => undefined), CHECK_EVERY_MS);
    },
  });
  appUpdates.setActivate(() => updateServiceWorker(true));
}
