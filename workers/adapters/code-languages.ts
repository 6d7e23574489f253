import type { Env } from "../env";

/**
 * Code node languages this deployment can run: JavaScript always (QuickJS in the Worker); Python
 * when the Worker Loader and static assets are bound (Pyodide in a per-tenant isolate, see
 * node-runtime.ts). Publishing refuses code nodes in any other language; an import names them.
 */
export function runtimeCodeLanguages(env: Env): string[] {
  const bindings = env as Env & { LOADER?: unknown };
  return bindings.LOADER && env.ASSETS ? ["javascript", "python3"] : ["javascript"];
}
