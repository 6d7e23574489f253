import { WaggleError } from "../errors";

export type EgressErrorCode =
  | "SSRF_BLOCKED"
  | "INVALID_URL"
  | "SCHEME_NOT_ALLOWED"
  | "PORT_NOT_ALLOWED"
  | "HOST_NOT_ALLOWED"
  | "TOO_MANY_REDIRECTS"
  | "RESPONSE_TOO_LARGE"
  | "EGRESS_TIMEOUT"
  | "EGRESS_FAILED";

const statusByCode: Record<EgressErrorCode, number> = {
  SSRF_BLOCKED: 400,
  INVALID_URL: 400,
  SCHEME_NOT_ALLOWED: 400,
  PORT_NOT_ALLOWED: 400,
  HOST_NOT_ALLOWED: 400,
  TOO_MANY_REDIRECTS: 502,
  RESPONSE_TOO_LARGE: 502,
  EGRESS_TIMEOUT: 504,
  EGRESS_FAILED: 502,
};

/**
 * Why an outbound request from user configuration was refused or failed. `code` is stable;
 * `message` is meant for the person who configured the URL.
 *
 * @example
 * throw new EgressError("SSRF_BLOCKED", "Requests to private or loopback addresses are not allowed: 127.0.0.1");
 */
export class EgressError extends WaggleError {
  override name = "EgressError";
  declare readonly code: EgressErrorCode;
  /** Timeouts and network failures may succeed on retry; policy refusals never will. */
  readonly isRetryable: boolean;

  constructor(code: EgressErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, statusByCode[code], options);
    this.isRetryable = code === "EGRESS_TIMEOUT" || code === "EGRESS_FAILED";
  }
}

export function isEgressError(error: unknown): error is EgressError {
  return error instanceof EgressError;
}
