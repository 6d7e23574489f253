import type { ModelError } from "./model-error";
import type { LlmUsage } from "./usage";

/**
 * The model-runtime port: the one interface nodes see. Implementations wrap the AI SDK
 * (`createModelRuntime`) or are fakes in tests.
 */

export interface ToolCall {
  id: string;
  name: string;
  /** The arguments as the model sent them (a JSON string). */
  arguments: string;
}

/**
 * An image sent with a user message (vision), as bytes: callers download links themselves through
 * the egress guard (the SDK would otherwise fetch URLs with the global `fetch`).
 */
export interface ChatImage {
  data: Uint8Array;
  mediaType?: string;
  /** Dify's `detail`: `low` or `high`. */
  detail?: "low" | "high";
}

export type ChatMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string; images?: ChatImage[] }
  | { role: "assistant"; content: string; toolCalls?: ToolCall[] }
  | { role: "tool"; content: string; toolCallId: string; toolName: string };

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
}

export interface ChatRequest {
  /** Dify's provider id, short (`openai`) or plugin-style (`langgenius/openai/openai`). */
  provider: string;
  model: string;
  /** `completion` sends one prompt to a completions endpoint where the provider has one. */
  mode?: "chat" | "completion";
  messages: ChatMessage[];
  /** Dify's `completion_params`: temperature, top_p, max_tokens, presence_penalty, frequency_penalty, stop, seed. */
  parameters?: Record<string, unknown>;
  tools?: ToolDefinition[];
  toolChoice?: "auto" | "required" | "none" | { name: string };
  /** Ask for JSON matching this schema (structured output). */
  jsonSchema?: Record<string, unknown>;
  signal?: AbortSignal;
}

export type FinishReason = "stop" | "length" | "tool-calls" | "content-filter" | "error" | "other";

/** What a streaming call yields: one union on `type`. Exactly one `finish` or `error` ends it. */
export type ModelStreamPart =
  | { type: "text-delta"; text: string }
  | { type: "reasoning-delta"; text: string }
  | { type: "tool-call"; toolCall: ToolCall }
  | { type: "retry"; attempt: number; delayMs: number; error: ModelError }
  | { type: "finish"; finishReason: FinishReason; usage: LlmUsage }
  | { type: "error"; error: ModelError };

export interface ChatResult {
  text: string;
  reasoning: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: LlmUsage;
}

export interface EmbedRequest {
  provider: string;
  model: string;
  texts: string[];
  signal?: AbortSignal;
}

export interface EmbedResult {
  embeddings: number[][];
  usage: LlmUsage;
}

export interface RerankRequest {
  provider: string;
  model: string;
  query: string;
  documents: string[];
  topN?: number;
  scoreThreshold?: number;
  signal?: AbortSignal;
}

export interface RerankResult {
  /** Best first; `index` points into the request's documents. */
  results: Array<{ index: number; score: number; text: string }>;
}

export interface TranscribeRequest {
  provider: string;
  model: string;
  /** The recorded audio (mp3, mp4/m4a, wav, webm, ogg, flac: the format is read from the bytes). */
  audio: Uint8Array;
  signal?: AbortSignal;
}

export interface TranscribeResult {
  /** The transcript; empty for silence. */
  text: string;
  /** ISO 639-1, when the provider detected it. */
  language?: string;
  durationInSeconds?: number;
}

export interface SpeakRequest {
  provider: string;
  model: string;
  text: string;
  /** A voice of the model; the model's default voice when absent. */
  voice?: string;
  /** `mp3` unless asked otherwise (Dify answers `audio/mpeg`). */
  format?: "mp3" | "wav" | "opus" | "aac" | "flac";
  speed?: number;
  signal?: AbortSignal;
}

export interface SpeakResult {
  audio: Uint8Array;
  /** What the provider sent (`audio/mpeg`, `audio/wav`...). */
  mediaType: string;
  /** The voice that was used. */
  voice: string;
}

export interface ModelRuntime {
  /** Streams a chat or completion call. Never throws: failures arrive as an `error` part. */
  stream(request: ChatRequest): AsyncIterable<ModelStreamPart>;
  /** The same call collected; throws `ModelError` on failure. */
  generate(request: ChatRequest): Promise<ChatResult>;
  embed(request: EmbedRequest): Promise<EmbedResult>;
  rerank(request: RerankRequest): Promise<RerankResult>;
  /** Speech to text (Dify's `speech2text` models); throws `ModelError`. */
  transcribe(request: TranscribeRequest): Promise<TranscribeResult>;
  /** Text to speech (Dify's `tts` models); throws `ModelError`. */
  speak(request: SpeakRequest): Promise<SpeakResult>;
  /** The voices of a text-to-speech model, its default first. */
  voices(request: { provider: string; model: string }): Promise<string[]>;
  /** Dify's OpenAI Moderation: whether the workspace's OpenAI provider flags the text; throws `ModelError`. */
  moderate(request: ModerateRequest): Promise<ModerateResult>;
}

/** The model Dify's OpenAI Moderation asks. */
export const OPENAI_MODERATION_MODEL = "omni-moderation-latest";

export interface ModerateRequest {
  text: string;
  signal?: AbortSignal;
}

export interface ModerateResult {
  flagged: boolean;
}

/**
 * Collects a stream into a result, throwing the `error` part as `ModelError`.
 *
 * @example
 * const result = await collectStream(runtime.stream(request));
 */
export async function collectStream(parts: AsyncIterable<ModelStreamPart>, onPart?: (part: ModelStreamPart) => void): Promise<ChatResult> {
  let text = "";
  let reasoning = "";
  const toolCalls: ToolCall[] = [];
  for await (const part of parts) {
    onPart?.(part);
    switch (part.type) {
      case "text-delta":
        text += part.text;
        break;
      case "reasoning-delta":
        reasoning += part.text;
        break;
      case "tool-call":
        toolCalls.push(part.toolCall);
        break;
      case "retry":
        break;
      case "error":
        throw part.error;
      case "finish":
        return { text, reasoning, toolCalls, finishReason: part.finishReason, usage: part.usage };
    }
  }
  throw new Error("The model stream ended without a finish part");
}
