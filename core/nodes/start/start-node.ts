import { defineNode, failed, succeeded } from "../../engine";
import { InvalidParamError } from "../../errors";
import { startNodeDataSchema } from "./schema";
import { validateStartInputs } from "./validate-inputs";

/** Outputs the validated inputs, plus `sys.*` under dotted keys as Dify's start node does. */
export const startNode = defineNode({
  type: "start",
  schema: startNodeDataSchema,
  isStart: true,
  run(ctx) {
    let inputs: Record<string, unknown>;
    try {
      inputs = validateStartInputs(ctx.config.variables, ctx.run.inputs);
    } catch (error) {
      if (error instanceof InvalidParamError) return failed(error.message, error.name);
      throw error;
    }
    const outputs: Record<string, unknown> = { ...inputs };
    for (const [name, value] of Object.entries(ctx.pool.getNode("sys") ?? {})) outputs[`sys.${name}`] = value;
    return succeeded(outputs, { inputs });
  },
});
