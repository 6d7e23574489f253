import { describe, expect, it } from "vitest";
import { checkEgressUrl } from "./check-egress-url";
import { EgressError } from "./egress-error";
import { isDeniedAddress } from "./denied-ranges";

// The categories of Dify's ssrf_proxy `test_cases_extended.yaml`, plus encodings and names it
// does not cover.
const blocked: Array<[url: string, code: string]> = [
  // private networks
  ["http://127.0.0.1", "SSRF_BLOCKED"],
  ["http://localhost", "SSRF_BLOCKED"],
  ["http://10.0.0.1", "SSRF_BLOCKED"],
  ["http://172.16.0.1", "SSRF_BLOCKED"],
  ["http://172.31.255.255", "SSRF_BLOCKED"],
  ["http://192.168.1.1", "SSRF_BLOCKED"],
  ["http://169.254.1.1", "SSRF_BLOCKED"],
  ["http://0.0.0.0", "SSRF_BLOCKED"],
  ["http://100.64.0.1", "SSRF_BLOCKED"],
  ["http://224.0.0.1", "SSRF_BLOCKED"],
  ["http://240.0.0.1", "SSRF_BLOCKED"],
  ["http://255.255.255.255", "SSRF_BLOCKED"],
  // cloud metadata
  ["http://169.254.169.254/latest/meta-data/", "SSRF_BLOCKED"],
  ["http://169.254.169.254/metadata/instance", "SSRF_BLOCKED"],
  ["http://169.254.169.254/metadata/v1", "SSRF_BLOCKED"],
  ["http://169.254.169.254/opc/v1", "SSRF_BLOCKED"],
  ["http://192.0.0.192/opc/v2/", "SSRF_BLOCKED"],
  ["http://100.100.100.200/latest/meta-data/", "SSRF_BLOCKED"],
  ["http://metadata.google.internal/computeMetadata/v1/", "SSRF_BLOCKED"],
  ["http://METADATA.GOOGLE.INTERNAL./", "SSRF_BLOCKED"],
  ["http://metadata/", "SSRF_BLOCKED"],
  ["http://instance-data/latest/", "SSRF_BLOCKED"],
  ["http://[fd00:ec2::254]/latest/meta-data/", "SSRF_BLOCKED"],
  // IPv6
  ["http://[::1]", "SSRF_BLOCKED"],
  ["http://[::]", "SSRF_BLOCKED"],
  ["http://[0:0:0:0:0:0:0:1]", "SSRF_BLOCKED"],
  ["http://[fe80::1]", "SSRF_BLOCKED"],
  ["http://[fc00::1]", "SSRF_BLOCKED"],
  ["http://[fd12:3456::1]", "SSRF_BLOCKED"],
  ["http://[::ffff:127.0.0.1]", "SSRF_BLOCKED"],
  ["http://[::ffff:7f00:1]", "SSRF_BLOCKED"],
  ["http://[::ffff:8.8.8.8]", "SSRF_BLOCKED"],
  ["http://[::127.0.0.1]", "SSRF_BLOCKED"],
  ["http://[64:ff9b::7f00:1]", "SSRF_BLOCKED"],
  ["http://[2002:7f00:1::]", "SSRF_BLOCKED"],
  ["http://[ff02::1]", "SSRF_BLOCKED"],
  // IPv4 encodings of 127.0.0.1
  ["http://2130706433", "SSRF_BLOCKED"],
  ["http://0177.0.0.1", "SSRF_BLOCKED"],
  ["http://0x7f.0.0.1", "SSRF_BLOCKED"],
  ["http://0x7f.0.0.0x1", "SSRF_BLOCKED"],
  ["http://0x7f.1", "SSRF_BLOCKED"],
  ["http://0x7f000001", "SSRF_BLOCKED"],
  ["http://017700000001", "SSRF_BLOCKED"],
  ["http://127.1", "SSRF_BLOCKED"],
  ["http://0", "SSRF_BLOCKED"],
  ["http://127.0.0.1.", "SSRF_BLOCKED"],
  ["http://%31%32%37.0.0.1", "SSRF_BLOCKED"],
  ["http://127。0。0。1", "SSRF_BLOCKED"],
  ["http://①②⑦.0.0.1", "SSRF_BLOCKED"],
  // names
  ["http://localhost.", "SSRF_BLOCKED"],
  ["http://LOCALHOST", "SSRF_BLOCKED"],
  ["http://api.localhost", "SSRF_BLOCKED"],
  ["http://localhost:8080", "SSRF_BLOCKED"],
  ["http://host.docker.internal", "SSRF_BLOCKED"],
  ["http://printer.local", "SSRF_BLOCKED"],
  ["http://intranet", "SSRF_BLOCKED"],
  // userinfo and parser confusion
  ["http://a@127.0.0.1", "SSRF_BLOCKED"],
  ["http://example.com@127.0.0.1", "SSRF_BLOCKED"],
  ["http://127.0.0.1\\@example.com", "SSRF_BLOCKED"],
  ["http://127.0.0.1#@example.com", "SSRF_BLOCKED"],
  ["http://user:pass@example.com", "INVALID_URL"],
  // ports
  ["http://example.com:8080", "PORT_NOT_ALLOWED"],
  ["http://example.com:3000", "PORT_NOT_ALLOWED"],
  ["http://example.com:22", "PORT_NOT_ALLOWED"],
  ["http://example.com:23", "PORT_NOT_ALLOWED"],
  ["http://example.com:25", "PORT_NOT_ALLOWED"],
  ["http://example.com:3306", "PORT_NOT_ALLOWED"],
  ["http://example.com:5432", "PORT_NOT_ALLOWED"],
  ["http://example.com:6379", "PORT_NOT_ALLOWED"],
  ["http://example.com:27017", "PORT_NOT_ALLOWED"],
  // schemes
  ["file:///etc/passwd", "SCHEME_NOT_ALLOWED"],
  ["ftp://example.com/", "SCHEME_NOT_ALLOWED"],
  ["gopher://127.0.0.1:6379/_INFO", "SCHEME_NOT_ALLOWED"],
  ["data:text/plain,hi", "SCHEME_NOT_ALLOWED"],
  ["javascript:alert(1)", "SCHEME_NOT_ALLOWED"],
  ["not a url", "INVALID_URL"],
  ["http://[::1", "INVALID_URL"],
];

