export { toolNode } from "./tool-node";
export { isTypedInput, resolveToolInput, toolsPort, typedInputReferences } from "./tool-inputs";
export { toolInputSchema, toolNodeDataSchema, type ToolInput, type ToolNodeData } from "./schema";
