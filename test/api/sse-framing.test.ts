/**
 * Dify's SSE framing, read from the raw bytes rather than through a parser: every frame is
 * `data: <one JSON object>` (after an `id:` line for reconnects) ended by a blank line, or a bare
 * `event: ping`; the stream's headers; the terminal events per app mode; a failure after the stream
 * started is an `error` event on an HTTP 200 stream.
 */
import { describe, expect, it } from "vitest";
import { sseFromEvents } from "../../workers/http/sse";
import { call, createAppAs, createKeyAs, publishAs, seedTenant, type SeededTenant } from "./harness";
import { mockModelUrl, resetMockModel, scriptMockModel } from "./mock-model";

const MODEL = { provider: "openai_api_compatible", name: "mock-chat", mode: "chat", completion_params: {} };

/** The frames of a raw SSE body, checked for Dify's shape; returns the data payloads in order. */
function frames(raw: string): Array<Record<string, any>> {
  expect(raw.endsWith("\n\n"), "the stream ends with a complete frame").toBe(true);
  const payloads: Array<Record<string, any>> = [];
  for (const frame of raw.slice(0, -2).split("\n\n")) {
    if (frame === "event: ping") continue;
    const lines = frame.split("\n");
    expect(lines, frame).toHaveLength(2);
    expect(lines[0], frame).toMatch(/^id: \d+$/);
    expect(lines[1]!.startsWith("data: "), frame).toBe(true);
    const payload = JSON.parse(lines[1]!.slice(6));
    expect(typeof payload.event).toBe("string");
    payloads.push(payload);
  }
  return payloads;
}

function expectSseHeaders(headers: Headers) {
  expect(headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
  expect(headers.get("cache-control")).toBe("no-cache");
  expect(headers.get("x-accel-buffering")).toBe("no");
}

async function withModel(label: string): Promise<SeededTenant> {
  const t = await seedTenant(label);
  const saved = await call("POST", "/console/api/workspaces/current/model-providers/openai_api_compatible/models", {
    token: t.tokens.admin,
    body: { model: "mock-chat", model_type: "llm", credentials: { endpoint_url: `${mockModelUrl}/v1`, api_key: "sk-sse", mode: "chat", context_size: "4096" } },
  });
  expect(saved.status, saved.text).toBe(201);
  await resetMockModel();
  return t;
}

async function publishGraph(t: SeededTenant, mode: "workflow" | "advanced-chat", nodes: Array<[string, Record<string, unknown>]>) {
  const appId = await createAppAs(t.tokens.owner, mode, `${mode} sse`);
  const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner });
  const graph = {
    nodes: nodes.map(([id, data]) => ({ id, data: { title: id, ...data } })),
    edges: nodes.slice(1).map(([id], i) => ({ id: `e${i}`, source: nodes[i]![0], target: id, sourceHandle: "source", targetHandle: "target" })),
  };
  const saved = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner, body: { graph, hash: draft.json.hash } });
  expect(saved.status, saved.text).toBe(200);
  await publishAs(t.tokens.owner, appId);
  return (await createKeyAs(t.tokens.owner, appId)).token;
}

