import type { CompiledNode, GraphScope } from "./compiled-graph";
import type { ChildRunOptions, ChildRunResult } from "./node-contract";
import { executeNode, type ExecutionScope, type NodeOutcome } from "./node-executor";
import { emitRenderedTemplate } from "./response-stream";
import type { RunContext } from "./run-context";
import type { VariablePool } from "./variable-pool";

/**
 * Dify's v1.9+ scheduler for one graph level (the top level, or one iteration / loop round).
 * Edges go unknown → taken | skipped. A node is ready when none of its incoming edges is unknown
 * and at least one is taken; when all are skipped it is skipped and the skip propagates. Ready
 * nodes run concurrently as promises, up to `maxConcurrency`.
 */

export type NodeStatus = "pending" | "running" | "succeeded" | "exception" | "failed" | "skipped" | "stopped";
export type EdgeState = "unknown" | "taken" | "skipped";

const UNKNOWN = 0;
const TAKEN = 1;
const SKIPPED = 2;
const EDGE_STATES: EdgeState[] = ["unknown", "taken", "skipped"];

export interface ScopeOutcome {
  status: "succeeded" | "failed" | "stopped";
  error?: string;
  error_type?: string;
  loopBreak: boolean;
}

export interface ScopeHooks {
  onNodeStarted?(nodeId: string): void;
  onOutputsReady?(nodeId: string): void;
  onNodeFinished?(nodeId: string): void;
  onChunk?(nodeId: string, variable: string, text: string): void;
}

export interface ScopeRestore {
  nodes: Record<string, NodeStatus>;
  edges: Record<string, EdgeState>;
}

export class ScopeRun implements ExecutionScope {
  readonly nodeStatus = new Map<string, NodeStatus>();
  private readonly edgeStates: Uint8Array;
  private readonly ready: Array<{ id: string; predecessor: string | null }> = [];
  private readonly controller = new AbortController();
  private active = 0;
  private outcome: ScopeOutcome | undefined;
  private resolve: ((outcome: ScopeOutcome) => void) | undefined;

  constructor(
    readonly shared: RunContext,
    private readonly scopeInfo: GraphScope,
    readonly pool: VariablePool,
    readonly container: ExecutionScope["container"],
    private readonly hooks: ScopeHooks = {},
    parentSignal: AbortSignal = shared.signal,
  ) {
    this.edgeStates = new Uint8Array(shared.graph.graph.edges.length);
    this.parentSignal = parentSignal;
  }

  private readonly parentSignal: AbortSignal;
  private readonly onParentAbort = () => this.controller.abort(this.parentSignal.reason);

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  edgeState(index: number): EdgeState {
    return EDGE_STATES[this.edgeStates[index]];
  }

  /** Edge states by edge index, for snapshots. */
  dumpEdges(): Record<string, EdgeState> {
    const out: Record<string, EdgeState> = {};
    for (const edge of this.shared.graph.edges) if (this.edgeStates[edge.index] !== UNKNOWN) out[edge.index] = this.edgeState(edge.index);
    return out;
  }

  run(restore?: ScopeRestore): Promise<ScopeOutcome> {
    const graph = this.shared.graph;
    const root = this.scopeInfo.root;
    for (const id of this.scopeInfo.nodeIds) this.nodeStatus.set(id, "pending");
    if (restore) {
      for (const [index, state] of Object.entries(restore.edges)) this.edgeStates[Number(index)] = EDGE_STATES.indexOf(state);
      // A node that was running when the snapshot was taken runs again.
      for (const [id, status] of Object.entries(restore.nodes)) if (this.nodeStatus.has(id)) this.nodeStatus.set(id, status === "running" ? "pending" : status);
      if (root && this.nodeStatus.get(root) === "pending") this.ready.push({ id: root, predecessor: null });
      for (const id of this.scopeInfo.nodeIds) if (id !== root) this.evaluate(id, null);
    } else {
      if (!root) return Promise.resolve({ status: "failed", error: "The graph has no start node", error_type: "GraphError", loopBreak: false });
      this.ready.push({ id: root, predecessor: null });
      // Dify runs only from the root; other entry points are skipped, and so is what only they reach.
      for (const id of this.scopeInfo.nodeIds) if (id !== root && graph.nodes.get(id)!.incoming.length === 0) this.skip(id);
    }
    if (this.parentSignal.aborted) this.controller.abort(this.parentSignal.reason);
    else this.parentSignal.addEventListener("abort", this.onParentAbort, { once: true });
    const onAbort = () => this.pump();
    this.controller.signal.addEventListener("abort", onAbort, { once: true });
    return new Promise<ScopeOutcome>((resolve) => {
      this.resolve = resolve;
      this.pump();
    }).finally(() => {
      // Loop rounds create many scopes on one parent signal: do not leave listeners behind.
      this.parentSignal.removeEventListener("abort", this.onParentAbort);
      this.controller.signal.removeEventListener("abort", onAbort);
    });
  }

  private pump(): void {
    if (this.controller.signal.aborted && !this.outcome) {
      const halt = this.shared.halt;
      this.outcome = { status: halt?.status ?? "stopped", error: halt?.error ?? "Workflow execution stopped", error_type: halt?.error_type ?? "StoppedError", loopBreak: false };
    }
    while (!this.outcome && this.ready.length && this.active < this.shared.limits.maxConcurrency) {
      const { id, predecessor } = this.ready.shift()!;
      this.start(id, predecessor);
    }
    if (this.active === 0 && (this.outcome || this.ready.length === 0) && this.resolve) {
      const resolve = this.resolve;
      this.resolve = undefined;
      resolve(this.outcome ?? { status: "succeeded", loopBreak: false });
    }
  }

