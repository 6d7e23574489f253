import { WaggleError } from "../errors";

/** Why a tool could not be found or run, in Dify's vocabulary (`ToolProviderNotFoundError`, `ToolParameterError`...). */
export type ToolErrorKind =
  | "tool_provider_not_found"
  | "tool_not_found"
  | "tool_parameter_invalid"
  | "tool_invoke_error"
  | "tool_provider_credential_invalid"
  | "tool_schema_invalid";

const difyNames: Record<ToolErrorKind, string> = {
  tool_provider_not_found: "ToolProviderNotFoundError",
  tool_not_found: "ToolNotFoundError",
  tool_parameter_invalid: "ToolParameterError",
  tool_invoke_error: "ToolInvokeError",
  tool_provider_credential_invalid: "ToolProviderCredentialValidationError",
  tool_schema_invalid: "ToolApiSchemaError",
};

const statuses: Record<ToolErrorKind, number> = {
  tool_provider_not_found: 404,
  tool_not_found: 404,
  tool_parameter_invalid: 400,
  tool_invoke_error: 400,
  tool_provider_credential_invalid: 400,
  tool_schema_invalid: 400,
};

/**
 * An error a person can act on, from resolving or invoking a tool. Nodes turn it into a failed
 * result (tool node) or an observation the model reads (agent node); the console turns it into
 * Dify's `{code, message, status}` envelope.
 *
 * @example
 * throw new ToolError("tool_parameter_invalid", "expression is required");
 */
export class ToolError extends WaggleError {
  override name = "ToolError";
  constructor(
    readonly kind: ToolErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(kind, message, statuses[kind], options);
  }

  /** Dify's error type name, for a node's `error_type`. */
  get difyType(): string {
    return difyNames[this.kind];
  }
}

export const isToolError = (error: unknown): error is ToolError => error instanceof ToolError;
