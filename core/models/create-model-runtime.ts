import type { LanguageModelV3, LanguageModelV3Prompt } from "@ai-sdk/provider";
import { embedMany, experimental_generateSpeech as generateSpeech, experimental_transcribe as transcribe, jsonSchema, NoTranscriptGeneratedError, Output, streamText, tool, type LanguageModel, type ModelMessage, type ToolSet } from "ai";
import { systemClock, type Clock, type FetchLike } from "../ports";
import { ModelError, toModelError } from "./model-error";
import {
  collectStream,
  OPENAI_MODERATION_MODEL,
  type ChatMessage,
  type ChatRequest,
  type EmbedRequest,
  type EmbedResult,
  type FinishReason,
  type ModelRuntime,
  type ModelStreamPart,
  type ModerateRequest,
  type ModerateResult,
  type RerankRequest,
  type RerankResult,
  type SpeakRequest,
  type SpeakResult,
  type TranscribeRequest,
  type TranscribeResult,
} from "./model-runtime";
import { findModelPrice, priceTable, type ModelPrice } from "./price-table";
import {
  embeddingModelFor,
  languageModelFor,
  resolveCredentials,
  speechModelFor,
  transcriptionModelFor,
  voicesOf,
  withV1,
  type CredentialSource,
  type WorkersAiBinding,
} from "./resolve-provider-model";
import { buildUsage, estimateTokens } from "./usage";

