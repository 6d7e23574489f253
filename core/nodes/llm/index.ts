export { llmNode } from "./llm-node";
export { buildChatMessages, contextText, historyMessages, historyText, memoryMessages, renderJinja, renderPromptText } from "./build-prompt";
export { invokeModel, modelsPort, requestBase, usageMetadata, type InvokeOutcome } from "./invoke-model";
export { parseJsonOutput } from "./parse-json-output";
export {
  llmNodeDataSchema,
  memoryConfigSchema,
  modelConfigSchema,
  promptMessageSchema,
  variableBindingSchema,
  type LlmNodeData,
  type MemoryConfig,
  type ModelConfig,
  type PromptMessageData,
} from "./schema";
