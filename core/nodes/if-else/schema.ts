import { z } from "zod";
import { baseNodeDataSchema } from "../../dsl";
import { conditionSchema, logicalOperatorSchema } from "../conditions";

export const ifElseCaseSchema = z.looseObject({
  case_id: z.string(),
  logical_operator: logicalOperatorSchema.default("and"),
  conditions: z.array(conditionSchema).default([]),
});

export const ifElseNodeDataSchema = baseNodeDataSchema.extend({
  type: z.literal("if-else"),
  cases: z.array(ifElseCaseSchema).nullish(),
  /** Deprecated single-case form: one case whose handle is `true`. */
  logical_operator: logicalOperatorSchema.nullish(),
  conditions: z.array(conditionSchema).nullish(),
});
export type IfElseNodeData = z.infer<typeof ifElseNodeDataSchema>;
