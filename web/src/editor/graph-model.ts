/**
 * The canvas edits Dify's graph JSON directly: a React Flow node *is* a Dify node (`id`, `type:
 * "custom"`, `position`, `data`), an edge is a Dify edge. These helpers only strip what React Flow
 * adds while editing (selection, measurements) so the saved graph is exactly what the engine runs.
 */
import { CHILD_EXTENT, CHILD_Z_INDEX, CONTAINER_SIZE, isContainerStart, isContainerType, remapContainerIds } from "./containers";
import type { NodeData } from "./node-catalog";

export interface FlowNode {
  id: string;
  type?: string;
  position: { x: number; y: number };
  data: NodeData;
  parentId?: string;
  selected?: boolean;
  dragging?: boolean;
  measured?: { width?: number; height?: number };
  width?: number;
  height?: number;
  [key: string]: unknown;
}

/**
 * Where the top-level nodes lie, from the sizes saved with the draft (before React Flow has
 * measured anything); null when a node has no saved size, so only a measurement can tell.
 */
export function savedBounds(nodes: FlowNode[]): { x: number; y: number; width: number; height: number } | null {
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const node of nodes) {
    if (node.parentId) continue;
    const width = node.measured?.width ?? node.width ?? node.initialWidth;
    const height = node.measured?.height ?? node.height ?? node.initialHeight;
    if (typeof width !== "number" || typeof height !== "number" || !(width > 0) || !(height > 0)) return null;
    left = Math.min(left, node.position.x);
    top = Math.min(top, node.position.y);
    right = Math.max(right, node.position.x + width);
    bottom = Math.max(bottom, node.position.y + height);
  }
  return left === Infinity ? null : { x: left, y: top, width: right - left, height: bottom - top };
}

export interface FlowEdge {
  id: string;
  source: string;
  target: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
  type?: string;
  data?: Record<string, unknown>;
  selected?: boolean;
  [key: string]: unknown;
}

export interface DifyGraph {
  nodes: FlowNode[];
  edges: FlowEdge[];
  viewport?: { x: number; y: number; zoom: number };
}

/**
 * Whether two versions of the node list differ only where nodes sit, how big they are and what is
 * selected — nothing validation reads. Dragging or measuring nodes then costs no re-validation.
 */
