/// <reference types="vitest/config" />
import { defineConfig } from "vite";

// The app's CSP comes from src-tauri/tauri.conf.json: Tauri serves the page with it and adds
// hashes for its own scripts (a second, stricter <meta> policy here would block them).

export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  preview: { port: 4173, strictPort: true },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // Keep every asset a file: no data: URIs for scripts/styles under the CSP.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
  },
});
