import type { ConversationVariable, EnvironmentVariable } from "../dsl";
import { systemClock, randomIds } from "../ports";
import { compileGraph, type CompiledGraph } from "./compiled-graph";
import type { WorkflowEvent, WorkflowFinishedData, WorkflowRunStatus } from "./events";
import { defaultEngineLimits, type EngineLimits } from "./limits";
import type { NodeRegistry } from "./node-registry";
import { realSleep, type Clock, type Ids, type NodePorts, type Sleep } from "./node-ports";
import { ResponseStreamCoordinator } from "./response-stream";
import { RunContext } from "./run-context";
import { createSecretMasker } from "./secret-masking";
import type { RunSnapshot } from "./run-snapshot";
import { ScopeRun } from "./scope-run";
import { ENVIRONMENT_NODE_ID, VariablePool, type PoolDump, type SystemVariables } from "./variable-pool";

export interface RunWorkflowOptions {
  /** Dify graph JSON (`workflow.graph`). */
  graph: unknown;
  registry: NodeRegistry;
  inputs?: Record<string, unknown>;
  system?: SystemVariables;
  environmentVariables?: EnvironmentVariable[];
  /** Declarations with the conversation's current values. */
  conversationVariables?: ConversationVariable[];
  runId?: string;
  workflowId?: string;
  mode?: string;
  callDepth?: number;
  /** Defaults to the start-type node with no incoming edges. */
  rootNodeId?: string;
  ports?: NodePorts;
  clock?: Clock;
  ids?: Ids;
  sleep?: Sleep;
  limits?: Partial<EngineLimits>;
  signal?: AbortSignal;
  onEvent?(event: WorkflowEvent): void;
  /**
   * Called synchronously after each top-level node finishes, with a snapshot to persist (a
   * Durable Object writes it to its SQLite storage). Keep it synchronous: the run continues at once.
   */
  onNodeFinished?(snapshot: RunSnapshot): void;
}

export interface RunResult {
  status: WorkflowRunStatus;
  outputs: Record<string, unknown>;
  error: string | null;
  error_type: string | null;
  exceptions_count: number;
  total_steps: number;
  total_tokens: number;
  /** Seconds. */
  elapsed_time: number;
  /** Conversation variables after the run (the assigner may have changed them). */
  conversation_variables: Record<string, unknown>;
  /** Final state; resuming it is a no-op. */
  snapshot: RunSnapshot;
}

/**
 * Runs a workflow graph to the end and returns its result; events stream through `onEvent`.
 *
 * @example
 * const result = await runWorkflow({ graph, registry: createNodeRegistry(), inputs: { name: "Ada" }, onEvent: send });
 */
export function runWorkflow(options: RunWorkflowOptions): Promise<RunResult> {
  return execute(options, undefined);
}

/** Continues a run from a snapshot taken by `onNodeFinished`; finished nodes are not run again. */
export function resumeWorkflow(snapshot: RunSnapshot, options: Omit<RunWorkflowOptions, "inputs">): Promise<RunResult> {
  return execute(options, snapshot);
}

