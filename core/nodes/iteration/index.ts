export { iterationNode } from "./iteration-node";
export { iterationNodeDataSchema, type IterationNodeData } from "./schema";
