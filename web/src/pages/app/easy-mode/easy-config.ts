/**
 * An easy-mode app's `model_config` (chat, completion, agent-chat) as the form editor reads and
 * writes it. Every function returns a new config and keeps the fields it does not edit, so a
 * config imported from Dify round-trips through the form unchanged.
 */
type Json = Record<string, unknown>;
export type ModelConfig = Json;

/** The input types the form offers; other types already in a config are kept as they are. */
export const VARIABLE_TYPES: [string, string][] = [
  ["text-input", "Short text"],
  ["paragraph", "Paragraph"],
  ["select", "Select"],
  ["number", "Number"],
];

/** Dify's rule for a variable name (the runtime only substitutes names of this shape). */
export const VARIABLE_NAME = /^[a-zA-Z_][a-zA-Z0-9_]{0,29}$/;

/** One `user_input_form` entry, flattened: Dify stores `{ [type]: { variable, label, … } }`. */
export interface FormVariable {
  type: string;
  variable: string;
  label: string;
  required: boolean;
  max_length?: number;
  options: string[];
  /** The fields of the entry the form does not edit (a default, file settings…). */
  rest: Json;
}

const object = (value: unknown): Json => (value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {});
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

/**
 * The names a prompt refers to as `{{name}}`, once each, in order of first use. Dify's special
 * blocks (`{{#context#}}`, `{{#query#}}`, `{{#histories#}}`) are not variables.
 *
 * @example
 *   promptVariables("Talk about {{topic}} in {{lang}}; {{topic}} again") // → ["topic", "lang"]
 */
export function promptVariables(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(/\{\{([a-zA-Z_][a-zA-Z0-9_]{0,29})\}\}/g)) if (!names.includes(match[1]!)) names.push(match[1]!);
  return names;
}

/** The prompt cut into plain text and `{{name}}` references, for highlighting. */
export function promptSegments(text: string): { text: string; variable?: string }[] {
  const segments: { text: string; variable?: string }[] = [];
  let at = 0;
  for (const match of text.matchAll(/\{\{([a-zA-Z_][a-zA-Z0-9_]{0,29})\}\}/g)) {
    if (match.index! > at) segments.push({ text: text.slice(at, match.index) });
    segments.push({ text: match[0], variable: match[1] });
    at = match.index! + match[0].length;
  }
  if (at < text.length) segments.push({ text: text.slice(at) });
  return segments;
}

export function readVariables(config: ModelConfig): FormVariable[] {
  const form = Array.isArray(config.user_input_form) ? config.user_input_form : [];
  return form.flatMap((item): FormVariable[] => {
    const [type, spec] = Object.entries(object(item))[0] ?? [];
    if (!type) return [];
    const { variable, label, required, max_length, options, ...rest } = object(spec);
    return [
      {
        type,
        variable: typeof variable === "string" ? variable : "",
        label: typeof label === "string" ? label : "",
        required: required === true,
        ...(typeof max_length === "number" ? { max_length } : {}),
        options: strings(options),
        rest,
      },
    ];
  });
}

/** Writes the variables back as Dify's `user_input_form`; only a select keeps its options. */
export function writeVariables(config: ModelConfig, variables: FormVariable[]): ModelConfig {
  const form = variables.map(({ type, variable, label, required, max_length, options, rest }) => ({
    [type]: {
      ...rest,
      label: label || variable,
      variable,
      required,
      ...(max_length !== undefined && (type === "text-input" || type === "paragraph") ? { max_length } : {}),
      ...(type === "select" ? { options } : {}),
    },
  }));
  return { ...config, user_input_form: form };
}

/** A new short-text variable, named `name` or the first free `var_N`. */
export function newVariable(existing: FormVariable[], name?: string): FormVariable {
  const taken = new Set(existing.map((v) => v.variable));
  let variable = name ?? "";
  for (let n = existing.length + 1; !variable || taken.has(variable); n++) variable = `var_${n}`;
  return { type: "text-input", variable, label: variable, required: true, max_length: 48, options: [], rest: {} };
}

/** What is wrong with one variable, given all of them, or null. */
export function variableProblem(variable: FormVariable, all: FormVariable[]): string | null {
  if (!variable.variable) return "A variable needs a name.";
  if (!VARIABLE_NAME.test(variable.variable)) return "Use letters, digits and _, starting with a letter or _ (at most 30).";
  if (all.filter((v) => v.variable === variable.variable).length > 1) return `"${variable.variable}" is used twice.`;
  if (variable.type === "select" && variable.options.length === 0) return "A select needs at least one option.";
  return null;
}

