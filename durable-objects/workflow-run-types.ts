import type { OutputModeration } from "../core/apps";
import type { ConversationVariable, EnvironmentVariable } from "../core/dsl";
import type { ConversationTurn, RunSnapshot, SystemVariables, WorkflowEvent, WorkflowRunStatus } from "../core/engine";

/** A run that is one turn of a conversation (chatflow or easy-mode app): what to record with it. */
export interface ChatRunContext {
  appMode: "advanced-chat" | "chat" | "completion" | "agent-chat";
  messageId: string;
  conversationId: string;
  endUserId: string | null;
  query: string;
  /** Seconds; the message's `created_at`. */
  createdAt: number;
  /** Written if the Worker's insert of a new conversation has not landed yet. */
  conversation: { name: string; inputs: Record<string, unknown>; createdAt: number };
  /** Earlier turns, oldest first, for nodes with memory. */
  history: ConversationTurn[];
  /** Easy-mode apps keep no workflow run record (Dify has none for them); chatflows do. */
  recordWorkflowRun: boolean;
  /**
   * A new conversation whose name the workspace's default model writes after the first answer
   * (`auto_generate_name`); looked up then, off the path to the first token.
   */
  autoName?: boolean;
  /**
   * Content moderation of the answer: once the streamed answer is flagged, it is replaced by the
   * preset response (a `message_replace` event) and no more text is sent.
   */
  outputModeration?: OutputModeration;
}

/** What the Worker hands a run's Durable Object to start it (over RPC). */
export interface StartRunRequest {
  runId: string;
  tenantId: string;
  appId: string;
  /** The app version (published or draft) whose graph runs. */
  workflowId: string;
  /** The workspace's credentials revision as the request was authenticated, if known (keys the credential cache). */
  credentialsRevision?: number;
  mode: "workflow" | "advanced-chat";
  graph: unknown;
  inputs: Record<string, unknown>;
  system: SystemVariables;
  environmentVariables: EnvironmentVariable[];
  conversationVariables: ConversationVariable[];
  triggeredFrom: "app-run" | "debugging" | "single-step" | "webhook" | "schedule";
  createdByRole: "end_user" | "account";
  createdBy: string;
  /** For single-node runs: the node to start from. */
  rootNodeId?: string;
  /** Start from this state instead of the start node (single-node runs, retries). */
  initialSnapshot?: RunSnapshot;
  /** Set when the run is a chat turn: the message and conversation it writes when it ends. */
  chat?: ChatRunContext;
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
  /** Chat runs: the conversation variables after the run (persisted with the message). */
  conversationVariables?: Record<string, unknown>;
}

export type { RunSnapshot, WorkflowEvent };
