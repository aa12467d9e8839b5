/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev`: Vite's dev server on :5173 with /api proxied to the gateway
// (IGNY8_API_URL, default http://127.0.0.1:8000, the gateway of `make run`).
const api = process.env.IGNY8_API_URL ?? "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [react()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: { "/api": { target: api, changeOrigin: false } },
  },
  build: {
    outDir: "dist",
    assetsDir: "assets",
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    css: false,
    restoreMocks: true,
    include: ["src/**/*.test.{ts,tsx}"],
    // A component test renders Mantine in jsdom: a second on a quiet machine, several when
    // the two cores are shared with the rest of `make test`. Slowness is not a failure here.
    testTimeout: 30_000,
  },
});