async function execute(options: RunWorkflowOptions, snapshot: RunSnapshot | undefined): Promise<RunResult> {
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const limits = { ...defaultEngineLimits, ...options.limits };
  const graph: CompiledGraph = compileGraph(options.graph, options.registry, { rootNodeId: options.rootNodeId });
  const runId = snapshot?.run_id ?? options.runId ?? options.system?.workflow_run_id ?? ids.uuid();
  const workflowId = snapshot?.workflow_id ?? options.workflowId ?? options.system?.workflow_id ?? "";
  const inputs = snapshot?.inputs ?? options.inputs ?? {};
  const createdAt = snapshot?.created_at ?? clock.now();
  const shared = new RunContext(
    graph,
    limits,
    clock,
    options.sleep ?? realSleep,
    ids,
    options.ports ?? {},
    {
      runId,
      workflowId,
      mode: snapshot?.mode ?? options.mode ?? "workflow",
      callDepth: snapshot?.call_depth ?? options.callDepth ?? 0,
      conversationVariables: (options.conversationVariables ?? []).map(({ name, value_type }) => ({ name, value_type })),
      inputs,
    },
    createdAt,
    options.onEvent,
    options.onNodeFinished !== undefined,
  );
  // Nodes read real values from the pool; what the run shows (events, outputs, error) is masked.
  const mask = createSecretMasker(options.environmentVariables);
  shared.mask = mask;
  if (snapshot) {
    shared.steps = snapshot.steps;
    shared.nodeIndex = snapshot.node_index;
    shared.exceptionsCount = snapshot.exceptions_count;
    shared.totalTokens = snapshot.total_tokens;
    shared.seq = snapshot.seq;
  }
  const pool = snapshot ? VariablePool.load(snapshot.pool) : seedPool(options, runId, workflowId);
  // Snapshots leave environment variables out (they may be secrets); a resume supplies them again.
  if (snapshot) pool.setOutputs(ENVIRONMENT_NODE_ID, environmentValues(options.environmentVariables));
  const outputs: Record<string, unknown> = { ...(snapshot?.outputs ?? {}) };
  shared.onResponseOutputs = (nodeOutputs) => mergeResponseOutputs(outputs, nodeOutputs);

  const onExternalAbort = () => shared.stop({ status: "stopped", error: "Workflow execution stopped by user", error_type: "StoppedError" });
  if (options.signal?.aborted) onExternalAbort();
  options.signal?.addEventListener("abort", onExternalAbort, { once: true });
  // The time limit is also checked at every node start; the timer catches a single node that runs too long.
  const remainingMs = createdAt + limits.maxExecutionTimeMs - clock.now();
  const deadline =
    Number.isFinite(remainingMs) && remainingMs < 2 ** 31 - 1
      ? setTimeout(() => shared.stop({ status: "stopped", error: `Maximum execution time exceeded: ${limits.maxExecutionTimeMs / 1000}s`, error_type: "ExecutionLimitError" }), Math.max(0, remainingMs))
      : undefined;

  // Dify's run inputs list the system variables too, as `sys.<name>` keys.
  const startedInputs: Record<string, unknown> = { ...inputs };
  for (const [name, value] of Object.entries(pool.getNode("sys") ?? {})) startedInputs[`sys.${name}`] = value;
  shared.emit({ type: "workflow_started", data: { id: runId, workflow_id: workflowId, inputs: startedInputs, created_at: Math.floor(createdAt / 1000), reason: snapshot ? "resumption" : "initial" } });

  const topScope = graph.scope(undefined);
  const responseNodes = topScope.nodeIds.flatMap((id) => {
    const node = graph.nodes.get(id)!;
    return node.definition?.responseTemplate && node.config.ok ? [{ id, template: node.definition.responseTemplate(node.config.value) }] : [];
  });
  let scope: ScopeRun;
  // Outputs land in the pool just before `node_finished`; streaming may use them from then on.
  const outputsReady = new Set<string>();
  const status = (id: string) => {
    if (outputsReady.has(id)) return "finished" as const;
    const value = scope.nodeStatus.get(id);
    if (value === "running") return "running" as const;
    if (value === "skipped") return "skipped" as const;
    return value === "pending" || value === undefined ? ("pending" as const) : ("finished" as const);
  };
  const blockers = new Set(topScope.nodeIds.filter((id) => containsResponseNode(graph, id)));
  const stream = new ResponseStreamCoordinator(graph, responseNodes, () => pool, (data) => shared.emit({ type: "text_chunk", data }), snapshot?.response, blockers);
  const buildSnapshot = (runStatus: WorkflowRunStatus): RunSnapshot => {
    const events = shared.pendingEvents;
    shared.pendingEvents = [];
    return {
      version: 1,
      run_id: runId,
      workflow_id: workflowId,
      mode: shared.info.mode,
      call_depth: shared.info.callDepth,
      created_at: createdAt,
      inputs,
      pool: withoutEnvironment(pool.dump()),
      nodes: Object.fromEntries([...scope.nodeStatus].filter(([, value]) => value !== "pending")),
      edges: scope.dumpEdges(),
      steps: shared.steps,
      node_index: shared.nodeIndex,
      exceptions_count: shared.exceptionsCount,
      total_tokens: shared.totalTokens,
      outputs: { ...outputs },
      seq: shared.seq,
      response: stream.dump(),
      events,
      status: runStatus,
    };
  };
  const responseIds = new Set(responseNodes.map((node) => node.id));
  scope = new ScopeRun(shared, topScope, pool, undefined, {
    onNodeStarted: () => stream.active && stream.update(status, (index) => scope.edgeState(index)),
    onChunk: (nodeId, variable, text) => stream.chunk(nodeId, variable, text, status),
    onOutputsReady: (nodeId) => {
      outputsReady.add(nodeId);
      if (!responseIds.has(nodeId)) {
        if (stream.active) stream.update(status, (index) => scope.edgeState(index));
        return;
      }
      stream.responseNodeRan(nodeId, status);
      mergeResponseOutputs(outputs, pool.getNode(nodeId) ?? {});
    },
    onNodeFinished: () => {
      if (stream.active) stream.update(status, (index) => scope.edgeState(index));
      options.onNodeFinished?.(buildSnapshot("running"));
    },
  });

  const callDepthExceeded = shared.info.callDepth > limits.maxCallDepth;
  const outcome = callDepthExceeded
    ? { status: "failed" as const, error: `Max workflow call depth ${limits.maxCallDepth} reached.`, error_type: "ExecutionLimitError", loopBreak: false }
    : await scope.run(snapshot ? { nodes: snapshot.nodes, edges: snapshot.edges } : undefined);
  clearTimeout(deadline);
  options.signal?.removeEventListener("abort", onExternalAbort);

  const halt = shared.halt;
  const runStatus: WorkflowRunStatus =
    halt?.status ?? (outcome.status !== "succeeded" ? outcome.status : shared.exceptionsCount > 0 ? "partial-succeeded" : "succeeded");
  const error = halt?.error ?? outcome.error ?? null;
  const finishedAt = clock.now();
  const finished: WorkflowFinishedData = {
    id: runId,
    workflow_id: workflowId,
    status: runStatus,
    outputs,
    error,
    elapsed_time: (finishedAt - createdAt) / 1000,
    total_tokens: shared.totalTokens,
    total_steps: shared.steps,
    created_at: Math.floor(createdAt / 1000),
    finished_at: Math.floor(finishedAt / 1000),
    exceptions_count: shared.exceptionsCount,
    files: [],
    error_type: halt?.error_type ?? outcome.error_type ?? null,
  };
  shared.emit({ type: "workflow_finished", data: finished });
  return {
    status: runStatus,
    outputs: mask ? mask(outputs) : outputs,
    error: error !== null && mask ? mask(error) : error,
    error_type: halt?.error_type ?? outcome.error_type ?? null,
    exceptions_count: shared.exceptionsCount,
    total_steps: shared.steps,
    total_tokens: shared.totalTokens,
    elapsed_time: finished.elapsed_time,
    conversation_variables: pool.getNode("conversation") ?? {},
    snapshot: buildSnapshot(runStatus),
  };
}

