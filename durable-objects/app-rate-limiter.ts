import { DurableObject } from "cloudflare:workers";
import type { Env } from "../workers/env";

/** A request still counted as active after this long is assumed lost (Dify also expires them). */
const ACTIVE_TTL_MS = 10 * 60 * 1000;
const MINUTE_MS = 60_000;

export interface AcquireRequest {
  requestId: string;
  /** Dify's `app_max_active_requests`; 0 means no limit. */
  maxActive: number;
  keyId: string;
  /** Requests per minute per API key; 0 means no limit. */
  rpm: number;
  now: number;
}

export type AcquireResult = { ok: true } | { ok: false; reason: "active" | "rpm"; retryAfterSeconds: number; limit: number };

/**
 * One instance per app (`idFromName(appId)`): counts the app's active generation requests
 * (blocking until answered, streaming until the stream closes) and each API key's requests in the
 * last minute. State lives in memory: a single instance serialises every decision, and losing it
 * on eviction only forgets a few seconds of counts.
 */
export class AppRateLimiter extends DurableObject<Env> {
  private readonly active = new Map<string, number>();
  private readonly recent = new Map<string, number[]>();

  async acquire(request: AcquireRequest): Promise<AcquireResult> {
    const { now } = request;
    for (const [id, expires] of this.active) if (expires <= now) this.active.delete(id);
    if (request.rpm > 0) {
      const window = (this.recent.get(request.keyId) ?? []).filter((at) => at > now - MINUTE_MS);
      this.recent.set(request.keyId, window);
      if (window.length >= request.rpm) {
        return { ok: false, reason: "rpm", limit: request.rpm, retryAfterSeconds: Math.max(1, Math.ceil((window[0]! + MINUTE_MS - now) / 1000)) };
      }
    }
    if (request.maxActive > 0 && this.active.size >= request.maxActive) {
      return { ok: false, reason: "active", limit: request.maxActive, retryAfterSeconds: 1 };
    }
    if (request.rpm > 0) this.recent.get(request.keyId)!.push(now);
    if (request.maxActive > 0) this.active.set(request.requestId, now + ACTIVE_TTL_MS);
    return { ok: true };
  }

  async release(requestId: string): Promise<void> {
    this.active.delete(requestId);
  }

  async activeCount(): Promise<number> {
    return this.active.size;
  }
}