const allowed = [
  "http://example.com",
  "https://www.google.com",
  "http://httpbin.org/get",
  "https://api.github.com",
  "https://api.openai.com",
  "https://api.anthropic.com",
  "http://example.com:80",
  "http://example.com:443",
  "http://192-168-1-1.example.com",
  "https://8.8.8.8/dns-query",
  "https://[2606:4700:4700::1111]/",
  "  https://example.com/padded  ",
];

describe("checkEgressUrl", () => {
  for (const [url, code] of blocked) {
    it(`refuses ${url} (${code})`, () => {
      let error: unknown;
      try {
        checkEgressUrl(url);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(EgressError);
      expect((error as EgressError).code).toBe(code);
    });
  }

  for (const url of allowed) {
    it(`allows ${url.trim()}`, () => {
      expect(checkEgressUrl(url).href).toBe(new URL(url.trim()).href);
    });
  }

  it("says which address was refused", () => {
    expect(() => checkEgressUrl("http://0x7f.1/")).toThrow("Requests to private or loopback addresses are not allowed: 127.0.0.1");
  });

  it("returns the normalised URL to request", () => {
    expect(checkEgressUrl("HTTPS://Example.COM:443/a/../b?q=1").href).toBe("https://example.com/b?q=1");
  });

  it("allows loopback only when explicitly configured, on any port, and nothing else private", () => {
    const policy = { allowLoopback: true };
    expect(checkEgressUrl("http://127.0.0.1:8787/", policy).port).toBe("8787");
    expect(checkEgressUrl("http://localhost:3000/", policy).hostname).toBe("localhost");
    expect(checkEgressUrl("http://[::1]:9000/", policy).hostname).toBe("[::1]");
    expect(() => checkEgressUrl("http://10.0.0.1/", policy)).toThrow(EgressError);
    expect(() => checkEgressUrl("http://169.254.169.254/", policy)).toThrow(EgressError);
    expect(() => checkEgressUrl("http://example.com:8080/", policy)).toThrow(EgressError);
  });

  it("applies configured ports and host allowlists", () => {
    expect(checkEgressUrl("http://example.com:8080/", { allowedPorts: [80, 443, 8080] }).port).toBe("8080");
    const allowlist = { allowedHosts: ["api.example.com", "*.trusted.dev"] };
    expect(checkEgressUrl("https://api.example.com/", allowlist).host).toBe("api.example.com");
    expect(checkEgressUrl("https://a.b.trusted.dev/", allowlist).host).toBe("a.b.trusted.dev");
    expect(() => checkEgressUrl("https://example.com/", allowlist)).toThrow(expect.objectContaining({ code: "HOST_NOT_ALLOWED" }));
    expect(() => checkEgressUrl("https://trusted.dev.evil.com/", allowlist)).toThrow(EgressError);
  });

  it("lets an injected decision override the rules for one URL", () => {
    const policy = { isAllowedHost: (url: URL) => (url.hostname === "10.1.2.3" ? true : url.hostname === "blocked.example.com" ? false : undefined) };
    expect(checkEgressUrl("http://10.1.2.3:8443/", policy).hostname).toBe("10.1.2.3");
    expect(() => checkEgressUrl("https://blocked.example.com/", policy)).toThrow(expect.objectContaining({ code: "HOST_NOT_ALLOWED" }));
    expect(() => checkEgressUrl("http://10.1.2.4/", policy)).toThrow(expect.objectContaining({ code: "SSRF_BLOCKED" }));
  });
});

describe("isDeniedAddress", () => {
  it("covers the edges of each range", () => {
    expect(isDeniedAddress("172.15.255.255")).toBe(false);
    expect(isDeniedAddress("172.16.0.0")).toBe(true);
    expect(isDeniedAddress("172.32.0.0")).toBe(false);
    expect(isDeniedAddress("100.63.255.255")).toBe(false);
    expect(isDeniedAddress("100.127.255.255")).toBe(true);
    expect(isDeniedAddress("1.1.1.1")).toBe(false);
    expect(isDeniedAddress("2606:4700:4700::1111")).toBe(false);
    expect(isDeniedAddress("fbff::1")).toBe(false);
    expect(isDeniedAddress("fe80::1")).toBe(true);
    expect(isDeniedAddress("garbage")).toBe(true);
  });
});
