import { WorkerEntrypoint } from "cloudflare:workers";
import { createEgress, isEgressError } from "../../core/egress";
import { isDeclaredHost } from "../../core/plugins";
import type { Env } from "../env";

/** Who is asking: fixed when the plugin's isolate is created (its id includes the package digest). */
export interface PluginGateProps {
  pluginId: string;
  /** The manifest's `permissions.hosts`. */
  hosts: string[];
}

/** The header a refusal carries, so the guest can turn it into an error that says why. */
export const EGRESS_REFUSED_HEADER = "x-waggle-egress-refused";
const PLUGIN_TIMEOUT_MS = 30_000;
const PLUGIN_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const PLUGIN_MAX_REQUEST_BYTES = 5 * 1024 * 1024;

function refused(message: string): Response {
  return new Response(message, { status: 403, headers: { [EGRESS_REFUSED_HEADER]: "1", "content-type": "text/plain; charset=utf-8" } });
}

/**
 * The `globalOutbound` of every plugin isolate: each `fetch()` a plugin makes arrives here. Only
 * hosts the manifest declared pass, and then only through the SSRF-guarded egress (private,
 * loopback and metadata addresses refused even when declared; every redirect hop re-checked
 * against both rules). In tests the mock server's origin (`WAGGLE_LOOPBACK_EGRESS_ORIGINS`) is the
 * one loopback origin a plugin that declares it may reach.
 */
export class PluginGate extends WorkerEntrypoint<Env, PluginGateProps> {
  override async fetch(request: Request): Promise<Response> {
    const { hosts, pluginId } = this.ctx.props;
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refused(`${pluginId} asked for an invalid URL`);
    }
    if (!isDeclaredHost(url, hosts)) {
      return refused(`${pluginId} may not reach ${url.host}: the host is not declared in its manifest (permissions.hosts: ${hosts.join(", ") || "none"})`);
    }
    const origins = new Set((this.env.WAGGLE_LOOPBACK_EGRESS_ORIGINS ?? "").split(",").map((origin) => origin.trim()).filter(Boolean));
    const egress = createEgress({
      fetch: (input, init) => fetch(input, init),
      allowLoopback: this.env.WAGGLE_ALLOW_LOOPBACK_EGRESS === "true",
      // Per hop: an undeclared host is refused; a declared one still meets the SSRF guard.
      isAllowedHost: (hop) => (!isDeclaredHost(hop, hosts) ? false : origins.has(hop.origin) ? true : undefined),
      timeoutMs: PLUGIN_TIMEOUT_MS,
      maxResponseBytes: PLUGIN_MAX_RESPONSE_BYTES,
    });
    const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
    if (body && body.byteLength > PLUGIN_MAX_REQUEST_BYTES) return refused(`${pluginId} sent a request body over ${PLUGIN_MAX_REQUEST_BYTES} bytes`);
    const headers = new Headers(request.headers);
    headers.delete("host");
    try {
      return await egress.fetch(url, { method: request.method, headers, body });
    } catch (error) {
      if (isEgressError(error)) return refused(`${pluginId} may not reach ${url.host}: ${error.message}`);
      throw error;
    }
  }
}
