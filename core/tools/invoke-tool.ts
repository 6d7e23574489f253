import { EgressError } from "../egress";
import type { Tool, ToolContext, ToolMessage } from "./tool";
import { ToolError } from "./tool-error";
import { validateArguments } from "./validate-arguments";

/**
 * Checks the arguments and runs the tool. Every failure a caller should report comes back as a
 * `ToolError` (an egress refusal or an unexpected throw from a remote tool included); a stop
 * (the signal aborted) is rethrown as is.
 *
 * @example
 * const messages = await invokeTool(tool, { expression: "2+2" }, { signal });
 */
export async function invokeTool(tool: Tool, args: unknown, ctx: ToolContext): Promise<ToolMessage[]> {
  const checked = validateArguments(tool, args);
  try {
    return await tool.invoke(checked, ctx);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    if (error instanceof ToolError) throw error;
    if (error instanceof EgressError) throw new ToolError("tool_invoke_error", error.message, { cause: error });
    throw new ToolError("tool_invoke_error", `${tool.name} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
