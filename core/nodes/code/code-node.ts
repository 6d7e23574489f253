import { defineNode, failed, succeeded, type CodeLanguage } from "../../engine";
import { validateCodeOutputs, type CodeOutputDeclarations } from "../../sandbox";
import { PYTHON_UNSUPPORTED_MESSAGE } from "./code-runner-port";
import { codeNodeDataSchema } from "./schema";

const languages: Record<string, CodeLanguage> = { javascript: "javascript", python3: "python3" };

/**
 * Dify's code node: resolves `variables` into one object, runs `main` through `ports.code`, then
 * applies Dify's output rules to the returned dict.
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

    const outcome = await runner.run(language, config.code, inputs, undefined, ctx.signal);
    if (!outcome.ok) {
      const errorType = outcome.kind === "unsupported-language" ? "CodeNodeError" : outcome.kind === "output" ? "OutputValidationError" : "CodeExecutionError";
      return failed(outcome.error, errorType, { inputs, process_data: { failure_kind: outcome.kind } });
    }

    const validated = validateCodeOutputs(outcome.result, (config.outputs ?? undefined) as CodeOutputDeclarations | undefined);
    if (!validated.ok) return failed(validated.error, "OutputValidationError", { inputs });
    return succeeded(validated.outputs, { inputs });
  },
});