/** The prompt's `{{names}}` that no variable defines. */
export function undefinedVariables(prompt: string, variables: FormVariable[]): string[] {
  const defined = new Set(variables.map((v) => v.variable));
  return promptVariables(prompt).filter((name) => !defined.has(name));
}

/**
 * The config after a variable was renamed from `from` to `to`: `{{from}}` in the prompt and the
 * opening statement becomes `{{to}}`, and the knowledge query variable follows. Unchanged when
 * either name is not a valid variable name.
 *
 * @example
 *   renameVariableReferences({ pre_prompt: "About {{topic}}" }, "topic", "subject").pre_prompt // → "About {{subject}}"
 */
export function renameVariableReferences(config: ModelConfig, from: string, to: string): ModelConfig {
  if (from === to || !VARIABLE_NAME.test(from) || !VARIABLE_NAME.test(to)) return config;
  const rename = (text: unknown) => (typeof text === "string" ? text.split(`{{${from}}}`).join(`{{${to}}}`) : text);
  const next: ModelConfig = { ...config, pre_prompt: rename(config.pre_prompt), opening_statement: rename(config.opening_statement) };
  if (config.pre_prompt === undefined) delete next.pre_prompt;
  if (config.opening_statement === undefined) delete next.opening_statement;
  if (config.dataset_query_variable === from) next.dataset_query_variable = to;
  return next;
}

/** Moves one item of a list; out-of-range moves leave it as it is. */
export function move<T>(list: T[], from: number, to: number): T[] {
  if (from < 0 || from >= list.length || to < 0 || to >= list.length || from === to) return list;
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item!);
  return next;
}

/** Sets one completion parameter; an empty value removes it (the model's default applies). */
export function setCompletionParam(config: ModelConfig, name: string, value: number | undefined): ModelConfig {
  const model = object(config.model);
  const params = { ...object(model.completion_params) };
  if (value === undefined || Number.isNaN(value)) delete params[name];
  else params[name] = value;
  return { ...config, model: { ...model, completion_params: params } };
}

/** The knowledge the app retrieves from: `dataset_configs.datasets.datasets[].dataset.id`. */
export function datasetIds(config: ModelConfig): string[] {
  const entries = object(object(config.dataset_configs).datasets).datasets;
  return Array.isArray(entries) ? entries.map((entry) => object(object(entry).dataset)).filter((d) => typeof d.id === "string" && d.enabled !== false).map((d) => d.id as string) : [];
}

export function setDatasetIds(config: ModelConfig, ids: string[]): ModelConfig {
  const configs = object(config.dataset_configs);
  return {
    ...config,
    dataset_configs: { retrieval_model: "multiple", ...configs, datasets: { ...object(configs.datasets), datasets: ids.map((id) => ({ dataset: { enabled: true, id } })) } },
  };
}

/** A retrieval setting of `dataset_configs` (`top_k`, `score_threshold`, `score_threshold_enabled`…). */
export function setRetrieval(config: ModelConfig, change: Json): ModelConfig {
  return { ...config, dataset_configs: { retrieval_model: "multiple", ...object(config.dataset_configs), ...change } };
}

export interface AgentTool {
  provider_type: string;
  provider_id: string;
  provider_name?: string;
  tool_name: string;
  tool_label?: string;
  tool_parameters: Json;
  enabled: boolean;
  [key: string]: unknown;
}

export const agentMode = (config: ModelConfig): Json => object(config.agent_mode);

export function agentTools(config: ModelConfig): AgentTool[] {
  const tools = agentMode(config).tools;
  return Array.isArray(tools)
    ? tools.filter((tool) => object(tool).tool_name !== undefined).map((tool) => ({ ...(tool as AgentTool), tool_parameters: object((tool as Json).tool_parameters), enabled: (tool as Json).enabled !== false }))
    : [];
}

export function setAgentMode(config: ModelConfig, change: Json): ModelConfig {
  return { ...config, agent_mode: { enabled: true, strategy: "function_call", max_iteration: 5, tools: [], ...agentMode(config), ...change } };
}

/**
 * A tool's parameters as the tool picker edits them (`{type: "mixed", value}`, as a workflow's
 * tool node stores them) and back to the plain values of `agent_mode.tools[].tool_parameters`.
 */
export const toPickerParameters = (parameters: Json): Json => Object.fromEntries(Object.entries(parameters).map(([name, value]) => [name, { type: "mixed", value: value ?? "" }]));

export const fromPickerParameters = (parameters: Json): Json =>
  Object.fromEntries(Object.entries(parameters).map(([name, input]) => [name, object(input).value ?? ""]));
