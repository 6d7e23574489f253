/**
 * What the editor knows about each node type: its palette group, label, colour, icon, the `data` a
 * new node starts with, and a one-line summary for the canvas. Defaults follow what Dify's editor
 * writes for a freshly dropped node, so a graph built here runs and exports like one built there.
 */

export type NodeData = Record<string, unknown> & { type: string; title: string; desc?: string };

export interface NodeKind {
  type: string;
  label: string;
  group: "Basics" | "Model" | "Logic" | "Transform";
  /**
   * A short glyph for the node's badge (no icon font: it keeps the bundle small). Text symbols
   * that common system fonts carry (DejaVu, Segoe UI Symbol, Apple Symbols), not emoji: without an
   * emoji font an emoji shows as an empty box, and the browser's font fallback search for it
   * slowed the editor's first layout.
   */
  icon: string;
  colour: string;
  /** Only for these app modes (answer is for chatflows, end for workflows). */
  modes?: string[];
  defaults: () => Record<string, unknown>;
}

const DEFAULT_MODEL = { provider: "", name: "", mode: "chat", completion_params: { temperature: 0.7 } };

export const NODE_KINDS: NodeKind[] = [
  { type: "start", label: "Start", group: "Basics", icon: "▶", colour: "#2970ff", defaults: () => ({ variables: [] }) },
  { type: "end", label: "End", group: "Basics", icon: "■", colour: "#f79009", modes: ["workflow"], defaults: () => ({ outputs: [] }) },
  { type: "answer", label: "Answer", group: "Basics", icon: "❝", colour: "#f79009", modes: ["advanced-chat"], defaults: () => ({ answer: "", variables: [] }) },
  {
    type: "llm",
    label: "LLM",
    group: "Model",
    icon: "✦",
    colour: "#6172f3",
    defaults: () => ({
      model: { ...DEFAULT_MODEL },
      prompt_template: [{ role: "system", text: "" }],
      context: { enabled: false, variable_selector: [] },
      vision: { enabled: false },
    }),
  },
  {
    type: "knowledge-retrieval",
    label: "Knowledge Retrieval",
    group: "Model",
    icon: "▤",
    colour: "#16b364",
    defaults: () => ({
      query_variable_selector: [],
      dataset_ids: [],
      retrieval_mode: "multiple",
      multiple_retrieval_config: { top_k: 4, score_threshold: null, reranking_enable: false },
    }),
  },
  {
    type: "question-classifier",
    label: "Question Classifier",
    group: "Model",
    icon: "Q",
    colour: "#16b364",
    defaults: () => ({
      query_variable_selector: [],
      model: { ...DEFAULT_MODEL },
      classes: [
        { id: "1", name: "" },
        { id: "2", name: "" },
      ],
      instruction: "",
    }),
  },
  {
    type: "parameter-extractor",
    label: "Parameter Extractor",
    group: "Model",
    icon: "⚙",
    colour: "#2e90fa",
    defaults: () => ({ model: { ...DEFAULT_MODEL }, query: [], parameters: [], instruction: "", reasoning_mode: "prompt" }),
  },
  {
    type: "agent",
    label: "Agent",
    group: "Model",
    icon: "◎",
    colour: "#7a5af8",
    defaults: () => ({ agent_strategy_provider_name: "", agent_strategy_name: "", agent_strategy_label: "", agent_parameters: {} }),
  },
  {
    type: "if-else",
    label: "IF/ELSE",
    group: "Logic",
    icon: "⋔",
    colour: "#06aed4",
    defaults: () => ({ cases: [{ case_id: "true", logical_operator: "and", conditions: [] }] }),
  },
  {
    type: "iteration",
    label: "Iteration",
    group: "Logic",
    icon: "↻",
    colour: "#06aed4",
    defaults: () => ({ iterator_selector: [], output_selector: [], is_parallel: false, parallel_nums: 10, error_handle_mode: "terminated", flatten_output: true }),
  },
  {
    type: "loop",
    label: "Loop",
    group: "Logic",
    icon: "⟳",
    colour: "#06aed4",
    defaults: () => ({ loop_count: 10, break_conditions: [], logical_operator: "and", loop_variables: [] }),
  },
  {
    type: "code",
    label: "Code",
    group: "Transform",
    icon: "{}",
    colour: "#2e90fa",
    defaults: () => ({
      code_language: "javascript",
      code: "function main({ arg1 }) {\n  return { result: arg1 };\n}\n",
      variables: [{ variable: "arg1", value_selector: [] }],
      outputs: { result: { type: "string", children: null } },
    }),
  },
  {
    type: "template-transform",
    label: "Template",
    group: "Transform",
    icon: "T",
    colour: "#2e90fa",
    defaults: () => ({ variables: [{ variable: "arg1", value_selector: [] }], template: "{{ arg1 }}" }),
  },
  {
    type: "variable-aggregator",
    label: "Variable Aggregator",
    group: "Transform",
    icon: "⊕",
    colour: "#2e90fa",
    defaults: () => ({ output_type: "string", variables: [] }),
  },
  {
    type: "assigner",
    label: "Variable Assigner",
    group: "Transform",
    icon: "=",
    colour: "#2e90fa",
    defaults: () => ({ version: "2", items: [] }),
  },
  {
    type: "list-operator",
    label: "List Operator",
    group: "Transform",
    icon: "☰",
    colour: "#2e90fa",
    defaults: () => ({
      variable: [],
      filter_by: { enabled: false, conditions: [] },
      order_by: { enabled: false, key: "", value: "asc" },
      limit: { enabled: false, size: 10 },
      extract_by: { enabled: false, serial: "1" },
    }),
  },
  { type: "document-extractor", label: "Doc Extractor", group: "Transform", icon: "▦", colour: "#2e90fa", defaults: () => ({ variable_selector: [], is_array_file: false }) },
  {
    type: "http-request",
    label: "HTTP Request",
    group: "Transform",
    icon: "⇄",
    colour: "#875bf7",
    defaults: () => ({
      method: "get",
      url: "",
      authorization: { type: "no-auth", config: null },
      headers: "",
      params: "",
      body: { type: "none", data: [] },
      timeout: { max_connect_timeout: 0, max_read_timeout: 0, max_write_timeout: 0 },
    }),
  },
  {
    type: "tool",
    label: "Tool",
    group: "Transform",
    icon: "⚒",
    colour: "#875bf7",
    defaults: () => ({ provider_id: "", provider_type: "builtin", provider_name: "", tool_name: "", tool_label: "", tool_configurations: {}, tool_parameters: {} }),
  },
];

