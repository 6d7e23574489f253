import type { z } from "zod";
import type { SelectorReference } from "../dsl";
import type { ExecutionMetadata, NodeEmittedEvent } from "./events";
import type { Clock, Ids, NodePorts } from "./node-ports";
import type { TemplateSegment } from "./template";
import type { PoolDump, Selector, VariableReader } from "./variable-pool";

/**
 * The node contract, after Dify's graph engine: a node is a typed config plus `run(ctx)` that
 * returns a result. Failure is data; retries and error strategies are the engine's job.
 */

export interface NodeRunSucceeded {
  status: "succeeded";
  outputs: Record<string, unknown>;
  inputs?: Record<string, unknown>;
  process_data?: Record<string, unknown>;
  /** Branch nodes: the `sourceHandle` whose edges are taken (if-else case id, class id...). */
  edge_source_handle?: string;
  metadata?: ExecutionMetadata;
  /** Writes to variables the node does not own (assigner: `conversation.*`, loop variables). */
  variable_updates?: Array<{ selector: string[]; value: unknown }>;
  /** `loop-end`: finish the current round and stop the loop. */
  loop_break?: boolean;
}

export interface NodeRunFailed {
  status: "failed";
  error: string;
  /** A stable name such as `InvalidParamError`, `OutputValidationError`. */
  error_type: string;
  inputs?: Record<string, unknown>;
  process_data?: Record<string, unknown>;
  metadata?: ExecutionMetadata;
}

export type NodeRunResult = NodeRunSucceeded | NodeRunFailed;

export interface RunInfo {
  runId: string;
  workflowId: string;
  /** `workflow`, `advanced-chat`... */
  mode: string;
  /** 0 for a run started by a user; +1 per nested workflow call. */
  callDepth: number;
  /** The caller's inputs, validated by the start node. */
  inputs: Record<string, unknown>;
  /** Declared conversation variables, for `clear` and type checks. */
  conversationVariables: Array<{ name: string; value_type: string }>;
}

export interface ChildRunOptions {
  /** Variables written into the round's pool before it starts, e.g. `{ [iterationId]: { item, index } }`. */
  seed: PoolDump;
  iterationIndex?: number;
  loopIndex?: number;
}

export interface ChildRunResult {
  status: "succeeded" | "failed" | "stopped";
  error?: string;
  error_type?: string;
  /** The round's pool, to read `output_selector` or loop variables from. */
  pool: VariableReader;
  /** A `loop-end` node ran. */
  loopBreak: boolean;
  steps: number;
  totalTokens: number;
}

export interface NodeContext<Config = unknown> {
  readonly nodeId: string;
  /** This execution's id (the `id` of its node events); containers use it for their events. */
  readonly executionId: string;
  readonly nodeType: string;
  readonly title: string;
  readonly config: Config;
  readonly pool: VariableReader;
  /** Renders `{{#node.var#}}` references against the pool. */
  render(template: string): string;
  resolve(selector: Selector): unknown;
  readonly ports: NodePorts;
  readonly signal: AbortSignal;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly run: RunInfo;
  /** Streams part of an output variable while the node runs (LLM text); answers forward it live. */
  streamChunk(variable: string, chunk: string): void;
  /** Iteration / loop / agent_log / reasoning_chunk events. The engine numbers them. */
  emit(event: NodeEmittedEvent): void;
  /** Runs one round of this container's child graph. Only for container nodes. */
  runChildGraph(options: ChildRunOptions): Promise<ChildRunResult>;
}

export interface NodeDefinition<Schema extends z.ZodType = z.ZodType> {
  /** Dify's `data.type`, e.g. `if-else`. */
  type: string;
  /** Validates and types `data`. Should be loose: unknown fields are kept. */
  schema: Schema;
  run(ctx: NodeContext<z.output<Schema>>): Promise<NodeRunResult> | NodeRunResult;
  /** Can be the root of a run (start, triggers). */
  isStart?: boolean;
  /** Has a child graph (iteration, loop). */
  isContainer?: boolean;
  /** Writes conversation variables (assigner): answers downstream wait for it before reading them. */
  writesVariables?: boolean;
  /** Answer / End: streamed in template order; outputs feed the run's outputs. */
  responseTemplate?(config: z.output<Schema>): TemplateSegment[];
  /** Only when the generic selector scan of the DSL cannot find this node's references. */
  selectors?(data: unknown): SelectorReference[];
}

/** Identity function that infers the config type from the schema. */
export function defineNode<Schema extends z.ZodType>(definition: NodeDefinition<Schema>): NodeDefinition<Schema> {
  return definition;
}

export const succeeded = (outputs: Record<string, unknown>, extra: Omit<NodeRunSucceeded, "status" | "outputs"> = {}): NodeRunSucceeded => ({
  status: "succeeded",
  outputs,
  ...extra,
});

export const failed = (error: string, error_type = "NodeRunError", extra: Omit<NodeRunFailed, "status" | "error" | "error_type"> = {}): NodeRunFailed => ({
  status: "failed",
  error,
  error_type,
  ...extra,
});
