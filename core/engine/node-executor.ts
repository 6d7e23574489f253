import type { CompiledNode } from "./compiled-graph";
import type { ExecutionMetadata, NodeExecutionStatus, NodeFinishedData, NodeStartedData } from "./events";
import { truncateForEvent } from "./event-truncation";
import { variableSizeBytes } from "./variable-size";
import type { ChildRunOptions, ChildRunResult, NodeContext, NodeRunResult, NodeRunSucceeded } from "./node-contract";
import { raceAbort, type RunContext } from "./run-context";
import { renderTemplate } from "./template";
import type { VariablePool } from "./variable-pool";

/** Runs one node: limits, events, retries, then the node's error strategy. */

export type NodeOutcome =
  | { kind: "finished"; status: "succeeded" | "exception"; handles: "all" | ReadonlySet<string>; loopBreak: boolean }
  | { kind: "failed"; error: string; error_type: string }
  | { kind: "stopped" };

export interface ExecutionScope {
  readonly shared: RunContext;
  readonly pool: VariablePool;
  readonly signal: AbortSignal;
  readonly container: { id: string; kind: "iteration" | "loop"; index: number } | undefined;
  /**
   * Outputs are in the pool and the chosen edges are known; called before `node_finished`, so
   * answers a branch opens stream ahead of the branch's own `node_finished`, as in Dify.
   */
  outputsReady(nodeId: string, handles: "all" | ReadonlySet<string>): void;
  chunk(nodeId: string, variable: string, text: string): void;
  runChild(container: CompiledNode, options: ChildRunOptions): Promise<ChildRunResult>;
}

const SUCCESS_HANDLES: ReadonlySet<string> = new Set(["success-branch", "source"]);
const FAIL_HANDLES: ReadonlySet<string> = new Set(["fail-branch"]);

export async function executeNode(scope: ExecutionScope, node: CompiledNode, predecessor: string | null): Promise<NodeOutcome> {
  const { shared } = scope;
  shared.steps++;
  const limitHit = shared.checkLimits();
  if (limitHit) {
    shared.stop(limitHit);
    return { kind: "stopped" };
  }
  const startedAt = shared.clock.now();
  const container = scope.container;
  const started: NodeStartedData = {
    id: shared.ids.uuid(),
    node_id: node.id,
    node_type: node.type,
    title: node.title,
    index: ++shared.nodeIndex,
    predecessor_node_id: predecessor,
    inputs: null,
    inputs_truncated: false,
    created_at: Math.floor(startedAt / 1000),
    extras: {},
    iteration_id: container?.kind === "iteration" ? container.id : null,
    loop_id: container?.kind === "loop" ? container.id : null,
  };
  shared.emit({ type: "node_started", data: started });

  const finish = (status: NodeExecutionStatus, result: Pick<NodeRunSucceeded, "inputs" | "process_data" | "metadata"> | null, outputs: Record<string, unknown> | null, error: string | null): NodeFinishedData => {
    const finishedAt = shared.clock.now();
    const truncation = shared.limits.eventTruncation;
    const inputs = truncateForEvent(result?.inputs ?? null, truncation);
    const processData = truncateForEvent(result?.process_data ?? null, truncation);
    const shownOutputs = truncateForEvent(outputs, truncation);
    // Built field by field rather than spread: this runs for every node and spreads showed up in profiles.
    return {
      id: started.id,
      node_id: started.node_id,
      node_type: started.node_type,
      title: started.title,
      index: started.index,
      predecessor_node_id: started.predecessor_node_id,
      inputs: inputs.value,
      inputs_truncated: inputs.truncated,
      created_at: started.created_at,
      extras: started.extras,
      iteration_id: started.iteration_id,
      loop_id: started.loop_id,
      process_data: processData.value,
      process_data_truncated: processData.truncated,
      outputs: shownOutputs.value,
      outputs_truncated: shownOutputs.truncated,
      status,
      error,
      elapsed_time: (finishedAt - startedAt) / 1000,
      execution_metadata: containerMetadata(scope, result?.metadata),
      finished_at: Math.floor(finishedAt / 1000),
      files: [],
    };
  };

  let result: NodeRunResult | null;
  for (let attempt = 0; ; attempt++) {
    result = await runOnce(scope, node, started.id);
    if (!result || result.status === "succeeded") break;
    const retry = node.retry;
    if (!retry?.retry_enabled || attempt >= retry.max_retries) break;
    try {
      if (retry.retry_interval > 0) await shared.sleep(retry.retry_interval, scope.signal);
    } catch {
      result = null;
      break;
    }
    if (scope.signal.aborted) {
      result = null;
      break;
    }
    shared.emit({ type: "node_retry", data: { ...finish("retry", result, null, result.error), retry_index: attempt + 1 } });
  }

  if (!result) {
    shared.emit({ type: "node_finished", data: finish("stopped", null, null, "Node execution stopped") });
    return { kind: "stopped" };
  }
  if (result.status === "succeeded") {
    // A container's tokens were already counted as its children ran.
    if (!node.definition?.isContainer) shared.totalTokens += Number(result.metadata?.total_tokens ?? 0) || 0;
    scope.pool.setOutputs(node.id, result.outputs);
    for (const update of result.variable_updates ?? []) scope.pool.set(update.selector, update.value);
    const handles = result.edge_source_handle !== undefined ? new Set([result.edge_source_handle]) : node.errorStrategy === "fail-branch" ? SUCCESS_HANDLES : "all";
    scope.outputsReady(node.id, handles);
    shared.emit({ type: "node_finished", data: finish("succeeded", result, result.outputs, null) });
    return { kind: "finished", status: "succeeded", handles, loopBreak: result.loop_break === true };
  }

  if (node.errorStrategy === "fail-branch" || node.errorStrategy === "default-value") {
    shared.exceptionsCount++;
    const errorOutputs = { error_message: result.error, error_type: result.error_type };
    const outputs = node.errorStrategy === "default-value" ? { ...defaultValues(node), ...errorOutputs } : errorOutputs;
    scope.pool.setOutputs(node.id, outputs);
    const handles = node.errorStrategy === "fail-branch" ? FAIL_HANDLES : "all";
    scope.outputsReady(node.id, handles);
    const data = finish("exception", { ...result, metadata: { ...result.metadata, error_strategy: node.errorStrategy } }, outputs, result.error);
    shared.emit({ type: "node_finished", data });
    return { kind: "finished", status: "exception", handles, loopBreak: false };
  }
  shared.emit({ type: "node_finished", data: finish("failed", result, null, result.error) });
  return { kind: "failed", error: result.error, error_type: result.error_type };
}

