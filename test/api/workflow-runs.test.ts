import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { lengthRouterGraph } from "../fixtures/length-router";
import { call, createAppAs, createKeyAs, publishAs, seedTenant } from "./harness";

async function publishedWorkflow(graph: unknown = lengthRouterGraph) {
  const t = await seedTenant("wf");
  const appId = await createAppAs(t.tokens.owner, "workflow", "Length router");
  const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner });
  const saved = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner, body: { graph, hash: draft.json.hash } });
  expect(saved.status, saved.text).toBe(200);
  const versionId = await publishAs(t.tokens.owner, appId);
  const key = await createKeyAs(t.tokens.owner, appId);
  return { t, appId, versionId, key: key.token };
}

function parseSse(text: string): any[] {
  return text
    .split("\n\n")
    .map((frame) => frame.split("\n").find((line) => line.startsWith("data: ")))
    .filter((line): line is string => Boolean(line))
    .map((line) => JSON.parse(line.slice(6)));
}

describe("/v1/workflows/run", () => {
  it("runs blocking with Dify's response body and records the run in D1", async () => {
    const { key, versionId } = await publishedWorkflow();
    const res = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: { query: "hello wide world" }, user: "u-1", response_mode: "blocking" } });
    expect(res.status, res.text).toBe(200);
    expect(res.json.task_id).toBe(res.json.workflow_run_id);
    expect(res.json.data).toMatchObject({ id: res.json.workflow_run_id, workflow_id: versionId, status: "succeeded", outputs: { result: "LONG(16): HELLO WIDE WORLD" }, error: null, total_steps: 5 });

    const short = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: { query: "hi" }, user: "u-1", response_mode: "blocking" } });
    expect(short.json.data.outputs).toEqual({ result: "hi" });

    const runId = res.json.workflow_run_id;
    await expect.poll(async () => (await env.DB.prepare("SELECT count(*) AS n FROM node_executions WHERE workflow_run_id = ?").bind(runId).first("n"))).toBe(5);
    const got = await call("GET", `/v1/workflows/run/${runId}`, { token: key });
    expect(got.json).toMatchObject({ id: runId, status: "succeeded", inputs: JSON.stringify({ query: "hello wide world" }), outputs: { result: "LONG(16): HELLO WIDE WORLD" }, total_steps: 5 });

    const logs = await call("GET", "/v1/workflows/logs?limit=1", { token: key });
    expect(logs.json).toMatchObject({ page: 1, limit: 1, total: 2, has_more: true });
    expect(logs.json.data[0].created_by_end_user.session_id).toBe("u-1");
    const filtered = await call("GET", "/v1/workflows/logs?keyword=wide", { token: key });
    expect(filtered.json.data.map((d: any) => d.id)).toEqual([runId]);
  });

  it("streams Dify's SSE events in order and ends with workflow_finished", async () => {
    const { key } = await publishedWorkflow();
    const res = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: { query: "a long enough input" }, user: "u-2", response_mode: "streaming" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/event-stream/);
    expect(res.headers.get("X-Accel-Buffering")).toBe("no");
    expect(res.headers.get("Cache-Control")).toBe("no-cache");
    const events = parseSse(res.text);
    expect(events[0].event).toBe("workflow_started");
    expect(events.at(-1).event).toBe("workflow_finished");
    expect(events.at(-1).data).toMatchObject({ status: "succeeded", outputs: { result: "LONG(19): A LONG ENOUGH INPUT" } });
    const nodes = events.filter((e) => e.event === "node_finished").map((e) => e.data.node_id);
    expect(nodes).toEqual(["start", "code", "ifelse", "tpl", "end_long"]);
    for (const event of events) {
      expect(event.task_id).toBe(events[0].workflow_run_id);
      expect(event.workflow_run_id).toBe(events[0].workflow_run_id);
    }

    // A reconnect with Last-Event-ID replays only what came after.
    const runId = events[0].workflow_run_id;
    const replay = await call("GET", `/v1/workflow/${runId}/events?user=u-2`, { token: key, headers: { "Last-Event-ID": "3" } });
    const replayed = parseSse(replay.text);
    expect(replayed.length).toBe(events.length - 3);
    expect(replayed.at(-1).event).toBe("workflow_finished");
  });

  it("answers 400 invalid_param naming the input, and refuses the wrong app mode", async () => {
    const { t, key } = await publishedWorkflow();
    const missing = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: {}, user: "u", response_mode: "blocking" } });
    expect(missing.status).toBe(400);
    expect(missing.json.code).toBe("invalid_param");
    expect(missing.json.message).toMatch(/query/);
    const noUser = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: { query: "x" } } });
    expect(noUser.status).toBe(400);
    expect(noUser.json.message).toMatch(/user/);

    const chatApp = await createAppAs(t.tokens.owner, "chat");
    await publishAs(t.tokens.owner, chatApp);
    const chatKey = await createKeyAs(t.tokens.owner, chatApp);
    const wrong = await call("POST", "/v1/workflows/run", { token: chatKey.token, body: { inputs: {}, user: "u" } });
    expect(wrong.status).toBe(400);
    expect(wrong.json.code).toBe("not_workflow_app");
  });

  it("runs a pinned published version and refuses unknown ones", async () => {
    const { key, versionId } = await publishedWorkflow();
    const res = await call("POST", `/v1/workflows/${versionId}/run`, { token: key, body: { inputs: { query: "x" }, user: "u", response_mode: "blocking" } });
    expect(res.json.data.workflow_id).toBe(versionId);
    expect((await call("POST", `/v1/workflows/${crypto.randomUUID()}/run`, { token: key, body: { inputs: { query: "x" }, user: "u" } })).status).toBe(404);
  });

  it("does not show one app's runs to another app's key", async () => {
    const a = await publishedWorkflow();
    const b = await publishedWorkflow();
    const res = await call("POST", "/v1/workflows/run", { token: a.key, body: { inputs: { query: "secret" }, user: "u", response_mode: "blocking" } });
    const runId = res.json.workflow_run_id;
    expect((await call("GET", `/v1/workflows/run/${runId}`, { token: b.key })).status).toBe(404);
    expect((await call("POST", `/v1/workflows/tasks/${runId}/stop`, { token: b.key, body: { user: "u" } })).status).toBe(404);
    expect((await call("GET", `/v1/workflow/${runId}/events`, { token: b.key })).status).toBe(404);
    expect((await call("GET", "/v1/workflows/logs", { token: b.key })).json.total).toBe(0);
  });
});

