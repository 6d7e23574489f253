export { loopNode } from "./loop-node";
export { loopNodeDataSchema, loopVariableSchema, type LoopNodeData, type LoopVariable } from "./schema";
