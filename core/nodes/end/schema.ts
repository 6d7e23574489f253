import { z } from "zod";
import { baseNodeDataSchema, selectorSchema } from "../../dsl";

export const endOutputSchema = z.looseObject({
  variable: z.string().min(1),
  value_type: z.string().nullish(),
  value_selector: selectorSchema,
});

export const endNodeDataSchema = baseNodeDataSchema.extend({
  type: z.literal("end"),
  outputs: z.array(endOutputSchema).default([]),
});
export type EndNodeData = z.infer<typeof endNodeDataSchema>;
