import type { NodePorts } from "../../engine";
import { isWorkflowFile, readWorkflowFile, type WorkflowFile } from "../files";
import { parseKeyValueLines } from "./parse-key-values";
import type { HttpBodyItem, HttpRequestNodeData } from "./schema";

/** Dify's node error types for a request that cannot be built. */
export class HttpRequestConfigError extends Error {
  override name = "HttpRequestConfigError";
  constructor(
    readonly errorType: "InvalidURLError" | "AuthorizationConfigError" | "RequestBodyError" | "InvalidHttpMethodError" | "InvalidHttpHeaderError",
    message: string,
  ) {
    super(message);
  }
}

export interface BuiltHttpRequest {
  method: string;
  url: string;
  headers: Headers;
  body: BodyInit | null;
  /** What the run log shows: the request with credentials masked. */
  log: string;
  notes: string[];
}

export interface RequestBuildContext {
  render(template: string): string;
  resolve(selector: string[]): unknown;
  ports: NodePorts;
  signal?: AbortSignal;
}

const methods = new Set(["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]);
/** Files attached to a request body are read up to Dify's binary cap. */
export const MAX_REQUEST_FILE_BYTES = 10 * 1024 * 1024;

export async function buildHttpRequest(config: HttpRequestNodeData, ctx: RequestBuildContext): Promise<BuiltHttpRequest> {
  const method = config.method.trim().toUpperCase();
  if (!methods.has(method)) throw new HttpRequestConfigError("InvalidHttpMethodError", `Invalid HTTP method: ${config.method}`);

  const rendered = ctx.render(config.url).trim();
  if (!/^https?:\/\//i.test(rendered)) throw new HttpRequestConfigError("InvalidURLError", `URL must start with http:// or https://: ${rendered.slice(0, 200)}`);
  let url: URL;
  try {
    url = new URL(rendered);
  } catch {
    throw new HttpRequestConfigError("InvalidURLError", `Invalid URL: ${rendered.slice(0, 200)}`);
  }
  for (const [key, value] of parseKeyValueLines(config.params, ctx.render)) url.searchParams.append(key, value);

  const headers = new Headers();
  for (const [key, value] of parseKeyValueLines(config.headers, ctx.render)) {
    try {
      headers.set(key, value);
    } catch {
      throw new HttpRequestConfigError("InvalidHttpHeaderError", `Invalid header: ${key}`);
    }
  }
  const secretHeader = applyAuthorization(config, headers, ctx.render);

  const notes: string[] = [];
  let body = await buildBody(config, headers, ctx);
  if (body !== null && (method === "GET" || method === "HEAD")) {
    // fetch cannot send a body with GET or HEAD; Dify's UI allows configuring one.
    notes.push(`The ${config.body?.type} body was not sent because ${method} requests cannot carry a body`);
    body = null;
  }

  return { method, url: url.href, headers, body, log: requestLog(method, url.href, headers, secretHeader, body), notes };
}

function applyAuthorization(config: HttpRequestNodeData, headers: Headers, render: (t: string) => string): string | undefined {
  const auth = config.authorization;
  if (auth.type !== "api-key") return undefined;
  const apiKey = auth.config?.api_key != null ? render(auth.config.api_key) : "";
  const header = auth.config?.header?.trim() || "Authorization";
  const kind = auth.config?.type ?? "bearer";
  if (!apiKey && kind !== "custom") throw new HttpRequestConfigError("AuthorizationConfigError", "API key is required for api-key authorization");
  try {
    if (kind === "bearer") headers.set(header, `Bearer ${apiKey}`);
    else if (kind === "basic") headers.set(header, `Basic ${apiKey.includes(":") ? base64(apiKey) : apiKey}`);
    else if (kind === "custom") headers.set(header, apiKey);
    else throw new HttpRequestConfigError("AuthorizationConfigError", `Unknown authorization type: ${kind}`);
  } catch (error) {
    if (error instanceof HttpRequestConfigError) throw error;
    throw new HttpRequestConfigError("AuthorizationConfigError", `Invalid authorization header: ${header}`);
  }
  return header;
}

async function buildBody(config: HttpRequestNodeData, headers: Headers, ctx: RequestBuildContext): Promise<BodyInit | null> {
  const body = config.body;
  if (!body || body.type === "none") return null;
  const items: HttpBodyItem[] = typeof body.data === "string" ? [{ key: "", type: "text", value: body.data }] : (body.data ?? []);
  const setDefaultType = (type: string) => {
    if (!headers.has("content-type")) headers.set("content-type", type);
  };

  switch (body.type) {
    case "raw-text": {
      const text = ctx.render(items[0]?.value ?? "");
      setDefaultType("text/plain");
      return text;
    }
    case "json": {
      const text = ctx.render(items[0]?.value ?? "");
      if (!text.trim()) return null;
      let parsed: unknown;
      try {
        parsed = JSON.parse(escapeControlCharactersInStrings(text));
      } catch (error) {
        throw new HttpRequestConfigError("RequestBodyError", `The JSON body is not valid JSON: ${(error as Error).message}`);
      }
      setDefaultType("application/json");
      return JSON.stringify(parsed);
    }
    case "x-www-form-urlencoded": {
      const form = new URLSearchParams();
      for (const item of items) if (item.key) form.append(ctx.render(item.key), ctx.render(item.value ?? ""));
      setDefaultType("application/x-www-form-urlencoded");
      return form.toString();
    }
    case "form-data": {
      const form = new FormData();
      for (const item of items) {
        if (!item.key) continue;
        const key = ctx.render(item.key);
        if (item.type === "file") {
          for (const file of filesAt(item.file, ctx)) {
            const { bytes, mimeType } = await readWorkflowFile(file, ctx.ports, { maxBytes: MAX_REQUEST_FILE_BYTES, signal: ctx.signal });
            form.append(key, new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mimeType ?? "application/octet-stream" }), file.filename ?? "file");
          }
        } else {
          form.append(key, ctx.render(item.value ?? ""));
        }
      }
      // The multipart boundary is chosen by fetch; a hand-written Content-Type would lack it.
      headers.delete("content-type");
      return form;
    }
    case "binary": {
      const [file] = filesAt(items[0]?.file, ctx);
      if (!file) throw new HttpRequestConfigError("RequestBodyError", "The binary body needs a file variable");
      const { bytes, mimeType } = await readWorkflowFile(file, ctx.ports, { maxBytes: MAX_REQUEST_FILE_BYTES, signal: ctx.signal });
      setDefaultType(mimeType ?? "application/octet-stream");
      return bytes as Uint8Array<ArrayBuffer>;
    }
    default:
      throw new HttpRequestConfigError("RequestBodyError", `Unsupported body type: ${body.type}`);
  }
}

function filesAt(selector: string[] | null | undefined, ctx: RequestBuildContext): WorkflowFile[] {
  if (!selector || selector.length < 2) return [];
  const value = ctx.resolve(selector);
  const list = Array.isArray(value) ? value : value == null ? [] : [value];
  return list.filter(isWorkflowFile);
}

/** Python's `json.loads(strict=False)` accepts raw control characters inside strings; JSON.parse does not. */
function escapeControlCharactersInStrings(text: string): string {
  let out = "";
  let inString = false;
  let escaped = false;
  for (const char of text) {
    if (inString) {
      if (escaped) escaped = false;
      else if (char === "\\") escaped = true;
      else if (char === '"') inString = false;
      else if (char < " ") {
        out += `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
        continue;
      }
    } else if (char === '"') inString = true;
    out += char;
  }
  return out;
}

function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function requestLog(method: string, url: string, headers: Headers, secretHeader: string | undefined, body: BodyInit | null): string {
  const lines = [`${method} ${url}`];
  for (const [name, value] of headers) {
    const secret = name === secretHeader?.toLowerCase() || name === "authorization";
    lines.push(`${name}: ${secret ? mask(value) : value}`);
  }
  if (typeof body === "string") lines.push("", body.length > 2000 ? `${body.slice(0, 2000)}…` : body);
  else if (body instanceof FormData) lines.push("", "(multipart form data)");
  else if (body) lines.push("", "(binary data)");
  return lines.join("\n");
}

function mask(value: string): string {
  return value.length <= 8 ? "*".repeat(value.length) : `${value.slice(0, 4)}${"*".repeat(Math.min(value.length - 8, 20))}${value.slice(-4)}`;
}
