import { z } from "zod";
import type { Tool, ToolFetch, ToolMessage } from "../tool";
import { ToolError } from "../tool-error";
import { readLimitedText, toToolError } from "../read-limited-text";
import type { OpenApiOperation, OpenApiSpec } from "./parse-openapi";

const MAX_RESPONSE_BYTES = 2 * 1024 * 1024;

/**
 * An API tool provider's credentials, with Dify's field names: `auth_type` `none`,
 * `api_key_header` (or Dify's older `api_key`), `api_key_query`; for a header,
 * `api_key_header` names it (default `Authorization`) and `api_key_header_prefix` is `bearer`,
 * `basic` or `custom`; `api_key_query_param` names the query parameter.
 */
export const apiToolCredentialsSchema = z.looseObject({
  auth_type: z.enum(["none", "api_key", "api_key_header", "api_key_query"]).default("none"),
  api_key_header: z.string().nullish(),
  api_key_header_prefix: z.enum(["basic", "bearer", "custom"]).nullish(),
  api_key_value: z.string().nullish(),
  api_key_query_param: z.string().nullish(),
});
export type ApiToolCredentials = z.infer<typeof apiToolCredentialsSchema>;

/** The secret fields of API tool credentials (masked when shown). */
export const apiToolSecretFields = ["api_key_value"] as const;

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** Applies the credentials to a request's headers and URL. */
export function applyApiAuth(credentials: ApiToolCredentials, headers: Headers, url: URL): void {
  const value = credentials.api_key_value ?? "";
  if (credentials.auth_type === "none" || !value) return;
  if (credentials.auth_type === "api_key_query") {
    url.searchParams.set(credentials.api_key_query_param || "key", value);
    return;
  }
  const header = credentials.api_key_header || "Authorization";
  const prefix = credentials.api_key_header_prefix ?? "custom";
  // "user:password" for basic is encoded here; a value already in base64 has no colon.
  const encoded = prefix === "basic" ? `Basic ${value.includes(":") ? base64(value) : value}` : prefix === "bearer" ? `Bearer ${value}` : value;
  headers.set(header, encoded);
}

function scalar(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Builds the request for one call of an operation. */
export function buildOperationRequest(spec: Pick<OpenApiSpec, "serverUrl">, operation: OpenApiOperation, args: Record<string, unknown>, credentials: ApiToolCredentials) {
  let path = operation.path;
  const headers = new Headers({ accept: "application/json, text/plain;q=0.9, */*;q=0.5" });
  const query: Array<[string, string]> = [];
  const cookies: string[] = [];
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args)) {
    if (value === undefined || value === null) continue;
    switch (operation.locations[name]) {
      case "path":
        path = path.replaceAll(`{${name}}`, encodeURIComponent(scalar(value)));
        break;
      case "query":
        if (Array.isArray(value)) for (const item of value) query.push([name, scalar(item)]);
        else query.push([name, scalar(value)]);
        break;
      case "header":
        headers.set(name, scalar(value));
        break;
      case "cookie":
        cookies.push(`${encodeURIComponent(name)}=${encodeURIComponent(scalar(value))}`);
        break;
      case "body":
        body[name] = value;
        break;
    }
  }
  const missing = /\{([^}]+)\}/.exec(path);
  if (missing) throw new ToolError("tool_parameter_invalid", `The path parameter ${missing[1]} is required`);
  const url = new URL(`${spec.serverUrl}${path.startsWith("/") ? path : `/${path}`}`);
  for (const [name, value] of query) url.searchParams.append(name, value);
  if (cookies.length) headers.set("cookie", cookies.join("; "));
  applyApiAuth(credentials, headers, url);
  let requestBody: string | undefined;
  if (operation.bodyContentType && (Object.keys(body).length || operation.wholeBody)) {
    const payload = operation.wholeBody ? body.body : body;
    if (payload !== undefined) {
      if (operation.bodyContentType === "application/x-www-form-urlencoded" && payload && typeof payload === "object") {
        requestBody = new URLSearchParams(Object.entries(payload as Record<string, unknown>).map(([key, value]) => [key, scalar(value)])).toString();
      } else {
        requestBody = typeof payload === "string" && !operation.bodyContentType.includes("json") ? payload : JSON.stringify(payload);
      }
      headers.set("content-type", operation.bodyContentType);
    }
  }
  return { url, init: { method: operation.method.toUpperCase(), headers, body: requestBody } };
}

/**
 * One tool per operation of a parsed spec, called through the SSRF-guarded egress with the
 * provider's credentials. A response of 400 or more is a tool error carrying the status and
 * the start of the body; JSON bodies also come back as a `json` message.
 *
 * @example
 * const tools = openApiTools(parseOpenApiSpec(text), { fetch: egress.fetch, credentials: { auth_type: "none" } });
 */
export function openApiTools(spec: OpenApiSpec, options: { fetch: ToolFetch; credentials: ApiToolCredentials }): Tool[] {
  return spec.operations.map((operation) => ({
    name: operation.name,
    label: operation.name,
    description: operation.summary,
    parameters: operation.parameters,
    async invoke(args, ctx): Promise<ToolMessage[]> {
      const { url, init } = buildOperationRequest(spec, operation, args, options.credentials);
      let response: Response;
      try {
        response = await options.fetch(url, { ...init, signal: ctx.signal });
      } catch (error) {
        throw toToolError(error);
      }
      const text = await readLimitedText(response, MAX_RESPONSE_BYTES);
      if (response.status >= 400) throw new ToolError("tool_invoke_error", `${operation.name} answered HTTP ${response.status}: ${text.slice(0, 500)}`);
      const messages: ToolMessage[] = [{ type: "text", text }];
      if ((response.headers.get("content-type") ?? "").includes("json")) {
        try {
          messages.push({ type: "json", json: JSON.parse(text) as unknown });
        } catch {
          // Not JSON after all: the text stands.
        }
      }
      return messages;
    },
  }));
}
