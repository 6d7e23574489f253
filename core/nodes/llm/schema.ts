import { z } from "zod";
import { baseNodeDataSchema, selectorSchema } from "../../dsl";

/** `model{provider, name, mode, completion_params}`, shared by llm, question-classifier and parameter-extractor. */
export const modelConfigSchema = z.looseObject({
  provider: z.string(),
  name: z.string(),
  mode: z.string().default("chat"),
  completion_params: z.record(z.string(), z.unknown()).nullish(),
});
export type ModelConfig = z.infer<typeof modelConfigSchema>;

export const promptMessageSchema = z.looseObject({
  role: z.string().default("user"),
  text: z.string().default(""),
  edition_type: z.string().nullish(),
  jinja2_text: z.string().nullish(),
});
export type PromptMessageData = z.infer<typeof promptMessageSchema>;

export const memoryConfigSchema = z.looseObject({
  role_prefix: z.looseObject({ user: z.string().default(""), assistant: z.string().default("") }).nullish(),
  window: z.looseObject({ enabled: z.boolean().default(false), size: z.number().int().nullish() }).nullish(),
  query_prompt_template: z.string().nullish(),
});
export type MemoryConfig = z.infer<typeof memoryConfigSchema>;

export const variableBindingSchema = z.looseObject({ variable: z.string().min(1), value_selector: selectorSchema });

export const llmNodeDataSchema = baseNodeDataSchema.extend({
  type: z.literal("llm"),
  model: modelConfigSchema,
  /** chat: a list of messages; completion: one prompt. */
  prompt_template: z.union([z.array(promptMessageSchema), promptMessageSchema]).default([]),
  prompt_config: z.looseObject({ jinja2_variables: z.array(variableBindingSchema).nullish() }).nullish(),
  memory: memoryConfigSchema.nullish(),
  context: z.looseObject({ enabled: z.boolean().default(false), variable_selector: selectorSchema.nullish() }).nullish(),
  vision: z
    .looseObject({
      enabled: z.boolean().default(false),
      configs: z.looseObject({ variable_selector: selectorSchema.nullish(), detail: z.string().nullish() }).nullish(),
    })
    .nullish(),
  structured_output: z.looseObject({ schema: z.record(z.string(), z.unknown()).nullish() }).nullish(),
  structured_output_enabled: z.boolean().nullish(),
  /**
   * Waggle's addition: models tried in order when the node's model fails before answering
   * (an outage, a rate limit that outlasted the retries, a missing credential).
   */
  fallback_models: z.array(modelConfigSchema).max(5).nullish(),
  /** `tagged` keeps reasoning inside `<think>` in `text`; `separated` puts it in `reasoning_content`. */
  reasoning_format: z.string().nullish(),
});
export type LlmNodeData = z.infer<typeof llmNodeDataSchema>;
