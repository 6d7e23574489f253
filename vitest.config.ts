import { defineConfig } from "vitest/config";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { fileURLToPath } from "node:url";

const migrationsDir = fileURLToPath(new URL("./migrations", import.meta.url));

export default defineConfig({
  test: {
    projects: [
      {
        // Runtime-agnostic logic, tested in plain Node.
        test: {
          name: "core",
          environment: "node",
          include: ["core/**/*.test.ts", "web/src/**/*.test.ts", "test/unit/**/*.test.ts", "scripts/**/*.test.ts"],
          // Generous: CI machines are small and may be busy; tests assert behaviour, not speed.
          testTimeout: 30_000,
        },
      },
      {
        // Worker, Durable Object and D1 code, tested inside workerd with the real migrations.
        plugins: [
          cloudflareTest(async ({ inject }) => ({
            main: "./workers/index.ts",
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations(migrationsDir),
                WAGGLE_SECRET_KEY: "test-secret-key-for-vitest-only",
                // A disconnected chat answer waits this long for its client to resume it.
                WAGGLE_CHAT_RESUME_GRACE_SECONDS: "3",
                // Model calls may reach the mock model server on 127.0.0.1, and no other loopback address.
                WAGGLE_LOOPBACK_EGRESS_ORIGINS: String(inject("mockModelServerUrl")),
              },
            },
          })),
        ],
        test: {
          name: "workers",
          include: ["workers/**/*.test.ts", "durable-objects/**/*.test.ts", "test/api/**/*.test.ts"],
          setupFiles: ["./test/api/apply-migrations.ts"],
          globalSetup: ["./test/mock-model-server/global-setup.ts"],
          testTimeout: 30_000,
        },
      },
      {
        // The real platform under `wrangler dev`, driven in Debian's Chromium.
        test: {
          name: "e2e",
          environment: "node",
          include: ["test/e2e/**/*.test.ts"],
          globalSetup: ["./test/e2e/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
