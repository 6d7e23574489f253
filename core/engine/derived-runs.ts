import type { ConversationVariable, EnvironmentVariable } from "../dsl";
import type { RunSnapshot } from "./run-snapshot";
import { VariablePool, type PoolDump, type SystemVariables } from "./variable-pool";

const RERUN_STATUSES = new Set(["failed", "stopped", "running"]);

/**
 * A snapshot that continues a failed or stopped run as a new run: finished nodes keep their
 * outputs and are not run again; the nodes that failed (or were cut off) run again, and so does
 * everything downstream of them. Waggle's "retry from the failed node".
 *
 * @example
 * const next = retrySnapshot(failedRun.snapshot, crypto.randomUUID(), Date.now());
 * await resumeWorkflow(next, { graph, registry, ... });
 */
export function retrySnapshot(finished: RunSnapshot, runId: string, now: number): RunSnapshot {
  if (finished.status !== "failed" && finished.status !== "stopped") {
    throw new Error(`Only failed or stopped runs can be retried; this one is ${finished.status}.`);
  }
  const nodes = Object.fromEntries(Object.entries(finished.nodes).map(([id, status]) => [id, RERUN_STATUSES.has(status) ? "running" : status])) as RunSnapshot["nodes"];
  const pool: PoolDump = { ...finished.pool, sys: { ...(finished.pool.sys ?? {}), workflow_run_id: runId } };
  return { ...finished, run_id: runId, created_at: now, nodes, pool, seq: 0, events: [], status: "running" };
}

export interface SingleNodeOptions {
  runId: string;
  workflowId: string;
  mode: string;
  now: number;
  system?: SystemVariables;
  environmentVariables?: EnvironmentVariable[];
  conversationVariables?: ConversationVariable[];
  /**
   * Values for the variables the node reads, by selector: `{"start.query": "hi"}` (Dify's
   * single-step run also accepts `#start.query#`).
   */
  values: Record<string, unknown>;
}

/** Turns `"#node.var#"` / `"node.var"` keys into pool entries. */
function seedValues(dump: PoolDump, values: Record<string, unknown>): PoolDump {
  const out: PoolDump = { ...dump };
  for (const [rawKey, value] of Object.entries(values)) {
    const key = rawKey.replace(/^#/, "").replace(/#$/, "");
    const dot = key.indexOf(".");
    if (dot <= 0) throw new Error(`Input "${rawKey}" must name a variable as node.variable.`);
    const nodeId = key.slice(0, dot);
    const name = key.slice(dot + 1);
    out[nodeId] = { ...(out[nodeId] ?? {}), [name]: value };
  }
  return out;
}

/**
 * A snapshot from which `resumeWorkflow` runs one node alone (pass the graph reduced with
 * `singleNodeGraph` and the node as `rootNodeId`), reading the given values as its upstream.
 */
export function singleNodeSnapshot(options: SingleNodeOptions): RunSnapshot {
  const environment: Record<string, unknown> = {};
  for (const variable of options.environmentVariables ?? []) environment[variable.name] = variable.value;
  const conversation: Record<string, unknown> = {};
  for (const variable of options.conversationVariables ?? []) conversation[variable.name] = variable.value;
  const base = VariablePool.create({ system: { workflow_run_id: options.runId, workflow_id: options.workflowId, ...options.system }, environment, conversation }).dump();
  return {
    version: 1,
    run_id: options.runId,
    workflow_id: options.workflowId,
    mode: options.mode,
    call_depth: 0,
    created_at: options.now,
    inputs: {},
    pool: seedValues(base, options.values),
    nodes: {},
    edges: {},
    steps: 0,
    node_index: 0,
    exceptions_count: 0,
    total_tokens: 0,
    outputs: {},
    seq: 0,
    response: { sessions: {}, queue: [] },
    events: [],
    status: "running",
  };
}

interface GraphLike {
  nodes: Array<{ id: string; parentId?: string; data?: Record<string, unknown> }>;
  edges: Array<{ source: string; target: string }>;
  [key: string]: unknown;
}

/** The graph reduced to one node (and, for iteration/loop, everything inside it). */
export function singleNodeGraph(graph: GraphLike, nodeId: string): GraphLike {
  const keep = new Set([nodeId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const node of graph.nodes) {
      const parent = node.parentId ?? (node.data?.iteration_id as string | undefined) ?? (node.data?.loop_id as string | undefined);
      if (parent && keep.has(parent) && !keep.has(node.id)) {
        keep.add(node.id);
        grew = true;
      }
    }
  }
  return { ...graph, nodes: graph.nodes.filter((n) => keep.has(n.id)), edges: graph.edges.filter((e) => keep.has(e.source) && keep.has(e.target) && e.source !== nodeId) };
}
