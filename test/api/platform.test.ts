import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../workers/index";
import { call, seedTenant } from "./harness";

describe("CORS", () => {
  it("opens /v1 to any origin and keeps the console same-origin", async () => {
    const preflight = await call("OPTIONS", "/v1/info", { headers: { Origin: "https://app.example", "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" } });
    expect(preflight.headers.get("Access-Control-Allow-Origin")).toBe("*");
    expect(preflight.headers.get("Access-Control-Allow-Headers")?.toLowerCase()).toContain("authorization");
    const consoleCall = await call("GET", "/console/api/setup", { headers: { Origin: "https://evil.example" } });
    expect(consoleCall.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});

describe("limits", () => {
  it("refuses a body over 10 MB before reading it", async () => {
    const t = await seedTenant("big");
    const res = await call("POST", "/console/api/apps", { token: t.tokens.owner, body: JSON.stringify({ name: "x".repeat(10 * 1024 * 1024 + 10), mode: "chat" }) });
    expect(res.status).toBe(413);
    expect(res.json.code).toBe("request_too_large");
  });
});

describe("queue consumer", () => {
  it("acknowledges messages it has no handler for instead of retrying them forever", async () => {
    const batch = createMessageBatch("waggle-ingest", [{ id: "m1", timestamp: new Date(), attempts: 1, body: { type: "mystery" } }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual(["m1"]);
    expect(result.retryMessages).toEqual([]);
  });
});

describe("cron", () => {
  it("deletes expired sessions and stale login-failure windows", async () => {
    const t = await seedTenant("cron");
    await env.DB.prepare("UPDATE sessions SET expires_at = 1 WHERE account_id = ?").bind(t.accountIds.normal).run();
    await env.DB.prepare("INSERT INTO login_failures (key, count, window_start) VALUES ('email:old@example.com', 3, 1)").run();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "*/15 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const sessions = await env.DB.prepare("SELECT account_id FROM sessions WHERE account_id IN (?, ?)").bind(t.accountIds.normal, t.accountIds.owner).all();
    expect(sessions.results.map((r: any) => r.account_id)).toEqual([t.accountIds.owner]);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM login_failures").first("n")).toBe(0);
  });
});
