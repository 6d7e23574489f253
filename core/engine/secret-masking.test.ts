import { describe, expect, it } from "vitest";
import { createNodeRegistry } from "../nodes";
import { codeNode } from "../nodes/code";
import type { CodeRunner } from "./node-ports";
import { createSecretMasker, obfuscateSecret } from "./secret-masking";
import { buildGraph, runCollecting } from "./testing";

const SECRET = "sk-live-0123456789abcdef";
const MASKED = "sk-liv************ef";
const environmentVariables = [
  { name: "api_key", value: SECRET, value_type: "secret" as const },
  { name: "region", value: "eu-west", value_type: "string" as const },
];

describe("obfuscateSecret", () => {
  it("shows what Dify shows: six characters, twelve stars, two characters; twenty stars for short ones", () => {
    expect(obfuscateSecret(SECRET)).toBe(MASKED);
    expect(obfuscateSecret("12345678")).toBe("*".repeat(20));
    expect(obfuscateSecret("")).toBe("");
  });
});

describe("createSecretMasker", () => {
  it("masks secrets inside strings, arrays and nested objects, copying only what changed", () => {
    const mask = createSecretMasker([...environmentVariables, { name: "pin", value: "4711", value_type: "secret" }, { name: "tiny", value: "ab", value_type: "secret" }])!;
    const untouched = { a: ["x"], b: { c: 1 } };
    const input = { header: `Bearer ${SECRET}`, list: [SECRET, "pin 4711", "ab", "abc"], untouched, nested: { deep: [{ v: `${SECRET}${SECRET}` }] } };
    const out = mask(input);
    expect(out).toEqual({
      header: `Bearer ${MASKED}`,
      list: [MASKED, `pin ${"*".repeat(20)}`, "*".repeat(20), "abc"],
      untouched,
      nested: { deep: [{ v: `${MASKED}${MASKED}` }] },
    });
    expect(out.untouched).toBe(untouched);
    expect(input.header).toBe(`Bearer ${SECRET}`);
  });

  it("is undefined when no environment variable is a secret, so such runs do no extra work", () => {
    expect(createSecretMasker([{ name: "region", value: "eu-west", value_type: "string" }])).toBeUndefined();
    expect(createSecretMasker([{ name: "empty", value: "", value_type: "secret" }])).toBeUndefined();
    expect(createSecretMasker(undefined)).toBeUndefined();
  });
});

describe("secret environment variables in a run", () => {
  it("reach nodes unmasked, but events, the run's outputs and its error show them masked", async () => {
    const received: Array<Record<string, unknown>> = [];
    const code: CodeRunner = {
      async run(_language, _code, inputs) {
        received.push(inputs);
        const key = String(inputs.key);
        return { ok: true, result: { echo: key, length: key.length }, logs: [`using ${key}`] };
      },
    };
    const graph = buildGraph(
      [
        { id: "start", type: "start", variables: [] },
        {
          id: "code",
          type: "code",
          code_language: "javascript",
          code: "x",
          variables: [{ variable: "key", value_selector: ["env", "api_key"] }, { variable: "region", value_selector: ["env", "region"] }],
          outputs: { echo: { type: "string" }, length: { type: "number" } },
        },
        { id: "tpl", type: "template-transform", template: "Authorization: Bearer {{ key }}", variables: [{ variable: "key", value_selector: ["env", "api_key"] }] },
        { id: "end", type: "end", outputs: [{ variable: "header", value_selector: ["tpl", "output"] }, { variable: "length", value_selector: ["code", "length"] }] },
      ],
      [["start", "code"], ["code", "tpl"], ["tpl", "end"]],
    );
    const { result, events } = await runCollecting({ graph, registry: createNodeRegistry().register(codeNode), environmentVariables, ports: { code } });

    // The node got the real value (its length proves it), and the pool kept it for the template.
    expect(received).toEqual([{ key: SECRET, region: "eu-west" }]);
    expect(result.status).toBe("succeeded");
    expect(result.outputs).toEqual({ header: `Authorization: Bearer ${MASKED}`, length: SECRET.length });

    const text = JSON.stringify(events);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("0123456789abcdef");
    const finished = (id: string) => events.find((e) => e.type === "node_finished" && e.data.node_id === id)!.data as { inputs: unknown; outputs: unknown; process_data: unknown };
    expect(finished("code").inputs).toEqual({ key: MASKED, region: "eu-west" });
    expect(finished("code").outputs).toEqual({ echo: MASKED, length: SECRET.length });
    expect(finished("code").process_data).toEqual({ logs: [`using ${MASKED}`] });
    expect(finished("tpl").outputs).toEqual({ output: `Authorization: Bearer ${MASKED}` });
    expect(events.at(-1)).toMatchObject({ type: "workflow_finished", data: { outputs: { header: `Authorization: Bearer ${MASKED}` } } });
  });

  it("masks a secret in a node's error message and the run's error", async () => {
    const code: CodeRunner = { run: async (_language, _code, inputs) => ({ ok: false, kind: "runtime", error: `Error: bad key ${String(inputs.key)}` }) };
    const graph = buildGraph(
      [
        { id: "start", type: "start", variables: [] },
        { id: "code", type: "code", code_language: "javascript", code: "x", variables: [{ variable: "key", value_selector: ["env", "api_key"] }], outputs: {} },
      ],
      [["start", "code"]],
    );
    const { result, events } = await runCollecting({ graph, registry: createNodeRegistry().register(codeNode), environmentVariables, ports: { code } });
    expect(result.status).toBe("failed");
    expect(result.error).toBe(`Error: bad key ${MASKED}`);
    expect(JSON.stringify(events)).not.toContain(SECRET);
  });
});
