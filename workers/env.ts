import type { D1Migration } from "@cloudflare/vitest-pool-workers";

/** Bindings and variables of the Worker (see wrangler.toml). Only `workers/` and `durable-objects/` read it. */
export interface Env {
  DB: D1Database;
  WORKFLOW_RUN: DurableObjectNamespace;
  VECTOR_INDEX: DurableObjectNamespace;
  /** Per-app active-request and per-key RPM counters (`durable-objects/app-rate-limiter.ts`). */
  APP_RATE_LIMITER: DurableObjectNamespace;
  INGEST_QUEUE: Queue;
  FILES: R2Bucket;
  ASSETS?: Fetcher;
  /** Production only; the local stand-in DO is used when absent. */
  VECTORIZE?: VectorizeIndex;
  /** The Vectorize index's dimension; shorter embeddings are zero-padded to it (cosine unchanged). */
  VECTORIZE_DIMENSIONS?: string;
  /** Production only. */
  AI?: Ai;
  /** Worker Loader: starts the per-tenant Python sandbox isolates. Python code nodes need it. */
  LOADER?: WorkerLoader;
  WAGGLE_ENV: string;
  /** Key material for AES-GCM credential encryption (a Worker secret; `.dev.vars` locally). */
  WAGGLE_SECRET_KEY: string;
  /** "true" only in local test setups: lets user-configured HTTP reach 127.0.0.1. */
  WAGGLE_ALLOW_LOOPBACK_EGRESS?: string;
  /** Default `app_max_active_requests` for apps without their own (Dify's APP_MAX_ACTIVE_REQUESTS); 0 or unset: no limit. */
  WAGGLE_APP_MAX_ACTIVE_REQUESTS?: string;
  /** Requests per minute allowed per service API key on generation endpoints; 0 or unset: no limit. */
  WAGGLE_API_KEY_RPM?: string;
  /**
   * How long a streaming chat answer keeps going after its client disconnected, waiting for the
   * client to resume it (`GET /v1/chat-messages/{task_id}/events`, `/v1/completion-messages/{task_id}/events`); then it is stopped. Default 30.
   */
  WAGGLE_CHAT_RESUME_GRACE_SECONDS?: string;
  /**
   * Seconds a resolved service API key is kept in the isolate's memory (default 5; 0: query D1 on
   * every call). Console writes clear it in their isolate; others see a revoked key within this time.
   */
  WAGGLE_API_KEY_CACHE_SECONDS?: string;
  /** "true" under `npm start`: the Worker logs each request (method, path, status, time). */
  WAGGLE_LOG_REQUESTS?: string;
  /** Tests only: comma-separated loopback origins (e.g. the mock model server) model calls may reach. */
  WAGGLE_LOOPBACK_EGRESS_ORIGINS?: string;
  /** Tests only: the migrations to apply. */
  TEST_MIGRATIONS?: D1Migration[];
}

declare global {
  // Lets `cloudflare:test`'s `env` carry our bindings.
  namespace Cloudflare {
    interface Env extends WaggleEnv {}
  }
}
type WaggleEnv = Env;
