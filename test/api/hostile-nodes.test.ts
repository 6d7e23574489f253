/**
 * Hostile configuration inside the real runtime: a code node that never ends or eats memory, and
 * HTTP nodes aimed at internal addresses, fail their run with a clear error; the platform (and the
 * next run of the same app) keeps working.
 */
import { describe, expect, it } from "vitest";
import { call, createAppAs, createKeyAs, seedTenant } from "./harness";

function graphWith(node: Record<string, unknown>, output: [string, string]) {
  return {
    nodes: [
      { id: "start", type: "custom", position: { x: 0, y: 0 }, data: { type: "start", title: "Start", variables: [] } },
      { id: "n", type: "custom", position: { x: 0, y: 0 }, data: { title: "Hostile", ...node } },
      { id: "end", type: "custom", position: { x: 0, y: 0 }, data: { type: "end", title: "End", outputs: [{ variable: "out", value_type: "string", value_selector: output }] } },
    ],
    edges: [
      { id: "e1", source: "start", sourceHandle: "source", target: "n", targetHandle: "target" },
      { id: "e2", source: "n", sourceHandle: "source", target: "end", targetHandle: "target" },
    ],
  };
}

async function appRunning(graph: unknown) {
  const t = await seedTenant("hostile");
  const appId = await createAppAs(t.tokens.owner, "workflow");
  const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner });
  await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner, body: { graph, hash: draft.json.hash } });
  const published = await call("POST", `/console/api/apps/${appId}/workflows/publish`, { token: t.tokens.owner });
  expect(published.status, published.text).toBe(200);
  const key = (await createKeyAs(t.tokens.owner, appId)).token;
  return (body: Record<string, unknown> = {}) => call("POST", "/v1/workflows/run", { token: key, body: { inputs: {}, user: "h", response_mode: "blocking", ...body } });
}

const code = (source: string) => ({ type: "code", code_language: "javascript", code: source, variables: [], outputs: { out: { type: "string", children: null } } });

describe("hostile code nodes in workerd", () => {
  const cases: Array<[string, string, RegExp]> = [
    ["an infinite loop", "function main() { while (true) {} }", /time|interrupt/i],
    ["an infinite loop in a promise job", "async function main() { await null; for (;;) {} }", /time|interrupt/i],
    ["a memory bomb", "function main() { let s = 'x'; for (;;) s += s; }", /memory|size|length|too long/i],
    ["runaway recursion", "function main() { const f = () => f(); return { out: f() }; }", /stack|memory|recursion/i],
    ["reaching for host objects", "function main() { const g = this.constructor.constructor('return this')(); return { out: typeof g.fetch + typeof g.process + typeof g.env }; }", /^$/],
  ];
  for (const [label, source, error] of cases) {
    it(`fails ${label} clearly and keeps working`, async () => {
      const run = await appRunning(graphWith(code(source), ["n", "out"]));
      const res = await run();
      expect(res.status).toBe(200);
      if (error.source === "^$") {
        // The guest sees no host capability at all.
        expect(res.json.data).toMatchObject({ status: "succeeded", outputs: { out: "undefinedundefinedundefined" } });
      } else {
        expect(res.json.data.status).toBe("failed");
        expect(res.json.data.error).toMatch(error);
      }
      const info = await call("GET", "/health");
      expect(info.status).toBe(200);
    }, 60_000);
  }
});

describe("SSRF from the HTTP node in workerd", () => {
  for (const url of ["http://127.0.0.1:8787/console/api/setup", "http://169.254.169.254/latest/meta-data/", "http://[::ffff:127.0.0.1]/", "http://0x7f.1/", "http://localhost./", "http://10.0.0.1/"]) {
    it(`refuses ${url}`, async () => {
      const run = await appRunning(graphWith({ type: "http-request", method: "get", url, authorization: { type: "no-auth" }, headers: "", params: "", body: { type: "none", data: [] }, timeout: {} }, ["n", "body"]));
      const res = await run();
      expect(res.json.data.status).toBe("failed");
      expect(res.json.data.error).toMatch(/not allowed|private|loopback|blocked/i);
    });
  }
});