async function runOnce(scope: ExecutionScope, node: CompiledNode, executionId: string): Promise<NodeRunResult | null> {
  if (!node.config.ok || !node.definition) return { status: "failed", error: node.config.ok ? `Unknown node type "${node.type}"` : node.config.error, error_type: "InvalidNodeConfigError" };
  const definition = node.definition;
  const ctx = createContext(scope, node, executionId);
  let result: NodeRunResult | null;
  try {
    // Synchronous nodes skip the abort race; a synchronous throw lands in the catch below.
    result = await raceAbort(definition.run(ctx), scope.signal);
  } catch (error) {
    const err = error instanceof Error ? error : new Error(String(error));
    result = { status: "failed", error: err.message, error_type: err.name || "Error" };
  }
  // Dify's MAX_VARIABLE_SIZE guards variables that are written and kept (conversation and loop
  // variables via the assigner), not node outputs: an HTTP body or a long LLM answer may be bigger.
  if (result?.status === "succeeded" && result.variable_updates) {
    const limit = scope.shared.limits.maxVariableSizeBytes;
    for (const update of result.variable_updates) {
      if (variableSizeBytes(update.value, limit) > limit) {
        return { status: "failed", error: `Variable ${update.selector.join(".")} exceeds the size limit of ${limit} bytes`, error_type: "VariableSizeLimitError" };
      }
    }
  }
  return result;
}

function createContext(scope: ExecutionScope, node: CompiledNode, executionId: string): NodeContext<unknown> {
  const { shared, pool } = scope;
  return {
    nodeId: node.id,
    executionId,
    nodeType: node.type,
    title: node.title,
    config: node.config.ok ? node.config.value : undefined,
    pool,
    render: (template) => renderTemplate(template, pool),
    resolve: (selector) => pool.get(selector),
    ports: shared.ports,
    signal: scope.signal,
    clock: shared.clock,
    ids: shared.ids,
    run: shared.info,
    // A node that ignored an abort may keep talking; nobody is listening any more.
    streamChunk: (variable, chunk) => void (scope.signal.aborted || scope.chunk(node.id, variable, chunk)),
    emit: (event) => void (scope.signal.aborted || shared.emit(event)),
    runChildGraph: (options) => scope.runChild(node, options),
  };
}

function containerMetadata(scope: ExecutionScope, metadata: ExecutionMetadata | undefined): ExecutionMetadata | null {
  const container = scope.container;
  if (!container) return metadata ?? null;
  return container.kind === "iteration"
    ? { ...metadata, iteration_id: container.id, iteration_index: container.index }
    : { ...metadata, loop_id: container.id, loop_index: container.index };
}

/** Dify stores default values as strings from the editor; convert them to the declared type. */
export function defaultValues(node: CompiledNode): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, type, value } of node.defaultValue) {
    out[key] = coerceDefault(type, value);
  }
  return out;
}

function coerceDefault(type: string, value: unknown): unknown {
  if (typeof value !== "string") return value;
  if (type === "number") return Number(value);
  if (type === "boolean") return value === "true";
  if (type === "object" || type.startsWith("array")) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}
