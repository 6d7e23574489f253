import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEgress } from "./create-egress";
import { EgressError } from "./egress-error";
import { readBodyBytes } from "./limit-body";

// A real HTTP server on 127.0.0.1. Node builtins are loaded by name because the project's type
// configuration targets workerd.
interface EchoRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
}
interface EchoServer {
  port: number;
  requests: EchoRequest[];
  close(): Promise<void>;
}

async function startEchoServer(): Promise<EchoServer> {
  const httpName = "node:http";
  const http = (await import(/* @vite-ignore */ httpName)) as any;
  const requests: EchoRequest[] = [];
  const server = http.createServer((req: any, res: any) => {
    requests.push({ method: req.method, url: req.url, headers: req.headers });
    const path = String(req.url);
    if (path.startsWith("/redirect-to-secret")) {
      res.writeHead(302, { location: `http://127.0.0.1:${server.address().port}/secret` });
      return res.end();
    }
    if (path === "/big-chunked") {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      let sent = 0;
      const chunk = new Uint8Array(64 * 1024);
      const pump = () => {
        while (sent < 4 * 1024 * 1024) {
          sent += chunk.byteLength;
          if (!res.write(chunk)) return res.once("drain", pump);
        }
        res.end();
      };
      res.on("error", () => {});
      return pump();
    }
    if (path === "/big-declared") {
      res.writeHead(200, { "content-length": String(4 * 1024 * 1024) });
      return res.end(new Uint8Array(4 * 1024 * 1024));
    }
    if (path === "/slow") return; // never answers
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ method: req.method, url: req.url, host: req.headers.host }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: server.address().port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

let echo: EchoServer;
beforeAll(async () => {
  echo = await startEchoServer();
});
afterAll(async () => {
  await echo.close();
});

const realFetch = (input: Request | string | URL, init?: RequestInit) => globalThis.fetch(input, init);

async function refusal(promise: Promise<unknown>): Promise<EgressError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EgressError) return error;
    throw error;
  }
  throw new Error("expected the request to be refused");
}

