export { listOperatorNode } from "./list-operator-node";
export { listOperatorNodeDataSchema, listFilterConditionSchema, type ListOperatorNodeData } from "./schema";
