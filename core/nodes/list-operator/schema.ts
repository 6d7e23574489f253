import { z } from "zod";
import { baseNodeDataSchema, selectorSchema } from "../../dsl";
import { comparisonOperatorSchema } from "../conditions";

export const listFilterConditionSchema = z.looseObject({
  key: z.string().default(""),
  comparison_operator: comparisonOperatorSchema,
  value: z.unknown().optional(),
});

export const listOperatorNodeDataSchema = baseNodeDataSchema.extend({
  type: z.literal("list-operator"),
  variable: selectorSchema.min(2),
  filter_by: z.looseObject({ enabled: z.boolean().default(false), conditions: z.array(listFilterConditionSchema).default([]) }).nullish(),
  order_by: z.looseObject({ enabled: z.boolean().default(false), key: z.string().default(""), value: z.enum(["asc", "desc"]).default("asc") }).nullish(),
  limit: z.looseObject({ enabled: z.boolean().default(false), size: z.number().int().min(0).default(-1) }).nullish(),
  extract_by: z.looseObject({ enabled: z.boolean().default(false), serial: z.union([z.string(), z.number()]).nullish() }).nullish(),
});
export type ListOperatorNodeData = z.infer<typeof listOperatorNodeDataSchema>;
