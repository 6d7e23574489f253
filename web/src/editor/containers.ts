/**
 * Iteration and loop nodes are containers: a React Flow parent node holding a child graph that
 * begins at its own start node. These helpers write the same JSON Dify's editor does — the start
 * node is `<containerId>start` (`iteration-start` / `loop-start`, React Flow type
 * `custom-iteration-start` / `custom-loop-start`), the container's `data.start_node_id` points at
 * it, and every child carries `parentId`, `data.isInIteration` + `iteration_id` (or `isInLoop` +
 * `loop_id`) and a position relative to the container.
 */
import type { FlowEdge, FlowNode } from "./graph-model";
import type { NodeData } from "./node-catalog";

export type ContainerType = "iteration" | "loop";

interface Membership {
  start: string;
  startFlowType: string;
  flag: "isInIteration" | "isInLoop";
  idKey: "iteration_id" | "loop_id";
}

const MEMBERSHIP: Record<ContainerType, Membership> = {
  iteration: { start: "iteration-start", startFlowType: "custom-iteration-start", flag: "isInIteration", idKey: "iteration_id" },
  loop: { start: "loop-start", startFlowType: "custom-loop-start", flag: "isInLoop", idKey: "loop_id" },
};

/** Dify's size of a fresh container and the room kept around its children (header on top). */
export const CONTAINER_SIZE = { width: 388, height: 178 };
export const CONTAINER_PADDING = { top: 65, right: 16, bottom: 20, left: 16 };
/** Dify's z-index of containers and of what is drawn inside them (children, inner edges). */
export const CONTAINER_Z_INDEX = 1;
export const CHILD_Z_INDEX = 1002;
const START_POSITION = { x: 24, y: 68 };
const DEFAULT_CHILD = { width: 240, height: 90 };

/**
 * Where a child may be dragged, relative to its container: not over the header or past the left
 * edge, but as far right and down as it likes — the container grows to follow (`fitContainers`).
 * Saved as Dify's `extent: "parent"`.
 */
