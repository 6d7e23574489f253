/**
 * A run as the editor shows it, folded from the stream's events: each node's status and timing
 * (what lights the canvas up), the per-node details for the run panel, and the run's result.
 */
import type { RunEvent } from "./run-stream";

export type NodeRunStatus = "running" | "succeeded" | "failed" | "exception" | "stopped" | "retry" | "skipped";

export interface NodeRun {
  node_id: string;
  title: string;
  node_type: string;
  status: NodeRunStatus;
  /** Seconds, as the server reports it once the node finishes. */
  elapsed_time?: number;
  /** When the editor heard of its start (ms); only a running node's bar uses it. */
  started_at: number;
  /** The node whose end started this one, as the run reports it (`predecessor_node_id`). */
  predecessor_node_id?: string | null;
  /** The iteration or loop it ran inside. */
  container_id?: string | null;
  inputs?: Record<string, unknown> | null;
  process_data?: Record<string, unknown> | null;
  outputs?: Record<string, unknown> | null;
  error?: string | null;
}

export interface RunView {
  run_id?: string;
  status: "idle" | "running" | "succeeded" | "failed" | "stopped" | "partial-succeeded";
  /** Per node, the latest execution (a node inside an iteration runs more than once). */
  nodes: Record<string, NodeRun>;
  /** Execution order, for the trace list. */
  order: string[];
  outputs?: Record<string, unknown>;
  error?: string | null;
  elapsed_time?: number;
  total_tokens?: number;
  /** Text streamed by answer nodes (chatflows) or text chunks. */
  text: string;
}

export const IDLE_RUN: RunView = { status: "idle", nodes: {}, order: [], text: "" };

/** Where a node's bar sits on the run's timeline: its start after the run's first node, and its share of the run's span. */
export interface TraceBar {
  offsetMs: number;
  durationMs: number;
  /** Percent of the span before the bar. */
  left: number;
  /** Percent of the span the bar covers (at least a sliver, so an instant node still shows). */
  width: number;
}

/**
 * The run as a timeline (a Gantt row per node), on the run's own clock: a node starts when the node
 * that started it (its `predecessor_node_id`) ended — or with its iteration or loop, or at 0 — and
 * lasts its `elapsed_time`, so parallel branches overlap and a long node pushes the ones after it
 * to the right. (The stream's arrival times would add the network's delays to every bar.) A node
 * still running reaches `now`.
 */
export function traceTimeline(run: RunView, now = Date.now()): Record<string, TraceBar> {
  const durationOf = (node: NodeRun) => (node.elapsed_time !== undefined ? node.elapsed_time * 1000 : node.status === "running" ? Math.max(0, now - node.started_at) : 0);
  const starts = new Map<string, number>();
  const visiting = new Set<string>();
  const startOf = (id: string): number => {
    const known = starts.get(id);
    if (known !== undefined) return known;
    const node = run.nodes[id];
    let start = 0;
    if (node && !visiting.has(id)) {
      visiting.add(id);
      const predecessor = node.predecessor_node_id ? run.nodes[node.predecessor_node_id] : undefined;
      if (predecessor) start = startOf(predecessor.node_id) + durationOf(predecessor);
      else if (node.container_id && run.nodes[node.container_id]) start = startOf(node.container_id);
      visiting.delete(id);
    }
    starts.set(id, start);
    return start;
  };
  const spans = run.order.filter((id) => run.nodes[id]).map((id) => ({ id, start: startOf(id), duration: durationOf(run.nodes[id]!) }));
  if (!spans.length) return {};
  const total = Math.max(1, ...spans.map((span) => span.start + span.duration));
  return Object.fromEntries(
    spans.map(({ id, start, duration }) => {
      const left = Math.min((100 * start) / total, 99.5);
      return [id, { offsetMs: start, durationMs: duration, left, width: Math.max(0.5, Math.min((100 * duration) / total, 100 - left)) }];
    }),
  );
}

type Data = Record<string, unknown>;

const containerOf = (data: Data): string | null => (typeof data.iteration_id === "string" && data.iteration_id ? data.iteration_id : typeof data.loop_id === "string" && data.loop_id ? data.loop_id : null);

