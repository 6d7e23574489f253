import dagre from "@dagrejs/dagre";
import type { FlowEdge, FlowNode } from "./graph-model";

const DEFAULT_WIDTH = 240;
const DEFAULT_HEIGHT = 90;

/**
 * Left-to-right layered layout of the top-level nodes (children of iterations and loops keep
 * their places inside their container), using each node's measured size.
 */
export function autoLayout(nodes: FlowNode[], edges: FlowEdge[]): FlowNode[] {
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: "LR", nodesep: 40, ranksep: 80, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  const topLevel = nodes.filter((node) => !node.parentId);
  const ids = new Set(topLevel.map((node) => node.id));
  for (const node of topLevel) {
    graph.setNode(node.id, { width: node.measured?.width ?? DEFAULT_WIDTH, height: node.measured?.height ?? DEFAULT_HEIGHT });
  }
  for (const edge of edges) if (ids.has(edge.source) && ids.has(edge.target)) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);
  return nodes.map((node) => {
    if (!ids.has(node.id)) return node;
    const placed = graph.node(node.id);
    const width = node.measured?.width ?? DEFAULT_WIDTH;
    const height = node.measured?.height ?? DEFAULT_HEIGHT;
    return { ...node, position: { x: Math.round(placed.x - width / 2), y: Math.round(placed.y - height / 2) } };
  });
}
