/**
 * The Overview charts' figures per day (`/console/api/apps/{id}/statistics/*` and
 * `…/workflow/statistics/*`, Dify's shapes): real runs through the service API next to the
 * console's own debugging run, which is left out; then a week of history written straight to D1
 * for the sums, means, percentiles, error counts and date ranges.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, createAppAs, createKeyAs, publishAs, seedTenant } from "./harness";

const DAY = 86_400;
/** Noon UTC of `daysAgo` days before today, and its date. */
const noon = (daysAgo: number) => Math.floor(Date.now() / 1000 / DAY) * DAY - daysAgo * DAY + DAY / 2;
const dateOf = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);
const today = dateOf(Date.now() / 1000);

const passThrough = {
  nodes: [
    { id: "start", data: { type: "start", title: "Start", variables: [{ variable: "topic", label: "Topic", type: "text-input", required: true }] } },
    { id: "end", data: { type: "end", title: "End", outputs: [{ variable: "topic", value_selector: ["start", "topic"] }] } },
  ],
  edges: [{ id: "e1", source: "start", target: "end", sourceHandle: "source", targetHandle: "target" }],
};

describe("app statistics", () => {
  it("counts a workflow's runs and runners per day, leaving out the console's debugging", async () => {
    const t = await seedTenant("stats");
    const appId = await createAppAs(t.tokens.owner, "workflow", "Counter");
    expect((await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner, body: { graph: passThrough } })).status).toBe(200);
    await publishAs(t.tokens.owner, appId);
    const key = (await createKeyAs(t.tokens.owner, appId)).token;
    for (const user of ["ann", "ann", "bob"]) {
      const run = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: { topic: "bees" }, user, response_mode: "blocking" } });
      expect(run.json.data.status, run.text).toBe("succeeded");
    }
    const debug = await call("POST", `/console/api/apps/${appId}/workflows/draft/run`, { token: t.tokens.owner, body: { inputs: { topic: "test" } } });
    expect(debug.status, debug.text).toBe(200);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM workflow_runs WHERE app_id = ?").bind(appId).first<{ n: number }>())?.n).toBe(4);

    const get = (path: string, token = t.tokens.normal) => call("GET", `/console/api/apps/${appId}/${path}`, { token });
    expect((await get("workflow/statistics/daily-conversations")).json).toEqual({ data: [{ date: today, runs: 3 }] });
    expect((await get("workflow/statistics/daily-terminals")).json).toEqual({ data: [{ date: today, terminal_count: 2 }] });
    expect((await get("workflow/statistics/average-app-interactions")).json).toEqual({ data: [{ date: today, interactions: 1.5 }] });
    expect((await get("workflow/statistics/token-costs")).json).toEqual({ data: [{ date: today, token_count: 0, total_price: 0, currency: "USD" }] });
    expect((await get("statistics/daily-errors")).json).toEqual({ data: [{ date: today, error_count: 0 }] });
    // A workflow has no messages.
    expect((await get("statistics/daily-messages")).json).toEqual({ data: [] });

    // Another workspace sees none of it.
    const other = await seedTenant("stats-other");
    const foreign = await get("workflow/statistics/daily-conversations", other.tokens.owner);
    expect(foreign.status).toBe(404);
    expect(foreign.json).toMatchObject({ code: "not_found", status: 404 });
  });

  it("sums a week of messages per day: tokens, price, mean and percentile latency, errors, within a range", async () => {
    const t = await seedTenant("stats-chat");
    const appId = await createAppAs(t.tokens.owner, "chat", "Helper");
    const rows: Array<{ at: number; user: string; conversation: string; latency: number; tokens: [number, number]; price: string; status?: string }> = [];
    // Five days ago: 20 messages from two users in two conversations, latencies 0.1 … 2.0 s.
    for (let i = 1; i <= 20; i += 1) rows.push({ at: noon(5) + i, user: i % 2 ? "u1" : "u2", conversation: i % 2 ? "c1" : "c2", latency: i / 10, tokens: [10, 5], price: "0.001" });
    // Two days ago: two messages, one failed.
    rows.push({ at: noon(2), user: "u1", conversation: "c3", latency: 1, tokens: [4, 4], price: "0.0005" });
    rows.push({ at: noon(2) + 60, user: "u1", conversation: "c3", latency: 3, tokens: [4, 0], price: "0", status: "error" });
    const statements = [];
    for (const conversation of ["c1", "c2", "c3", "preview"]) {
      statements.push(env.DB.prepare("INSERT INTO conversations (id, tenant_id, app_id, end_user_id, created_at) VALUES (?, ?, ?, ?, ?)").bind(`${appId}-${conversation}`, t.tenantId, appId, conversation, noon(5)));
    }
    for (const [index, row] of rows.entries()) {
      statements.push(
        env.DB.prepare(
          "INSERT INTO messages (id, tenant_id, app_id, conversation_id, end_user_id, query, answer, status, message_tokens, answer_tokens, total_price, provider_response_latency, created_at) VALUES (?, ?, ?, ?, ?, 'q', 'a', ?, ?, ?, ?, ?, ?)",
        ).bind(`${appId}-m${index}`, t.tenantId, appId, `${appId}-${row.conversation}`, row.user, row.status ?? "normal", row.tokens[0], row.tokens[1], row.price, row.latency, row.at),
      );
    }
    // The console's preview chat, five days ago: not counted.
    statements.push(
      env.DB.prepare(
        "INSERT INTO messages (id, tenant_id, app_id, conversation_id, end_user_id, query, answer, message_tokens, answer_tokens, total_price, provider_response_latency, created_at) VALUES (?, ?, ?, ?, ?, 'q', 'a', 1000, 1000, '9', 60, ?)",
      ).bind(`${appId}-preview`, t.tenantId, appId, `${appId}-preview`, `account:${t.accountIds.owner}`, noon(5)),
    );
    await env.DB.batch(statements);

    const get = (path: string, query = "") => call("GET", `/console/api/apps/${appId}/statistics/${path}${query}`, { token: t.tokens.normal });
    const [five, two] = [dateOf(noon(5)), dateOf(noon(2))];
    expect((await get("daily-messages")).json).toEqual({ data: [{ date: five, message_count: 20 }, { date: two, message_count: 2 }] });
    expect((await get("daily-conversations")).json).toEqual({ data: [{ date: five, conversation_count: 2 }, { date: two, conversation_count: 1 }] });
    expect((await get("daily-end-users")).json).toEqual({ data: [{ date: five, terminal_count: 2 }, { date: two, terminal_count: 1 }] });
    expect((await get("token-costs")).json).toEqual({
      data: [
        { date: five, token_count: 300, total_price: 0.02, currency: "USD" },
        { date: two, token_count: 12, total_price: 0.0005, currency: "USD" },
      ],
    });
    expect((await get("average-response-time")).json).toEqual({ data: [{ date: five, latency: 1050 }, { date: two, latency: 2000 }] });
    expect((await get("tokens-per-second")).json).toEqual({ data: [{ date: five, tps: 100 / 21 }, { date: two, tps: 1 }].map((d) => ({ ...d, tps: Number(d.tps.toFixed(4)) })) });
    // Nearest rank: the 10th and 19th of 20 sorted latencies; of two, the 1st and the 2nd.
    expect((await get("latency-percentiles")).json).toEqual({ data: [{ date: five, p50: 1000, p95: 1900 }, { date: two, p50: 1000, p95: 3000 }] });
    expect((await get("daily-errors")).json).toEqual({ data: [{ date: five, error_count: 0 }, { date: two, error_count: 1 }] });

    // The range is [start, end), in UTC.
    const from = `${dateOf(noon(3))} 00:00`;
    expect((await get("daily-messages", `?start=${encodeURIComponent(from)}&end=`)).json).toEqual({ data: [{ date: two, message_count: 2 }] });
    expect((await get("daily-messages", `?start=${encodeURIComponent(`${five} 12:00`)}&end=${encodeURIComponent(`${five} 12:00`)}`)).json).toEqual({ data: [] });
    const backwards = await get("daily-messages", `?start=${encodeURIComponent(`${two} 00:00`)}&end=${encodeURIComponent(`${five} 00:00`)}`);
    expect(backwards.status).toBe(400);
    expect(backwards.json).toEqual({ code: "invalid_param", message: "start must be before end.", status: 400 });
    const malformed = await get("daily-messages", "?start=yesterday");
    expect(malformed.status).toBe(400);
    expect(malformed.json).toMatchObject({ code: "invalid_param", status: 400 });
  });

  it("gives the workspace's model usage per day, and none of another workspace's", async () => {
    const t = await seedTenant("stats-usage");
    const other = await seedTenant("stats-usage-other");
    const record = (tenant: string, id: string, at: number, tokens: number, price: string) =>
      env.DB.prepare("INSERT INTO usage_records (id, tenant_id, source, source_id, provider, model, total_tokens, total_price, created_at) VALUES (?, ?, 'workflow_run', ?, 'openai', 'gpt', ?, ?, ?)").bind(id, tenant, id, tokens, price, at);
    await env.DB.batch([
      record(t.tenantId, `${t.tenantId}-1`, noon(3), 100, "0.01"),
      record(t.tenantId, `${t.tenantId}-2`, noon(3) + 10, 50, "0.005"),
      record(t.tenantId, `${t.tenantId}-3`, noon(1), 7, "0"),
      record(other.tenantId, `${other.tenantId}-1`, noon(3), 999, "9"),
    ]);
    const daily = await call("GET", `/console/api/workspaces/current/usage/daily?start=${encodeURIComponent(`${dateOf(noon(6))} 00:00`)}`, { token: t.tokens.normal });
    expect(daily.status, daily.text).toBe(200);
    expect(daily.json).toEqual({
      data: [
        { date: dateOf(noon(3)), tokens: 150, total_price: 0.015, currency: "USD", calls: 2 },
        { date: dateOf(noon(1)), tokens: 7, total_price: 0, currency: "USD", calls: 1 },
      ],
    });
  });
});
