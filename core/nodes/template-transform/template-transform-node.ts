import { Template } from "@huggingface/jinja";
import { defineNode, failed, succeeded } from "../../engine";
import { templateTransformNodeDataSchema } from "./schema";

/** Dify's `TEMPLATE_TRANSFORM_MAX_LENGTH`. */
export const TEMPLATE_OUTPUT_MAX_LENGTH = 400_000;

// Compiled templates are immutable config: parse each source once per isolate.
const compiled = new Map<string, Template>();

function compile(source: string): Template {
  let template = compiled.get(source);
  if (!template) {
    if (compiled.size > 500) compiled.clear();
    template = new Template(source);
    compiled.set(source, template);
  }
  return template;
}

/**
 * Renders Jinja2 with `@huggingface/jinja`, which interprets templates without evaluating host
 * code, so no sandbox round-trip is needed (Dify renders in its sandbox).
 */
export const templateTransformNode = defineNode({
  type: "template-transform",
  schema: templateTransformNodeDataSchema,
  run(ctx) {
    const variables: Record<string, unknown> = {};
    for (const binding of ctx.config.variables) variables[binding.variable] = ctx.resolve(binding.value_selector) ?? null;
    let output: string;
    try {
      output = compile(ctx.config.template).render(variables);
    } catch (error) {
      return failed(`Template rendering failed: ${error instanceof Error ? error.message : String(error)}`, "TemplateTransformError", { inputs: variables });
    }
    if (output.length > TEMPLATE_OUTPUT_MAX_LENGTH) {
      return failed(`Output length exceeds ${TEMPLATE_OUTPUT_MAX_LENGTH} characters`, "OutputLengthError", { inputs: variables });
    }
    return succeeded({ output }, { inputs: variables });
  },
});
