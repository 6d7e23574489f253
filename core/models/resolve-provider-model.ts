import { createAnthropic } from "@ai-sdk/anthropic";
import { createGoogleGenerativeAI } from "@ai-sdk/google";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { EmbeddingModel, LanguageModel, SpeechModel, TranscriptionModel } from "ai";
import { createWorkersAI } from "workers-ai-provider";
import type { FetchLike } from "../ports";
import { ModelError } from "./model-error";
import { canonicalProvider, findProvider, OPENAI_VOICES, type ModelType } from "./provider-catalog";

export type ProviderCredentials = Record<string, unknown>;

/** Looks up the stored credentials for a provider (and model, for customizable providers). */
export type CredentialSource = (provider: string, model: string, modelType: ModelType) => Promise<ProviderCredentials | undefined>;

export type WorkersAiBinding = Parameters<typeof createWorkersAI>[0]["binding"];

export interface ProviderContext {
  fetch: FetchLike;
  credentials: CredentialSource;
  /** The `AI` binding; absent locally, where Workers AI is unavailable. */
  workersAi?: WorkersAiBinding;
}

export interface ResolvedModel {
  provider: string;
  /** The id sent to the endpoint (`endpoint_model_name` when set). */
  modelId: string;
  credentials: ProviderCredentials;
}

const str = (value: unknown): string | undefined => (typeof value === "string" && value.trim() ? value.trim() : undefined);

/** Dify's `openai_api_base` is a host root; it appends `/v1`. */
export function withV1(base: string): string {
  const trimmed = base.replace(/\/+$/, "");
  return trimmed.endsWith("/v1") ? trimmed : `${trimmed}/v1`;
}

/** Gemini's API root: a bare host (as Dify users often enter it) gets `/v1beta`. */
function geminiBase(base: string | undefined): string | undefined {
  if (!base) return undefined;
  const trimmed = base.replace(/\/+$/, "");
  return /\/v1(beta|alpha)?$/.test(trimmed) ? trimmed : `${trimmed}/v1beta`;
}

export const WORKERS_AI_UNAVAILABLE = "Workers AI needs the AI binding, which is configured only in production";

export async function resolveCredentials(context: ProviderContext, provider: string, model: string, modelType: ModelType): Promise<ResolvedModel> {
  const name = canonicalProvider(provider);
  const spec = findProvider(name);
  if (!spec) throw new ModelError("provider_not_initialize", `Provider ${provider} does not exist.`);
  if (!spec.supported_model_types.includes(modelType)) throw new ModelError("model_currently_not_support", `Provider ${provider} has no ${modelType} models.`);
  if (name === "workers_ai") {
    if (!context.workersAi) throw new ModelError("provider_not_initialize", WORKERS_AI_UNAVAILABLE);
    return { provider: name, modelId: model, credentials: {} };
  }
  const credentials = await context.credentials(name, model, modelType);
  if (!credentials) {
    throw new ModelError("provider_not_initialize", `Provider ${name} credentials are not initialized${spec.configurate_methods.includes("customizable-model") ? ` for model ${model}` : ""}.`);
  }
  return { provider: name, modelId: str(credentials.endpoint_model_name) ?? model, credentials };
}

function compatibleProvider(context: ProviderContext, credentials: ProviderCredentials) {
  const endpoint = str(credentials.endpoint_url);
  if (!endpoint) throw new ModelError("provider_not_initialize", "endpoint_url is required for an OpenAI-API-compatible model.");
  return createOpenAICompatible({
    name: "openai_api_compatible",
    baseURL: endpoint.replace(/\/+$/, ""),
    apiKey: str(credentials.api_key),
    includeUsage: true,
    fetch: context.fetch as typeof globalThis.fetch,
  });
}

/** Language models built per fetch function, by provider, mode, model and credentials. */
const builtModels = new WeakMap<FetchLike, Map<string, LanguageModel>>();
const MAX_MODELS_PER_FETCH = 64;

/**
 * The AI SDK language model for a resolved provider. Models are plain configuration (an AI SDK
 * model builds its response schemas when it is made, which costs more than the request itself),
 * so one made over the same fetch with the same credentials is reused; a changed credential is a
 * new key. Workers AI models hold the binding and are made each time.
 */
export function languageModelFor(context: ProviderContext, resolved: ResolvedModel, mode: "chat" | "completion"): LanguageModel {
  if (resolved.provider === "workers_ai") return buildLanguageModel(context, resolved, mode);
  let models = builtModels.get(context.fetch);
  if (!models) builtModels.set(context.fetch, (models = new Map()));
  const key = JSON.stringify([resolved.provider, mode, resolved.modelId, resolved.credentials]);
  let model = models.get(key);
  if (!model) {
    model = buildLanguageModel(context, resolved, mode);
    if (models.size >= MAX_MODELS_PER_FETCH) models.delete(models.keys().next().value!);
    models.set(key, model);
  }
  return model;
}

