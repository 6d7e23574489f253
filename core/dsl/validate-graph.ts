import type { z } from "zod";
import { workflowGraphSchema, type GraphNode, type WorkflowGraph } from "./graph-schema";
import { fieldName, problemsFromZod, type Problem } from "./problem";
import { findSelectorReferences, type SelectorReference } from "./selector-references";

/** What validation needs to know about a node type; the node registry provides it. */
export interface NodeTypeInfo {
  schema: z.ZodType;
  /** Iteration and loop: their children may reference them and they may reference their children. */
  isContainer?: boolean;
  /** Start-type nodes (start, triggers) can be the root of a run. */
  isStart?: boolean;
  /** Overrides the generic selector scan when a node stores references unusually. */
  selectors?(data: unknown): SelectorReference[];
}

export interface NodeTypeCatalog {
  lookup(type: string): NodeTypeInfo | undefined;
}

export interface ValidateGraphOptions {
  nodeTypes: NodeTypeCatalog;
  /** `workflow` and `advanced-chat` require a start node. */
  mode?: string;
  /** When given, `env.*` / `conversation.*` references must name one of these. */
  environmentVariableNames?: string[];
  conversationVariableNames?: string[];
}

/** Pool ids that are not nodes. */
export const RESERVED_NODE_IDS = new Set(["sys", "env", "conversation", "rag"]);

const PRESENTATION_ONLY_NODE_TYPES = new Set(["custom-note"]);

/**
 * Checks a graph without running anything: shape, node configs, edges, cycles, the start node
 * and that every selector points upstream.
 *
 * @example
 * const problems = validateGraph(graph, { nodeTypes: registry, mode: "workflow" });
 * if (problems.length) throw new InvalidParamError(problems[0].message);
 */
export function validateGraph(input: unknown, options: ValidateGraphOptions): Problem[] {
  const parsed = workflowGraphSchema.safeParse(input);
  if (!parsed.success) return problemsFromZod(null, "graph", parsed.error);
  const graph = parsed.data;
  const problems: Problem[] = [];
  const nodes = new Map<string, GraphNode>();
  for (const node of graph.nodes) {
    if (nodes.has(node.id)) problems.push({ node_id: node.id, field: "id", message: `Duplicate node id ${node.id}` });
    nodes.set(node.id, node);
  }
  const runnable = graph.nodes.filter((node) => !PRESENTATION_ONLY_NODE_TYPES.has(node.type ?? "") && node.data.type !== "");

  for (const node of runnable) {
    const info = options.nodeTypes.lookup(node.data.type);
    if (!info) {
      problems.push({ node_id: node.id, field: "data.type", message: `Unknown node type "${node.data.type}"` });
      continue;
    }
    const config = info.schema.safeParse(node.data);
    if (!config.success) problems.push(...problemsFromZod(node.id, "data", config.error, node.data));
  }

  graph.edges.forEach((edge, index) => {
    const field = `edges.${index}`;
    if (!nodes.has(edge.source)) problems.push({ node_id: null, field, message: `Edge ${edge.id ?? index} starts at unknown node ${edge.source}` });
    if (!nodes.has(edge.target)) problems.push({ node_id: null, field, message: `Edge ${edge.id ?? index} ends at unknown node ${edge.target}` });
  });

  const containerOf = (node: GraphNode): string | undefined => {
    const parent = node.parentId ?? node.data.iteration_id ?? node.data.loop_id ?? undefined;
    return parent && nodes.has(parent) ? parent : undefined;
  };

  graph.edges.forEach((edge, index) => {
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (source && target && containerOf(source) !== containerOf(target)) {
      problems.push({ node_id: null, field: `edges.${index}`, message: `Edge ${edge.id ?? index} crosses an iteration or loop boundary (${edge.source} -> ${edge.target})` });
    }
  });

  if (options.mode === "workflow" || options.mode === "advanced-chat") {
    const hasStart = runnable.some((node) => !containerOf(node) && options.nodeTypes.lookup(node.data.type)?.isStart);
    if (!hasStart) problems.push({ node_id: null, field: "nodes", message: "The graph has no start node" });
  }

  const predecessors = new Map<string, string[]>();
  for (const edge of graph.edges) {
    if (!nodes.has(edge.source) || !nodes.has(edge.target)) continue;
    const list = predecessors.get(edge.target) ?? [];
    list.push(edge.source);
    predecessors.set(edge.target, list);
  }
  problems.push(...findCycles(graph, nodes, containerOf));
  problems.push(...checkSelectors(runnable, nodes, predecessors, containerOf, options));
  return problems;
}

