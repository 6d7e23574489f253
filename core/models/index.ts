export { createModelRuntime, type ModelRuntimeOptions, type RetryPolicy } from "./create-model-runtime";
export {
  collectStream,
  OPENAI_MODERATION_MODEL,
  type ModerateRequest,
  type ModerateResult,
  type ChatMessage,
  type ChatImage,
  type ChatRequest,
  type ChatResult,
  type EmbedRequest,
  type EmbedResult,
  type FinishReason,
  type ModelRuntime,
  type ModelStreamPart,
  type RerankRequest,
  type RerankResult,
  type SpeakRequest,
  type SpeakResult,
  type ToolCall,
  type ToolDefinition,
  type TranscribeRequest,
  type TranscribeResult,
} from "./model-runtime";
export { ModelError, isModelError, toModelError, type ModelErrorKind } from "./model-error";
export { silentWav } from "./silent-wav";
export { splitSpeechText } from "./split-speech-text";
export { findModelPrice, priceTable, type ModelPrice } from "./price-table";
export {
  canonicalProvider,
  fieldsForModelType,
  findProvider,
  modelTypes,
  OPENAI_VOICES,
  providerCatalog,
  secretFields,
  type ConfigurateMethod,
  type CredentialFormField,
  type ModelType,
  type ProviderSpec,
} from "./provider-catalog";
export { WORKERS_AI_UNAVAILABLE, type CredentialSource, type ProviderCredentials, type WorkersAiBinding } from "./resolve-provider-model";
export { addUsage, buildUsage, emptyUsage, estimateTokens, priceOf, sumUsages, type LlmUsage } from "./usage";
