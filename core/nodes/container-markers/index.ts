export { iterationStartNode, loopStartNode, loopEndNode } from "./container-marker-nodes";
export { iterationStartNodeDataSchema, loopStartNodeDataSchema, loopEndNodeDataSchema } from "./schema";
