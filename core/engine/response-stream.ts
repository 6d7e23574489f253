import type { TextChunkData } from "./events";
import type { CompiledGraph } from "./compiled-graph";
import { valueToText, type TemplateSegment } from "./template";
import type { VariableReader } from "./variable-pool";

/**
 * Orders answer / end output like Dify's ResponseStreamCoordinator. A response node's session
 * opens once the node is certain to run (a path of taken edges, or of not-yet-decided edges out of
 * non-branch nodes, reaches it from a node that ran). The open session at the head streams its
 * template in order: literal text at once, a variable as its node streams chunks or finishes.
 * Sessions never interleave; the next one starts when the head has emitted every segment.
 */

export interface ResponseStreamState {
  sessions: Record<string, { position: number; opened: boolean; done: boolean }>;
  queue: string[];
}

type NodeStatusLookup = (nodeId: string) => "pending" | "running" | "finished" | "skipped";
type EdgeStateLookup = (edgeIndex: number) => "unknown" | "taken" | "skipped";

const RESERVED = new Set(["sys", "env", "conversation"]);

export class ResponseStreamCoordinator {
  private readonly templates = new Map<string, TemplateSegment[]>();
  private readonly state: ResponseStreamState;
  /** Chunks per `node.var`, with how many of them were already emitted. */
  private readonly buffers = new Map<string, { chunks: string[]; emitted: number }>();

  constructor(
    private readonly graph: CompiledGraph,
    responseNodes: Array<{ id: string; template: TemplateSegment[] }>,
    private readonly pool: () => VariableReader,
    private readonly emit: (data: TextChunkData) => void,
    state?: ResponseStreamState,
  ) {
    for (const { id, template } of responseNodes) this.templates.set(id, template);
    this.state = state ? structuredClone(state) : { sessions: {}, queue: [] };
    for (const { id } of responseNodes) this.state.sessions[id] ??= { position: 0, opened: false, done: false };
  }

  get active(): boolean {
    return this.templates.size > 0;
  }

  dump(): ResponseStreamState {
    const sessions: ResponseStreamState["sessions"] = {};
    for (const [id, session] of Object.entries(this.state.sessions)) sessions[id] = { ...session };
    return { sessions, queue: [...this.state.queue] };
  }

  /** Call after any node or edge state change. */
  update(nodeStatus: NodeStatusLookup, edgeState: EdgeStateLookup): void {
    if (!this.active) return;
    const memo = new Map<string, boolean>();
    for (const [id, session] of Object.entries(this.state.sessions)) {
      if (session.opened || session.done) continue;
      if (nodeStatus(id) === "skipped") {
        session.done = true;
        continue;
      }
      if (this.certain(id, nodeStatus, edgeState, memo, new Set())) {
        session.opened = true;
        this.state.queue.push(id);
      }
    }
    this.advance(nodeStatus);
  }

  chunk(nodeId: string, variable: string, text: string, nodeStatus: NodeStatusLookup): void {
    if (!this.active) return;
    const key = `${nodeId}.${variable}`;
    const buffer = this.buffers.get(key) ?? { chunks: [], emitted: 0 };
    buffer.chunks.push(text);
    this.buffers.set(key, buffer);
    this.advance(nodeStatus);
  }

  /** The response node itself ran: whatever is left of its template is emitted now. */
  responseNodeRan(nodeId: string, nodeStatus: NodeStatusLookup): void {
    const session = this.state.sessions[nodeId];
    if (!session || session.done) return;
    if (!session.opened) {
      session.opened = true;
      this.state.queue.push(nodeId);
    }
    this.advance(nodeStatus, nodeId);
  }

  private advance(nodeStatus: NodeStatusLookup, forceNodeId?: string): void {
    while (this.state.queue.length) {
      const head = this.state.queue[0];
      const session = this.state.sessions[head];
      const template = this.templates.get(head)!;
      const force = head === forceNodeId || nodeStatus(head) === "finished";
      while (session.position < template.length) {
        const segment = template[session.position];
        if (segment.kind === "text") {
          if (segment.text) this.emit({ text: segment.text, from_variable_selector: null });
          session.position++;
          continue;
        }
        const [source, variable] = segment.selector;
        const buffer = this.buffers.get(`${source}.${variable}`);
        if (buffer && segment.selector.length === 2) {
          for (; buffer.emitted < buffer.chunks.length; buffer.emitted++) this.emit({ text: buffer.chunks[buffer.emitted], from_variable_selector: segment.selector });
        }
        const sourceDone = RESERVED.has(source) || nodeStatus(source) === "finished";
        if (!sourceDone && !force) return;
        if (!buffer || buffer.chunks.length === 0 || segment.selector.length !== 2) {
          const value = this.pool().get(segment.selector);
          // Same text the answer node renders: an unresolved reference stays literal.
          const text = value === undefined ? segment.raw : valueToText(value);
          if (text) this.emit({ text, from_variable_selector: segment.selector });
        }
        session.position++;
      }
      session.done = true;
      this.state.queue.shift();
    }
  }

  /** Will `nodeId` run? True once a chain of decided-or-certain edges reaches it from a node that ran. */
  private certain(nodeId: string, nodeStatus: NodeStatusLookup, edgeState: EdgeStateLookup, memo: Map<string, boolean>, visiting: Set<string>): boolean {
    const cached = memo.get(nodeId);
    if (cached !== undefined) return cached;
    if (visiting.has(nodeId)) return false;
    visiting.add(nodeId);
    const status = nodeStatus(nodeId);
    let result = status === "running" || status === "finished";
    if (!result && status !== "skipped") {
      const node = this.graph.nodes.get(nodeId)!;
      result = node.incoming.some((edge) => {
        const state = edgeState(edge.index);
        if (state === "taken") return true;
        if (state === "skipped") return false;
        const source = this.graph.nodes.get(edge.source)!;
        return !source.isBranch && this.certain(edge.source, nodeStatus, edgeState, memo, visiting);
      });
    }
    visiting.delete(nodeId);
    memo.set(nodeId, result);
    return result;
  }
}
