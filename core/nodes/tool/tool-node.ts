import { defineNode, failed, succeeded } from "../../engine";
import { invokeTool, isToolError, toolOutputs } from "../../tools";
import { toolNodeDataSchema } from "./schema";
import { isTypedInput, resolveToolInput, toolsPort, typedInputReferences } from "./tool-inputs";

/**
 * Dify's tool node: resolves `provider_type` / `provider_id` / `tool_name` through the run's
 * `ToolProvider` port, fills the arguments from `tool_configurations` and `tool_parameters`
 * (`constant` / `variable` / `mixed`), checks them against the tool's schema and calls it.
 * Outputs `text`, `files` and `json` (a list, as Dify's). A missing tool, bad arguments or a
 * failing call fail the node with Dify's error type, so the node's error strategy applies.
 */
export const toolNode = defineNode({
  type: "tool",
  schema: toolNodeDataSchema,
  selectors: typedInputReferences,
  async run(ctx) {
    const { config } = ctx;
    const args: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(config.tool_configurations)) args[name] = isTypedInput(value) ? resolveToolInput(ctx, value) : value;
    for (const [name, input] of Object.entries(config.tool_parameters)) args[name] = resolveToolInput(ctx, input);
    const inputs = { ...args };
    const process_data = { provider_type: config.provider_type, provider_id: config.provider_id, tool_name: config.tool_name };
    try {
      const tool = await toolsPort(ctx).resolve(
        { provider_type: config.provider_type, provider_id: config.provider_id, provider_name: config.provider_name ?? undefined, tool_name: config.tool_name },
        ctx.signal,
      );
      const messages = await invokeTool(tool, args, { signal: ctx.signal, userId: String(ctx.resolve(["sys", "user_id"]) ?? "") || undefined, callDepth: ctx.run.callDepth });
      const { text, json, files } = toolOutputs(messages);
      return succeeded({ text, files, json }, { inputs, process_data });
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      if (isToolError(error)) return failed(error.message, error.difyType, { inputs, process_data });
      return failed(`The tool ${config.tool_name} failed: ${error instanceof Error ? error.message : String(error)}`, "ToolInvokeError", { inputs, process_data });
    }
  },
});
