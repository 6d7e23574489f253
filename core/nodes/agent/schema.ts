import { z } from "zod";
import { baseNodeDataSchema } from "../../dsl";
import { memoryConfigSchema } from "../llm/schema";

/** One entry of `agent_parameters`: `{type: constant | variable | mixed, value}`. */
export const agentParameterSchema = z.looseObject({ type: z.string().default("constant"), value: z.unknown() });

/** The model selector's value (`model`, Dify's name; `name` accepted too). */
export const agentModelSchema = z.looseObject({
  provider: z.string().min(1),
  model: z.string().optional(),
  name: z.string().optional(),
  mode: z.string().nullish(),
  completion_params: z.record(z.string(), z.unknown()).nullish(),
});
export type AgentModel = z.infer<typeof agentModelSchema>;

/**
 * One tool entry of `agent_parameters.tools.value`, as Dify's agent node writes it.
 * `settings` are fixed values; `parameters[name].auto` 0 fixes `value`, 1 (default) lets the model fill it.
 */
export const agentToolEntrySchema = z.looseObject({
  enabled: z.boolean().default(true),
  /** Dify's provider type: builtin, api, workflow, mcp. */
  type: z.string().default("builtin"),
  provider_name: z.string().default(""),
  provider_id: z.string().nullish(),
  tool_name: z.string().min(1),
  tool_label: z.string().nullish(),
  tool_description: z.string().nullish(),
  settings: z.record(z.string(), z.unknown()).nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  extra: z.looseObject({ description: z.string().nullish() }).nullish(),
});
export type AgentToolEntry = z.infer<typeof agentToolEntrySchema>;

export const agentStrategies = ["function_calling", "ReAct"] as const;

/** Dify's agent node `data`. */
export const agentNodeDataSchema = baseNodeDataSchema.extend({
  type: z.literal("agent"),
  agent_strategy_provider_name: z.string().default("langgenius/agent/agent"),
  /** `function_calling` or `ReAct` (`react` / `cot` accepted). */
  agent_strategy_name: z.string().default("function_calling"),
  agent_strategy_label: z.string().nullish(),
  agent_parameters: z.record(z.string(), agentParameterSchema).default({}),
  memory: memoryConfigSchema.nullish(),
});
export type AgentNodeData = z.infer<typeof agentNodeDataSchema>;
