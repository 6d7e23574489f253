import dagre from "@dagrejs/dagre";
import { CONTAINER_PADDING, CONTAINER_SIZE, isContainerType } from "./containers";
import type { FlowEdge, FlowNode } from "./graph-model";

const DEFAULT_WIDTH = 240;
const DEFAULT_HEIGHT = 90;

const sizeOf = (node: FlowNode) =>
  isContainerType(node.data.type)
    ? { width: node.width ?? CONTAINER_SIZE.width, height: node.height ?? CONTAINER_SIZE.height }
    : { width: node.measured?.width ?? DEFAULT_WIDTH, height: node.measured?.height ?? DEFAULT_HEIGHT };

/** Dagre's left-to-right placement of `group` (top-left corners), shifted by `origin`. */
function place(group: FlowNode[], edges: FlowEdge[], origin: { x: number; y: number }): Map<string, { x: number; y: number }> {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 80, marginx: 0, marginy: 0 });
  graph.setDefaultEdgeLabel(() => ({}));
  const ids = new Set(group.map((node) => node.id));
  for (const node of group) graph.setNode(node.id, sizeOf(node));
  for (const edge of edges) if (ids.has(edge.source) && ids.has(edge.target)) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);
  const out = new Map<string, { x: number; y: number }>();
  for (const node of group) {
    const placed = graph.node(node.id);
    const { width, height } = sizeOf(node);
    out.set(node.id, { x: Math.round(origin.x + placed.x - width / 2), y: Math.round(origin.y + placed.y - height / 2) });
  }
  return out;
}

/**
 * Left-to-right layered layout, using each node's measured size. The inside of each iteration and
 * loop is laid out first, within the container's padding, and the container resized to fit it; then
 * the top-level nodes are laid out with the containers at their new sizes.
 */
export function autoLayout(nodes: FlowNode[], edges: FlowEdge[]): FlowNode[] {
  const positions = new Map<string, { x: number; y: number }>();
  const sizes = new Map<string, { width: number; height: number }>();
  for (const container of nodes.filter((n) => !n.parentId && isContainerType(n.data.type))) {
    const children = nodes.filter((n) => n.parentId === container.id);
    if (!children.length) continue;
    const placed = place(children, edges, { x: CONTAINER_PADDING.left + 8, y: CONTAINER_PADDING.top + 3 });
    let width = CONTAINER_SIZE.width;
    let height = CONTAINER_SIZE.height;
    for (const child of children) {
      const at = placed.get(child.id)!;
      positions.set(child.id, at);
      const size = sizeOf(child);
      width = Math.max(width, at.x + size.width + CONTAINER_PADDING.right);
      height = Math.max(height, at.y + size.height + CONTAINER_PADDING.bottom);
    }
    sizes.set(container.id, { width, height });
  }
  const resized = nodes.map((node) => {
    const size = sizes.get(node.id);
    return size ? { ...node, ...size, data: { ...node.data, ...size } } : node;
  });
  const topLevel = resized.filter((node) => !node.parentId);
  for (const [id, at] of place(topLevel, edges, { x: 20, y: 20 })) positions.set(id, at);
  return resized.map((node) => {
    const at = positions.get(node.id);
    return at ? { ...node, position: at } : node;
  });
}