/** Dify's rule: response nodes' outputs become the run's outputs; `answer` values concatenate. */
function mergeResponseOutputs(outputs: Record<string, unknown>, nodeOutputs: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(nodeOutputs)) {
    outputs[key] = key === "answer" && typeof outputs.answer === "string" && typeof value === "string" ? outputs.answer + value : value;
  }
}

function environmentValues(variables: EnvironmentVariable[] | undefined): Record<string, unknown> {
  const environment: Record<string, unknown> = {};
  for (const variable of variables ?? []) {
    environment[variable.name] = variable.value_type === "number" && typeof variable.value === "string" ? Number(variable.value) : variable.value;
  }
  return environment;
}

function withoutEnvironment(dump: PoolDump): PoolDump {
  delete dump[ENVIRONMENT_NODE_ID];
  return dump;
}

function seedPool(options: RunWorkflowOptions, runId: string, workflowId: string): VariablePool {
  const environment = environmentValues(options.environmentVariables);
  const conversation: Record<string, unknown> = {};
  for (const variable of options.conversationVariables ?? []) conversation[variable.name] = variable.value;
  const system: SystemVariables = { workflow_run_id: runId, ...options.system };
  if (workflowId) system.workflow_id ??= workflowId;
  return VariablePool.create({ system, environment, conversation });
}

export type { PoolDump };

/** Whether an iteration / loop has an answer somewhere inside it. */
function containsResponseNode(graph: CompiledGraph, containerId: string): boolean {
  if (!graph.nodes.get(containerId)?.definition?.isContainer) return false;
  return graph.scope(containerId).nodeIds.some((id) => graph.nodes.get(id)!.definition?.responseTemplate !== undefined || containsResponseNode(graph, id));
}
