/**
 * Workflow triggers: a webhook (secret header or HMAC signature; body and query become inputs;
 * sync or async) and a schedule run by the Worker's cron tick (missed ticks collapse into one run;
 * overlapping ticks start it once). Runs record `triggered_from`.
 */
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../workers/index";
import { runDueSchedules } from "../../workers/runs/triggers";
import { call, createAppAs, publishAs, seedTenant, type SeededTenant } from "./harness";

async function topicWorkflow(t: SeededTenant) {
  const appId = await createAppAs(t.tokens.owner, "workflow", "Triggered");
  const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner });
  const node = (id: string, data: Record<string, unknown>) => ({ id, type: "custom", position: { x: 0, y: 0 }, data: { title: id, ...data } });
  const graph = {
    nodes: [
      node("start", { type: "start", variables: [{ variable: "topic", label: "Topic", type: "text-input", required: true }] }),
      node("tpl", { type: "template-transform", variables: [{ variable: "topic", value_selector: ["start", "topic"] }], template: "about {{ topic }}" }),
      node("end", { type: "end", outputs: [{ variable: "text", value_selector: ["tpl", "output"] }] }),
    ],
    edges: [
      { id: "e1", source: "start", target: "tpl", sourceHandle: "source", targetHandle: "target" },
      { id: "e2", source: "tpl", target: "end", sourceHandle: "source", targetHandle: "target" },
    ],
  };
  expect((await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner, body: { graph, hash: draft.json.hash } })).status).toBe(200);
  await publishAs(t.tokens.owner, appId);
  return appId;
}

async function hmac(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return [...new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function runsOf(appId: string, from: string) {
  return (await env.DB.prepare("SELECT id, status, outputs, triggered_from FROM workflow_runs WHERE app_id = ? AND triggered_from = ? ORDER BY created_at").bind(appId, from).all<Record<string, string>>()).results;
}

describe("webhook triggers", () => {
  it("start the workflow with the body and query as inputs, once the caller proves the secret", async () => {
    const t = await seedTenant("hook");
    const appId = await topicWorkflow(t);
    const made = await call("PUT", `/console/api/apps/${appId}/triggers/webhook`, { token: t.tokens.editor, body: {} });
    expect(made.status, made.text).toBe(200);
    expect(made.json).toMatchObject({ enabled: true, response_mode: "async", secret: expect.stringMatching(/^whsec_/) });
    const path = new URL(made.json.url).pathname;
    const secret: string = made.json.secret;
    expect((await call("GET", `/console/api/apps/${appId}/triggers`, { token: t.tokens.editor })).json.webhook.secret).toBeNull();

    expect((await call("POST", path, { body: { topic: "bees" } })).status).toBe(401);
    expect((await call("POST", path, { body: { topic: "bees" }, headers: { "X-Webhook-Secret": "whsec_wrong" } })).status).toBe(401);
    const started = await call("POST", path, { body: { topic: "bees", ignored: 1 }, headers: { "X-Webhook-Secret": secret } });
    expect(started.status, started.text).toBe(202);
    expect(started.json).toMatchObject({ status: "running", workflow_run_id: expect.any(String) });
    await expect.poll(async () => (await runsOf(appId, "webhook")).map((run) => run.status), { timeout: 10_000 }).toEqual(["succeeded"]);
    expect(JSON.parse((await runsOf(appId, "webhook"))[0]!.outputs)).toEqual({ text: "about bees" });

    // Sync mode answers like a blocking run; a signature of the exact body works as well as the secret.
    expect((await call("PUT", `/console/api/apps/${appId}/triggers/webhook`, { token: t.tokens.editor, body: { response_mode: "sync" } })).json.secret).toBeNull();
    const body = JSON.stringify({ topic: "wasps" });
    const signed = await call("POST", path, { body, headers: { "Content-Type": "application/json", "X-Webhook-Signature": `sha256=${await hmac(secret, body)}` } });
    expect(signed.status, signed.text).toBe(200);
    expect(signed.json.data).toMatchObject({ status: "succeeded", outputs: { text: "about wasps" } });
    const tampered = await call("POST", path, { body: JSON.stringify({ topic: "ants" }), headers: { "Content-Type": "application/json", "X-Webhook-Signature": `sha256=${await hmac(secret, body)}` } });
    expect(tampered.status).toBe(401);
    const fromQuery = await call("POST", `${path}?topic=moths`, { headers: { Authorization: `Bearer ${secret}` } });
    expect(fromQuery.json.data.outputs).toEqual({ text: "about moths" });
    const missing = await call("POST", path, { body: {}, headers: { "X-Webhook-Secret": secret } });
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ code: "invalid_param", message: expect.stringContaining("topic") });
    const notObject = await call("POST", path, { body: "[1,2]", headers: { "Content-Type": "application/json", "X-Webhook-Secret": secret } });
    expect(notObject.status).toBe(400);

    // Switched off: 403; a renewed secret retires the old one.
    await call("PUT", `/console/api/apps/${appId}/triggers/webhook`, { token: t.tokens.editor, body: { enabled: false, response_mode: "sync" } });
    expect((await call("POST", path, { body: { topic: "x" }, headers: { "X-Webhook-Secret": secret } })).json).toMatchObject({ status: 403, code: "webhook_disabled" });
    const renewed = await call("PUT", `/console/api/apps/${appId}/triggers/webhook`, { token: t.tokens.editor, body: { regenerate_secret: true, response_mode: "sync" } });
    expect(renewed.json.secret).not.toBe(secret);
    expect((await call("POST", path, { body: { topic: "x" }, headers: { "X-Webhook-Secret": secret } })).status).toBe(401);
    expect((await call("POST", path, { body: { topic: "x" }, headers: { "X-Webhook-Secret": renewed.json.secret } })).status).toBe(200);

    // Only workflow apps have triggers; another workspace sees none of this app's.
    const chat = await createAppAs(t.tokens.owner, "chat", "No triggers");
    expect((await call("PUT", `/console/api/apps/${chat}/triggers/webhook`, { token: t.tokens.editor, body: {} })).json.code).toBe("not_workflow_app");
    const other = await seedTenant("hook-other");
    expect((await call("GET", `/console/api/apps/${appId}/triggers`, { token: other.tokens.owner })).status).toBe(404);
    expect((await call("DELETE", `/console/api/apps/${appId}/triggers/webhook`, { token: t.tokens.editor })).status).toBe(204);
    expect((await call("POST", path, { body: { topic: "x" }, headers: { "X-Webhook-Secret": renewed.json.secret } })).status).toBe(404);
  });
});