describe("createEgress against a real local server", () => {
  it("never reaches the loopback server through any encoding when loopback is not allowed", async () => {
    const port = echo.port;
    // The port is allowed, so only the address decides.
    const egress = createEgress({ fetch: realFetch, allowedPorts: [port] });
    const variants = [
      `http://127.0.0.1:${port}/`,
      `http://localhost:${port}/`,
      `http://localhost.:${port}/`,
      `http://app.localhost:${port}/`,
      `http://2130706433:${port}/`,
      `http://0177.0.0.1:${port}/`,
      `http://0x7f.1:${port}/`,
      `http://0x7f000001:${port}/`,
      `http://127.1:${port}/`,
      `http://127.0.0.1.:${port}/`,
      `http://0:${port}/`,
      `http://0.0.0.0:${port}/`,
      `http://[::1]:${port}/`,
      `http://[::]:${port}/`,
      `http://[::ffff:127.0.0.1]:${port}/`,
      `http://[::ffff:7f00:1]:${port}/`,
      `http://a@127.0.0.1:${port}/`,
      `http://example.com@127.0.0.1:${port}/`,
      `http://127.0.0.1\\@example.com:${port}/`,
    ];
    for (const url of variants) {
      const error = await refusal(egress.fetch(url));
      expect(error.code, url).toBe("SSRF_BLOCKED");
      expect(error.message).toMatch(/^Requests to private or loopback addresses are not allowed: /);
    }
    expect(echo.requests).toHaveLength(0);
  });

  it("reaches the server when loopback is explicitly allowed", async () => {
    const before = echo.requests.length;
    const egress = createEgress({ fetch: realFetch, allowLoopback: true });
    const response = await egress.fetch(`http://127.0.0.1:${echo.port}/hello?x=1`, { method: "post", body: "hi", headers: { host: "internal.example" } });
    expect(response.status).toBe(200);
    const body = JSON.parse(new TextDecoder().decode(await readBodyBytes(response, 1024)));
    expect(body).toMatchObject({ method: "POST", url: "/hello?x=1", host: `127.0.0.1:${echo.port}` });
    expect(response.finalUrl).toBe(`http://127.0.0.1:${echo.port}/hello?x=1`);
    expect(echo.requests.length).toBe(before + 1);
  });

  it("blocks a redirect to loopback at the hop", async () => {
    const before = echo.requests.length;
    // Trust only the first hop's path, so the redirect target is judged by the normal rules.
    const egress = createEgress({ fetch: realFetch, isAllowedHost: (url) => (url.pathname === "/redirect-to-secret" ? true : undefined) });
    const error = await refusal(egress.fetch(`http://127.0.0.1:${echo.port}/redirect-to-secret`));
    expect(error.code).toBe("SSRF_BLOCKED");
    const seen = echo.requests.slice(before).map((request) => request.url);
    expect(seen).toEqual(["/redirect-to-secret"]);
  });

  it("stops reading a chunked body at the cap", async () => {
    const egress = createEgress({ fetch: realFetch, allowLoopback: true, maxResponseBytes: 1024 * 1024 });
    const response = await egress.fetch(`http://127.0.0.1:${echo.port}/big-chunked`);
    const error = await refusal(readBodyBytes(response, 10 * 1024 * 1024));
    expect(error.code).toBe("RESPONSE_TOO_LARGE");
    expect(error.message).toMatch(/1048576 bytes/);
  });

  it("refuses a declared oversized body before reading it", async () => {
    const egress = createEgress({ fetch: realFetch, allowLoopback: true, maxResponseBytes: 1024 * 1024 });
    const error = await refusal(egress.fetch(`http://127.0.0.1:${echo.port}/big-declared`));
    expect(error.code).toBe("RESPONSE_TOO_LARGE");
  });

  it("applies the caller's smaller cap when reading", async () => {
    const egress = createEgress({ fetch: realFetch, allowLoopback: true });
    const response = await egress.fetch(`http://127.0.0.1:${echo.port}/big-chunked`);
    expect((await refusal(readBodyBytes(response, 100_000))).code).toBe("RESPONSE_TOO_LARGE");
  });

  it("times out a request that never answers", async () => {
    const egress = createEgress({ fetch: realFetch, allowLoopback: true });
    const started = Date.now();
    const error = await refusal(egress.fetch(`http://127.0.0.1:${echo.port}/slow`, { timeoutMs: 200 }));
    expect(error.code).toBe("EGRESS_TIMEOUT");
    expect(error.isRetryable).toBe(true);
    // The server never answers: without the timeout this would hang until the test's own limit.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe("createEgress redirects (injected fetch)", () => {
  function scriptedFetch(routes: Record<string, (init: RequestInit) => Response>) {
    const calls: Array<{ url: string; method: string; headers: Headers; body: unknown; redirect?: string }> = [];
    const fetch = async (input: Request | string | URL, init: RequestInit = {}) => {
      const url = String(input);
      calls.push({ url, method: String(init.method), headers: new Headers(init.headers), body: init.body, redirect: init.redirect });
      const route = routes[url];
      if (!route) throw new Error(`unexpected request to ${url}`);
      return route(init);
    };
    return { fetch, calls };
  }
  const redirect = (location: string, status = 302) => () => new Response(null, { status, headers: { location } });

  it("re-checks each hop and refuses a redirect to a private address", async () => {
    const { fetch, calls } = scriptedFetch({ "https://public.example.com/start": redirect("http://169.254.169.254/latest/meta-data/") });
    const error = await refusal(createEgress({ fetch }).fetch("https://public.example.com/start"));
    expect(error.code).toBe("SSRF_BLOCKED");
    expect(calls.map((call) => call.url)).toEqual(["https://public.example.com/start"]);
    expect(calls[0].redirect).toBe("manual");
  });

  it("follows at most 3 redirects", async () => {
    const routes: Record<string, (init: RequestInit) => Response> = {};
    for (let i = 0; i < 5; i++) routes[`https://hop${i}.example.com/`] = redirect(`https://hop${i + 1}.example.com/`);
    routes["https://hop5.example.com/"] = () => new Response("done");
    const { fetch, calls } = scriptedFetch(routes);
    const error = await refusal(createEgress({ fetch }).fetch("https://hop0.example.com/"));
    expect(error.code).toBe("TOO_MANY_REDIRECTS");
    expect(calls).toHaveLength(4);

    const three = scriptedFetch({ ...routes, "https://hop3.example.com/": () => new Response("done") });
    const response = await createEgress({ fetch: three.fetch }).fetch("https://hop0.example.com/");
    expect(await response.text()).toBe("done");
    expect(response.redirectCount).toBe(3);
    expect(response.finalUrl).toBe("https://hop3.example.com/");
  });

  it("drops credentials on a cross-origin hop and switches to GET after 303", async () => {
    const { fetch, calls } = scriptedFetch({
      "https://a.example.com/submit": redirect("https://b.example.com/result", 303),
      "https://b.example.com/result": () => new Response("ok"),
    });
    await createEgress({ fetch }).fetch("https://a.example.com/submit", {
      method: "POST",
      body: "payload",
      headers: { authorization: "Bearer secret", "content-type": "text/plain", "x-keep": "1" },
    });
    expect(calls[1]).toMatchObject({ method: "GET", body: null });
    expect(calls[1].headers.get("authorization")).toBeNull();
    expect(calls[1].headers.get("x-keep")).toBe("1");
  });

  it("keeps method and body on 307 within the same origin", async () => {
    const { fetch, calls } = scriptedFetch({
      "https://a.example.com/v1": redirect("/v2", 307),
      "https://a.example.com/v2": () => new Response("ok"),
    });
    await createEgress({ fetch }).fetch("https://a.example.com/v1", { method: "PUT", body: "data", headers: { authorization: "Bearer x" } });
    expect(calls[1]).toMatchObject({ method: "PUT", body: "data" });
    expect(calls[1].headers.get("authorization")).toBe("Bearer x");
  });

  it("returns the redirect itself when the caller asks for manual mode", async () => {
    const { fetch } = scriptedFetch({ "https://a.example.com/": redirect("http://127.0.0.1/") });
    const response = await createEgress({ fetch }).fetch("https://a.example.com/", { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("http://127.0.0.1/");
  });

  it("reports network failures as retryable EgressErrors", async () => {
    const egress = createEgress({ fetch: async () => Promise.reject(new TypeError("connection refused")) });
    const error = await refusal(egress.fetch("https://down.example.com/"));
    expect(error).toMatchObject({ code: "EGRESS_FAILED", isRetryable: true });
    expect(error.message).toMatch(/down.example.com/);
  });

  it("propagates the caller's abort", async () => {
    const controller = new AbortController();
    const egress = createEgress({
      fetch: (_input, init) =>
        new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason))),
    });
    const pending = egress.fetch("https://slow.example.com/", { signal: controller.signal });
    controller.abort(new Error("node cancelled"));
    await expect(pending).rejects.toThrow("node cancelled");
  });
});
