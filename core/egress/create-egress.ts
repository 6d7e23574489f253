import type { FetchLike } from "../ports";
import { checkEgressUrl, type EgressPolicy } from "./check-egress-url";
import { EgressError } from "./egress-error";
import { limitBody } from "./limit-body";

export interface EgressOptions extends EgressPolicy {
  /** The runtime's fetch (or a fake). Called with `redirect: "manual"` and a normalised URL. */
  fetch: FetchLike;
  /** Redirects followed per request; each hop is checked again. Default 3. */
  maxRedirects?: number;
  /** Default body cap; a request may lower or raise it. Default 10 MiB. */
  maxResponseBytes?: number;
  /** Default deadline for the whole exchange, headers and body. Default 30 s. */
  timeoutMs?: number;
}

export interface EgressRequestInit extends RequestInit {
  maxResponseBytes?: number;
  timeoutMs?: number;
}

/** A response whose body stops at the size cap. `finalUrl` is where the last hop went. */
export type EgressResponse = Response & { readonly finalUrl: string; readonly redirectCount: number };

export interface Egress {
  fetch(input: string | URL, init?: EgressRequestInit): Promise<EgressResponse>;
  /** The policy check alone: returns the normalised URL or throws `EgressError`. */
  check(input: string | URL): URL;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
const credentialHeaders = ["authorization", "cookie", "proxy-authorization"];

/**
 * The one way core code makes outbound HTTP requests to user-configured URLs.
 *
 * @example
 * const egress = createEgress({ fetch: globalThis.fetch.bind(globalThis) });
 * const response = await egress.fetch("https://api.example.com/items", { method: "GET" });
 * const bytes = await readBodyBytes(response, 1024 * 1024);
 */
export function createEgress(options: EgressOptions): Egress {
  const maxRedirects = options.maxRedirects ?? 3;
  const defaultMaxBytes = options.maxResponseBytes ?? 10 * 1024 * 1024;
  const defaultTimeoutMs = options.timeoutMs ?? 30_000;
  const check = (input: string | URL) => checkEgressUrl(input, options);

  async function egressFetch(input: string | URL, init: EgressRequestInit = {}): Promise<EgressResponse> {
    const { maxResponseBytes = defaultMaxBytes, timeoutMs = defaultTimeoutMs, signal: callerSignal, ...requestInit } = init;
    const followMode = requestInit.redirect ?? "follow";
    let url = check(input);

    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new EgressError("EGRESS_TIMEOUT", `The request timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    const onCallerAbort = () => controller.abort(callerSignal?.reason);
    if (callerSignal?.aborted) onCallerAbort();
    else callerSignal?.addEventListener("abort", onCallerAbort, { once: true });
    const release = () => {
      clearTimeout(timer);
      callerSignal?.removeEventListener("abort", onCallerAbort);
    };
    const mapError = (error: unknown): unknown => {
      if (error instanceof EgressError) return error;
      if (timedOut) return new EgressError("EGRESS_TIMEOUT", `The request timed out after ${timeoutMs} ms`, { cause: error });
      if (callerSignal?.aborted) return callerSignal.reason ?? error;
      return new EgressError("EGRESS_FAILED", `The request to ${url.host} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    };

    let method = (requestInit.method ?? "GET").toUpperCase();
    let body = requestInit.body ?? null;
    const headers = new Headers(requestInit.headers);
    // A forged Host header could route a request for a public address to an internal virtual host.
    headers.delete("host");

    try {
      for (let hop = 0; ; hop++) {
        const response = await options.fetch(url.href, {
          ...requestInit,
          method,
          headers,
          body,
          redirect: "manual",
          signal: controller.signal,
        });
        const location = response.headers.get("location");
        if (followMode === "follow" && redirectStatuses.has(response.status) && location) {
          await response.body?.cancel().catch(() => {});
          if (hop >= maxRedirects) {
            throw new EgressError("TOO_MANY_REDIRECTS", `Too many redirects (more than ${maxRedirects})`);
          }
          let next: URL;
          try {
            next = new URL(location, url);
          } catch {
            throw new EgressError("INVALID_URL", `The server redirected to an invalid URL: ${location.slice(0, 200)}`);
          }
          next = check(next);
          if (next.origin !== url.origin) for (const name of credentialHeaders) headers.delete(name);
          if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
            if (method !== "HEAD") method = "GET";
            body = null;
            headers.delete("content-type");
            headers.delete("content-length");
          } else if (body instanceof ReadableStream) {
            throw new EgressError("EGRESS_FAILED", "Cannot repeat a streamed request body after a redirect");
          }
          url = next;
          continue;
        }
        if (followMode === "error" && redirectStatuses.has(response.status)) {
          await response.body?.cancel().catch(() => {});
          throw new EgressError("TOO_MANY_REDIRECTS", "The server answered with a redirect, which this request does not follow");
        }
        return finalResponse(response, url, hop, maxResponseBytes, release, mapError);
      }
    } catch (error) {
      release();
      throw mapError(error);
    }
  }

  return { fetch: egressFetch, check };
}

function finalResponse(
  response: Response,
  url: URL,
  redirectCount: number,
  maxBytes: number,
  release: () => void,
  mapError: (error: unknown) => unknown,
): EgressResponse {
  const declared = Number(response.headers.get("content-length"));
  if (response.body && Number.isFinite(declared) && declared > maxBytes) {
    response.body.cancel().catch(() => {});
    throw new EgressError("RESPONSE_TOO_LARGE", `The response body is ${declared} bytes; the limit is ${maxBytes} bytes`);
  }
  const nullBody = !response.body || response.status === 204 || response.status === 205 || response.status === 304;
  if (nullBody) release();
  const body = nullBody ? null : limitBody(response.body!, maxBytes, release, mapError);
  const limited = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  return Object.defineProperties(limited, {
    finalUrl: { value: url.href, enumerable: true },
    redirectCount: { value: redirectCount, enumerable: true },
  }) as EgressResponse;
}
