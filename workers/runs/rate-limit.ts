import type { Context } from "hono";
import { TooManyRequestsError } from "../../core/errors";
import type { AcquireRequest, AcquireResult } from "../../durable-objects/app-rate-limiter";
import type { AppEnv } from "../http/app-env";
import { assertTokenQuota } from "./token-quota";

interface LimiterStub {
  acquire(request: AcquireRequest): Promise<AcquireResult>;
  release(requestId: string): Promise<void>;
}

/** The limits that apply to the calling app and key; zero means none. */
export function limitsFor(c: Context<AppEnv>): { maxActive: number; rpm: number } {
  const app = c.var.serviceApp;
  const fallbackActive = Number(c.env.WAGGLE_APP_MAX_ACTIVE_REQUESTS ?? 0) || 0;
  return {
    maxActive: app.maxActiveRequests !== null && app.maxActiveRequests !== undefined && app.maxActiveRequests > 0 ? app.maxActiveRequests : fallbackActive,
    rpm: Number(c.env.WAGGLE_API_KEY_RPM ?? 0) || 0,
  };
}

/**
 * Runs a generation request under the workspace's token quota and the app's limits (Dify's `app_max_active_requests`, plus
 * requests per minute per API key): over a limit it answers 429 `too_many_requests` with
 * `Retry-After`. A blocking request counts as active until it is answered, a streaming one until
 * its stream ends or the client goes away. With no limit configured nothing is consulted.
 */
export async function withRateLimit(c: Context<AppEnv>, handler: () => Promise<Response>): Promise<Response> {
  await assertTokenQuota(c);
  const { maxActive, rpm } = limitsFor(c);
  if (maxActive <= 0 && rpm <= 0) return handler();
  const app = c.var.serviceApp;
  const stub = c.env.APP_RATE_LIMITER.get(c.env.APP_RATE_LIMITER.idFromName(app.id)) as unknown as LimiterStub;
  const requestId = crypto.randomUUID();
  const verdict = await stub.acquire({ requestId, maxActive, keyId: c.var.apiKeyId, rpm, now: Date.now() });
  if (!verdict.ok) {
    const message =
      verdict.reason === "active"
        ? `Too many requests. Please try again later. The current maximum concurrent requests allowed for ${app.name} is ${verdict.limit}.`
        : `Too many requests. This API key may make ${verdict.limit} requests per minute; try again in ${verdict.retryAfterSeconds} s.`;
    throw new TooManyRequestsError(message, verdict.retryAfterSeconds);
  }
  if (maxActive <= 0) return handler();
  const release = () => stub.release(requestId).catch((error: unknown) => console.error("releasing a rate-limit slot failed", error));
  let response: Response;
  try {
    response = await handler();
  } catch (error) {
    await release();
    throw error;
  }
  if (!response.body || !response.headers.get("Content-Type")?.startsWith("text/event-stream")) {
    await release();
    return response;
  }
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const done = response.body
    .pipeTo(writable)
    .catch(() => undefined)
    .finally(release);
  try {
    c.executionCtx.waitUntil(done);
  } catch {
    // No execution context (in-process tests): the promise still settles on its own.
  }
  return new Response(readable, { status: response.status, headers: response.headers });
}
