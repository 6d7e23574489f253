import type { ConversationVariable, EnvironmentVariable } from "../core/dsl";
import type { RunSnapshot, SystemVariables, WorkflowEvent, WorkflowRunStatus } from "../core/engine";

/** What the Worker hands a run's Durable Object to start it (over RPC). */
export interface StartRunRequest {
  runId: string;
  tenantId: string;
  appId: string;
  /** The app version (published or draft) whose graph runs. */
  workflowId: string;
  mode: "workflow" | "advanced-chat";
  graph: unknown;
  inputs: Record<string, unknown>;
  system: SystemVariables;
  environmentVariables: EnvironmentVariable[];
  conversationVariables: ConversationVariable[];
  triggeredFrom: "app-run" | "debugging" | "single-step";
  createdByRole: "end_user" | "account";
  createdBy: string;
  /** For single-node runs: the node to start from. */
  rootNodeId?: string;
  /** Start from this state instead of the start node (single-node runs, retries). */
  initialSnapshot?: RunSnapshot;
}

/** A run as the Worker reports it (`GET /v1/workflows/run/{id}` while it is not yet in D1). */
export interface RunState {
  runId: string;
  tenantId: string;
  appId: string;
  workflowId: string;
  status: WorkflowRunStatus;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown> | null;
  error: string | null;
  elapsedTime: number;
  totalTokens: number;
  totalSteps: number;
  exceptionsCount: number;
  createdAt: number;
  finishedAt: number | null;
  /** Whether the run record and node executions are in D1. */
  recorded: boolean;
}

export type { RunSnapshot, WorkflowEvent };
