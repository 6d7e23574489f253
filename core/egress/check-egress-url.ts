import { EgressError } from "./egress-error";
import { isDeniedAddress, isIpLiteral, isLoopbackAddress } from "./denied-ranges";

export interface EgressPolicy {
  /** Permit loopback (127.0.0.0/8, ::1, `localhost`) on any port. For local development and tests only. */
  allowLoopback?: boolean;
  /** Ports that may be reached; default 80 and 443. */
  allowedPorts?: number[];
  /** Allowlist mode: when set, only these hosts (exact, or `*.example.com` for subdomains) may be reached. */
  allowedHosts?: string[];
  /**
   * Overrides the decision for one URL: `true` allows it even if the address is private, `false`
   * refuses it, `undefined` applies the rules. Lets a caller trust a configured intranet host.
   */
  isAllowedHost?: (url: URL) => boolean | undefined;
}

export const defaultAllowedPorts = [80, 443];

// Names that resolve to the local machine or to cloud instance metadata, or that are never
// public DNS names. Checked after lower-casing and removing trailing dots.
const deniedHostnames = new Set([
  "localhost",
  "localhost.localdomain",
  "ip6-localhost",
  "ip6-loopback",
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "metadata.azure.com",
  "instance-data",
  "instance-data.ec2.internal",
  "kubernetes.default",
  "kubernetes.default.svc",
]);
const deniedSuffixes = [".localhost", ".internal", ".local", ".localdomain", ".home.arpa", ".svc.cluster.local"];

const blocked = (target: string) =>
  new EgressError("SSRF_BLOCKED", `Requests to private or loopback addresses are not allowed: ${target}`);

/**
 * Parses and normalises a user-supplied URL (the WHATWG parser turns `2130706433`, `0177.0.0.1`,
 * `0x7f.1` and `127.1` into `127.0.0.1`) and refuses what the policy forbids. Returns the URL to
 * request: always use its `href`, never the original string.
 *
 * @example
 * checkEgressUrl("http://0x7f.1/")            // throws EgressError SSRF_BLOCKED
 * checkEgressUrl("https://api.example.com/x") // URL { href: "https://api.example.com/x" }
 */
export function checkEgressUrl(input: string | URL, policy: EgressPolicy = {}): URL {
  let url: URL;
  try {
    url = new URL(typeof input === "string" ? input.trim() : input.href);
  } catch {
    throw new EgressError("INVALID_URL", `Invalid URL: ${String(input).slice(0, 200)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new EgressError("SCHEME_NOT_ALLOWED", `Only http and https URLs are allowed, got ${url.protocol.replace(/:$/, "")}`);
  }
  const hostname = url.hostname.replace(/^\[|\]$/g, "").toLowerCase().replace(/\.+$/, "");
  if (!hostname) throw new EgressError("INVALID_URL", `Invalid URL: ${url.href}`);

  const override = policy.isAllowedHost?.(url);
  if (override === false) throw new EgressError("HOST_NOT_ALLOWED", `Requests to ${hostname} are not allowed`);

  const loopback = hostname === "localhost" || hostname.endsWith(".localhost") || (isIpLiteral(hostname) && isLoopbackAddress(hostname));
  const loopbackAllowed = loopback && policy.allowLoopback === true;

  if (override !== true && !loopbackAllowed) {
    if (isIpLiteral(hostname)) {
      if (isDeniedAddress(hostname)) throw blocked(hostname);
    } else if (deniedHostnames.has(hostname) || deniedSuffixes.some((suffix) => hostname.endsWith(suffix))) {
      throw blocked(hostname);
    } else if (!hostname.includes(".")) {
      // Single-label names resolve through search domains to internal hosts.
      throw blocked(hostname);
    }
    if (policy.allowedHosts && !policy.allowedHosts.some((pattern) => hostMatches(hostname, pattern))) {
      throw new EgressError("HOST_NOT_ALLOWED", `Requests to ${hostname} are not allowed by this workspace's host allowlist`);
    }
  }

  if (url.username || url.password) {
    throw new EgressError("INVALID_URL", "URLs with embedded credentials are not allowed; use the request's authorization settings");
  }

  const port = url.port ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  const ports = policy.allowedPorts ?? defaultAllowedPorts;
  if (!loopbackAllowed && override !== true && !ports.includes(port)) {
    throw new EgressError("PORT_NOT_ALLOWED", `Port ${port} is not allowed; allowed ports: ${ports.join(", ")}`);
  }
  return url;
}

function hostMatches(hostname: string, pattern: string): boolean {
  const normalised = pattern.toLowerCase().replace(/\.+$/, "");
  if (normalised.startsWith("*.")) return hostname.endsWith(normalised.slice(1));
  return hostname === normalised;
}
