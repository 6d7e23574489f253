import type { Context } from "hono";
import type { AppEnv } from "./app-env";

/**
 * Hands work that outlives the response to `executionCtx.waitUntil`. Without an execution context
 * (in-process tests) the promise simply runs on its own; it must not reject.
 */
export function background(c: Context<AppEnv>): (work: Promise<unknown>) => void {
  return (work) => {
    try {
      c.executionCtx.waitUntil(work);
    } catch {
      // no execution context
    }
  };
}
