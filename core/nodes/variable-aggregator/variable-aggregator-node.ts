import { defineNode, succeeded, type NodeContext } from "../../engine";
import { variableAggregatorNodeDataSchema, variableAssignerLegacyNodeDataSchema, type VariableAggregatorNodeData } from "./schema";

/** First selector whose value exists: after a branch, the branch that ran supplies it. */
function firstValue(ctx: NodeContext<unknown>, selectors: string[][]): unknown {
  for (const selector of selectors) {
    const value = ctx.resolve(selector);
    if (value !== undefined && value !== null) return value;
  }
  return null;
}

function run(ctx: NodeContext<VariableAggregatorNodeData>) {
  const settings = ctx.config.advanced_settings;
  if (settings?.group_enabled) {
    const outputs: Record<string, unknown> = {};
    for (const group of settings.groups) outputs[group.group_name] = { output: firstValue(ctx, group.variables) };
    return succeeded(outputs);
  }
  return succeeded({ output: firstValue(ctx, ctx.config.variables) });
}

export const variableAggregatorNode = defineNode({ type: "variable-aggregator", schema: variableAggregatorNodeDataSchema, run });

export const variableAssignerLegacyNode = defineNode({
  type: "variable-assigner",
  schema: variableAssignerLegacyNodeDataSchema,
  run: (ctx) => run(ctx as unknown as NodeContext<VariableAggregatorNodeData>),
});
