/**
 * Renders the web app manifest's PNG icons from public/icons/*.svg with the Chromium the browser
 * tests use (no image tool needed): `node scripts/render-icons.ts` in packages/web.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const icons = fileURLToPath(new URL("../public/icons/", import.meta.url));
const renders = [
  { svg: "icon.svg", png: "icon-192.png", size: 192 },
  { svg: "icon.svg", png: "icon-512.png", size: 512 },
  { svg: "maskable.svg", png: "maskable-512.png", size: 512 },
  // iOS draws its own rounded corners and ignores transparency: the full-bleed variant.
  { svg: "maskable.svg", png: "apple-touch-icon.png", size: 180 },
];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  for (const { svg, png, size } of renders) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const markup = readFileSync(`${icons}${svg}`, "utf8");
    await page.setContent(`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${markup}`);
    await page.screenshot({ path: `${icons}${png}`, omitBackground: true });
    await page.close();
  }
} finally {
  await browser.close();
}
