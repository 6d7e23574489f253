import { z } from "zod";
import { baseNodeDataSchema, selectorSchema } from "../../dsl";

export const iterationNodeDataSchema = baseNodeDataSchema.extend({
  type: z.literal("iteration"),
  iterator_selector: selectorSchema.min(2),
  output_selector: selectorSchema.default([]),
  is_parallel: z.boolean().default(false),
  parallel_nums: z.number().int().min(1).default(10),
  error_handle_mode: z.enum(["terminated", "continue-on-error", "remove-abnormal-output"]).default("terminated"),
  flatten_output: z.boolean().default(true),
  start_node_id: z.string().nullish(),
});
export type IterationNodeData = z.infer<typeof iterationNodeDataSchema>;
