import type { ModelRuntime } from "../models";
import type { Clock, FetchLike, Ids } from "../ports";

/**
 * The side-effect protocols a node may use. Each is optional: a graph that needs a missing port
 * fails at that node with a clear error, and tests pass fakes.
 */

export type CodeLanguage = "javascript" | "python3";

export interface CodeRunLimits {
  timeoutMs?: number;
  memoryBytes?: number;
  maxOutputBytes?: number;
}

/** Why a code run failed, so the node can report Dify-like errors without parsing messages. */
export type CodeRunFailureKind = "timeout" | "memory" | "syntax" | "runtime" | "output" | "unsupported-language";

/**
 * `logs`: what the code printed (`print()`, `console.log`), already capped by the sandbox.
 * `stats`: timings measured inside the sandbox, when it reports them (`bootMs`: it had to start first).
 */
export type CodeRunOutcome =
  | { ok: true; result: Record<string, unknown>; logs?: string[]; stats?: CodeRunStats }
  | { ok: false; error: string; kind: CodeRunFailureKind; logs?: string[]; stats?: CodeRunStats };

export interface CodeRunStats {
  executionMs: number;
  bootMs?: number;
}

/** Runs `main(**inputs)` of user code in a sandbox and returns its JSON result. */
export interface CodeRunner {
  run(
    language: CodeLanguage,
    code: string,
    inputs: Record<string, unknown>,
    limits?: CodeRunLimits,
    signal?: AbortSignal,
  ): Promise<CodeRunOutcome>;
}

/** Outbound HTTP for user-configured URLs; implementations enforce the SSRF guard. */
export interface HttpClient {
  fetch: FetchLike;
}

/** One earlier exchange of the conversation a chat run belongs to (oldest first in `turns`). */
export interface ConversationTurn {
  query: string;
  answer: string;
}

/**
 * The conversation's history for chat runs (chatflows and easy-mode chat apps), loaded once by
 * the caller before the run starts, so nodes with `memory` never query a database.
 */
export interface ConversationMemory {
  turns: ConversationTurn[];
}

export interface NodePorts {
  code?: CodeRunner;
  /** Earlier turns of the conversation (chat runs only). */
  memory?: ConversationMemory;
  http?: HttpClient;
  /** Chat, embeddings and rerank for llm, question-classifier and parameter-extractor (`core/models`). */
  models?: ModelRuntime;
  /** Other ports (models, files, datasets, tools) are added by the nodes that need them. */
  [port: string]: unknown;
}

/** Waits `ms` milliseconds, or rejects when `signal` aborts. Injected so tests never wait. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

export type { Clock, Ids };
