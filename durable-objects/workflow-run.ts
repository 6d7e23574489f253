import { DurableObject } from "cloudflare:workers";
import type { Env } from "../workers/env";

/**
 * One instance per workflow run (`idFromName(runId)`): holds the variable pool, schedules nodes,
 * checkpoints to its SQLite storage and streams events. The engine is wired in by the workflow
 * engine work; this class is the binding's home so the namespace exists from the first deploy.
 */
export class WorkflowRun extends DurableObject<Env> {
  async status(): Promise<{ state: "idle" }> {
    return { state: "idle" };
  }
}