describe("SSE framing as Dify's", () => {
  it("workflow: data frames with ids, ending with workflow_finished", async () => {
    const t = await seedTenant("sse-wf");
    const key = await publishGraph(t, "workflow", [
      ["start", { type: "start", variables: [] }],
      ["tpl", { type: "template-transform", variables: [], template: "done" }],
      ["end", { type: "end", outputs: [{ variable: "out", value_selector: ["tpl", "output"] }] }],
    ]);
    const res = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: {}, user: "u", response_mode: "streaming" } });
    expect(res.status).toBe(200);
    expectSseHeaders(res.headers);
    const events = frames(res.text);
    expect(events[0]!.event).toBe("workflow_started");
    expect(events.at(-1)).toMatchObject({ event: "workflow_finished", data: { status: "succeeded", outputs: { out: "done" } } });
    for (const event of events) expect(event.task_id).toBe(events[0]!.workflow_run_id);
  });

  it("chat app: only message events, ending with message_end; chatflow: message_end then workflow_finished", async () => {
    const t = await withModel("sse-chat");
    const appId = await createAppAs(t.tokens.owner, "chat", "sse chat");
    const draft = await call("GET", `/console/api/apps/${appId}/model-config`, { token: t.tokens.owner });
    await call("POST", `/console/api/apps/${appId}/model-config`, { token: t.tokens.owner, body: { model_config: { ...draft.json.model_config, model: MODEL }, hash: draft.json.hash } });
    await publishAs(t.tokens.owner, appId);
    const chatKey = (await createKeyAs(t.tokens.owner, appId)).token;
    await scriptMockModel({ text: "one two three" });
    const chat = await call("POST", "/v1/chat-messages", { token: chatKey, body: { query: "hi", inputs: {}, user: "u", response_mode: "streaming" } });
    expectSseHeaders(chat.headers);
    const chatEvents = frames(chat.text);
    expect(new Set(chatEvents.slice(0, -1).map((event) => event.event))).toEqual(new Set(["message"]));
    expect(chatEvents.at(-1)!.event).toBe("message_end");
    expect(chatEvents.map((event) => event.answer ?? "").join("")).toBe("one two three");

    const flowKey = await publishGraph(t, "advanced-chat", [
      ["start", { type: "start", variables: [] }],
      ["llm", { type: "llm", model: MODEL, prompt_template: [{ role: "user", text: "{{#sys.query#}}" }] }],
      ["answer", { type: "answer", answer: "{{#llm.text#}}" }],
    ]);
    await scriptMockModel({ text: "flow answer" });
    const flow = await call("POST", "/v1/chat-messages", { token: flowKey, body: { query: "hi", inputs: {}, user: "u", response_mode: "streaming" } });
    const flowEvents = frames(flow.text);
    expect(flowEvents[0]!.event).toBe("workflow_started");
    expect(flowEvents.slice(-2).map((event) => event.event)).toEqual(["message_end", "workflow_finished"]);
  });

  it("a model failure after the stream started is an error event on an HTTP 200 stream", async () => {
    const t = await withModel("sse-err");
    const appId = await createAppAs(t.tokens.owner, "chat", "sse failing chat");
    const draft = await call("GET", `/console/api/apps/${appId}/model-config`, { token: t.tokens.owner });
    await call("POST", `/console/api/apps/${appId}/model-config`, { token: t.tokens.owner, body: { model_config: { ...draft.json.model_config, model: MODEL }, hash: draft.json.hash } });
    await publishAs(t.tokens.owner, appId);
    const key = (await createKeyAs(t.tokens.owner, appId)).token;
    await scriptMockModel({ kind: "fail", status: 400, message: "context too long" });
    const res = await call("POST", "/v1/chat-messages", { token: key, body: { query: "hi", inputs: {}, user: "u", response_mode: "streaming" } });
    expect(res.status).toBe(200);
    const last = frames(res.text).at(-1)!;
    expect(last).toMatchObject({ event: "error", status: 400, code: "completion_request_error", message: expect.stringContaining("context too long") });
  });

  it("sends a bare `event: ping` frame while a stream is quiet", async () => {
    const encoder = new TextEncoder();
    let finish: () => void = () => {};
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(`${JSON.stringify({ seq: 1, type: "a" })}\n`));
        finish = () => {
          controller.enqueue(encoder.encode(`${JSON.stringify({ seq: 2, type: "b" })}\n`));
          controller.close();
        };
      },
    });
    const stream = sseFromEvents<{ seq: number; type: string }>(source, (event) => ({ event: event.type }), 25);
    const reading = new Response(stream).text();
    await new Promise((resolve) => setTimeout(resolve, 90));
    finish();
    const raw = await reading;
    expect(raw.startsWith('id: 1\ndata: {"event":"a"}\n\nevent: ping\n\n')).toBe(true);
    expect(raw.endsWith('id: 2\ndata: {"event":"b"}\n\n')).toBe(true);
    expect(frames(raw).map((event) => event.event)).toEqual(["a", "b"]);
  });
});
