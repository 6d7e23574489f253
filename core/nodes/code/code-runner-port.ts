import type { CodeLanguage, CodeRunFailureKind as PortFailureKind, CodeRunLimits as PortLimits, CodeRunner as CodeRunnerPort, CodeRunOutcome } from "../../engine";
import type { CodeRunFailureKind, CodeRunner } from "../../sandbox";

export const PYTHON_UNSUPPORTED_MESSAGE = "Python is not supported in this runtime; use JavaScript";

const kindMap: Record<CodeRunFailureKind, PortFailureKind> = {
  timeout: "timeout",
  memory: "memory",
  syntax: "syntax",
  runtime: "runtime",
  output_too_large: "output",
  invalid_output: "output",
  input_too_large: "runtime",
};

/**
 * Adapts sandbox runners (one per language) to the engine's `ports.code`. A language without a
 * runner fails with `unsupported-language`, never silently.
 *
 * @example
 * ports.code = createCodeRunnerPort({ javascript: createQuickJsRunner({ wasmModule }) });
 */
export function createCodeRunnerPort(runners: Partial<Record<CodeLanguage, CodeRunner>>): CodeRunnerPort {
  return {
    async run(language: CodeLanguage, code: string, inputs: Record<string, unknown>, limits?: PortLimits, signal?: AbortSignal): Promise<CodeRunOutcome> {
      const runner = runners[language];
      if (!runner) {
        const error = language === "python3" ? PYTHON_UNSUPPORTED_MESSAGE : `Code language "${String(language)}" is not supported; use JavaScript`;
        return { ok: false, kind: "unsupported-language", error };
      }
      if (signal?.aborted) return { ok: false, kind: "runtime", error: "The run was cancelled before the code started" };
      const outcome = await runner.run({
        code,
        inputs,
        limits: { timeoutMs: limits?.timeoutMs, memoryBytes: limits?.memoryBytes, maxOutputChars: limits?.maxOutputBytes },
      });
      const extra = { ...(outcome.logs?.length && { logs: outcome.logs }), ...(outcome.stats && { stats: outcome.stats }) };
      if (outcome.ok) return { ok: true, result: outcome.result, ...extra };
      return { ok: false, kind: kindMap[outcome.kind], error: outcome.error, ...extra };
    },
  };
}