describe("schedule triggers", () => {
  it("are checked when saved, and the cron tick runs a due one once, however many ticks it missed", async () => {
    const t = await seedTenant("cron");
    const appId = await topicWorkflow(t);
    const bad = await call("PUT", `/console/api/apps/${appId}/triggers/schedule`, { token: t.tokens.editor, body: { cron: "every monday", inputs: { topic: "x" } } });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/five-field cron/);
    const noInputs = await call("PUT", `/console/api/apps/${appId}/triggers/schedule`, { token: t.tokens.editor, body: { cron: "*/5 * * * *" } });
    expect(noInputs.status).toBe(400);
    expect(noInputs.json.message).toMatch(/topic/);
    const saved = await call("PUT", `/console/api/apps/${appId}/triggers/schedule`, { token: t.tokens.editor, body: { cron: "*/5 * * * *", timezone: "Europe/Berlin", inputs: { topic: "cron" } } });
    expect(saved.status, saved.text).toBe(200);
    const now = Math.floor(Date.now() / 1000);
    expect(saved.json.next_run_at).toBeGreaterThan(now);
    expect(saved.json.next_run_at % 300).toBe(0);

    // Not due yet: the tick starts nothing.
    const ctx = createExecutionContext();
    await worker.scheduled!(createScheduledController({ scheduledTime: Date.now(), cron: "* * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await runsOf(appId, "schedule")).toEqual([]);

    // Due since an hour ago (twelve missed ticks): two overlapping ticks start one run between them.
    await env.DB.prepare("UPDATE app_triggers SET next_run_at = ? WHERE app_id = ? AND type = 'schedule'").bind(now - 3600, appId).run();
    const [first, second] = await Promise.all([runDueSchedules(env, now), runDueSchedules(env, now)]);
    expect(first.started + second.started).toBe(1);
    await expect.poll(async () => (await runsOf(appId, "schedule")).map((run) => run.status), { timeout: 10_000 }).toEqual(["succeeded"]);
    expect(JSON.parse((await runsOf(appId, "schedule"))[0]!.outputs)).toEqual({ text: "about cron" });
    const after = (await call("GET", `/console/api/apps/${appId}/triggers`, { token: t.tokens.editor })).json.schedule;
    expect(after.next_run_at).toBeGreaterThan(now);
    expect(after.last_run_id).toBe((await runsOf(appId, "schedule"))[0]!.id);

    // Switched off, it is not run.
    await call("PUT", `/console/api/apps/${appId}/triggers/schedule`, { token: t.tokens.editor, body: { enabled: false, cron: "*/5 * * * *", inputs: { topic: "cron" } } });
    await env.DB.prepare("UPDATE app_triggers SET next_run_at = ? WHERE app_id = ? AND type = 'schedule'").bind(now - 60, appId).run();
    expect((await runDueSchedules(env, now)).started).toBe(0);
  });
});
