import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { AcquireRequest, AcquireResult } from "../../durable-objects/app-rate-limiter";
import { createApp } from "../../workers/app";
import { call, createAppAs, createKeyAs, publishAs, seedTenant, type SeededTenant } from "./harness";
import { mockModelUrl, resetMockModel, scriptMockModel } from "./mock-model";

interface Limiter {
  acquire(request: AcquireRequest): Promise<AcquireResult>;
  release(requestId: string): Promise<void>;
  activeCount(): Promise<number>;
}

function limiter(name: string): Limiter {
  return env.APP_RATE_LIMITER.get(env.APP_RATE_LIMITER.idFromName(name)) as unknown as Limiter;
}

const MODEL = { provider: "openai_api_compatible", name: "mock-chat", mode: "chat", completion_params: {} };

/** A published chat app on the mock model server (which can be told to answer slowly). */
async function chatApp(t: SeededTenant) {
  const model = await call("POST", "/console/api/workspaces/current/model-providers/openai_api_compatible/models", {
    token: t.tokens.admin,
    body: { model: "mock-chat", model_type: "llm", credentials: { endpoint_url: `${mockModelUrl}/v1`, api_key: "sk-rl", mode: "chat", context_size: "4096" } },
  });
  expect(model.status, model.text).toBe(201);
  const appId = await createAppAs(t.tokens.owner, "chat", "Slow");
  const draft = await call("GET", `/console/api/apps/${appId}/model-config`, { token: t.tokens.owner });
  await call("POST", `/console/api/apps/${appId}/model-config`, { token: t.tokens.owner, body: { model_config: { ...draft.json.model_config, model: MODEL }, hash: draft.json.hash } });
  await publishAs(t.tokens.owner, appId);
  return { appId, key: (await createKeyAs(t.tokens.owner, appId)).token };
}

describe("rate limits", () => {
  it("an app's max_active_requests answers 429 too_many_requests with Retry-After while a stream is open, and frees the slot after", async () => {
    const t = await seedTenant("rl");
    const { appId, key } = await chatApp(t);
    const set = await call("PUT", `/console/api/apps/${appId}`, { token: t.tokens.editor, body: { name: "Slow", max_active_requests: 1 } });
    expect(set.json.max_active_requests).toBe(1);
    await resetMockModel();
    await scriptMockModel({ text: "one two three four five six", chunkDelayMs: 50 }, { text: "fine" }, { text: "fine again" });
    const app = createApp();
    const request = (body: Record<string, unknown>) =>
      app.request("http://waggle.test/v1/chat-messages", { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" }, body: JSON.stringify({ inputs: {}, user: "u", ...body }) }, env);
    // A streaming answer holds the app's only slot until its stream has been read to the end.
    const open = await request({ query: "talk", response_mode: "streaming" });
    expect(open.status).toBe(200);
    const reader = open.body!.getReader();
    await reader.read();
    const second = await call("POST", "/v1/chat-messages", { token: key, body: { query: "me too", inputs: {}, user: "u", response_mode: "blocking" } });
    expect(second.status).toBe(429);
    expect(second.json).toMatchObject({ code: "too_many_requests", status: 429, message: expect.stringContaining("maximum concurrent requests allowed for Slow is 1") });
    expect(second.headers.get("Retry-After")).toBe("1");
    while (!(await reader.read()).done) {
      // drain the stream
    }
    await expect.poll(() => limiter(appId).activeCount()).toBe(0);
    // Blocking requests hold the slot only while they run.
    expect((await call("POST", "/v1/chat-messages", { token: key, body: { query: "now", inputs: {}, user: "u", response_mode: "blocking" } })).status).toBe(200);
    expect((await call("POST", "/v1/chat-messages", { token: key, body: { query: "again", inputs: {}, user: "u", response_mode: "blocking" } })).status).toBe(200);

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
