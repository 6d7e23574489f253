/**
 * Helpers for tests of the engine and of nodes: compact graph building, a fake clock, counting
 * ids, a sleep that records instead of waiting, and a run that collects its events.
 */
import type { WorkflowGraph } from "../../dsl";
import type { WorkflowEvent } from "../events";
import type { Clock, Ids, Sleep } from "../node-ports";
import { runWorkflow, type RunResult, type RunWorkflowOptions } from "../workflow-engine";

export type NodeSpec = { id: string; parentId?: string } & Record<string, unknown> & { type: string };
export type EdgeSpec = [source: string, target: string, sourceHandle?: string];

/** `{id, type, ...data}` entries and `[source, target, handle?]` edges to Dify graph JSON. */
export function buildGraph(nodes: NodeSpec[], edges: EdgeSpec[]): WorkflowGraph {
  return {
    nodes: nodes.map(({ id, parentId, ...data }) => ({
      id,
      type: "custom",
      position: { x: 0, y: 0 },
      ...(parentId ? { parentId } : {}),
      data: { title: id, version: "1", ...data },
    })) as WorkflowGraph["nodes"],
    edges: edges.map(([source, target, sourceHandle], index) => ({ id: `e${index}`, source, target, sourceHandle: sourceHandle ?? "source", targetHandle: "target" })),
    viewport: { x: 0, y: 0, zoom: 1 },
  };
}

export function fakeClock(start = 1_700_000_000_000): Clock & { advance(ms: number): void } {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms) };
}

export function countingIds(prefix = "id"): Ids {
  let next = 0;
  return { uuid: () => `${prefix}-${++next}` };
}

/** Resolves at once and records the requested delays. */
export function recordingSleep(): Sleep & { calls: number[] } {
  const calls: number[] = [];
  const sleep = ((ms: number) => {
    calls.push(ms);
    return Promise.resolve();
  }) as Sleep & { calls: number[] };
  sleep.calls = calls;
  return sleep;
}

export async function runCollecting(options: RunWorkflowOptions): Promise<{ result: RunResult; events: WorkflowEvent[] }> {
  const events: WorkflowEvent[] = [];
  const result = await runWorkflow({
    clock: fakeClock(),
    ids: countingIds(),
    sleep: recordingSleep(),
    ...options,
    onEvent: (event) => {
      events.push(event);
      options.onEvent?.(event);
    },
  });
  return { result, events };
}

/** Node ids in the order their `node_finished` events came, with statuses. */
export function finishedNodes(events: WorkflowEvent[]): Array<[string, string]> {
  return events.flatMap((event) => (event.type === "node_finished" ? [[event.data.node_id, event.data.status] as [string, string]] : []));
}

/** The streamed text, concatenated. */
export function streamedText(events: WorkflowEvent[]): string {
  return events.map((event) => (event.type === "text_chunk" ? event.data.text : "")).join("");
}

/** Lets pending promise callbacks run (a macrotask turn). */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));
