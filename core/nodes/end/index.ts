export { endNode } from "./end-node";
export { endNodeDataSchema, type EndNodeData } from "./schema";
