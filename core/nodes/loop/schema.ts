import { z } from "zod";
import { baseNodeDataSchema } from "../../dsl";
import { conditionSchema, logicalOperatorSchema } from "../conditions";

export const loopVariableSchema = z.looseObject({
  label: z.string().min(1),
  var_type: z.string().default("string"),
  value_type: z.enum(["variable", "constant"]).default("constant"),
  value: z.unknown().optional(),
});
export type LoopVariable = z.infer<typeof loopVariableSchema>;

export const loopNodeDataSchema = baseNodeDataSchema.extend({
  type: z.literal("loop"),
  /** The maximum number of rounds. */
  loop_count: z.number().int().min(0),
  break_conditions: z.array(conditionSchema).default([]),
  logical_operator: logicalOperatorSchema.default("and"),
  loop_variables: z.array(loopVariableSchema).nullish(),
  start_node_id: z.string().nullish(),
  outputs: z.record(z.string(), z.unknown()).nullish(),
});
export type LoopNodeData = z.infer<typeof loopNodeDataSchema>;
