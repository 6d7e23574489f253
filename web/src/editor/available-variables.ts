/**
 * The variables a node may read: outputs of the nodes upstream of it (found by walking edges
 * backwards), plus `sys.*`, `env.*` and `conversation.*` — the same rule `validateGraph` enforces.
 */
import { upstreamNodeIds, type FlowEdge, type FlowNode } from "./graph-model";
import type { NodeData } from "./node-catalog";

export interface VariableOption {
  selector: string[];
  /** The owning node's title, or sys / env / conversation. */
  group: string;
  name: string;
  type: string;
  /** A variable a variable assigner may write: a conversation variable, or a loop variable inside its loop. */
  assignable?: boolean;
}

type Item = Record<string, unknown>;
const items = (value: unknown): Item[] => (Array.isArray(value) ? (value as Item[]) : []);

/** The outputs a node of this configuration produces, with Dify's value types. */
export function nodeOutputs(data: NodeData): { name: string; type: string }[] {
  switch (data.type) {
    case "start":
      return items(data.variables).map((v) => ({ name: String(v.variable ?? ""), type: startVariableType(String(v.type ?? "text-input")) }));
    case "llm":
      return [
        { name: "text", type: "string" },
        { name: "reasoning_content", type: "string" },
        { name: "usage", type: "object" },
      ];
    case "knowledge-retrieval":
      return [{ name: "result", type: "array[object]" }];
    case "question-classifier":
      return [
        { name: "class_name", type: "string" },
        { name: "class_id", type: "string" },
      ];
    case "parameter-extractor":
      return [
        ...items(data.parameters).map((p) => ({ name: String(p.name ?? ""), type: String(p.type ?? "string") })),
        { name: "__is_success", type: "number" },
        { name: "__reason", type: "string" },
      ];
    case "agent":
    case "tool":
      return [
        { name: "text", type: "string" },
        { name: "files", type: "array[file]" },
        { name: "json", type: "array[object]" },
      ];
    case "code": {
      const outputs = (data.outputs ?? {}) as Record<string, { type?: string }>;
      return Object.entries(outputs).map(([name, spec]) => ({ name, type: String(spec?.type ?? "string") }));
    }
    case "template-transform":
      return [{ name: "output", type: "string" }];
    case "variable-aggregator":
    case "variable-assigner": {
      const advanced = (data.advanced_settings ?? {}) as { group_enabled?: boolean; groups?: Item[] };
      if (advanced.group_enabled) return items(advanced.groups).map((g) => ({ name: `${String(g.group_name)}.output`, type: String(g.output_type ?? "any") }));
      return [{ name: "output", type: String(data.output_type ?? "any") }];
    }
    case "http-request":
      return [
        { name: "status_code", type: "number" },
        { name: "body", type: "string" },
        { name: "headers", type: "object" },
        { name: "files", type: "array[file]" },
      ];
    case "list-operator":
      return [
        { name: "result", type: "array" },
        { name: "first_record", type: "any" },
        { name: "last_record", type: "any" },
      ];
    case "document-extractor":
      return [{ name: "text", type: "string" }];
    case "iteration":
      return [{ name: "output", type: "array" }];
    case "loop":
      return items(data.loop_variables).map((v) => ({ name: String(v.label ?? ""), type: String(v.var_type ?? "any") }));
    default:
      return [];
  }
}

function startVariableType(inputType: string): string {
  if (inputType === "number") return "number";
  if (inputType === "file") return "file";
  if (inputType === "file-list") return "array[file]";
  if (inputType === "checkbox") return "boolean";
  if (inputType === "json_object") return "object";
  return "string";
}

const SYSTEM_VARIABLES: { name: string; type: string; chatOnly?: boolean }[] = [
  { name: "query", type: "string", chatOnly: true },
  { name: "files", type: "array[file]" },
  { name: "conversation_id", type: "string", chatOnly: true },
  { name: "dialogue_count", type: "number", chatOnly: true },
  { name: "user_id", type: "string" },
  { name: "app_id", type: "string" },
  { name: "workflow_id", type: "string" },
  { name: "workflow_run_id", type: "string" },
  { name: "timestamp", type: "number" },
];

export interface VariableScope {
  mode: string;
  environmentVariables: { name?: unknown; value_type?: unknown }[];
  conversationVariables: { name?: unknown; value_type?: unknown }[];
}

/** Everything the node `nodeId` may reference, upstream nodes first (nearest last), then sys, env, conversation. */
export function availableVariables(nodeId: string, nodes: FlowNode[], edges: FlowEdge[], scope: VariableScope): VariableOption[] {
  const upstream = upstreamNodeIds(nodeId, edges);
  const self = nodes.find((n) => n.id === nodeId);
  // A node inside an iteration or loop also sees its container's item/index or loop variables,
  // and whatever the container itself sees (its inside starts from the container's own start node).
  const container = self?.parentId ? nodes.find((n) => n.id === self.parentId) : undefined;
  for (let outer = container; outer; outer = outer.parentId ? nodes.find((n) => n.id === outer!.parentId) : undefined) {
    for (const id of upstreamNodeIds(outer.id, edges)) upstream.add(id);
  }
  const options: VariableOption[] = [];
  for (const node of nodes) {
    if (!upstream.has(node.id)) continue;
    for (const output of nodeOutputs(node.data)) {
      if (output.name) options.push({ selector: [node.id, output.name], group: node.data.title || node.id, name: output.name, type: output.type });
    }
  }
  if (container?.data.type === "iteration") {
    options.push({ selector: [container.id, "item"], group: container.data.title, name: "item", type: "any" });
    options.push({ selector: [container.id, "index"], group: container.data.title, name: "index", type: "number" });
  }
  if (container?.data.type === "loop") {
    for (const output of nodeOutputs(container.data)) options.push({ selector: [container.id, output.name], group: container.data.title, name: output.name, type: output.type, assignable: true });
  }
  const chat = scope.mode === "advanced-chat";
  for (const v of SYSTEM_VARIABLES) if (chat || !v.chatOnly) options.push({ selector: ["sys", v.name], group: "System", name: `sys.${v.name}`, type: v.type });
  for (const v of scope.environmentVariables) {
    if (typeof v.name === "string" && v.name) options.push({ selector: ["env", v.name], group: "Environment", name: `env.${v.name}`, type: String(v.value_type ?? "string") });
  }
  if (chat) {
    for (const v of scope.conversationVariables) {
      if (typeof v.name === "string" && v.name) options.push({ selector: ["conversation", v.name], group: "Conversation", name: `conversation.${v.name}`, type: String(v.value_type ?? "string"), assignable: true });
    }
  }
  return options;
}

/**
 * The outputs of the nodes inside a container: what an iteration may collect as its output
 * (`output_selector`), which nothing outside the container may read directly.
 */
export function containerOutputOptions(containerId: string, nodes: FlowNode[]): VariableOption[] {
  return nodes
    .filter((node) => node.parentId === containerId)
    .flatMap((node) => nodeOutputs(node.data).filter((o) => o.name).map((o) => ({ selector: [node.id, o.name], group: node.data.title || node.id, name: o.name, type: o.type })));
}
