import { defineConfig } from "vite";
import preact from "@preact/preset-vite";
import { fileURLToPath } from "node:url";

// Paths are absolute so the build works from the repository root:
//   npx vite build --config web/vite.config.ts
const webRoot = fileURLToPath(new URL(".", import.meta.url));
const apiTarget = process.env.WAGGLE_API_URL ?? "http://127.0.0.1:8787";

export default defineConfig({
  root: webRoot,
  plugins: [preact()],
  build: {
    outDir: fileURLToPath(new URL("./dist", import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: {
      // The console, and the published web app (`/chat/{code}` and the rest), which loads none of the console's code.
      input: {
        index: fileURLToPath(new URL("./index.html", import.meta.url)),
        webapp: fileURLToPath(new URL("./webapp.html", import.meta.url)),
      },
    },
  },
  server: {
    proxy: {
      "/console/api": { target: apiTarget, changeOrigin: false },
      "/v1": { target: apiTarget, changeOrigin: false },
      "/api": { target: apiTarget, changeOrigin: false },
    },
  },
});
