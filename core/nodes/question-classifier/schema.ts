import { z } from "zod";
import { baseNodeDataSchema, selectorSchema } from "../../dsl";
import { memoryConfigSchema, modelConfigSchema } from "../llm/schema";

export const questionClassifierNodeDataSchema = baseNodeDataSchema.extend({
  type: z.literal("question-classifier"),
  query_variable_selector: selectorSchema,
  model: modelConfigSchema,
  classes: z.array(z.looseObject({ id: z.string(), name: z.string().default("") })).min(1),
  instruction: z.string().nullish(),
  memory: memoryConfigSchema.nullish(),
  vision: z.looseObject({ enabled: z.boolean().default(false) }).nullish(),
});
export type QuestionClassifierNodeData = z.infer<typeof questionClassifierNodeDataSchema>;
