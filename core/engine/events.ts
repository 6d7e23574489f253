/**
 * The engine's event vocabulary: one union discriminated on `type`, named and shaped like Dify's
 * SSE events (§4.4). The Worker adds `task_id` / `workflow_run_id` / `message_id`, renames `type`
 * to `event`, and maps `text_chunk` to `message` (`answer` = `text`) for chatflows.
 * `seq` numbers events from 1 within a run and survives resumption (SSE `Last-Event-ID`).
 */

export type WorkflowRunStatus = "running" | "succeeded" | "failed" | "stopped" | "partial-succeeded";
export type NodeExecutionStatus = "running" | "succeeded" | "failed" | "exception" | "stopped" | "retry";

export interface ExecutionMetadata {
  total_tokens?: number;
  total_price?: string | number;
  currency?: string;
  iteration_id?: string;
  iteration_index?: number;
  loop_id?: string;
  loop_index?: number;
  error_strategy?: string;
  [key: string]: unknown;
}

export interface NodeStartedData {
  /** Node execution id (unique per execution, not per node). */
  id: string;
  node_id: string;
  node_type: string;
  title: string;
  index: number;
  predecessor_node_id: string | null;
  inputs: Record<string, unknown> | null;
  inputs_truncated: boolean;
  created_at: number;
  extras: Record<string, unknown>;
  iteration_id: string | null;
  loop_id: string | null;
}

export interface NodeFinishedData extends NodeStartedData {
  process_data: Record<string, unknown> | null;
  process_data_truncated: boolean;
  outputs: Record<string, unknown> | null;
  outputs_truncated: boolean;
  status: NodeExecutionStatus;
  error: string | null;
  /** Seconds. */
  elapsed_time: number;
  execution_metadata: ExecutionMetadata | null;
  finished_at: number;
  files: unknown[];
}

export interface NodeRetryData extends NodeFinishedData {
  retry_index: number;
}

export interface ContainerStartedData {
  id: string;
  node_id: string;
  node_type: string;
  title: string;
  created_at: number;
  inputs: Record<string, unknown>;
  metadata: Record<string, unknown>;
  extras: Record<string, unknown>;
}

export interface ContainerNextData extends ContainerStartedData {
  index: number;
  /** Loop only: the loop variables after the previous round. */
  pre_loop_output?: Record<string, unknown> | null;
}

export interface ContainerCompletedData extends ContainerStartedData {
  outputs: Record<string, unknown> | null;
  status: "succeeded" | "failed";
  error: string | null;
  elapsed_time: number;
  total_tokens: number;
  execution_metadata: ExecutionMetadata | null;
  finished_at: number;
  steps: number;
}

export interface WorkflowStartedData {
  id: string;
  workflow_id: string;
  inputs: Record<string, unknown>;
  created_at: number;
  reason: "initial" | "resumption";
}

export interface WorkflowFinishedData {
  id: string;
  workflow_id: string;
  status: WorkflowRunStatus;
  outputs: Record<string, unknown>;
  error: string | null;
  elapsed_time: number;
  total_tokens: number;
  total_steps: number;
  created_at: number;
  finished_at: number;
  exceptions_count: number;
  files: unknown[];
  /**
   * Waggle's addition, kept out of the wire payload: the failing error's type (e.g.
   * `InvokeRateLimitError`), so chat streams can report Dify's error code.
   */
  error_type?: string | null;
}

export interface TextChunkData {
  text: string;
  /** The variable this text came from; null for the literal parts of a template. */
  from_variable_selector: string[] | null;
}

/** Agent nodes report each reasoning step / tool call (Dify's `agent_log`). */
export interface AgentLogData {
  node_execution_id: string;
  id: string;
  label: string;
  parent_id: string | null;
  error: string | null;
  status: "start" | "success" | "error";
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  node_id: string;
}

/**
 * An LLM node's reasoning as it streams, when the node keeps reasoning apart from its answer
 * (`reasoning_format: separated`); the last one of a node has `is_final` and no text.
 */
export interface ReasoningChunkData {
  reasoning: string;
  node_id: string;
  is_final: boolean;
}

/**
 * A chat turn's answer replaced by content moderation (Dify's `message_replace`): the answer is
 * now `answer`, and no more of the model's text follows. The run's host emits it in place of the
 * text chunk that made the answer flagged; the engine never does.
 */
export interface MessageReplaceData {
  answer: string;
  reason: "output_moderation";
}

type Event<T extends string, D> = { type: T; seq: number; data: D };

export type WorkflowEvent =
  | Event<"workflow_started", WorkflowStartedData>
  | Event<"node_started", NodeStartedData>
  | Event<"node_finished", NodeFinishedData>
  | Event<"node_retry", NodeRetryData>
  | Event<"text_chunk", TextChunkData>
  | Event<"iteration_started", ContainerStartedData>
  | Event<"iteration_next", ContainerNextData>
  | Event<"iteration_completed", ContainerCompletedData>
  | Event<"loop_started", ContainerStartedData>
  | Event<"loop_next", ContainerNextData>
  | Event<"loop_completed", ContainerCompletedData>
  | Event<"agent_log", AgentLogData>
  | Event<"reasoning_chunk", ReasoningChunkData>
  | Event<"message_replace", MessageReplaceData>
  | Event<"workflow_finished", WorkflowFinishedData>;

export type WorkflowEventType = WorkflowEvent["type"];

/** An event before the engine numbers it. */
export type UnsequencedEvent = WorkflowEvent extends infer E ? (E extends WorkflowEvent ? Omit<E, "seq"> : never) : never;

/** Events a container node (iteration, loop) reports itself. */
export type ContainerEvent = Extract<UnsequencedEvent, { type: `iteration_${string}` | `loop_${string}` }>;

/** Events a node may emit through `ctx.emit`; the engine emits the rest. */
export type NodeEmittedEvent = ContainerEvent | Extract<UnsequencedEvent, { type: "agent_log" | "reasoning_chunk" }>;
