import { defineNode, failed, succeeded, type CodeLanguage, type CodeRunOutcome } from "../../engine";
import { validateCodeOutputs, type CodeOutputDeclarations } from "../../sandbox";
import { PYTHON_UNSUPPORTED_MESSAGE } from "./code-runner-port";
import { dependencyWarnings, explainDependencyFailure } from "./dependencies";
import { boundedLogs } from "./bounded-logs";
import { codeNodeDataSchema } from "./schema";

const languages: Record<string, CodeLanguage> = { javascript: "javascript", python3: "python3" };

/**
 * Dify's code node: resolves `variables` into one object, runs `main` through `ports.code`, then
 * applies Dify's output rules to the returned dict. What the code printed (`print()`,
 * `console.log`) and warnings about declared `dependencies` go to `process_data`.
 */
export const codeNode = defineNode({
  type: "code",
  schema: codeNodeDataSchema,
  async run(ctx) {
    const { config } = ctx;
    const inputs: Record<string, unknown> = {};
    for (const binding of config.variables) inputs[binding.variable] = ctx.resolve(binding.value_selector) ?? null;

    const language = languages[config.code_language];
    if (!language) {
      return failed(`Code language "${config.code_language}" is not supported; use JavaScript`, "CodeNodeError", { inputs });
    }
    const runner = ctx.ports.code;
    if (!runner) {
      const error = language === "python3" ? PYTHON_UNSUPPORTED_MESSAGE : "No code sandbox is configured for this runtime";
      return failed(error, "CodeNodeError", { inputs });
    }

    const warnings = dependencyWarnings(language, config.dependencies);
    const outcome = await runner.run(language, config.code, inputs, undefined, ctx.signal);
    if (!outcome.ok) {
      const errorType = outcome.kind === "unsupported-language" ? "CodeNodeError" : outcome.kind === "output" ? "OutputValidationError" : "CodeExecutionError";
      const error = explainDependencyFailure(language, outcome.error, config.dependencies);
      return failed(error, errorType, { inputs, process_data: { failure_kind: outcome.kind, ...processData(outcome, warnings) } });
    }

    const validated = validateCodeOutputs(outcome.result, (config.outputs ?? undefined) as CodeOutputDeclarations | undefined);
    const extra = processData(outcome, warnings);
    const process_data = Object.keys(extra).length ? extra : undefined;
    if (!validated.ok) return failed(validated.error, "OutputValidationError", { inputs, ...(process_data && { process_data }) });
    return succeeded(validated.outputs, { inputs, ...(process_data && { process_data }) });
  },
});

type CodeProcessData = {
  logs?: string[];
  warnings?: string[];
  /** Time inside the sandbox, and the runtime's start when this execution had to wait for it (Python's cold start). */
  sandbox?: { execution_ms: number; boot_ms?: number };
};

function processData(outcome: CodeRunOutcome, warnings: string[]): CodeProcessData {
  const logs = boundedLogs(outcome.logs);
  const stats = outcome.stats;
  const sandbox = stats && { execution_ms: stats.executionMs, ...(stats.bootMs !== undefined && { boot_ms: stats.bootMs }) };
  return { ...(logs.length && { logs }), ...(warnings.length && { warnings }), ...(sandbox && { sandbox }) };
}