export interface RetryPolicy {
  /** Further attempts after the first. Default 2. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface ModelRuntimeOptions {
  /** Used for every provider request; in Workers, the SSRF-guarded egress. */
  fetch: FetchLike;
  credentials: CredentialSource;
  workersAi?: WorkersAiBinding;
  retry?: Partial<RetryPolicy>;
  /** Waits between retries; injected so tests never wait. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  clock?: Clock;
  prices?: Record<string, Record<string, ModelPrice>>;
}

const defaultRetry: RetryPolicy = { maxRetries: 2, baseDelayMs: 500, maxDelayMs: 8_000 };

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason);
    }, { once: true });
  });

function toModelMessages(messages: ChatMessage[]): ModelMessage[] {
  return messages.map((message): ModelMessage => {
    switch (message.role) {
      case "system":
        return { role: "system", content: message.content };
      case "user":
        if (!message.images?.length) return { role: "user", content: message.content };
        return {
          role: "user",
          content: [
            ...(message.content ? [{ type: "text" as const, text: message.content }] : []),
            ...message.images.map((image) => ({
              type: "image" as const,
              image: image.data,
              ...(image.mediaType ? { mediaType: image.mediaType } : {}),
              ...(image.detail ? { providerOptions: { openai: { imageDetail: image.detail } } } : {}),
            })),
          ],
        };
      case "assistant":
        if (!message.toolCalls?.length) return { role: "assistant", content: message.content };
        return {
          role: "assistant",
          content: [
            ...(message.content ? [{ type: "text" as const, text: message.content }] : []),
            ...message.toolCalls.map((call) => ({ type: "tool-call" as const, toolCallId: call.id, toolName: call.name, input: safeJson(call.arguments) })),
          ],
        };
      case "tool":
        return { role: "tool", content: [{ type: "tool-result", toolCallId: message.toolCallId, toolName: message.toolName, output: { type: "text", value: message.content } }] };
    }
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}

const num = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)) ? Number(value) : undefined);

/** Dify's `completion_params` to AI SDK call settings. */
function callSettings(parameters: Record<string, unknown> = {}) {
  const stop = parameters.stop;
  return {
    temperature: num(parameters.temperature),
    topP: num(parameters.top_p),
    topK: num(parameters.top_k),
    maxOutputTokens: num(parameters.max_tokens),
    presencePenalty: num(parameters.presence_penalty),
    frequencyPenalty: num(parameters.frequency_penalty),
    seed: num(parameters.seed),
    stopSequences: Array.isArray(stop) ? stop.map(String) : typeof stop === "string" && stop ? [stop] : undefined,
  };
}

/** The parts of a model stream this runtime reads: `streamText`'s `fullStream` parts, or the same made from a provider's own stream. */
type StreamedPart =
  | { type: "text-delta" | "reasoning-delta"; text: string }
  | { type: "tool-call"; toolCallId: string; toolName: string; input: unknown }
  | { type: "finish"; finishReason: string; totalUsage: { inputTokens?: number; outputTokens?: number } }
  | { type: "error"; error: unknown }
  | { type: "abort" }
  | { type: "other" };

/**
 * The prompt `streamText` would hand the provider for a plain text call, or null when the call
 * needs more of `streamText`: tools, structured output, images or tool messages, settings it
 * would refuse (it checks them), an empty prompt (it refuses that too), or a model of an older
 * specification.
 */
function plainTextPrompt(model: LanguageModel, request: ChatRequest, mode: "chat" | "completion", settings: ReturnType<typeof callSettings>): LanguageModelV3Prompt | null {
  if (typeof model !== "object" || model.specificationVersion !== "v3") return null;
  if (request.tools?.length || request.jsonSchema || request.messages.length === 0) return null;
  if (settings.maxOutputTokens !== undefined && !(Number.isInteger(settings.maxOutputTokens) && settings.maxOutputTokens >= 1)) return null;
  if (settings.seed !== undefined && !Number.isInteger(settings.seed)) return null;
  if (mode === "completion") return [{ role: "user", content: [{ type: "text", text: promptText(request.messages) }] }];
  const prompt: LanguageModelV3Prompt = [];
  for (const message of request.messages) {
    if (message.role === "system") prompt.push({ role: "system", content: message.content });
    else if (message.role === "user" && !message.images?.length) prompt.push({ role: "user", content: [{ type: "text", text: message.content }] });
    else if (message.role === "assistant" && !message.toolCalls?.length) prompt.push({ role: "assistant", content: [{ type: "text", text: message.content }] });
    else return null;
  }
  return prompt;
}

/**
 * A plain text call straight through the provider's own stream (`doStream`, the AI SDK's
 * provider interface), with what `streamText` adds on top left out: its prompt validation,
 * telemetry spans, tool and step machinery and stream stages took about 1.8 ms of a chat turn's
 * first token on the local benchmark (docs/architecture.md, "Runs").
 */
async function* providerStream(model: LanguageModelV3, prompt: LanguageModelV3Prompt, settings: ReturnType<typeof callSettings>, signal: AbortSignal | undefined): AsyncGenerator<StreamedPart> {
  const { stream } = await model.doStream({ ...settings, prompt, abortSignal: signal });
  const reader = stream.getReader();
  let done = false;
  // As with `streamText`, the caller's abort ends the stream at once (a read waiting on the body
  // is let go), whatever the aborted request's body does next.
  const onAbort = () => void reader.cancel(signal?.reason).catch(() => undefined);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (;;) {
      if (signal?.aborted) {
        yield { type: "abort" };
        return;
      }
      const next = await reader.read();
      if (signal?.aborted) {
        yield { type: "abort" };
        return;
      }
      if (next.done) {
        done = true;
        return;
      }
      const part = next.value;
      if (part.type === "text-delta" || part.type === "reasoning-delta") yield { type: part.type, text: part.delta };
      else if (part.type === "finish") yield { type: "finish", finishReason: part.finishReason.unified, totalUsage: { inputTokens: part.usage.inputTokens.total, outputTokens: part.usage.outputTokens.total } };
      else if (part.type === "error") yield { type: "error", error: part.error };
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    // Left early (an error part, an abort, or the caller stopped reading): the request is not read on.
    if (!done) reader.cancel().catch(() => undefined);
  }
}

const finishReasons = new Set<FinishReason>(["stop", "length", "tool-calls", "content-filter", "error", "other"]);

/** The audio's media type as the provider labelled it, else as the SDK read it from the bytes. */
function audioMediaType(headers: Record<string, string> | undefined, detected: string): string {
  const declared = headers?.["content-type"]?.split(";")[0]?.trim().toLowerCase();
  const type = declared?.startsWith("audio/") ? declared : detected;
  return type === "audio/mp3" ? "audio/mpeg" : type;
}

function promptText(messages: ChatMessage[]): string {
  return messages.map((message) => message.content).join("\n");
}

/**
 * The model runtime over the Vercel AI SDK. Retries 429, 5xx and network failures with
 * exponential backoff (or the server's `Retry-After`) — but only until the first token or tool
 * call arrived: a stream that already produced output is never replayed.
 *
 * @example
 * const models = createModelRuntime({ fetch: egress.fetch, credentials: (provider, model) => repo.load(provider, model) });
 * for await (const part of models.stream({ provider: "openai", model: "gpt-4o-mini", messages })) ...
 */
export function createModelRuntime(options: ModelRuntimeOptions): ModelRuntime {
  const retry = { ...defaultRetry, ...options.retry };
  const sleep = options.sleep ?? defaultSleep;
  const clock = options.clock ?? systemClock;
  const context = { fetch: options.fetch, credentials: options.credentials, workersAi: options.workersAi };
  const prices = options.prices ?? priceTable;

  const delayFor = (attempt: number, error: ModelError) =>
    Math.min(retry.maxDelayMs, error.retryAfterMs ?? retry.baseDelayMs * 2 ** attempt);

  async function* stream(request: ChatRequest): AsyncGenerator<ModelStreamPart> {
    const started = clock.now();
    const mode = request.mode ?? "chat";
    let model;
    let resolved;
    try {
      resolved = await resolveCredentials(context, request.provider, request.model, "llm");
      model = languageModelFor(context, resolved, mode);
    } catch (error) {
      yield { type: "error", error: toModelError(error, request.signal) };
      return;
    }
    const tools: ToolSet | undefined = request.tools?.length
      ? Object.fromEntries(request.tools.map((definition) => [definition.name, tool({ description: definition.description, inputSchema: jsonSchema(definition.parameters as never) })]))
      : undefined;
    const toolChoice = typeof request.toolChoice === "object" ? { type: "tool" as const, toolName: request.toolChoice.name } : request.toolChoice;

    for (let attempt = 0; ; attempt++) {
      let emitted = false;
      let firstOutputAt: number | undefined;
      let text = "";
      let toolArguments = "";
      let failure: ModelError | undefined;
      let finish: { reason: FinishReason; input?: number; output?: number } | undefined;
      try {
        const settings = callSettings(request.parameters);
        const common = {
          model,
          tools,
          toolChoice,
          maxRetries: 0,
          abortSignal: request.signal,
          // Dify prompts carry the app author's system messages in order; that is intended here.
          allowSystemInMessages: true,
          ...settings,
          ...(request.jsonSchema ? { output: Output.object({ schema: jsonSchema(request.jsonSchema as never) }) } : {}),
          onError: () => {},
        };
        const plain = plainTextPrompt(model, request, mode, settings);
        const parts: AsyncIterable<StreamedPart> = plain
          ? providerStream(model as LanguageModelV3, plain, settings, request.signal)
          : ((mode === "completion" ? streamText({ ...common, prompt: promptText(request.messages) }) : streamText({ ...common, messages: toModelMessages(request.messages) })).fullStream as AsyncIterable<StreamedPart>);
        for await (const part of parts) {
          if (part.type === "text-delta" || part.type === "reasoning-delta") {
            if (!part.text) continue;
            emitted = true;
            firstOutputAt ??= clock.now();
            if (part.type === "text-delta") text += part.text;
            yield { type: part.type, text: part.text };
          } else if (part.type === "tool-call") {
            emitted = true;
            firstOutputAt ??= clock.now();
            const args = JSON.stringify(part.input ?? {});
            toolArguments += args;
            yield { type: "tool-call", toolCall: { id: part.toolCallId, name: part.toolName, arguments: args } };
          } else if (part.type === "finish") {
            const reason = finishReasons.has(part.finishReason as FinishReason) ? (part.finishReason as FinishReason) : "other";
            finish = { reason, input: part.totalUsage.inputTokens, output: part.totalUsage.outputTokens };
          } else if (part.type === "error") {
            failure = toModelError(part.error, request.signal);
            break;
          } else if (part.type === "abort") {
            failure = new ModelError("cancelled", "The model request was cancelled");
            break;
          }
        }
      } catch (error) {
        failure = toModelError(error, request.signal);
      }
      if (!failure && !finish) failure = new ModelError("connection", "The model stream ended before it finished");
      if (failure) {
        if (!emitted && failure.isRetryable && attempt < retry.maxRetries && !request.signal?.aborted) {
          const delayMs = delayFor(attempt, failure);
          yield { type: "retry", attempt: attempt + 1, delayMs, error: failure };
          try {
            await sleep(delayMs, request.signal);
          } catch {
            yield { type: "error", error: new ModelError("cancelled", "The model request was cancelled") };
            return;
          }
          continue;
        }
        yield { type: "error", error: failure };
        return;
      }
      const estimated = finish!.input === undefined || finish!.output === undefined;
      const usage = buildUsage({
        promptTokens: finish!.input ?? estimateTokens(promptText(request.messages)),
        completionTokens: finish!.output ?? estimateTokens(text + toolArguments),
        price: findModelPrice(resolved.provider, request.model, prices),
        latencyMs: clock.now() - started,
        timeToFirstTokenMs: firstOutputAt === undefined ? undefined : firstOutputAt - started,
        estimated,
      });
      yield { type: "finish", finishReason: finish!.reason, usage };
      return;
    }
  }

  async function withRetry<T>(signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const failure = toModelError(error, signal);
        if (!failure.isRetryable || attempt >= retry.maxRetries || signal?.aborted) throw failure;
        await sleep(delayFor(attempt, failure), signal);
      }
    }
  }

  return {
    stream,
    generate: (request) => collectStream(stream(request)),

    async embed(request: EmbedRequest): Promise<EmbedResult> {
      const started = clock.now();
      const resolved = await resolveCredentials(context, request.provider, request.model, "text-embedding");
      const model = embeddingModelFor(context, resolved);
      const result = await withRetry(request.signal, () => embedMany({ model, values: request.texts, maxRetries: 0, abortSignal: request.signal }));
      const tokens = result.usage?.tokens;
      const usage = buildUsage({
        promptTokens: tokens ?? request.texts.reduce((sum, text) => sum + estimateTokens(text), 0),
        completionTokens: 0,
        price: findModelPrice(resolved.provider, request.model, prices),
        latencyMs: clock.now() - started,
        estimated: tokens === undefined,
      });
      return { embeddings: result.embeddings, usage };
    },

    async rerank(request: RerankRequest): Promise<RerankResult> {
      const resolved = await resolveCredentials(context, request.provider, request.model, "rerank");
      const endpoint = typeof resolved.credentials.endpoint_url === "string" ? resolved.credentials.endpoint_url.replace(/\/+$/, "") : "";
      if (!endpoint) throw new ModelError("provider_not_initialize", "endpoint_url is required for a rerank model.");
      const apiKey = typeof resolved.credentials.api_key === "string" ? resolved.credentials.api_key : "";
      // Jina and Cohere share this shape; no AI SDK provider speaks it, so it is one small request.
      const body = await withRetry(request.signal, async () => {
        const response = await options.fetch(`${endpoint}/rerank`, {
          method: "POST",
          headers: { "content-type": "application/json", ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
          body: JSON.stringify({ model: resolved.modelId, query: request.query, documents: request.documents, top_n: request.topN ?? request.documents.length }),
          signal: request.signal,
        });
        if (!response.ok) {
          throw toModelError({ statusCode: response.status, message: await response.text().catch(() => ""), responseHeaders: Object.fromEntries(response.headers) });
        }
        return (await response.json()) as { results?: Array<{ index: number; relevance_score?: number; score?: number }> };
      });
      const results = (body.results ?? [])
        .map((item) => ({ index: item.index, score: item.relevance_score ?? item.score ?? 0, text: request.documents[item.index] ?? "" }))
        .filter((item) => request.scoreThreshold === undefined || item.score >= request.scoreThreshold)
        .sort((a, b) => b.score - a.score);
      return { results };
    },

    async transcribe(request: TranscribeRequest): Promise<TranscribeResult> {
      const resolved = await resolveCredentials(context, request.provider, request.model, "speech2text");
      const model = transcriptionModelFor(context, resolved);
      try {
        const result = await withRetry(request.signal, () => transcribe({ model, audio: request.audio, maxRetries: 0, abortSignal: request.signal }));
        return { text: result.text, language: result.language, durationInSeconds: result.durationInSeconds };
      } catch (error) {
        // Silence is a transcript too: the SDK calls an empty one an error.
        if (NoTranscriptGeneratedError.isInstance((error as ModelError).cause ?? error)) return { text: "" };
        throw error;
      }
    },

    async speak(request: SpeakRequest): Promise<SpeakResult> {
      const resolved = await resolveCredentials(context, request.provider, request.model, "tts");
      const model = speechModelFor(context, resolved);
      const voice = request.voice || voicesOf(resolved)[0]!;
      const result = await withRetry(request.signal, () =>
        generateSpeech({ model, text: request.text, voice, outputFormat: request.format ?? "mp3", speed: request.speed, maxRetries: 0, abortSignal: request.signal }),
      );
      return { audio: result.audio.uint8Array, mediaType: audioMediaType(result.responses[0]?.headers, result.audio.mediaType), voice };
    },

    async voices(request) {
      return voicesOf(await resolveCredentials(context, request.provider, request.model, "tts"));
    },

    async moderate(request: ModerateRequest): Promise<ModerateResult> {
      // Dify's OpenAI Moderation always asks the workspace's `openai` provider (one credential for
      // the provider, whatever the model); no AI SDK provider has the endpoint, so it is one request.
      const credentials = await options.credentials("openai", OPENAI_MODERATION_MODEL, "llm");
      const apiKey = typeof credentials?.openai_api_key === "string" ? credentials.openai_api_key.trim() : "";
      if (!apiKey) throw new ModelError("provider_not_initialize", "Content moderation by OpenAI Moderation needs the OpenAI provider's API key; add it under Settings → Model providers.");
      const base = typeof credentials?.openai_api_base === "string" && credentials.openai_api_base.trim() ? withV1(credentials.openai_api_base.trim()) : "https://api.openai.com/v1";
      const organization = typeof credentials?.openai_organization === "string" ? credentials.openai_organization.trim() : "";
      const body = await withRetry(request.signal, async () => {
        const response = await options.fetch(`${base}/moderations`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}`, ...(organization ? { "openai-organization": organization } : {}) },
          body: JSON.stringify({ model: OPENAI_MODERATION_MODEL, input: request.text }),
          signal: request.signal,
        });
        if (!response.ok) {
          throw toModelError({ statusCode: response.status, message: await response.text().catch(() => ""), responseHeaders: Object.fromEntries(response.headers) });
        }
        return (await response.json()) as { results?: Array<{ flagged?: boolean }> };
      });
      return { flagged: (body.results ?? []).some((result) => result.flagged === true) };
    },
  };
}
