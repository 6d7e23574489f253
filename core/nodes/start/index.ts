export { startNode } from "./start-node";
export { startNodeDataSchema, startVariableSchema, type StartNodeData, type StartVariable } from "./schema";
export { validateStartInputs } from "./validate-inputs";
