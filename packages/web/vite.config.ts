import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";
import { VitePWA } from "vite-plugin-pwa";

/** The accent of styles.css: the installed app's title bar and splash screen. */
const THEME_COLOR = "#b83f45";

export default defineConfig({
  plugins: [
    react(),
    // The service worker (Workbox) precaches the built app shell, so the app opens with no network
    // after one visit (README, "Offline"). It never caches the API or Cognito: those are other
    // origins, and the data lives in the IndexedDB replica (src/sync/).
    VitePWA({
      // A new version waits until the person accepts it (src/pwa/UpdatePrompt.tsx): reloading a
      // page under someone typing would lose what they typed.
      registerType: "prompt",
      // src/pwa/service-worker.ts registers it, so that the prompt can be shown anywhere.
      injectRegister: false,
      includeAssets: ["favicon.svg", "icons/apple-touch-icon.png"],
      manifest: {
        name: "Tasks",
        short_name: "Tasks",
        description: "Your lists and tasks, on every device, online or not",
        id: "/",
        start_url: "/",
        scope: "/",
        display: "standalone",
        background_color: "#f5f5f5",
        theme_color: THEME_COLOR,
        icons: [
          { src: "icons/icon-192.png", sizes: "192x192", type: "image/png" },
          { src: "icons/icon-512.png", sizes: "512x512", type: "image/png" },
          { src: "icons/maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
          { src: "icons/icon.svg", sizes: "any", type: "image/svg+xml" },
        ],
      },
      workbox: {
        globPatterns: ["**/*.{js,css,html,svg,png,webmanifest}"],
        // Every route of the SPA (#/… and deep links alike) opens the cached shell offline.
        navigateFallback: "index.html",
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  build: {
    target: "es2022",
    sourcemap: "hidden",
  },
});
