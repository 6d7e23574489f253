import { z } from "zod";
import { baseNodeDataSchema, selectorSchema } from "../../dsl";

export const aggregatorGroupSchema = z.looseObject({
  group_name: z.string().min(1),
  output_type: z.string().nullish(),
  variables: z.array(selectorSchema).default([]),
  groupId: z.string().nullish(),
});

const aggregatorFields = {
  output_type: z.string().nullish(),
  variables: z.array(selectorSchema).default([]),
  advanced_settings: z
    .looseObject({ group_enabled: z.boolean().default(false), groups: z.array(aggregatorGroupSchema).default([]) })
    .nullish(),
};

export const variableAggregatorNodeDataSchema = baseNodeDataSchema.extend({ type: z.literal("variable-aggregator"), ...aggregatorFields });
/** The legacy spelling of the same node. */
export const variableAssignerLegacyNodeDataSchema = baseNodeDataSchema.extend({ type: z.literal("variable-assigner"), ...aggregatorFields });
export type VariableAggregatorNodeData = z.infer<typeof variableAggregatorNodeDataSchema>;