  private start(id: string, predecessor: string | null): void {
    const node = this.shared.graph.nodes.get(id)!;
    this.nodeStatus.set(id, "running");
    this.active++;
    this.hooks.onNodeStarted?.(id);
    executeNode(this, node, predecessor)
      .then((outcome) => this.complete(node, outcome))
      // Only infrastructure faults land here (a throwing event listener or checkpoint hook).
      .catch((error: unknown) => this.fail(error instanceof Error ? error.message : String(error), "EngineError"))
      .finally(() => {
        this.active--;
        this.pump();
      });
  }

  private complete(node: CompiledNode, outcome: NodeOutcome): void {
    if (outcome.kind === "stopped") {
      this.nodeStatus.set(node.id, "stopped");
      return;
    }
    if (outcome.kind === "failed") {
      this.nodeStatus.set(node.id, "failed");
      this.fail(outcome.error, outcome.error_type);
      return;
    }
    // Edges were decided in `outputsReady`, before `node_finished` went out.
    this.nodeStatus.set(node.id, outcome.status);
    if (outcome.loopBreak && !this.outcome) this.outcome = { status: "succeeded", loopBreak: true };
    this.hooks.onNodeFinished?.(node.id);
  }

  private fail(error: string, error_type: string): void {
    if (!this.outcome) this.outcome = { status: "failed", error, error_type, loopBreak: false };
    // Siblings still running are cancelled: the level has failed.
    this.controller.abort(new Error(error));
  }

  private evaluate(id: string, predecessor: string | null): void {
    if (this.nodeStatus.get(id) !== "pending") return;
    let taken = false;
    for (const edge of this.shared.graph.nodes.get(id)!.incoming) {
      const state = this.edgeStates[edge.index];
      if (state === UNKNOWN) return;
      if (state === TAKEN) taken = true;
    }
    if (taken) {
      if (!this.ready.some((entry) => entry.id === id)) this.ready.push({ id, predecessor });
    } else if (this.shared.graph.nodes.get(id)!.incoming.length > 0) this.skip(id);
  }

  private skip(first: string): void {
    const pending = [first];
    while (pending.length) {
      const id = pending.pop()!;
      if (this.nodeStatus.get(id) !== "pending") continue;
      this.nodeStatus.set(id, "skipped");
      for (const edge of this.shared.graph.nodes.get(id)!.outgoing) {
        this.edgeStates[edge.index] = SKIPPED;
        const target = this.shared.graph.nodes.get(edge.target)!;
        if (target.incoming.every((incoming) => this.edgeStates[incoming.index] === SKIPPED)) pending.push(edge.target);
        else this.evaluate(edge.target, null);
      }
    }
  }

  outputsReady(nodeId: string, handles: "all" | ReadonlySet<string>): void {
    const node = this.shared.graph.nodes.get(nodeId)!;
    for (const edge of node.outgoing) this.edgeStates[edge.index] = handles === "all" || handles.has(edge.handle) ? TAKEN : SKIPPED;
    for (const edge of node.outgoing) this.evaluate(edge.target, node.id);
    this.hooks.onOutputsReady?.(nodeId);
  }

  chunk(nodeId: string, variable: string, text: string): void {
    this.hooks.onChunk?.(nodeId, variable, text);
  }

  /** One round of a container's child graph, on a fork of this level's pool. */
  async runChild(container: CompiledNode, options: ChildRunOptions): Promise<ChildRunResult> {
    const fork = this.pool.fork();
    const conversationBefore = this.pool.getNode("conversation") ?? {};
    for (const [nodeId, variables] of Object.entries(options.seed)) fork.setOutputs(nodeId, variables);
    const kind = container.type === "loop" ? "loop" : "iteration";
    const index = options.iterationIndex ?? options.loopIndex ?? 0;
    const stepsBefore = this.shared.steps;
    const tokensBefore = this.shared.totalTokens;
    const hooks: ScopeHooks = {
      onOutputsReady: (nodeId) => {
        const node = this.shared.graph.nodes.get(nodeId)!;
        if (node.definition?.responseTemplate && node.config.ok) {
          emitRenderedTemplate(node.definition.responseTemplate(node.config.value), fork, (data) => this.shared.emit({ type: "text_chunk", data }));
          this.shared.onResponseOutputs?.(fork.getNode(nodeId) ?? {});
        }
      },
    };
    const child = new ScopeRun(this.shared, this.shared.graph.scope(container.id), fork, { id: container.id, kind, index }, hooks, this.signal);
    const outcome = await child.run();
    // Conversation variables written inside the round belong to the conversation, not the round.
    // Only the keys this round changed go back, so parallel rounds writing different keys both land.
    if (fork.ownNodeIds().includes("conversation")) {
      const changed: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(fork.getNode("conversation") ?? {})) if (value !== conversationBefore[name]) changed[name] = value;
      this.pool.setOutputs("conversation", changed);
    }
    return {
      status: outcome.status,
      error: outcome.error,
      error_type: outcome.error_type,
      pool: fork,
      loopBreak: outcome.loopBreak,
      steps: this.shared.steps - stepsBefore,
      totalTokens: this.shared.totalTokens - tokensBefore,
    };
  }
}
