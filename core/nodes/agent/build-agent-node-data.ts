import type { AgentNodeData } from "./schema";

/** A tool as easy-mode apps list it (`model_config.agent_mode.tools[]`). */
export interface AgentToolSpec {
  provider_type: string;
  provider_id: string;
  provider_name?: string;
  tool_name: string;
  /** Values the author fixed; empty values are left to the model. */
  tool_parameters?: Record<string, unknown>;
  enabled?: boolean;
  /** Overrides the tool's own description for the model. */
  description?: string;
}

export interface AgentNodeOptions {
  title?: string;
  model: { provider: string; name: string; mode?: string; completion_params?: Record<string, unknown> };
  tools: AgentToolSpec[];
  /** `function_calling` (default) or `ReAct`. Easy mode's `function_call` / `react` / `cot` work too. */
  strategy?: string;
  /** A template: `{{#sys.query#}}` by default. */
  query?: string;
  instruction?: string;
  maximumIterations?: number;
  memory?: AgentNodeData["memory"];
}

/**
 * The `data` of an agent node for a generated graph (e.g. an `agent-chat` app compiled to a
 * chatflow), in the shape Dify's editor writes.
 *
 * @example
 * const data = buildAgentNodeData({
 *   model: { provider: "openai", name: "gpt-4o-mini" },
 *   tools: [{ provider_type: "builtin", provider_id: "time", tool_name: "current_time", tool_parameters: { timezone: "UTC" } }],
 *   instruction: "You are a helpful assistant.",
 *   maximumIterations: 5,
 * });
 * graph.nodes.push({ id: "agent", data });
 */
export function buildAgentNodeData(options: AgentNodeOptions): AgentNodeData {
  const strategy = /^(react|cot)$/i.test(options.strategy ?? "") ? "ReAct" : "function_calling";
  const tools = options.tools.map((tool) => ({
    enabled: tool.enabled !== false,
    type: tool.provider_type,
    provider_id: tool.provider_id,
    provider_name: tool.provider_name ?? tool.provider_id,
    tool_name: tool.tool_name,
    parameters: Object.fromEntries(
      Object.entries(tool.tool_parameters ?? {}).map(([name, value]) => [name, value === undefined || value === null || value === "" ? { auto: 1, value: null } : { auto: 0, value }]),
    ),
    ...(tool.description ? { extra: { description: tool.description } } : {}),
  }));
  return {
    type: "agent",
    title: options.title ?? "Agent",
    version: "1",
    agent_strategy_provider_name: "langgenius/agent/agent",
    agent_strategy_name: strategy,
    agent_strategy_label: strategy === "ReAct" ? "ReAct" : "FunctionCalling",
    agent_parameters: {
      model: { type: "constant", value: { provider: options.model.provider, model: options.model.name, model_type: "llm", mode: options.model.mode ?? "chat", completion_params: options.model.completion_params ?? {} } },
      tools: { type: "constant", value: tools },
      instruction: { type: "constant", value: options.instruction ?? "" },
      query: { type: "mixed", value: options.query ?? "{{#sys.query#}}" },
      maximum_iterations: { type: "constant", value: options.maximumIterations ?? 5 },
    },
    ...(options.memory ? { memory: options.memory } : {}),
  };
}
