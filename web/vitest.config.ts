import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

// The web app's pure logic, tested in plain Node:  npx vitest run --config web/vitest.config.ts
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  test: { name: "web", environment: "node", include: ["src/**/*.test.ts"] },
});
