import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, adoptBootGets, apiErrorFrom, peekPrimed, primeGets, request } from "./api";

describe("apiErrorFrom", () => {
  it("keeps Dify's envelope: the code and the message meant for people", () => {
    const error = apiErrorFrom(400, "Bad Request", { code: "credentials_validate_failed", message: "Credentials validation failed: 401", status: 400 });
    expect(error).toBeInstanceOf(ApiError);
    expect([error.code, error.message, error.status]).toEqual(["credentials_validate_failed", "Credentials validation failed: 401", 400]);
  });

  it("falls back to the status when the body is not an envelope", () => {
    expect(apiErrorFrom(502, "Bad Gateway", undefined).message).toBe("Bad Gateway");
    expect(apiErrorFrom(500, "", "oops")).toMatchObject({ code: "http_500", message: "Request failed (500)" });
  });
});

describe("primeGets", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  const stubFetch = () => {
    let served = 0;
    const fetch = vi.fn(async (url: string) =>
      url.endsWith("?if_workflow=true") && url.includes("/easy/") ? new Response(null, { status: 204 }) : new Response(JSON.stringify({ url, n: ++served }), { status: url.endsWith("/missing") ? 404 : 200 }),
    );
    vi.stubGlobal("fetch", fetch);
    return fetch;
  };

  it("hands a started GET to the next request for the same path, once", async () => {
    const fetch = stubFetch();
    primeGets(["/apps/a", "/apps/b"]);
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(await request("GET", "/apps/b")).toEqual({ url: "/console/api/apps/b", n: 2 });
    expect(fetch).toHaveBeenCalledTimes(2);
    // Taken once: the next ask goes to the server.
    expect(await request("GET", "/apps/b")).toEqual({ url: "/console/api/apps/b", n: 3 });
    // A write to a primed path is never answered by the GET.
    await request("POST", "/apps/a", { body: {} });
    expect(fetch).toHaveBeenCalledTimes(4);
  });

  it("lets the page peek at a primed answer without taking it", async () => {
    const fetch = stubFetch();
    primeGets(["/apps/p", "/missing"]);
    expect(await peekPrimed("/apps/p")).toEqual({ url: "/console/api/apps/p", n: 1 });
    expect(await peekPrimed("/missing")).toBeUndefined();
    expect(await peekPrimed("/never-primed")).toBeUndefined();
    expect(await request("GET", "/apps/p")).toEqual({ url: "/console/api/apps/p", n: 1 });
    await expect(request("GET", "/missing")).rejects.toMatchObject({ status: 404 });
    expect(fetch).toHaveBeenCalledTimes(2);
  });

  it("keeps errors as they are and drops an answer nobody asked for within 10 s", async () => {
    const fetch = stubFetch();
    primeGets(["/missing"]);
    await expect(request("GET", "/missing")).rejects.toMatchObject({ status: 404 });
    vi.useFakeTimers({ now: Date.now() });
    primeGets(["/apps/c"]);
    vi.setSystemTime(Date.now() + 11_000);
    expect(await request("GET", "/apps/c")).toMatchObject({ n: 3 });
    expect(fetch).toHaveBeenCalledTimes(3);
  });

  it("may make a GET with a query the page's request lacks, and does not hand out a 204", async () => {
    const fetch = stubFetch();
    primeGets([["/apps/flow/workflows/draft", "?if_workflow=true"], ["/apps/easy/workflows/draft", "?if_workflow=true"]]);
    expect(fetch.mock.calls.map(([url]) => url)).toEqual(["/console/api/apps/flow/workflows/draft?if_workflow=true", "/console/api/apps/easy/workflows/draft?if_workflow=true"]);
    expect(await request("GET", "/apps/flow/workflows/draft")).toEqual({ url: "/console/api/apps/flow/workflows/draft?if_workflow=true", n: 1 });
    expect(await peekPrimed("/apps/easy/workflows/draft")).toBeUndefined();
    // Asked for anyway, the page's own request goes to the server (which says what is wrong).
    expect(await request("GET", "/apps/easy/workflows/draft")).toEqual({ url: "/console/api/apps/easy/workflows/draft", n: 2 });
  });

  it("takes over the GETs the page's boot script started, once", async () => {
    const fetch = stubFetch();
    expect(adoptBootGets()).toBe(false);
    const started = { status: 200, statusText: "OK", body: JSON.stringify({ from: "boot" }) };
    (globalThis as { __waggleBootGets?: unknown }).__waggleBootGets = { at: Date.now(), gets: { "/apps/boot": Promise.resolve(started), "/apps/boot/workflows/draft": Promise.resolve(null) } };
    expect(adoptBootGets()).toBe(true);
    expect(adoptBootGets()).toBe(false);
    expect(await request("GET", "/apps/boot")).toEqual({ from: "boot" });
    expect(fetch).not.toHaveBeenCalled();
    expect(await request("GET", "/apps/boot")).toEqual({ url: "/console/api/apps/boot", n: 1 });
    // A GET whose answer the boot script dropped (an easy-mode app's draft: 204) is made when asked for.
    expect(await peekPrimed("/apps/boot/workflows/draft")).toBeUndefined();
    expect(await request("GET", "/apps/boot/workflows/draft")).toEqual({ url: "/console/api/apps/boot/workflows/draft", n: 2 });
  });
});

describe("request", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("answers undefined for a 204 and the error envelope for a failed call", async () => {
    const fetch = vi.fn(async (url: string) =>
      url.endsWith("/empty") ? new Response(null, { status: 204 }) : new Response(JSON.stringify({ code: "app_unavailable", message: "App unavailable", status: 400 }), { status: 400, statusText: "Bad Request" }),
    );
    vi.stubGlobal("fetch", fetch);
    expect(await request("DELETE", "/apps/x/empty")).toBeUndefined();
    await expect(request("GET", "/apps/x")).rejects.toMatchObject({ code: "app_unavailable", message: "App unavailable", status: 400 });
  });

  it("says the server cannot be reached when the answer's body breaks off", async () => {
    const broken = new ReadableStream({
      start(controller) {
        controller.error(new TypeError("network error"));
      },
    });
    vi.stubGlobal("fetch", vi.fn(async () => new Response(broken, { status: 200 })));
    await expect(request("GET", "/apps")).rejects.toMatchObject({ code: "network_error", status: 0 });
  });
});
