import { defineNode, succeeded, type TemplateSegment } from "../../engine";
import { endNodeDataSchema } from "./schema";

/** Collects the run's outputs. A missing value is null, as in Dify. */
export const endNode = defineNode({
  type: "end",
  schema: endNodeDataSchema,
  run(ctx) {
    const outputs: Record<string, unknown> = {};
    for (const output of ctx.config.outputs) outputs[output.variable] = ctx.resolve(output.value_selector) ?? null;
    return succeeded(outputs, { inputs: outputs });
  },
  // Workflow mode streams End outputs as `text_chunk`, one per line (Dify's EndNode streaming template).
  responseTemplate: (config): TemplateSegment[] =>
    config.outputs
      .filter((output) => output.value_selector.length >= 2)
      .flatMap((output, index): TemplateSegment[] => [
        ...(index > 0 ? [{ kind: "text" as const, text: "\n" }] : []),
        { kind: "variable", selector: output.value_selector, raw: "" },
      ]),
});