describe("console runs", () => {
  it("runs the draft with live SSE, then shows it in the run history with per-node details", async () => {
    const { t, appId } = await publishedWorkflow();
    const res = await call("POST", `/console/api/apps/${appId}/workflows/draft/run`, { token: t.tokens.editor, body: { inputs: { query: "draft run please" } } });
    expect(res.status).toBe(200);
    const events = parseSse(res.text);
    expect(events.at(-1)).toMatchObject({ event: "workflow_finished", data: { status: "succeeded", outputs: { result: "LONG(16): DRAFT RUN PLEASE" } } });
    const runId = events[0].workflow_run_id;

    await expect.poll(async () => (await call("GET", `/console/api/apps/${appId}/workflow-runs`, { token: t.tokens.normal })).json.total).toBe(1);
    const history = await call("GET", `/console/api/apps/${appId}/workflow-runs`, { token: t.tokens.normal });
    expect(history.json.data[0]).toMatchObject({ id: runId, status: "succeeded", triggered_from: "debugging", created_by_role: "account" });
    const nodes = await call("GET", `/console/api/apps/${appId}/workflow-runs/${runId}/node-executions`, { token: t.tokens.normal });
    expect(nodes.json.data.map((n: any) => [n.node_id, n.status])).toEqual([["start", "succeeded"], ["code", "succeeded"], ["ifelse", "succeeded"], ["tpl", "succeeded"], ["end_long", "succeeded"]]);
    const code = nodes.json.data.find((n: any) => n.node_id === "code");
    expect(code.inputs).toEqual({ q: "draft run please" });
    expect(code.outputs).toEqual({ length: 16, upper: "DRAFT RUN PLEASE" });
    expect(typeof code.elapsed_time).toBe("number");
    // Draft runs do not show up in the service API's logs.
    expect((await call("GET", `/console/api/apps/${appId}/workflow-runs/${runId}`, { token: t.tokens.normal })).json.status).toBe("succeeded");
  });

  it("reports a failing code node as a failed run with the node's error", async () => {
    const graph = structuredClone(lengthRouterGraph);
    (graph.nodes[1]!.data as any).code = "function main({ q }) { throw new Error('boom: ' + q); }";
    const { key } = await publishedWorkflow(graph);
    const res = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: { query: "x" }, user: "u", response_mode: "blocking" } });
    expect(res.json.data.status).toBe("failed");
    expect(res.json.data.error).toMatch(/boom: x/);
  });

  it("refuses to publish a broken graph and says which node is wrong", async () => {
    const t = await seedTenant("wf-broken");
    const appId = await createAppAs(t.tokens.owner, "workflow");
    const graph = structuredClone(lengthRouterGraph);
    (graph.nodes[4]!.data as any).outputs = [{ variable: "result", value_type: "string", value_selector: ["nowhere", "text"] }];
    graph.edges.push({ id: "dangling", source: "tpl", sourceHandle: "source", target: "ghost", targetHandle: "target", type: "custom" });
    const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner });
    await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner, body: { graph, hash: draft.json.hash } });
    const res = await call("POST", `/console/api/apps/${appId}/workflows/publish`, { token: t.tokens.owner });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe("invalid_param");
    expect(res.json.message).toMatch(/end_long/);
    expect(res.json.message).toMatch(/ghost/);
  });
});

