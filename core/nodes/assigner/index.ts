export { assignerNode } from "./assigner-node";
export { applyOperation, emptyValueOf, AssignerOperationError } from "./apply-operation";
export { assignerNodeDataSchema, assignerItemSchema, assignerOperationSchema, type AssignerNodeData, type AssignerOperation } from "./schema";
