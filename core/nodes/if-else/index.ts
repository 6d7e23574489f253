export { ifElseNode } from "./if-else-node";
export { ifElseNodeDataSchema, ifElseCaseSchema, type IfElseNodeData } from "./schema";
