import type { TestProject } from "vitest/node";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// @ts-expect-error plain ESM helper shared with the scripts
import { applyMigrations, freePort, startWranglerDev } from "../../scripts/lib.mjs";

/** Starts the real platform (`wrangler dev`, fresh local state) for the browser tests. */
export default async function setup(project: TestProject) {
  const persistTo = mkdtempSync(join(tmpdir(), "waggle-e2e-"));
  applyMigrations(persistTo);
  const server = await startWranglerDev({ port: await freePort(), persistTo });
  project.provide("baseUrl", server.url);
  return () => {
    server.stop();
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
  }
}
