/// <reference types="vitest/config" />
// Vite builds the single-page app into dist/, with a manifest django-vite reads; Django
// serves the files under /static/ (STATICFILES_DIRS), so nothing loads from outside the site.
import react from "@vitejs/plugin-react";
import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig, searchForWorkspaceRoot } from "vite";

export default defineConfig({
  plugins: [react()],
  base: "/static/",
  build: {
    manifest: true,
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 2500,
    rollupOptions: { input: "src/main.tsx" },
  },
  server: {
    // The workspace (Vite's default); node_modules where it really is (the same folder on a
    // plain checkout, elsewhere when it is a link to another checkout's); the docs, which a
    // unit test reads to keep the web app's words the same as theirs.
    fs: {
      allow: [
        searchForWorkspaceRoot(process.cwd()),
        realpathSync(new URL("./node_modules", import.meta.url)),
        fileURLToPath(new URL("../docs", import.meta.url)),
      ],
    },
    // `npm run dev` beside `make run`: the API and websockets stay on Django.
    proxy: {
      "/api": "http://127.0.0.1:8000",
      "/ws": { target: "ws://127.0.0.1:8000", ws: true },
    },
  },
  test: {
    environment: "jsdom",
    // Layout and jsdom set-up are CPU-bound; a busy 2-core CI machine needs the headroom.
    testTimeout: 30_000,
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
  },
});