/** The run after one more event; returns the same object when the event changes nothing. */
export function applyRunEvent(run: RunView, event: RunEvent, now = Date.now()): RunView {
  const data = (event.data ?? {}) as Data;
  const nodeId = typeof data.node_id === "string" ? data.node_id : "";
  switch (event.event) {
    case "workflow_started":
      return { ...IDLE_RUN, status: "running", run_id: event.workflow_run_id ?? String(data.id ?? "") };
    case "node_started":
    case "iteration_started":
    case "loop_started": {
      if (!nodeId) return run;
      const previous = run.nodes[nodeId];
      const node: NodeRun = {
        node_id: nodeId,
        title: String(data.title ?? nodeId),
        node_type: String(data.node_type ?? ""),
        status: "running",
        started_at: previous?.status === "running" ? previous.started_at : now,
        predecessor_node_id: typeof data.predecessor_node_id === "string" ? data.predecessor_node_id : (previous?.predecessor_node_id ?? null),
        container_id: containerOf(data) ?? previous?.container_id ?? null,
        inputs: (data.inputs as Data | null) ?? previous?.inputs,
      };
      return { ...run, nodes: { ...run.nodes, [nodeId]: node }, order: run.order.includes(nodeId) ? run.order : [...run.order, nodeId] };
    }
    case "node_finished":
    case "node_retry":
    case "iteration_completed":
    case "loop_completed": {
      if (!nodeId) return run;
      const previous = run.nodes[nodeId];
      const node: NodeRun = {
        node_id: nodeId,
        title: String(data.title ?? previous?.title ?? nodeId),
        node_type: String(data.node_type ?? previous?.node_type ?? ""),
        status: (event.event === "node_retry" ? "retry" : String(data.status ?? "succeeded")) as NodeRunStatus,
        started_at: previous?.started_at ?? now,
        predecessor_node_id: typeof data.predecessor_node_id === "string" ? data.predecessor_node_id : (previous?.predecessor_node_id ?? null),
        container_id: containerOf(data) ?? previous?.container_id ?? null,
        elapsed_time: typeof data.elapsed_time === "number" ? data.elapsed_time : undefined,
        inputs: (data.inputs as Data | null) ?? previous?.inputs,
        process_data: (data.process_data as Data | null) ?? null,
        outputs: (data.outputs as Data | null) ?? null,
        error: (data.error as string | null) ?? null,
      };
      return { ...run, nodes: { ...run.nodes, [nodeId]: node }, order: run.order.includes(nodeId) ? run.order : [...run.order, nodeId] };
    }
    case "text_chunk":
    case "message":
      return { ...run, text: run.text + String(data.text ?? (event as { answer?: string }).answer ?? "") };
    case "message_replace":
      // Content moderation replaced the answer.
      return { ...run, text: String((event as { answer?: string }).answer ?? "") };
    case "message_end":
      // A chat turn answered without a workflow run (moderation's preset reply, an annotation)
      // ends here; otherwise `workflow_finished` follows and says how the run ended.
      return run.run_id || run.status !== "running" ? run : { ...run, status: "succeeded" };
    case "workflow_finished":
      return {
        ...run,
        status: (String(data.status ?? "succeeded") as RunView["status"]) ?? "succeeded",
        outputs: (data.outputs as Data) ?? {},
        error: (data.error as string | null) ?? null,
        elapsed_time: typeof data.elapsed_time === "number" ? data.elapsed_time : undefined,
        total_tokens: typeof data.total_tokens === "number" ? data.total_tokens : undefined,
      };
    case "error":
      return { ...run, status: "failed", error: String((event as { message?: string }).message ?? data.message ?? "The run failed") };
    default:
      return run;
  }
}

/** Nodes still marked running when the run ends did not finish (stopped or failed elsewhere). */
export function settleRun(run: RunView): RunView {
  if (run.status === "running") return run;
  const nodes = { ...run.nodes };
  for (const [id, node] of Object.entries(nodes)) if (node.status === "running") nodes[id] = { ...node, status: "stopped" };
  return { ...run, nodes };
}
