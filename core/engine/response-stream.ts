import type { TextChunkData } from "./events";
import type { CompiledGraph } from "./compiled-graph";
import { valueToText, type TemplateSegment } from "./template";
import type { VariableReader } from "./variable-pool";

/**
 * Orders answer / end output like Dify's ResponseStreamCoordinator. A response node's session
 * opens once the node is certain to run (a path of taken edges, or of not-yet-decided edges out of
 * non-branch nodes, reaches it from a node that ran). The open session at the head streams its
 * template in order: literal text at once, a variable as its node streams chunks or finishes.
 * Sessions never interleave; the next one starts when the head has emitted every segment, and an
 * answer downstream of another answer waits for it, so text follows the graph's order.
 */

export interface ResponseStreamState {
  /** `cursor`: chunks of the current variable segment already emitted (each reference replays from 0). */
  sessions: Record<string, { position: number; opened: boolean; done: boolean; cursor?: number }>;
  queue: string[];
}

type NodeStatusLookup = (nodeId: string) => "pending" | "running" | "finished" | "skipped";
type EdgeStateLookup = (edgeIndex: number) => "unknown" | "taken" | "skipped";

const RESERVED = new Set(["sys", "env", "conversation"]);

export class ResponseStreamCoordinator {
  private readonly templates = new Map<string, TemplateSegment[]>();
  private readonly state: ResponseStreamState;
  /** For each response node, the response nodes upstream of it: their text must come first. */
  private readonly upstreamResponses = new Map<string, string[]>();
  /** For each response node, the upstream nodes that may write conversation variables. */
  private readonly upstreamWriters = new Map<string, string[]>();
  /** Chunks streamed so far per `node.var`. */
  private readonly buffers = new Map<string, string[]>();

  constructor(
    private readonly graph: CompiledGraph,
    responseNodes: Array<{ id: string; template: TemplateSegment[] }>,
    private readonly pool: () => VariableReader,
    private readonly emit: (data: TextChunkData) => void,
    state?: ResponseStreamState,
    /** Containers with answers inside: answers after them wait until they finish. */
    private readonly blockers: ReadonlySet<string> = new Set(),
  ) {
    for (const { id, template } of responseNodes) this.templates.set(id, template);
    this.state = state ? structuredClone(state) : { sessions: {}, queue: [] };
    for (const { id } of responseNodes) this.state.sessions[id] ??= { position: 0, opened: false, done: false };
    for (const { id } of responseNodes) {
      const upstream = this.upstreamOf(id);
      this.upstreamResponses.set(id, upstream.filter((other) => this.templates.has(other) || blockers.has(other)));
      this.upstreamWriters.set(id, upstream.filter((other) => writesVariables(graph, other)));
    }
  }

  private upstreamOf(nodeId: string): string[] {
    const seen = new Set<string>();
    const pending = [nodeId];
    while (pending.length) {
      for (const edge of this.graph.nodes.get(pending.pop()!)!.incoming) {
        if (!seen.has(edge.source)) {
          seen.add(edge.source);
          pending.push(edge.source);
        }
      }
    }
    return [...seen];
  }

  /** The session to stream next: the one already under way, else the first whose upstream answers are done. */
  private nextHead(nodeStatus: NodeStatusLookup): string | undefined {
    const queue = this.state.queue;
    const started = queue.find((id) => this.state.sessions[id].position > 0 || (this.state.sessions[id].cursor ?? 0) > 0);
    if (started) return started;
    const settled = (upstream: string) =>
      this.templates.has(upstream) ? this.state.sessions[upstream].done : nodeStatus(upstream) === "finished" || nodeStatus(upstream) === "skipped";
    return queue.find((id) => this.upstreamResponses.get(id)!.every(settled));
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
    const buffer = this.buffers.get(key);
    if (buffer) buffer.push(text);
    else this.buffers.set(key, [text]);
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
    for (let head = this.nextHead(nodeStatus); head !== undefined; head = this.nextHead(nodeStatus)) {
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
        const buffer = segment.selector.length === 2 ? this.buffers.get(`${source}.${variable}`) : undefined;
        if (buffer) {
          let cursor = session.cursor ?? 0;
          for (; cursor < buffer.length; cursor++) this.emit({ text: buffer[cursor], from_variable_selector: segment.selector });
          session.cursor = cursor;
        }
        const sourceDone =
          source === "conversation"
            ? this.upstreamWriters.get(head)!.every((writer) => nodeStatus(writer) === "finished" || nodeStatus(writer) === "skipped")
            : RESERVED.has(source) || nodeStatus(source) === "finished";
        if (!sourceDone && !force) return;
        if (!buffer || buffer.length === 0) {
          const value = this.pool().get(segment.selector);
          // Same text the answer node renders: an unresolved reference stays literal.
          const text = value === undefined ? segment.raw : valueToText(value);
          if (text) this.emit({ text, from_variable_selector: segment.selector });
        }
        session.position++;
        session.cursor = 0;
      }
      session.done = true;
      this.state.queue.splice(this.state.queue.indexOf(head), 1);
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

/**
 * Answers inside an iteration or loop stream their whole text when they run, once per round
 * (the coordinator above orders top-level answers only).
 */
export function emitRenderedTemplate(template: TemplateSegment[], pool: VariableReader, emit: (data: TextChunkData) => void): void {
  for (const segment of template) {
    if (segment.kind === "text") {
      if (segment.text) emit({ text: segment.text, from_variable_selector: null });
      continue;
    }
    const value = pool.get(segment.selector);
    const text = value === undefined ? segment.raw : valueToText(value);
    if (text) emit({ text, from_variable_selector: segment.selector });
  }
}

/** An assigner, or a container with one inside: conversation variables may change when it runs. */
function writesVariables(graph: CompiledGraph, nodeId: string): boolean {
  const node = graph.nodes.get(nodeId);
  if (!node?.definition) return false;
  if (node.definition.writesVariables) return true;
  return node.definition.isContainer === true && graph.scope(nodeId).nodeIds.some((child) => writesVariables(graph, child));
}
