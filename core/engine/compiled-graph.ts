import { workflowGraphSchema, type ErrorStrategy, type GraphNode, type RetryConfig, type WorkflowGraph } from "../dsl";
import type { NodeDefinition } from "./node-contract";
import type { NodeRegistry } from "./node-registry";

/** The graph prepared once per run: configs parsed, edges indexed, scopes (top level, containers) split. */

export interface CompiledEdge {
  /** Position in `graph.edges`; edge state is kept by index. */
  index: number;
  id: string;
  source: string;
  target: string;
  handle: string;
}

export interface CompiledNode {
  id: string;
  type: string;
  title: string;
  data: GraphNode["data"];
  definition: NodeDefinition | undefined;
  /** Parsed config, or the reason it did not parse. */
  config: { ok: true; value: unknown } | { ok: false; error: string };
  container: string | undefined;
  incoming: CompiledEdge[];
  outgoing: CompiledEdge[];
  errorStrategy: ErrorStrategy | undefined;
  retry: RetryConfig | undefined;
  defaultValue: Array<{ key: string; type: string; value: unknown }>;
  /** Takes only some of its outgoing edges (has handles other than `source`, or a fail branch). */
  isBranch: boolean;
}

export interface GraphScope {
  /** The container node id, or undefined for the top level. */
  container: string | undefined;
  nodeIds: string[];
  root: string | undefined;
}

export interface CompiledGraph {
  graph: WorkflowGraph;
  nodes: Map<string, CompiledNode>;
  edges: CompiledEdge[];
  scope(container: string | undefined): GraphScope;
}

// Published graphs are immutable: compile each graph object once per registry and root.
const cache = new WeakMap<object, Map<string, CompiledGraph>>();
const registryKeys = new WeakMap<NodeRegistry, number>();
let nextRegistryKey = 0;

/** Compiles once per (graph object, registry, root); a run never mutates the result. */
export function compileGraph(input: unknown, registry: NodeRegistry, options: { rootNodeId?: string } = {}): CompiledGraph {
  if (input === null || typeof input !== "object") return compile(input, registry, options);
  let registryKey = registryKeys.get(registry);
  if (registryKey === undefined) registryKeys.set(registry, (registryKey = nextRegistryKey++));
  const key = `${registryKey}:${registry.version}:${options.rootNodeId ?? ""}`;
  let byKey = cache.get(input);
  if (!byKey) cache.set(input, (byKey = new Map()));
  let compiled = byKey.get(key);
  if (!compiled) byKey.set(key, (compiled = compile(input, registry, options)));
  return compiled;
}

function compile(input: unknown, registry: NodeRegistry, options: { rootNodeId?: string }): CompiledGraph {
  const graph = workflowGraphSchema.parse(input);
  const nodes = new Map<string, CompiledNode>();
  for (const node of graph.nodes) {
    if (node.type === "custom-note" || !node.data.type) continue;
    const definition = registry.get(node.data.type);
    let config: CompiledNode["config"];
    if (!definition) config = { ok: false, error: `Unknown node type "${node.data.type}"` };
    else {
      const parsed = definition.schema.safeParse(node.data);
      config = parsed.success
        ? { ok: true, value: parsed.data }
        : { ok: false, error: `Invalid config: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}` };
    }
    nodes.set(node.id, {
      id: node.id,
      type: node.data.type,
      title: node.data.title ?? "",
      data: node.data,
      definition,
      config,
      container: undefined,
      incoming: [],
      outgoing: [],
      errorStrategy: node.data.error_strategy ?? undefined,
      retry: node.data.retry_config ?? undefined,
      defaultValue: (node.data.default_value ?? []).map((item) => ({ key: item.key, type: String(item.type), value: item.value })),
      isBranch: node.data.error_strategy === "fail-branch",
    });
  }
  for (const node of graph.nodes) {
    const compiled = nodes.get(node.id);
    const parent = node.parentId ?? node.data.iteration_id ?? node.data.loop_id ?? undefined;
    if (compiled && parent && parent !== node.id && nodes.has(parent)) compiled.container = parent;
  }
  const edges: CompiledEdge[] = [];
  graph.edges.forEach((edge, index) => {
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    // Edges never cross a container boundary; a stray one would leave its target waiting forever.
    if (!source || !target || source.container !== target.container) return;
    const compiled: CompiledEdge = { index, id: edge.id ?? `${edge.source}-${edge.sourceHandle}-${edge.target}`, source: edge.source, target: edge.target, handle: edge.sourceHandle };
    edges.push(compiled);
    source.outgoing.push(compiled);
    target.incoming.push(compiled);
    if (compiled.handle !== "source") source.isBranch = true;
  });

  const scopes = new Map<string | undefined, GraphScope>();
  const scope = (container: string | undefined): GraphScope => {
    const cached = scopes.get(container);
    if (cached) return cached;
    const nodeIds = [...nodes.values()].filter((node) => node.container === container).map((node) => node.id);
    const built: GraphScope = { container, nodeIds, root: findRoot(container, nodeIds, nodes, options.rootNodeId) };
    scopes.set(container, built);
    return built;
  };
  return { graph, nodes, edges, scope };
}

function findRoot(container: string | undefined, nodeIds: string[], nodes: Map<string, CompiledNode>, rootNodeId: string | undefined): string | undefined {
  const candidates = nodeIds.filter((id) => nodes.get(id)!.incoming.length === 0);
  if (container === undefined) {
    if (rootNodeId) return nodeIds.includes(rootNodeId) ? rootNodeId : undefined;
    return candidates.find((id) => nodes.get(id)!.definition?.isStart);
  }
  const declared = (nodes.get(container)!.data as { start_node_id?: unknown }).start_node_id;
  if (typeof declared === "string" && nodeIds.includes(declared)) return declared;
  return (
    candidates.find((id) => nodes.get(id)!.type === "iteration-start" || nodes.get(id)!.type === "loop-start") ?? candidates[0]
  );
}
