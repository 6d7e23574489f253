/**
 * Why a model call failed, in Dify's vocabulary (`InvokeRateLimitError`, `InvokeAuthorizationError`...).
 * `isRetryable` says whether the same request may succeed later (rate limits, 5xx, network).
 */
export type ModelErrorKind =
  | "provider_not_initialize"
  | "model_currently_not_support"
  | "authorization"
  | "rate_limit"
  | "server_unavailable"
  | "connection"
  | "bad_request"
  | "timeout"
  | "cancelled";

const retryable = new Set<ModelErrorKind>(["rate_limit", "server_unavailable", "connection", "timeout"]);

export class ModelError extends Error {
  override name = "ModelError";
  readonly isRetryable: boolean;
  constructor(
    readonly kind: ModelErrorKind,
    message: string,
    options: { cause?: unknown; status?: number; retryAfterMs?: number; isRetryable?: boolean } = {},
  ) {
    super(message, { cause: options.cause });
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.isRetryable = options.isRetryable ?? retryable.has(kind);
  }
  readonly status?: number;
  readonly retryAfterMs?: number;

  /** Dify's error code for blocking responses: `provider_not_initialize`, `completion_request_error`... */
  get code(): string {
    if (this.kind === "provider_not_initialize" || this.kind === "model_currently_not_support") return this.kind;
    return "completion_request_error";
  }
}

export const isModelError = (error: unknown): error is ModelError => error instanceof ModelError;

function kindForStatus(status: number): ModelErrorKind {
  if (status === 401 || status === 403) return "authorization";
  if (status === 404) return "model_currently_not_support";
  if (status === 408) return "timeout";
  if (status === 429) return "rate_limit";
  if (status >= 500) return "server_unavailable";
  return "bad_request";
}

function retryAfterMs(headers: Record<string, string> | undefined): number | undefined {
  const value = headers?.["retry-after"];
  if (!value) return undefined;
  const seconds = Number(value);
  return Number.isFinite(seconds) ? Math.max(0, seconds * 1000) : undefined;
}

interface ApiCallErrorLike {
  statusCode?: number;
  responseHeaders?: Record<string, string>;
  isRetryable?: boolean;
  message: string;
}

/** Maps whatever the AI SDK or fetch threw to a `ModelError`. */
export function toModelError(error: unknown, signal?: AbortSignal): ModelError {
  if (error instanceof ModelError) return error;
  if (signal?.aborted) return new ModelError("cancelled", "The model request was cancelled", { cause: error });
  const candidate = error as Partial<ApiCallErrorLike> & { name?: string; cause?: unknown; lastError?: unknown };
  if (candidate?.name === "AI_RetryError" && candidate.lastError) return toModelError(candidate.lastError, signal);
  if (typeof candidate?.statusCode === "number") {
    const kind = kindForStatus(candidate.statusCode);
    return new ModelError(kind, `[${candidate.statusCode}] ${candidate.message ?? "Model provider error"}`, {
      cause: error,
      status: candidate.statusCode,
      retryAfterMs: retryAfterMs(candidate.responseHeaders),
    });
  }
  const name = candidate?.name ?? "";
  if (name === "AbortError" || name === "TimeoutError") return new ModelError("timeout", "The model request timed out", { cause: error });
  if (name === "EgressError") return new ModelError("bad_request", candidate.message ?? "The model endpoint is not allowed", { cause: error });
  if (name === "AI_APICallError" || name === "TypeError" || /fetch failed|network|ECONNRE|socket|terminated/i.test(candidate?.message ?? "")) {
    return new ModelError("connection", candidate?.message ?? "Could not reach the model provider", { cause: error });
  }
  return new ModelError("bad_request", candidate?.message ?? String(error), { cause: error });
}
