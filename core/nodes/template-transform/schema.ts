import { z } from "zod";
import { baseNodeDataSchema, selectorSchema } from "../../dsl";

export const variableBindingSchema = z.looseObject({ variable: z.string().min(1), value_selector: selectorSchema });

export const templateTransformNodeDataSchema = baseNodeDataSchema.extend({
  type: z.literal("template-transform"),
  variables: z.array(variableBindingSchema).default([]),
  template: z.string().default(""),
});
export type TemplateTransformNodeData = z.infer<typeof templateTransformNodeDataSchema>;