function findCycles(graph: WorkflowGraph, nodes: Map<string, GraphNode>, containerOf: (node: GraphNode) => string | undefined): Problem[] {
  const successors = new Map<string, string[]>();
  for (const edge of graph.edges) {
    if (!nodes.has(edge.source) || !nodes.has(edge.target)) continue;
    successors.set(edge.source, [...(successors.get(edge.source) ?? []), edge.target]);
  }
  const state = new Map<string, "visiting" | "done">();
  const problems: Problem[] = [];
  const reported = new Set<string>();
  const visit = (start: string) => {
    // Iterative DFS: deep graphs must not overflow the stack.
    const stack: Array<{ id: string; next: number }> = [{ id: start, next: 0 }];
    const path: string[] = [start];
    state.set(start, "visiting");
    while (stack.length) {
      const frame = stack[stack.length - 1];
      const children = successors.get(frame.id) ?? [];
      if (frame.next >= children.length) {
        state.set(frame.id, "done");
        stack.pop();
        path.pop();
        continue;
      }
      const child = children[frame.next++];
      const childState = state.get(child);
      if (childState === "visiting") {
        const cycle = path.slice(path.indexOf(child));
        const insideContainer = cycle.every((id) => containerOf(nodes.get(id)!));
        if (!insideContainer && !reported.has(child)) {
          reported.add(child);
          problems.push({ node_id: child, field: "edges", message: `Cycle: ${[...cycle, child].join(" -> ")}` });
        }
      } else if (!childState) {
        state.set(child, "visiting");
        stack.push({ id: child, next: 0 });
        path.push(child);
      }
    }
  };
  for (const id of nodes.keys()) if (!state.has(id)) visit(id);
  return problems;
}

function checkSelectors(
  runnable: GraphNode[],
  nodes: Map<string, GraphNode>,
  predecessors: Map<string, string[]>,
  containerOf: (node: GraphNode) => string | undefined,
  options: ValidateGraphOptions,
): Problem[] {
  const catalog = options.nodeTypes;
  const declared: Record<string, Set<string> | undefined> = {
    env: options.environmentVariableNames && new Set(options.environmentVariableNames),
    conversation: options.conversationVariableNames && new Set(options.conversationVariableNames),
  };
  const ancestorCache = new Map<string, Set<string>>();
  const ancestors = (id: string): Set<string> => {
    const cached = ancestorCache.get(id);
    if (cached) return cached;
    const seen = new Set<string>();
    const pending = [...(predecessors.get(id) ?? [])];
    while (pending.length) {
      const next = pending.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      pending.push(...(predecessors.get(next) ?? []));
    }
    ancestorCache.set(id, seen);
    return seen;
  };
  const problems: Problem[] = [];
  for (const node of runnable) {
    const info = catalog.lookup(node.data.type);
    if (!info) continue;
    const allowed = new Set(ancestors(node.id));
    // A child sees its container (item, index, loop variables) and whatever the container sees.
    for (let parent = containerOf(node); parent; parent = containerOf(nodes.get(parent)!)) {
      allowed.add(parent);
      for (const id of ancestors(parent)) allowed.add(id);
    }
    if (info.isContainer) {
      allowed.add(node.id);
      for (const other of nodes.values()) if (isInside(other, node.id, nodes, containerOf)) allowed.add(other.id);
    }
    const references = info.selectors ? info.selectors(node.data) : findSelectorReferences(node.data);
    for (const { selector, field } of references) {
      const [target, name] = selector;
      const names = declared[target];
      if (names && !names.has(name)) {
        problems.push({ node_id: node.id, field, message: `${fieldName(field)} refers to ${selector.join(".")}, but there is no ${target === "env" ? "environment" : "conversation"} variable ${name}` });
        continue;
      }
      if (RESERVED_NODE_IDS.has(target) || allowed.has(target)) continue;
      const message = nodes.has(target)
        ? `${fieldName(field)} refers to ${selector.join(".")}, but node ${target} is not upstream of ${node.id}`
        : `${fieldName(field)} refers to ${selector.join(".")}, but there is no node ${target}`;
      problems.push({ node_id: node.id, field, message });
    }
  }
  return problems;
}

function isInside(node: GraphNode, containerId: string, nodes: Map<string, GraphNode>, containerOf: (node: GraphNode) => string | undefined): boolean {
  for (let parent = containerOf(node); parent; parent = containerOf(nodes.get(parent)!)) if (parent === containerId) return true;
  return false;
}