function buildLanguageModel(context: ProviderContext, resolved: ResolvedModel, mode: "chat" | "completion"): LanguageModel {
  const { credentials, modelId } = resolved;
  const fetch = context.fetch as typeof globalThis.fetch;
  switch (resolved.provider) {
    case "openai": {
      const base = str(credentials.openai_api_base);
      const openai = createOpenAI({ apiKey: str(credentials.openai_api_key), organization: str(credentials.openai_organization), baseURL: base ? withV1(base) : undefined, fetch });
      return mode === "completion" ? openai.completion(modelId) : openai.chat(modelId);
    }
    case "openai_api_compatible": {
      const provider = compatibleProvider(context, credentials);
      const configured = str(credentials.mode);
      return (configured ?? mode) === "completion" ? provider.completionModel(modelId) : provider.chatModel(modelId);
    }
    case "anthropic": {
      const base = str(credentials.anthropic_api_url);
      return createAnthropic({ apiKey: str(credentials.anthropic_api_key), baseURL: base ? withV1(base) : undefined, fetch })(modelId);
    }
    case "gemini": {
      return createGoogleGenerativeAI({ apiKey: str(credentials.google_api_key), baseURL: geminiBase(str(credentials.google_base_url)), fetch })(modelId);
    }
    case "workers_ai":
      return createWorkersAI({ binding: context.workersAi! })(modelId as Parameters<ReturnType<typeof createWorkersAI>>[0]);
    default:
      throw new ModelError("provider_not_initialize", `Provider ${resolved.provider} has no language models.`);
  }
}

export function embeddingModelFor(context: ProviderContext, resolved: ResolvedModel): EmbeddingModel {
  const { credentials, modelId } = resolved;
  const fetch = context.fetch as typeof globalThis.fetch;
  switch (resolved.provider) {
    case "openai": {
      const base = str(credentials.openai_api_base);
      return createOpenAI({ apiKey: str(credentials.openai_api_key), organization: str(credentials.openai_organization), baseURL: base ? withV1(base) : undefined, fetch }).embeddingModel(modelId);
    }
    case "openai_api_compatible":
      return compatibleProvider(context, credentials).embeddingModel(modelId);
    case "gemini":
      return createGoogleGenerativeAI({ apiKey: str(credentials.google_api_key), baseURL: geminiBase(str(credentials.google_base_url)), fetch }).embeddingModel(modelId);
    case "workers_ai":
      return createWorkersAI({ binding: context.workersAi! }).embedding(modelId as Parameters<ReturnType<typeof createWorkersAI>["embedding"]>[0]);
    default:
      throw new ModelError("model_currently_not_support", `Provider ${resolved.provider} has no embedding models.`);
  }
}

/**
 * OpenAI's audio API for either provider: `openai` with its provider credentials, or an
 * OpenAI-compatible endpoint (`/audio/transcriptions`, `/audio/speech`) with per-model ones.
 */
function openAiAudioProvider(context: ProviderContext, resolved: ResolvedModel) {
  const { credentials } = resolved;
  const fetch = context.fetch as typeof globalThis.fetch;
  if (resolved.provider === "openai") {
    const base = str(credentials.openai_api_base);
    return createOpenAI({ apiKey: str(credentials.openai_api_key), organization: str(credentials.openai_organization), baseURL: base ? withV1(base) : undefined, fetch });
  }
  if (resolved.provider === "openai_api_compatible") {
    const endpoint = str(credentials.endpoint_url);
    if (!endpoint) throw new ModelError("provider_not_initialize", "endpoint_url is required for an OpenAI-API-compatible model.");
    // An empty key (local servers need none) keeps the SDK from looking for OPENAI_API_KEY.
    return createOpenAI({ name: "openai_api_compatible", baseURL: endpoint.replace(/\/+$/, ""), apiKey: str(credentials.api_key) ?? "", fetch });
  }
  return undefined;
}

export function transcriptionModelFor(context: ProviderContext, resolved: ResolvedModel): TranscriptionModel {
  const provider = openAiAudioProvider(context, resolved);
  if (!provider) throw new ModelError("model_currently_not_support", `Provider ${resolved.provider} has no speech-to-text models.`);
  return provider.transcription(resolved.modelId);
}

export function speechModelFor(context: ProviderContext, resolved: ResolvedModel): SpeechModel {
  const provider = openAiAudioProvider(context, resolved);
  if (!provider) throw new ModelError("model_currently_not_support", `Provider ${resolved.provider} has no text-to-speech models.`);
  return provider.speech(resolved.modelId);
}

/**
 * The voices a text-to-speech model offers, default first: OpenAI's list, or the `voices` an
 * OpenAI-compatible model was configured with (comma-separated; `alloy` when none).
 */
export function voicesOf(resolved: ResolvedModel): string[] {
  if (resolved.provider === "openai_api_compatible") {
    const configured = (str(resolved.credentials.voices) ?? "").split(",").map((voice) => voice.trim()).filter(Boolean);
    return configured.length ? configured : ["alloy"];
  }
  return OPENAI_VOICES;
}