const BY_TYPE = new Map(NODE_KINDS.map((kind) => [kind.type, kind]));
// Types the palette does not offer but graphs may hold (legacy spellings, container children).
const EXTRA: Record<string, Pick<NodeKind, "label" | "icon" | "colour">> = {
  "variable-assigner": { label: "Variable Aggregator", icon: "⊕", colour: "#2e90fa" },
  "iteration-start": { label: "Iteration start", icon: "▸", colour: "#06aed4" },
  "loop-start": { label: "Loop start", icon: "▸", colour: "#06aed4" },
  "loop-end": { label: "Exit loop", icon: "⊠", colour: "#06aed4" },
  "human-input": { label: "Human Input", icon: "✍", colour: "#f79009" },
};

/** Label, icon and colour for any type, including ones the palette does not offer. */
export function nodeKind(type: string): Pick<NodeKind, "label" | "icon" | "colour"> {
  return BY_TYPE.get(type) ?? EXTRA[type] ?? { label: type || "Unknown", icon: "?", colour: "#667085" };
}

/** The palette for an app mode, in Dify's groups and order. */
export function paletteGroups(mode: string): { group: NodeKind["group"]; kinds: NodeKind[] }[] {
  const groups: NodeKind["group"][] = ["Basics", "Model", "Logic", "Transform"];
  return groups.map((group) => ({ group, kinds: NODE_KINDS.filter((k) => k.group === group && (!k.modes || k.modes.includes(mode))) }));
}

/** A new node's `data`: Dify's shared fields plus the type's defaults. */
export function defaultNodeData(type: string, title: string): NodeData {
  const kind = BY_TYPE.get(type);
  return { type, title, desc: "", selected: false, ...(kind ? kind.defaults() : {}) } as NodeData;
}

const selectorText = (value: unknown) => (Array.isArray(value) && value.length ? `{{${value.join(".")}}}` : "");
const clip = (text: string, max = 60) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** One line shown under a node's title on the canvas, so a graph reads without opening panels. */
export function nodeSummary(data: NodeData): string {
  const list = (value: unknown) => (Array.isArray(value) ? value : []);
  switch (data.type) {
    case "start": {
      const names = list(data.variables).map((v) => (v as { variable?: string }).variable).filter(Boolean);
      return names.length ? names.join(", ") : "No input variables";
    }
    case "end": {
      const names = list(data.outputs).map((v) => (v as { variable?: string }).variable).filter(Boolean);
      return names.length ? `Outputs: ${names.join(", ")}` : "No outputs";
    }
    case "answer":
      return clip(String(data.answer ?? "")) || "Empty answer";
    case "llm":
    case "question-classifier":
    case "parameter-extractor": {
      const model = (data.model ?? {}) as { provider?: string; name?: string };
      return model.name ? `${model.provider ? `${model.provider} / ` : ""}${model.name}` : "No model chosen";
    }
    case "code":
      return data.code_language === "python3" ? "Python 3" : "JavaScript";
    case "http-request":
      return clip(`${String(data.method ?? "get").toUpperCase()} ${String(data.url ?? "")}`);
    case "template-transform":
      return clip(String(data.template ?? ""));
    case "knowledge-retrieval":
      return `${list(data.dataset_ids).length} knowledge base(s)`;
    case "if-else":
      return `${list(data.cases).length} case(s) + ELSE`;
    case "variable-aggregator":
    case "variable-assigner":
      return `${list(data.variables).length} variable(s)`;
    case "iteration":
      return selectorText(data.iterator_selector) || "No list chosen";
    case "loop":
      return `Up to ${String(data.loop_count ?? "?")} rounds`;
    case "document-extractor":
      return selectorText(data.variable_selector) || "No file chosen";
    case "list-operator":
      return selectorText(data.variable) || "No list chosen";
    case "tool":
      return String(data.tool_label || data.tool_name || "No tool chosen");
    case "agent":
      return String(data.agent_strategy_label || data.agent_strategy_name || "No strategy chosen");
    case "assigner":
      return `${list(data.items).length} assignment(s)`;
    default:
      return "";
  }
}
