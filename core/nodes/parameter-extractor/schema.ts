import { z } from "zod";
import { baseNodeDataSchema, selectorSchema } from "../../dsl";
import { memoryConfigSchema, modelConfigSchema } from "../llm/schema";

export const extractorParameterSchema = z.looseObject({
  name: z.string().min(1),
  /** string, number, bool, select, array[string], array[number], array[object], array[bool]. */
  type: z.string().default("string"),
  options: z.array(z.string()).nullish(),
  description: z.string().default(""),
  required: z.boolean().default(false),
});
export type ExtractorParameter = z.infer<typeof extractorParameterSchema>;

export const parameterExtractorNodeDataSchema = baseNodeDataSchema.extend({
  type: z.literal("parameter-extractor"),
  model: modelConfigSchema,
  query: selectorSchema,
  parameters: z.array(extractorParameterSchema).default([]),
  instruction: z.string().nullish(),
  memory: memoryConfigSchema.nullish(),
  /** `function_call` (tool call, Dify's default) or `prompt` (JSON in the answer). */
  reasoning_mode: z.string().default("function_call"),
  vision: z.looseObject({ enabled: z.boolean().default(false) }).nullish(),
});
export type ParameterExtractorNodeData = z.infer<typeof parameterExtractorNodeDataSchema>;
