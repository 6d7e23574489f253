import { describe, expect, it } from "vitest";
import { everyNodeGraph } from "../fixtures/every-node";
import { call, createAppAs, createKeyAs, publishAs, seedTenant } from "./harness";

function parseSse(text: string): any[] {
  return text.split("\n\n").flatMap((frame) => frame.split("\n").filter((l) => l.startsWith("data: ")).map((l) => JSON.parse(l.slice(6))));
}

describe("a Dify-format workflow using every engine node", () => {
  it("saves as a draft, publishes and runs through /v1/workflows/run in both modes with Dify's events", async () => {
    const t = await seedTenant("every");
    const appId = await createAppAs(t.tokens.owner, "workflow", "Every node");
    const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner });
    const saved = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner, body: { graph: everyNodeGraph, hash: draft.json.hash } });
    expect(saved.status).toBe(200);
    const published = await call("POST", `/console/api/apps/${appId}/workflows/publish`, { token: t.tokens.owner });
    expect(published.status, published.text).toBe(200);
    const key = (await createKeyAs(t.tokens.owner, appId)).token;
    const inputs = { csv: "ann,3;bob,1;cy,2", limit: 3, tone: "loud" };

    const blocking = await call("POST", "/v1/workflows/run", { token: key, body: { inputs, user: "every", response_mode: "blocking" } });
    expect(blocking.json.data, blocking.text).toMatchObject({ status: "succeeded", outputs: { result: "ann,cy | 30,10,20 | 3!", best: { name: "ann", score: 3 } } });

    const streaming = await call("POST", "/v1/workflows/run", { token: key, body: { inputs, user: "every", response_mode: "streaming" } });
    const events = parseSse(streaming.text);
    expect(events[0].event).toBe("workflow_started");
    expect(events.at(-1)).toMatchObject({ event: "workflow_finished", data: { status: "succeeded", outputs: { result: "ann,cy | 30,10,20 | 3!" } } });
    const kinds = new Set(events.map((e) => e.event));
    for (const kind of ["node_started", "node_finished", "iteration_started", "iteration_next", "iteration_completed", "loop_started", "loop_next", "loop_completed"]) expect(kinds, kind).toContain(kind);
    const topLevel = events.filter((e) => e.event === "node_finished" && !e.data.iteration_id && !e.data.loop_id).map((e) => e.data.node_id);
    expect(topLevel).toEqual(["start", "parse", "top", "scale", "count", "check", "render", "pick", "end"]);
    expect(events.filter((e) => e.event === "node_finished" && e.data.iteration_id === "scale").length).toBe(6);
    expect(events.find((e) => e.event === "loop_completed").data.outputs).toMatchObject({ counter: 3 });

    // Nothing passes the filter: the list is empty, the rest still runs; the select default applies.
    const empty = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: { csv: "solo,1", limit: 1 }, user: "every", response_mode: "blocking" } });
    expect(empty.json.data).toMatchObject({ status: "succeeded", outputs: { result: " | 10 | 1" } });

    const invalid = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: { csv: "x,1", limit: 1, tone: "shouty" }, user: "every" } });
    expect(invalid.status).toBe(400);
    expect(invalid.json.message).toMatch(/tone/);
  });
});
