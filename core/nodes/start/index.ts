export { startNode } from "./start-node";
export { startNodeDataSchema, startVariableSchema, startInputTypeSchema, type StartNodeData, type StartVariable } from "./schema";
export { validateStartInputs } from "./validate-inputs";
export { startVariablesOf, validateRunInputs } from "./run-inputs";