export const CHILD_EXTENT: [[number, number], [number, number]] = [
  [CONTAINER_PADDING.left, CONTAINER_PADDING.top - 10],
  [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
];

export function isContainerType(type: string): type is ContainerType {
  return type === "iteration" || type === "loop";
}

/** Whether a node is a container's own start node (not deleted, copied or moved on its own). */
export function isContainerStart(type: string): boolean {
  return type === "iteration-start" || type === "loop-start";
}

const START_SIZE = { width: 44, height: 48 };

const size = (node: FlowNode, fallback = isContainerStart(node.data.type) ? START_SIZE : DEFAULT_CHILD) => ({
  width: node.measured?.width ?? node.width ?? fallback.width,
  height: node.measured?.height ?? node.height ?? fallback.height,
});

/**
 * A new container and its start node, as Dify's editor adds them.
 * @example newContainer("iteration", "1700000000000", data, { x: 300, y: 100 })
 *   // → [{ id: "1700000000000", data: { …, start_node_id: "1700000000000start" }, width: 388, … },
 *   //    { id: "1700000000000start", parentId: "1700000000000", data: { type: "iteration-start", … } }]
 */
export function newContainer(type: ContainerType, id: string, data: NodeData, position: { x: number; y: number }): [FlowNode, FlowNode] {
  const m = MEMBERSHIP[type];
  const startId = `${id}start`;
  const container: FlowNode = {
    id,
    type: "custom",
    position,
    data: { ...data, start_node_id: startId, ...CONTAINER_SIZE },
    ...CONTAINER_SIZE,
    zIndex: CONTAINER_Z_INDEX,
  };
  const start: FlowNode = {
    id: startId,
    type: m.startFlowType,
    parentId: id,
    position: { ...START_POSITION },
    data: { type: m.start, title: "", desc: "", [m.flag]: true, [m.idKey]: id } as NodeData,
    extent: CHILD_EXTENT,
    selectable: false,
    draggable: false,
    zIndex: CHILD_Z_INDEX,
  };
  return [container, start];
}

/** `node` made a child of `container` at `position` (relative to the container). */
export function placeInContainer(node: FlowNode, container: FlowNode, position: { x: number; y: number }): FlowNode {
  const m = MEMBERSHIP[container.data.type as ContainerType];
  return { ...node, parentId: container.id, extent: CHILD_EXTENT, zIndex: CHILD_Z_INDEX, position, data: { ...node.data, [m.flag]: true, [m.idKey]: container.id } };
}

/** `node` taken out of any container, at `position` on the canvas. */
export function removeFromContainer(node: FlowNode, position: { x: number; y: number }): FlowNode {
  const out: FlowNode = { ...node, position, data: { ...node.data } };
  delete out.parentId;
  delete out.extent;
  delete out.zIndex;
  for (const key of ["isInIteration", "isInLoop", "iteration_id", "loop_id"]) delete out.data[key];
  return out;
}

/** Whether a node of `type` may be added inside a container of `containerType` (as in Dify: no nesting, no start or end). */
export function allowedInside(type: string, containerType: ContainerType): boolean {
  if (type === "loop-end") return containerType === "loop";
  return !isContainerType(type) && !isContainerStart(type) && !["start", "end", "trigger-webhook", "trigger-schedule", "trigger-plugin"].includes(type);
}

/** The top-level container under a point of the canvas (flow coordinates), if any. */
export function containerAt(point: { x: number; y: number }, nodes: FlowNode[]): FlowNode | undefined {
  return nodes.findLast((node) => {
    if (node.parentId || !isContainerType(node.data.type)) return false;
    const { width, height } = size(node, CONTAINER_SIZE);
    return point.x >= node.position.x && point.x <= node.position.x + width && point.y >= node.position.y && point.y <= node.position.y + height;
  });
}

/** Where the next child of a container goes: right of the rightmost child, on the start node's row. */
export function nextChildPosition(containerId: string, nodes: FlowNode[]): { x: number; y: number } {
  const children = nodes.filter((n) => n.parentId === containerId);
  const right = Math.max(START_POSITION.x, ...children.map((n) => n.position.x + size(n).width));
  return { x: right + 40, y: START_POSITION.y };
}

/**
 * Containers grown (never shrunk) to hold their children with Dify's padding. Returns the same
 * array when every container already fits, so callers can tell nothing changed.
 */
export function fitContainers(nodes: FlowNode[]): FlowNode[] {
  const needed = new Map<string, { width: number; height: number }>();
  for (const node of nodes) {
    if (!node.parentId) continue;
    const { width, height } = size(node);
    const current = needed.get(node.parentId) ?? { width: 0, height: 0 };
    needed.set(node.parentId, {
      width: Math.max(current.width, Math.round(node.position.x + width + CONTAINER_PADDING.right)),
      height: Math.max(current.height, Math.round(node.position.y + height + CONTAINER_PADDING.bottom)),
    });
  }
  let changed = false;
  const out = nodes.map((node) => {
    const want = needed.get(node.id);
    if (!want || !isContainerType(node.data.type)) return node;
    const width = node.width ?? CONTAINER_SIZE.width;
    const height = node.height ?? CONTAINER_SIZE.height;
    if (want.width <= width && want.height <= height) return node;
    changed = true;
    const next = { width: Math.max(width, want.width), height: Math.max(height, want.height) };
    return { ...node, ...next, data: { ...node.data, ...next } };
  });
  return changed ? out : nodes;
}

interface Graph {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

/** The graph with `moved` in place of its old self and without the moved node's edges that now cross a container's boundary. */
function withMoved(graph: Graph, moved: FlowNode): Graph {
  const nodes = graph.nodes.map((n) => (n.id === moved.id ? moved : n));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges = graph.edges.filter((e) => (e.source !== moved.id && e.target !== moved.id) || canConnect(byId.get(e.source)!, byId.get(e.target)!));
  return { nodes: fitContainers(nodes), edges };
}

/**
 * A top-level node dragged so that its centre is over a container, moved inside it (below the
 * header, at least), as in a palette drop there; its edges to nodes outside are dropped, since no
 * edge crosses a container's boundary. Null when the node stays where it is (not over a container,
 * already inside one, or of a type containers do not take).
 */
export function dropIntoContainer(graph: Graph, nodeId: string): Graph | null {
  const node = graph.nodes.find((n) => n.id === nodeId);
  if (!node || node.parentId) return null;
  const { width, height } = size(node);
  const container = containerAt({ x: node.position.x + width / 2, y: node.position.y + height / 2 }, graph.nodes.filter((n) => n.id !== nodeId));
  if (!container || !allowedInside(node.data.type, container.data.type as ContainerType)) return null;
  const [[minX, minY]] = CHILD_EXTENT;
  const relative = { x: Math.max(minX, Math.round(node.position.x - container.position.x)), y: Math.max(minY, Math.round(node.position.y - container.position.y)) };
  return withMoved(graph, placeInContainer(node, container, relative));
}

/**
 * A container's child moved out, just below the container at the same distance from its left
 * edge; its edges to the nodes inside are dropped. Null for a node not in a container (or a
 * container's own start node, which stays).
 */
export function moveOutOfContainer(graph: Graph, nodeId: string): Graph | null {
  const node = graph.nodes.find((n) => n.id === nodeId);
  const container = node?.parentId ? graph.nodes.find((n) => n.id === node.parentId) : undefined;
  if (!node || !container || isContainerStart(node.data.type)) return null;
  const { height } = size(container, CONTAINER_SIZE);
  return withMoved(graph, removeFromContainer(node, { x: Math.round(container.position.x + node.position.x), y: Math.round(container.position.y + height + 40) }));
}

/** Edges never cross a container's boundary: the engine would never reach the far side. */
export function canConnect(source: FlowNode, target: FlowNode): boolean {
  return (source.parentId ?? undefined) === (target.parentId ?? undefined) && source.id !== target.id;
}

/** What Dify writes on an edge between two nodes in the same container (or at the top level). */
export function edgeMembership(source: FlowNode, nodes: FlowNode[]): { data: Record<string, unknown>; zIndex: number } {
  const container = source.parentId ? nodes.find((n) => n.id === source.parentId) : undefined;
  if (!container || !isContainerType(container.data.type)) return { data: { isInIteration: false, isInLoop: false }, zIndex: 0 };
  const m = MEMBERSHIP[container.data.type];
  return { data: { isInIteration: m.flag === "isInIteration", isInLoop: m.flag === "isInLoop", [m.idKey]: container.id }, zIndex: CHILD_Z_INDEX };
}

/** `ids` plus every node inside a container among them. */
export function withDescendants(ids: Set<string>, nodes: FlowNode[]): Set<string> {
  const out = new Set(ids);
  let grew = true;
  while (grew) {
    grew = false;
    for (const node of nodes) {
      if (node.parentId && out.has(node.parentId) && !out.has(node.id)) {
        out.add(node.id);
        grew = true;
      }
    }
  }
  return out;
}

/**
 * What Copy puts on the clipboard for a selection: selected nodes, the whole inside of selected
 * containers, and the edges among them. A child copied without its container becomes a top-level
 * node where it is on the canvas; a container's start node is never copied on its own.
 */
export function selectionForCopy(selectedIds: Set<string>, nodes: FlowNode[], edges: FlowEdge[]): { nodes: FlowNode[]; edges: FlowEdge[] } {
  const ids = withDescendants(selectedIds, nodes);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const picked = nodes
    .filter((n) => ids.has(n.id) && n.data.type !== "start")
    .filter((n) => !isContainerStart(n.data.type) || (n.parentId !== undefined && ids.has(n.parentId)))
    .map((n) => {
      if (!n.parentId || ids.has(n.parentId)) return n;
      const parent = byId.get(n.parentId);
      return removeFromContainer(n, { x: n.position.x + (parent?.position.x ?? 0), y: n.position.y + (parent?.position.y ?? 0) });
    });
  const kept = new Set(picked.map((n) => n.id));
  return { nodes: picked, edges: edges.filter((e) => kept.has(e.source) && kept.has(e.target)) };
}

/** Rewrites the container references in copied nodes' data and edges after their ids changed. */
export function remapContainerIds(data: Record<string, unknown>, ids: Map<string, string>): Record<string, unknown> {
  const out = { ...data };
  for (const key of ["iteration_id", "loop_id"]) {
    if (typeof out[key] === "string" && ids.has(out[key] as string)) out[key] = ids.get(out[key] as string);
  }
  if (typeof out.start_node_id === "string" && ids.has(out.start_node_id)) out.start_node_id = ids.get(out.start_node_id);
  return out;
}
