export { agentNode, agentStrategyOf, DEFAULT_MAXIMUM_ITERATIONS, MAX_ITERATIONS_CAP } from "./agent-node";
export { buildAgentNodeData, type AgentNodeOptions, type AgentToolSpec } from "./build-agent-node-data";
export { parseReactOutput, reactSystemPrompt, type ReactStep } from "./react-prompt";
export { agentModelSchema, agentNodeDataSchema, agentParameterSchema, agentStrategies, agentToolEntrySchema, type AgentModel, type AgentNodeData, type AgentToolEntry } from "./schema";
export type { ToolCallRecord } from "./agent-strategy";
