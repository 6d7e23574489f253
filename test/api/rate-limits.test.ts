import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AcquireRequest, AcquireResult } from "../../durable-objects/app-rate-limiter";
import { call, createAppAs, createKeyAs, publishAs, seedTenant } from "./harness";

interface Limiter {
  acquire(request: AcquireRequest): Promise<AcquireResult>;
  release(requestId: string): Promise<void>;
  activeCount(): Promise<number>;
}

function limiter(name: string): Limiter {
  return env.APP_RATE_LIMITER.get(env.APP_RATE_LIMITER.idFromName(name)) as unknown as Limiter;
}

/** A published workflow whose code node keeps the run busy for about `ms` milliseconds. */
async function slowWorkflow(token: string, ms: number) {
  const appId = await createAppAs(token, "workflow", "Slow");
  const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token });
  const graph = {
    nodes: [
      { id: "start", data: { type: "start", title: "Start", variables: [] } },
      {
        id: "wait",
        data: {
          type: "code",
          title: "Wait",
          code_language: "javascript",
          code: `function main() { const until = Date.now() + ${ms}; while (Date.now() < until) {} return { done: true }; }`,
          variables: [],
          outputs: { done: { type: "boolean", children: null } },
        },
      },
      { id: "end", data: { type: "end", title: "End", outputs: [{ variable: "done", value_selector: ["wait", "done"] }] } },
    ],
    edges: [
      { id: "e1", source: "start", target: "wait", sourceHandle: "source", targetHandle: "target" },
      { id: "e2", source: "wait", target: "end", sourceHandle: "source", targetHandle: "target" },
    ],
  };
  const saved = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token, body: { graph, hash: draft.json.hash } });
  expect(saved.status, saved.text).toBe(200);
  await publishAs(token, appId);
  return { appId, key: (await createKeyAs(token, appId)).token };
}

describe("rate limits", () => {
  it("an app's max_active_requests answers 429 too_many_requests with Retry-After while a run is active, and frees the slot after", async () => {
    const t = await seedTenant("rl");
    const { appId, key } = await slowWorkflow(t.tokens.owner, 1500);
    const set = await call("PUT", `/console/api/apps/${appId}`, { token: t.tokens.editor, body: { name: "Slow", max_active_requests: 1 } });
    expect(set.json.max_active_requests).toBe(1);
    const body = { inputs: {}, user: "u", response_mode: "blocking" };
    const first = call("POST", "/v1/workflows/run", { token: key, body });
    // Wait until the first request holds the app's only slot.
    await expect.poll(() => limiter(appId).activeCount(), { timeout: 5000 }).toBe(1);
    const second = await call("POST", "/v1/workflows/run", { token: key, body });
    expect(second.status).toBe(429);
    expect(second.json).toMatchObject({ code: "too_many_requests", status: 429, message: expect.stringContaining("maximum concurrent requests allowed for Slow is 1") });
    expect(second.headers.get("Retry-After")).toBe("1");
    expect((await first).json.data.status).toBe("succeeded");
    expect(await limiter(appId).activeCount()).toBe(0);
    const third = await call("POST", "/v1/workflows/run", { token: key, body: { ...body, response_mode: "streaming" } });
    expect(third.status).toBe(200);
    expect(third.text).toContain("workflow_finished");
    // A streamed request holds its slot until the stream ends, then gives it back.
    await expect.poll(() => limiter(appId).activeCount()).toBe(0);

    const unlimited = await call("PUT", `/console/api/apps/${appId}`, { token: t.tokens.editor, body: { name: "Slow", max_active_requests: 0 } });
    expect(unlimited.json.max_active_requests).toBeNull();
  });

  it("counts requests per key per minute and tells how long to wait", async () => {
    const l = limiter(`rpm-${crypto.randomUUID()}`);
    const now = Date.now();
    const ask = (keyId: string, at: number) => l.acquire({ requestId: crypto.randomUUID(), maxActive: 0, keyId, rpm: 2, now: at });
    expect(await ask("k1", now)).toEqual({ ok: true });
    expect(await ask("k1", now + 10_000)).toEqual({ ok: true });
    expect(await ask("k1", now + 20_000)).toEqual({ ok: false, reason: "rpm", limit: 2, retryAfterSeconds: 40 });
    // Another key has its own budget; the first key's budget returns as the minute passes.
    expect(await ask("k2", now + 20_000)).toEqual({ ok: true });
    expect(await ask("k1", now + 60_001)).toEqual({ ok: true });
  });

  it("forgets active requests that were never released after ten minutes", async () => {
    const l = limiter(`ttl-${crypto.randomUUID()}`);
    const now = Date.now();
    expect(await l.acquire({ requestId: "lost", maxActive: 1, keyId: "k", rpm: 0, now })).toEqual({ ok: true });
    expect(await l.acquire({ requestId: "next", maxActive: 1, keyId: "k", rpm: 0, now: now + 1000 })).toMatchObject({ ok: false, reason: "active" });
    expect(await l.acquire({ requestId: "later", maxActive: 1, keyId: "k", rpm: 0, now: now + 10 * 60 * 1000 + 1 })).toEqual({ ok: true });
  });
});