export function sameStructure(a: readonly FlowNode[], b: readonly FlowNode[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  return a.every((node, index) => node.id === b[index].id && node.data === b[index].data && node.parentId === b[index].parentId);
}

/** A new note's size, as Dify's. */
export const NOTE_SIZE = { width: 240, height: 88 };

const numberOr = (value: unknown, fallback: number) => (typeof value === "number" && value > 0 ? value : fallback);

/** Fields React Flow adds while editing; none of them belong in the saved graph. */
const TRANSIENT_NODE_KEYS = ["selected", "dragging", "measured", "resizing", "internals", "positionAbsolute", "width", "height", "initialWidth", "initialHeight"];
const TRANSIENT_EDGE_KEYS = ["selected", "animated", "className", "style"];

/**
 * Dify stores `width`/`height` on nodes, but React Flow 12 treats those as fixed sizes. A plain
 * node's saved size becomes its `measured` size instead (the canvas still measures it, and
 * `toDify` writes the measurement back); containers and notes keep theirs as fixed sizes.
 */
export function toFlow(graph: { nodes?: unknown[]; edges?: unknown[] } | null | undefined): { nodes: FlowNode[]; edges: FlowEdge[] } {
  const nodes = (graph?.nodes ?? []).map((raw) => {
    const node = { ...(raw as FlowNode) };
    node.type = node.type ?? "custom";
    node.position = node.position ?? { x: 0, y: 0 };
    node.data = { ...(node.data ?? { type: "", title: "" }) } as NodeData;
    // A container's size is its own (it grows with its children), not a measurement.
    if (isContainerType(node.data.type)) {
      node.width = numberOr(node.width ?? node.data.width, CONTAINER_SIZE.width);
      node.height = numberOr(node.height ?? node.data.height, CONTAINER_SIZE.height);
    } else if (node.type === "custom-note") {
      // A note's size is the one its author gave it.
      node.width = numberOr(node.width ?? node.data.width, NOTE_SIZE.width);
      node.height = numberOr(node.height ?? node.data.height, NOTE_SIZE.height);
    } else {
      // The saved size (Dify's `width`/`height`, measured when it was saved) is taken as measured:
      // React Flow shows a node of known size at once instead of hiding it until measured, and
      // when its measurement agrees (the editor saved that size) it reports no change, so a freshly
      // opened graph is not handed back and drawn a third time.
      if (typeof node.width === "number" && typeof node.height === "number" && node.width > 0 && node.height > 0) {
        node.measured = { width: node.width, height: node.height };
      }
      delete node.width;
      delete node.height;
    }
    delete node.selected;
    return node;
  });
  const containers = new Set(nodes.filter((n) => isContainerType(n.data.type)).map((n) => n.id));
  for (const node of nodes) {
    if (!node.parentId || !containers.has(node.parentId)) continue;
    node.extent = CHILD_EXTENT;
    node.zIndex = CHILD_Z_INDEX;
    if (isContainerStart(node.data.type)) {
      node.type = node.data.type === "loop-start" ? "custom-loop-start" : "custom-iteration-start";
      node.selectable = false;
      node.draggable = false;
    }
  }
  // React Flow needs a parent before its children.
  nodes.sort((a, b) => Number(Boolean(a.parentId)) - Number(Boolean(b.parentId)));
  const inside = new Set(nodes.filter((n) => n.parentId && containers.has(n.parentId)).map((n) => n.id));
  const edges = (graph?.edges ?? []).map((raw) => {
    const edge = { ...(raw as FlowEdge) };
    delete edge.selected;
    edge.type = edge.type ?? "custom";
    edge.sourceHandle = edge.sourceHandle ?? "source";
    edge.targetHandle = edge.targetHandle ?? "target";
    // Drawn above the container, or the container's body would hide it.
    if (inside.has(edge.source)) edge.zIndex = CHILD_Z_INDEX;
    return edge;
  });
  return { nodes, edges };
}

/** The graph to save, in Dify's shape. */
export function toDify(nodes: FlowNode[], edges: FlowEdge[], viewport: { x: number; y: number; zoom: number }): DifyGraph {
  return {
    nodes: nodes.map((node) => {
      const out: FlowNode = { ...node, data: { ...node.data, selected: false } };
      for (const key of TRANSIENT_NODE_KEYS) delete out[key];
      if (node.measured?.width) out.width = Math.round(node.measured.width);
      if (node.measured?.height) out.height = Math.round(node.measured.height);
      if ((isContainerType(node.data.type) || node.type === "custom-note") && typeof node.width === "number" && typeof node.height === "number") {
        out.width = node.width;
        out.height = node.height;
      }
      // The canvas's drag limits are its own; Dify saves a child's as "parent".
      if (node.parentId && node.extent) out.extent = "parent";
      return out;
    }),
    edges: edges.map((edge) => {
      const out: FlowEdge = { ...edge };
      for (const key of TRANSIENT_EDGE_KEYS) delete out[key];
      return out;
    }),
    viewport,
  };
}

export interface SourceHandle {
  id: string;
  label?: string;
}

/**
 * The handles a node's outgoing edges leave from, with the `sourceHandle` ids the engine expects:
 * one per if-else case (`case_id`) plus `"false"` for ELSE, one per classifier class id,
 * `success-branch` / `fail-branch` under the fail-branch error strategy, otherwise `source`.
 */
export function sourceHandles(data: NodeData): SourceHandle[] {
  if (data.type === "end" || data.type === "loop-end") return [];
  if (data.type === "if-else") {
    const cases = Array.isArray(data.cases) ? (data.cases as { case_id?: string }[]) : [];
    return [
      ...cases.map((c, index) => ({ id: String(c.case_id ?? index), label: index === 0 ? "IF" : "ELIF" })),
      { id: "false", label: "ELSE" },
    ];
  }
  if (data.type === "question-classifier") {
    const classes = Array.isArray(data.classes) ? (data.classes as { id?: string; name?: string }[]) : [];
    return classes.map((c, index) => ({ id: String(c.id ?? index), label: c.name || `Class ${index + 1}` }));
  }
  if (data.error_strategy === "fail-branch") {
    return [
      { id: "success-branch", label: "Success" },
      { id: "fail-branch", label: "Fail" },
    ];
  }
  return [{ id: "source" }];
}

/** Whether a node accepts incoming edges (start-type nodes do not). */
export function hasTargetHandle(data: NodeData): boolean {
  return !["start", "iteration-start", "loop-start", "trigger-webhook", "trigger-schedule", "trigger-plugin"].includes(data.type);
}

/** Dify's edge id format: `<source>-<handle>-<target>-target`. */
export function edgeId(source: string, sourceHandle: string, target: string): string {
  return `${source}-${sourceHandle}-${target}-target`;
}

/** A node id in Dify's style (millisecond timestamp), unique within the graph. */
export function newNodeId(taken: Set<string>, now = Date.now()): string {
  let id = now;
  while (taken.has(String(id))) id += 1;
  return String(id);
}

/** Every node from which `nodeId` can be reached by following edges (its upstream). */
export function upstreamNodeIds(nodeId: string, edges: Pick<FlowEdge, "source" | "target">[]): Set<string> {
  const incoming = new Map<string, string[]>();
  for (const edge of edges) incoming.set(edge.target, [...(incoming.get(edge.target) ?? []), edge.source]);
  const seen = new Set<string>();
  const stack = [...(incoming.get(nodeId) ?? [])];
  while (stack.length) {
    const id = stack.pop()!;
    if (seen.has(id) || id === nodeId) continue;
    seen.add(id);
    stack.push(...(incoming.get(id) ?? []));
  }
  return seen;
}

/** Copies of nodes (and the edges among them) with fresh ids, offset so they do not cover the originals. */
export function duplicate(nodes: FlowNode[], edges: FlowEdge[], taken: Set<string>, offset = 40): { nodes: FlowNode[]; edges: FlowEdge[] } {
  const ids = new Map<string, string>();
  const all = new Set(taken);
  let now = Date.now();
  for (const node of nodes) {
    if (isContainerStart(node.data.type) && node.parentId && nodes.some((n) => n.id === node.parentId)) continue;
    const id = newNodeId(all, now);
    all.add(id);
    now = Number(id) + 1;
    ids.set(node.id, id);
  }
  // A copied container's start node keeps Dify's naming, `<containerId>start`.
  for (const node of nodes) if (!ids.has(node.id) && node.parentId) ids.set(node.id, `${ids.get(node.parentId)}start`);
  const copies = nodes.map((node) => {
    // Children sit relative to their container, which moves for them.
    const moved = node.parentId && ids.has(node.parentId) ? 0 : offset;
    const data = remapContainerIds(structuredClone(node.data), ids) as NodeData;
    const copy: FlowNode = { ...node, id: ids.get(node.id)!, data, selected: !isContainerStart(node.data.type), position: { x: node.position.x + moved, y: node.position.y + moved } };
    delete copy.measured;
    if (copy.parentId && ids.has(copy.parentId)) copy.parentId = ids.get(copy.parentId);
    return copy;
  });
  const inner = edges
    .filter((edge) => ids.has(edge.source) && ids.has(edge.target))
    .map((edge) => {
      const source = ids.get(edge.source)!;
      const target = ids.get(edge.target)!;
      const handle = edge.sourceHandle ?? "source";
      return { ...edge, id: edgeId(source, handle, target), source, target, selected: false, data: edge.data && remapContainerIds(edge.data, ids) };
    });
  return { nodes: copies, edges: inner };
}

/** The nearest place at or below `wanted` where a new node would not cover an existing one. */
export function freeSpot(wanted: { x: number; y: number }, nodes: FlowNode[], size = { width: 240, height: 90 }): { x: number; y: number } {
  const overlaps = (x: number, y: number) =>
    nodes.some((n) => {
      if (n.parentId) return false;
      const width = n.measured?.width ?? size.width;
      const height = n.measured?.height ?? size.height;
      return x < n.position.x + width + 16 && n.position.x < x + size.width + 16 && y < n.position.y + height + 16 && n.position.y < y + size.height + 16;
    });
  for (let step = 0; step < 40; step++) {
    const y = wanted.y + step * 60;
    if (!overlaps(wanted.x, y)) return { x: wanted.x, y };
  }
  return { x: wanted.x + 40, y: wanted.y + 40 };
}
