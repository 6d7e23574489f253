import type { TestProject } from "vitest/node";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error plain ESM helper shared with the scripts
import { applyMigrations, startWranglerDev } from "../../scripts/lib.mjs";
import { startMockModelServer } from "../mock-model-server";

/** Starts the real platform (`wrangler dev`, fresh local state) for the browser tests. */
export default async function setup(project: TestProject) {
  const persistTo = mkdtempSync(join(tmpdir(), "waggle-e2e-"));
  applyMigrations(persistTo);
  // Chat previews answer from the mock model server (it echoes the last user message).
  const mock = await startMockModelServer();
  const server = await startWranglerDev({ persistTo, vars: { WAGGLE_LOOPBACK_EGRESS_ORIGINS: mock.url } });
  project.provide("baseUrl", server.url);
  project.provide("mockModelUrl", mock.url);
  return () => {
    server.stop();
    void mock.close();
    // The server may still be writing while it shuts down; leaving a temp folder is harmless.
      try {
        rmSync(persistTo, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 });
      } catch {
        // left for the OS to clean
      }
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    mockModelUrl: string;
  }
}
