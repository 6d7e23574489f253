import type { TestProject } from "vitest/node";
import { startMockModelServer } from "./index";

declare module "vitest" {
  export interface ProvidedContext {
    mockModelServerUrl: string;
  }
}

/** Starts one mock model server for the workers project; tests reach it by `inject("mockModelServerUrl")`. */
export default async function setup(project: TestProject) {
  const server = await startMockModelServer();
  project.provide("mockModelServerUrl", server.url);
  return () => server.close();
}
