import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, createAppAs, createKeyAs, publishAs, seedTenant } from "./harness";

const SECRET = "sk-live-0123456789abcdef";
const MASKED = "sk-liv************ef";

const node = (id: string, data: Record<string, unknown>) => ({ id, type: "custom", position: { x: 0, y: 0 }, data: { title: id, desc: "", ...data } });
const edge = (source: string, target: string) => ({ id: `${source}-${target}`, source, sourceHandle: "source", target, targetHandle: "target", type: "custom" });
const graph = {
  nodes: [
    node("start", { type: "start", variables: [] }),
    node("code", {
      type: "code",
      code_language: "javascript",
      code: "function main({ key }) {\n  console.log('calling with', key);\n  return { echo: 'Bearer ' + key, length: key.length };\n}",
      variables: [{ variable: "key", value_selector: ["env", "api_key"] }],
      outputs: { echo: { type: "string", children: null }, length: { type: "number", children: null } },
    }),
    node("end", { type: "end", outputs: [{ variable: "echo", value_selector: ["code", "echo"] }, { variable: "length", value_selector: ["code", "length"] }] }),
  ],
  edges: [edge("start", "code"), edge("code", "end")],
};

function parseSse(text: string): any[] {
  return text.split("\n\n").flatMap((frame) => frame.split("\n").filter((line) => line.startsWith("data: ")).map((line) => JSON.parse(line.slice(6))));
}

describe("secret environment variables", () => {
  it("reach the node's code but are masked in the API's events and outputs, in D1 and in the console's run logs", async () => {
    const t = await seedTenant("secret");
    const appId = await createAppAs(t.tokens.owner, "workflow", "Secret app");
    const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner });
    const environment_variables = [{ id: "v1", name: "api_key", value: SECRET, value_type: "secret", description: "" }];
    const saved = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner, body: { graph, hash: draft.json.hash, environment_variables } });
    expect(saved.status, saved.text).toBe(200);
    await publishAs(t.tokens.owner, appId);
    const key = (await createKeyAs(t.tokens.owner, appId)).token;

    const blocking = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: {}, user: "u", response_mode: "blocking" } });
    expect(blocking.status, blocking.text).toBe(200);
    // length is the real secret's: the code received the real value.
    expect(blocking.json.data).toMatchObject({ status: "succeeded", outputs: { echo: `Bearer ${MASKED}`, length: SECRET.length } });
    expect(blocking.text).not.toContain(SECRET);

    const streaming = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: {}, user: "u", response_mode: "streaming" } });
    expect(streaming.text).not.toContain(SECRET);
    const code = parseSse(streaming.text).find((e) => e.event === "node_finished" && e.data.node_id === "code").data;
    expect(code).toMatchObject({ inputs: { key: MASKED }, outputs: { echo: `Bearer ${MASKED}`, length: SECRET.length }, process_data: { logs: [`calling with ${MASKED}`] } });

    const runId = blocking.json.workflow_run_id;
    await expect.poll(async () => (await env.DB.prepare("SELECT count(*) AS n FROM node_executions WHERE workflow_run_id = ?").bind(runId).first("n"))).toBe(3);
    const rows = await env.DB.prepare("SELECT inputs, process_data, outputs, error FROM node_executions WHERE tenant_id = ?").bind(t.tenantId).all();
    expect(rows.results.length).toBeGreaterThanOrEqual(3);
    expect(JSON.stringify(rows.results)).not.toContain(SECRET);
    expect(JSON.stringify(rows.results)).toContain(MASKED);
    const runRows = await env.DB.prepare("SELECT * FROM workflow_runs WHERE tenant_id = ?").bind(t.tenantId).all();
    expect(JSON.stringify(runRows.results)).not.toContain(SECRET);

    const logs = await call("GET", "/v1/workflows/logs", { token: key });
    expect(logs.text).not.toContain(SECRET);
    const detail = await call("GET", `/v1/workflows/run/${runId}`, { token: key });
    expect(detail.json.outputs).toMatchObject({ echo: `Bearer ${MASKED}` });
    const executions = await call("GET", `/console/api/apps/${appId}/workflow-runs/${runId}/node-executions`, { token: t.tokens.owner });
    expect(executions.status).toBe(200);
    expect(executions.text).not.toContain(SECRET);
    expect(executions.json.data.find((n: any) => n.node_id === "code").inputs).toEqual({ key: MASKED });
  });
});
