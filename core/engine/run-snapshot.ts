import type { WorkflowEvent, WorkflowRunStatus } from "./events";
import type { ResponseStreamState } from "./response-stream";
import type { EdgeState, NodeStatus } from "./scope-run";
import type { PoolDump } from "./variable-pool";

/**
 * Everything needed to continue a run after the process that ran it is gone. Plain JSON: a
 * Durable Object writes it after every finished node and hands it back to `resumeWorkflow`.
 * Nodes that were running are run again on resume; finished ones never are.
 */
export interface RunSnapshot {
  version: 1;
  run_id: string;
  workflow_id: string;
  mode: string;
  call_depth: number;
  /** Milliseconds since the epoch. */
  created_at: number;
  inputs: Record<string, unknown>;
  /** Every variable except `env.*`, which may hold secrets: pass `environmentVariables` again on resume. */
  pool: PoolDump;
  /** Top-level nodes that are not pending. */
  nodes: Record<string, NodeStatus>;
  /** Decided edges, keyed by their index in `graph.edges`. */
  edges: Record<string, EdgeState>;
  steps: number;
  node_index: number;
  exceptions_count: number;
  total_tokens: number;
  /** The run's outputs so far (End outputs; answers concatenated under `answer`). */
  outputs: Record<string, unknown>;
  /** The last event's sequence number. */
  seq: number;
  response: ResponseStreamState;
  /** Events emitted since the previous snapshot, so a checkpoint can store state and events together. */
  events: WorkflowEvent[];
  status: WorkflowRunStatus;
}

/** Snapshots cross storage as JSON; this guards against reading something else. */
export function isRunSnapshot(value: unknown): value is RunSnapshot {
  return typeof value === "object" && value !== null && (value as { version?: unknown }).version === 1 && typeof (value as { pool?: unknown }).pool === "object";
}
