import { EgressError, readBodyBytes } from "../egress";
import { ToolError } from "./tool-error";

/** A response body as UTF-8 text, refused past `maxBytes`; egress failures become tool errors. */
export async function readLimitedText(response: Response, maxBytes: number): Promise<string> {
  try {
    return new TextDecoder().decode(await readBodyBytes(response, maxBytes));
  } catch (error) {
    throw toToolError(error);
  }
}

/** An egress refusal or network failure, as the error a tool reports (the message says which). */
export function toToolError(error: unknown): unknown {
  if (error instanceof ToolError) return error;
  if (error instanceof EgressError) return new ToolError("tool_invoke_error", error.message, { cause: error });
  return error;
}
