/**
 * Dify's agent node keeps its settings in `agent_parameters`, each `{type, value}`: the model
 * (`{provider, model, mode, completion_params}`), the tools (entries with `parameters[name] =
 * {auto, value}`: auto 0 fixes the value, 1 lets the model fill it), the instruction, the query
 * and the round cap. These read and write them for the node's form.
 */
import { object } from "./form-values";
type Json = Record<string, unknown>;


export const DEFAULT_STRATEGY_PROVIDER = "langgenius/agent/agent";
export const AGENT_STRATEGIES: Array<[string, string]> = [
  ["function_calling", "Function calling"],
  ["ReAct", "ReAct"],
];

/** One `agent_parameters` entry's value. */
export const parameterValue = (data: Json, name: string): unknown => object(object(data.agent_parameters)[name]).value;

/** `agent_parameters` with one entry replaced. */
export function withParameter(data: Json, name: string, type: "constant" | "mixed" | "variable", value: unknown): Json {
  return { ...object(data.agent_parameters), [name]: { type, value } };
}

/** The model in the shape the model picker edits (`name` for Dify's `model`). */
export function pickerModel(data: Json): Json {
  const model = object(parameterValue(data, "model"));
  return { ...model, name: model.model ?? model.name ?? "" };
}

/** The picker's model back in the agent's shape. */
export function agentModel(picked: Json): Json {
  const { name, ...rest } = picked;
  return { ...rest, model: name, mode: picked.mode ?? "chat", completion_params: object(picked.completion_params) };
}

export interface AgentTool extends Json {
  enabled: boolean;
  type: string;
  provider_name: string;
  provider_id?: string | null;
  tool_name: string;
  tool_label?: string;
  settings: Json;
  parameters: Record<string, { auto: 0 | 1; value: unknown }>;
}

export const agentTools = (data: Json): AgentTool[] => {
  const value = parameterValue(data, "tools");
  return Array.isArray(value) ? (value.filter((tool) => tool && typeof tool === "object") as AgentTool[]) : [];
};

/** A tool entry as the tool picker edits it (a tool node's fields; a fixed value is a `mixed` input). */
export function pickerTool(tool: AgentTool): Json {
  const inputs = Object.entries(object(tool.parameters)).flatMap(([name, raw]) => {
    const parameter = object(raw);
    return parameter.auto === 0 ? [[name, { type: "mixed", value: parameter.value ?? "" }]] : [];
  });
  return {
    type: "tool",
    title: tool.tool_label ?? tool.tool_name,
    provider_type: tool.type,
    provider_id: tool.provider_id ?? tool.provider_name,
    provider_name: tool.provider_name,
    tool_name: tool.tool_name,
    tool_parameters: Object.fromEntries(inputs),
  };
}

/**
 * The picker's change applied to an agent tool entry: a parameter given a value is fixed
 * (auto 0); one left empty is the model's to fill (auto 1).
 */
export function agentToolFrom(current: AgentTool | undefined, patch: Json): AgentTool {
  const picked = { ...(current ? pickerTool(current) : {}), ...patch };
  const sameTool = current && current.tool_name === picked.tool_name && (current.provider_id ?? current.provider_name) === picked.provider_id;
  const parameters: AgentTool["parameters"] = {};
  for (const [name, raw] of Object.entries(object(picked.tool_parameters))) {
    const value = object(raw).value;
    parameters[name] = value === undefined || value === null || value === "" ? { auto: 1, value: null } : { auto: 0, value };
  }
  return {
    enabled: current?.enabled ?? true,
    type: String(picked.provider_type ?? "builtin"),
    provider_name: String(picked.provider_name ?? ""),
    provider_id: picked.provider_id === undefined ? null : String(picked.provider_id),
    tool_name: String(picked.tool_name ?? ""),
    tool_label: String(picked.tool_label ?? picked.title ?? picked.tool_name ?? ""),
    settings: sameTool ? object(current.settings) : {},
    parameters: sameTool ? { ...Object.fromEntries(Object.entries(current.parameters ?? {}).filter(([name]) => !(name in parameters))), ...parameters } : parameters,
  };
}
