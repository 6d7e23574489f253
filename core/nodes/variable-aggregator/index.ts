export { variableAggregatorNode, variableAssignerLegacyNode } from "./variable-aggregator-node";
export { variableAggregatorNodeDataSchema, variableAssignerLegacyNodeDataSchema, aggregatorGroupSchema, type VariableAggregatorNodeData } from "./schema";
