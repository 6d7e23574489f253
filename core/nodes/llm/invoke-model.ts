import { failed, type NodeContext, type NodeRunFailed } from "../../engine";
import { collectStream, type ChatRequest, type ChatResult, type LlmUsage, type ModelError, type ModelRuntime, type ModelStreamPart } from "../../models";
import type { ModelConfig } from "./schema";

const errorTypes: Record<ModelError["kind"], string> = {
  provider_not_initialize: "ProviderTokenNotInitError",
  model_currently_not_support: "ModelCurrentlyNotSupportError",
  authorization: "InvokeAuthorizationError",
  rate_limit: "InvokeRateLimitError",
  server_unavailable: "InvokeServerUnavailableError",
  connection: "InvokeConnectionError",
  bad_request: "InvokeBadRequestError",
  timeout: "InvokeConnectionError",
  cancelled: "InvokeError",
};

/** Dify's node metadata for a model call; `total_tokens` feeds the run's total. */
export function usageMetadata(usage: LlmUsage) {
  return { total_tokens: usage.total_tokens, total_price: usage.total_price, currency: usage.currency };
}

/** The model runtime from `ctx.ports.models`, or a failure saying none is configured. */
export function modelsPort(ctx: NodeContext<unknown>): ModelRuntime | NodeRunFailed {
  const models = ctx.ports.models;
  if (!models) return failed("No model runtime is configured for this run", "ProviderTokenNotInitError");
  return models;
}

export type InvokeOutcome = { ok: true; result: ChatResult } | { ok: false; failure: NodeRunFailed };

/**
 * Runs one model call for a node: a `ModelError` becomes a failed result (data, not an exception)
 * with Dify's error type; `onPart` sees every stream part (the LLM node streams text from it).
 */
export async function invokeModel(
  models: ModelRuntime,
  request: ChatRequest,
  extra: Pick<NodeRunFailed, "inputs" | "process_data"> = {},
  onPart?: (part: ModelStreamPart) => void,
): Promise<InvokeOutcome> {
  try {
    return { ok: true, result: await collectStream(models.stream(request), onPart) };
  } catch (error) {
    const modelError = error as ModelError;
    if (!modelError?.kind) throw error;
    return { ok: false, failure: failed(modelError.message, errorTypes[modelError.kind] ?? "InvokeError", extra) };
  }
}

/** The part of a chat request every model-using node fills the same way. */
export function requestBase(model: ModelConfig, signal: AbortSignal): Pick<ChatRequest, "provider" | "model" | "mode" | "parameters" | "signal"> {
  return {
    provider: model.provider,
    model: model.name,
    mode: model.mode === "completion" ? "completion" : "chat",
    parameters: model.completion_params ?? undefined,
    signal,
  };
}

/**
 * Calls the node's model and, if it fails before any output was streamed, each fallback model in
 * turn (Waggle's per-node `fallback_models`, beyond Dify). Cancellation never falls back. Each
 * failed attempt is listed in `process_data.fallback_attempts`; `process_data.model_name` /
 * `model_provider` name the model that answered.
 */
export async function invokeWithFallbacks(
  models: ModelRuntime,
  requests: ChatRequest[],
  extra: Pick<NodeRunFailed, "inputs" | "process_data"> = {},
  onPart?: (part: ModelStreamPart) => void,
): Promise<InvokeOutcome> {
  const attempts: Array<{ provider: string; model: string; error: string }> = [];
  for (let index = 0; ; index++) {
    const request = requests[index]!;
    let streamed = false;
    const outcome = await invokeModel(models, request, extra, (part) => {
      if (part.type === "text-delta" || part.type === "reasoning-delta" || part.type === "tool-call") streamed = true;
      onPart?.(part);
    });
    const last = index === requests.length - 1;
    if (outcome.ok || streamed || last || request.signal?.aborted) {
      if (attempts.length && extra.process_data) {
        extra.process_data.fallback_attempts = attempts;
        if (outcome.ok) Object.assign(extra.process_data, { model_provider: request.provider, model_name: request.model });
      }
      if (!outcome.ok && attempts.length) outcome.failure.process_data = { ...(outcome.failure.process_data ?? {}), fallback_attempts: attempts };
      return outcome;
    }
    attempts.push({ provider: request.provider, model: request.model, error: outcome.failure.error });
  }
}
