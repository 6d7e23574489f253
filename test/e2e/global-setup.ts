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
    rmSync(persistTo, { recursive: true, force: true });
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