describe("single-node run and retry from the failed node", () => {
  it("runs one draft node with given inputs", async () => {
    const { t, appId } = await publishedWorkflow();
    const res = await call("POST", `/console/api/apps/${appId}/workflows/draft/nodes/code/run`, { token: t.tokens.editor, body: { inputs: { "start.query": "abc" } } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ node_id: "code", status: "succeeded", inputs: { q: "abc" }, outputs: { length: 3, upper: "ABC" } });
    const missing = await call("POST", `/console/api/apps/${appId}/workflows/draft/nodes/nope/run`, { token: t.tokens.editor, body: { inputs: {} } });
    expect(missing.status).toBe(404);
    const bad = await call("POST", `/console/api/apps/${appId}/workflows/draft/nodes/code/run`, { token: t.tokens.editor, body: { inputs: { query: "abc" } } });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/node\.variable/);
  });

  it("retries a failed draft run from the failed node after the draft is fixed", async () => {
    const broken = structuredClone(lengthRouterGraph);
    (broken.nodes[1]!.data as any).code = "function main({ q }) { throw new Error('not yet'); }";
    const { t, appId } = await publishedWorkflow(broken);
    const first = parseSse((await call("POST", `/console/api/apps/${appId}/workflows/draft/run`, { token: t.tokens.editor, body: { inputs: { query: "retry this input" } } })).text);
    expect(first.at(-1).data.status).toBe("failed");
    const failedRunId = first[0].workflow_run_id;

    // Fix the code node in the draft, then retry the failed run.
    const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.editor });
    await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.editor, body: { graph: lengthRouterGraph, hash: draft.json.hash } });
    const retry = await call("POST", `/console/api/apps/${appId}/workflow-runs/${failedRunId}/retry`, { token: t.tokens.editor });
    expect(retry.status, retry.text).toBe(200);
    const events = parseSse(retry.text);
    expect(events.at(-1).data).toMatchObject({ status: "succeeded", outputs: { result: "LONG(16): RETRY THIS INPUT" } });
    expect(events.filter((e) => e.event === "node_started").map((e) => e.data.node_id)).toEqual(["code", "ifelse", "tpl", "end_long"]);
    expect(events[0].workflow_run_id).not.toBe(failedRunId);

    // A run that succeeded cannot be retried.
    const again = await call("POST", `/console/api/apps/${appId}/workflow-runs/${events[0].workflow_run_id}/retry`, { token: t.tokens.editor });
    expect(again.status).toBe(400);
    expect(again.json.message).toMatch(/succeeded/);
  });
});
