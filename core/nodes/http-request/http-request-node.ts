import { EgressError, readBodyBytes } from "../../egress";
import { defineNode, failed, succeeded, type HttpClient } from "../../engine";
import { FileAccessError, blobStoreOf, storeToolFile, type WorkflowFile } from "../files";
import { buildHttpRequest, HttpRequestConfigError } from "./build-request";
import { filenameFromDisposition, filenameFromUrl, isFileResponse } from "./response-kind";
import { httpRequestNodeDataSchema, type HttpRequestNodeData } from "./schema";

/** Dify's `HTTP_REQUEST_NODE_MAX_BINARY_SIZE` and `..._MAX_TEXT_SIZE`. */
export const MAX_BINARY_RESPONSE_BYTES = 10 * 1024 * 1024;
export const MAX_TEXT_RESPONSE_BYTES = 1024 * 1024;
/** Dify's caps on the configured timeouts, in seconds. */
const MAX_CONNECT_SECONDS = 10;
const MAX_READ_SECONDS = 600;
const DEFAULT_READ_SECONDS = 60;

/**
 * Dify's HTTP request node. Every request goes through `ports.http`, which the runtime wires to
 * the SSRF-guarded egress; bodies are capped at 10 MiB for files and 1 MiB for text.
 */
export const httpRequestNode = defineNode({
  type: "http-request",
  schema: httpRequestNodeDataSchema,
  async run(ctx) {
    const http = ctx.ports.http as HttpClient | undefined;
    if (!http) return failed("Outbound HTTP is not configured for this runtime", "HttpRequestNodeError");

    let request;
    try {
      request = await buildHttpRequest(ctx.config, { render: (t) => ctx.render(t), resolve: (s) => ctx.resolve(s), ports: ctx.ports, signal: ctx.signal });
    } catch (error) {
      if (error instanceof HttpRequestConfigError) return failed(error.message, error.errorType);
      if (error instanceof FileAccessError || error instanceof EgressError) return failed(error.message, "RequestBodyError");
      throw error;
    }
    const process_data: Record<string, unknown> = { request: request.log, ...(request.notes.length ? { notes: request.notes } : {}) };

    let response: Response;
    let bytes: Uint8Array;
    try {
      response = await http.fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: ctx.signal,
        // Understood by the egress port; a plain fetch ignores them and the caps below still hold.
        timeoutMs: timeoutMs(ctx.config),
        maxResponseBytes: MAX_BINARY_RESPONSE_BYTES,
      } as RequestInit);
      bytes = await readBodyBytes(response, MAX_BINARY_RESPONSE_BYTES);
    } catch (error) {
      if (error instanceof EgressError) {
        const errorType = error.code === "RESPONSE_TOO_LARGE" ? "ResponseSizeError" : "HttpRequestNodeError";
        return failed(error.message, errorType, { process_data: { ...process_data, egress_code: error.code } });
      }
      if (ctx.signal.aborted) throw error;
      return failed(`HTTP request failed: ${error instanceof Error ? error.message : String(error)}`, "HttpRequestNodeError", { process_data });
    }

    const contentType = response.headers.get("content-type") ?? "";
    const disposition = response.headers.get("content-disposition");
    const headers = Object.fromEntries(response.headers);
    const asFile = bytes.byteLength > 0 && isFileResponse(contentType, disposition, bytes);

    const failedStatus = !response.ok && (ctx.config.error_strategy || ctx.config.retry_config?.retry_enabled);
    if (failedStatus) {
      return failed(`Request failed with status code ${response.status}`, "HTTPResponseCodeError", { process_data });
    }

    if (!asFile) {
      if (bytes.byteLength > MAX_TEXT_RESPONSE_BYTES) {
        return failed(
          `Text size is too large, max size is ${mb(MAX_TEXT_RESPONSE_BYTES)} MB, but current size is ${mb(bytes.byteLength)} MB.`,
          "ResponseSizeError",
          { process_data },
        );
      }
      return succeeded({ status_code: response.status, body: decodeText(bytes, contentType), headers, files: [] }, { process_data });
    }

    const blobs = blobStoreOf(ctx.ports);
    if (!blobs) return failed("The response is a file, but file storage is not configured for this runtime", "HttpRequestNodeError", { process_data });
    const file: WorkflowFile = await storeToolFile(blobs, {
      id: ctx.ids.uuid(),
      bytes,
      filename: filenameFromDisposition(disposition) ?? filenameFromUrl(request.url),
      mimeType: contentType || "application/octet-stream",
      remoteUrl: request.url,
    });
    return succeeded({ status_code: response.status, body: "", headers, files: [file] }, { process_data });
  },
});

function timeoutMs(config: HttpRequestNodeData): number {
  const clamp = (value: number | null | undefined, fallback: number, max: number) =>
    value && value > 0 ? Math.min(value, max) : fallback;
  const connect = clamp(config.timeout?.connect, MAX_CONNECT_SECONDS, MAX_CONNECT_SECONDS);
  const read = clamp(config.timeout?.read, DEFAULT_READ_SECONDS, MAX_READ_SECONDS);
  return (connect + read) * 1000;
}

function decodeText(bytes: Uint8Array, contentType: string): string {
  const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1];
  try {
    return new TextDecoder(charset ?? "utf-8").decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);
