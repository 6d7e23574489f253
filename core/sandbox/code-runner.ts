/**
 * The code-runner port: what a code node needs from a sandbox. The QuickJS runner implements it
 * for JavaScript; a Python runner (Pyodide in a dynamic isolate) can implement the same shape.
 */

/** Resource limits for one execution. Every field is optional; defaults are `defaultCodeRunLimits`. */
export interface CodeRunLimits {
  /** Wall-clock budget for evaluating the code, `main`, its promise jobs and the output serialisation. */
  timeoutMs?: number;
  /** QuickJS heap limit in bytes. */
  memoryBytes?: number;
  /** QuickJS stack limit in bytes. */
  stackBytes?: number;
  /** Hard cap on the WebAssembly linear memory of the execution (the heap limit alone is leaky). */
  wasmMemoryBytes?: number;
  /** Maximum UTF-8 size of `JSON.stringify(inputs)`. */
  maxInputBytes?: number;
  /** Maximum length (UTF-16 code units) of the serialised result. */
  maxOutputChars?: number;
  /** Maximum nesting depth of the result (structure only; Dify's depth-5 rule is applied by `validateCodeOutputs`). */
  maxOutputDepth?: number;
  /** Arrays longer than this are refused by the iterating Array methods, which cannot be interrupted. */
  maxArrayIteration?: number;
  /** Captured `console.*` lines kept per execution, and total characters across them. */
  maxLogLines?: number;
  maxLogChars?: number;
  /**
   * Interrupt polls allowed per millisecond of `timeoutMs`. A backstop for clocks that do not
   * advance during synchronous execution (Workers freeze `Date.now()` between I/O events).
   */
  interruptPollsPerMs?: number;
}

export type ResolvedCodeRunLimits = Required<CodeRunLimits>;

export const defaultCodeRunLimits: ResolvedCodeRunLimits = {
  timeoutMs: 5_000,
  memoryBytes: 32 * 1024 * 1024,
  stackBytes: 256 * 1024,
  wasmMemoryBytes: 48 * 1024 * 1024,
  maxInputBytes: 1024 * 1024,
  maxOutputChars: 2_000_000,
  maxOutputDepth: 64,
  maxArrayIteration: 2 ** 21,
  maxLogLines: 100,
  maxLogChars: 64 * 1024,
  interruptPollsPerMs: 10,
};

export type CodeRunFailureKind =
  | "timeout"
  | "memory"
  | "syntax"
  | "runtime"
  | "output_too_large"
  | "input_too_large"
  | "invalid_output";

export interface CodeRunRequest {
  /** Source that defines `function main(args)` (or `async function main`, or an exported one). */
  code: string;
  /** The node's variables; passed to `main` as one object. Must be JSON-serialisable. */
  inputs: Record<string, unknown>;
  /** Per-call overrides of the runner's limits. */
  limits?: CodeRunLimits;
}

/** Timings a runner may report: `executionMs` inside the sandbox, `bootMs` when it had to start first. */
export interface CodeRunStats {
  executionMs: number;
  bootMs?: number;
}

export type CodeRunResult =
  | { ok: true; result: Record<string, unknown>; logs?: string[]; stats?: CodeRunStats }
  | { ok: false; kind: CodeRunFailureKind; error: string; logs?: string[]; stats?: CodeRunStats };

export interface CodeRunner {
  readonly language: "javascript" | "python3";
  run(request: CodeRunRequest): Promise<CodeRunResult>;
}

export function resolveCodeRunLimits(...layers: Array<CodeRunLimits | undefined>): ResolvedCodeRunLimits {
  const resolved: ResolvedCodeRunLimits = { ...defaultCodeRunLimits };
  for (const layer of layers) {
    if (!layer) continue;
    for (const [key, value] of Object.entries(layer) as Array<[keyof CodeRunLimits, number | undefined]>) {
      if (typeof value === "number" && Number.isFinite(value) && value > 0) resolved[key] = value;
    }
  }
  return resolved;
}
