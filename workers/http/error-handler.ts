import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { WaggleError, TooManyRequestsError } from "../../core/errors";

/** Dify's error envelope. */
export interface ErrorBody {
  code: string;
  message: string;
  status: number;
}

export function errorBody(code: string, message: string, status: number): ErrorBody {
  return { code, message, status };
}

/** Describes zod issues as `field.path: message; ...` so a person knows which field to fix. */
export function describeIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): string {
  return issues
    .slice(0, 5)
    .map((issue) => (issue.path.length ? `${issue.path.map(String).join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}

const httpCodes: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "file_too_large",
  415: "unsupported_file_type",
  429: "too_many_requests",
};

/** The one place where errors become responses. No stack traces or SQL ever leave the Worker. */
export function handleError(error: unknown, c: Context): Response {
  if (error instanceof WaggleError) {
    const headers: Record<string, string> = {};
    if (error instanceof TooManyRequestsError && error.retryAfterSeconds) headers["Retry-After"] = String(error.retryAfterSeconds);
    return c.json(errorBody(error.code, error.message, error.status), error.status as ContentfulStatusCode, headers);
  }
  if (error instanceof HTTPException) {
    const status = error.status;
    if (status === 400 && /json/i.test(error.message)) {
      return c.json(errorBody("invalid_param", "The request body is not valid JSON.", 400), 400);
    }
    return c.json(errorBody(httpCodes[status] ?? "bad_request", error.message || "Bad request.", status), status);
  }
  console.error("unhandled error", error);
  return c.json(errorBody("internal_server_error", "The server encountered an internal error. Please try again later.", 500), 500);
}
