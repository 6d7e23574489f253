import { describe, expect, it } from "vitest";
import { createQuickJsRunner } from "./quickjs-runner";

const runner = createQuickJsRunner({ limits: { timeoutMs: 1_000 } });

describe("createQuickJsRunner", () => {
  it("calls main with the variables object and returns its dict", async () => {
    const out = await runner.run({
      code: "function main({ a, b }) {\n  return { sum: a + b, list: [a, b], nested: { ok: true } };\n}",
      inputs: { a: 2, b: 3 },
    });
    expect(out).toEqual({ ok: true, result: { sum: 5, list: [2, 3], nested: { ok: true } }, logs: [] });
  });

  it("accepts async and exported forms of main", async () => {
    const forms = [
      "async function main(args) { await null; return { v: args.v } }",
      "export function main(args) { return { v: args.v } }",
      "export default async function main(args) { return { v: args.v } }",
      "const main = (args) => ({ v: args.v });\nexport { main };",
      "export const main = async ({ v }) => ({ v })",
    ];
    for (const code of forms) {
      expect(await runner.run({ code, inputs: { v: "x" } }), code).toMatchObject({ ok: true, result: { v: "x" } });
    }
  });

  it("captures console output as strings, capped", async () => {
    const out = await runner.run({
      code: "function main() { console.log('a', 1, { b: 2 }); console.error('e'); for (let i = 0; i < 500; i++) console.log(i); return {} }",
      inputs: {},
      limits: { maxLogLines: 5 },
    });
    expect(out.ok).toBe(true);
    expect(out.logs?.slice(0, 2)).toEqual(['a 1 {"b":2}', "e"]);
    expect(out.logs).toHaveLength(6);
    expect(out.logs?.at(-1)).toMatch(/dropped/);
  });

  it("reports a missing main, syntax errors and thrown errors by kind", async () => {
    expect(await runner.run({ code: "const x = 1", inputs: {} })).toMatchObject({ ok: false, kind: "runtime", error: expect.stringMatching(/function named main/) });
    expect(await runner.run({ code: "function main( { return {} }", inputs: {} })).toMatchObject({ ok: false, kind: "syntax", error: expect.stringMatching(/^SyntaxError/) });
    expect(await runner.run({ code: "function main() { throw new TypeError('bad thing') }", inputs: {} })).toMatchObject({ ok: false, kind: "runtime", error: "TypeError: bad thing" });
    expect(await runner.run({ code: "async function main() { throw new Error('later') }", inputs: {} })).toMatchObject({ ok: false, kind: "runtime", error: "Error: later" });
    expect(await runner.run({ code: "function main() { throw 'plain' }", inputs: {} })).toMatchObject({ ok: false, kind: "runtime", error: "Uncaught plain" });
    expect(await runner.run({ code: "import x from 'y'; function main() { return {} }", inputs: {} })).toMatchObject({ ok: false, kind: "syntax" });
  });

  it("keeps console output of a failed run", async () => {
    const out = await runner.run({ code: "function main() { console.log('before'); throw new Error('x') }", inputs: {} });
    expect(out).toMatchObject({ ok: false, kind: "runtime", logs: ["before"] });
  });

  it("refuses inputs over the size cap before starting QuickJS", async () => {
    const out = await runner.run({ code: "function main() { return {} }", inputs: { s: "x".repeat(2000) }, limits: { maxInputBytes: 1000 } });
    expect(out).toMatchObject({ ok: false, kind: "input_too_large", error: expect.stringMatching(/limit is 1000 bytes/) });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(await runner.run({ code: "function main() { return {} }", inputs: cyclic })).toMatchObject({ ok: false, kind: "runtime" });
  });

  it("measures the input cap in UTF-8 bytes", async () => {
    const out = await runner.run({ code: "function main() { return {} }", inputs: { s: "é".repeat(600) }, limits: { maxInputBytes: 1000 } });
    expect(out).toMatchObject({ ok: false, kind: "input_too_large" });
  });

  it("serialises like JSON: undefined members dropped, Dates as ISO strings, NUL kept for the validator", async () => {
    const out = await runner.run({ code: "function main() { return { u: undefined, d: new Date(0), a: [undefined, 1], s: 'a\\u0000b' } }", inputs: {} });
    expect(out).toEqual({ ok: true, result: { d: "1970-01-01T00:00:00.000Z", a: [null, 1], s: "a\u0000b" }, logs: [] });
  });

  it("works with a precompiled WebAssembly.Module (the workerd path), given directly or by a loader", async () => {
    const wasmModule = await compileQuickJsWasmForNode();
    let loads = 0;
    const direct = createQuickJsRunner({ wasmModule });
    const lazy = createQuickJsRunner({ wasmModule: () => (loads++, wasmModule) });
    for (const r of [direct, lazy, lazy]) {
      expect(await r.run({ code: "function main({ n }) { return { n: n * 2 } }", inputs: { n: 21 } })).toMatchObject({ ok: true, result: { n: 42 } });
    }
    expect(loads).toBe(1);
  });

  it("keeps concurrent executions independent", async () => {
    const outs = await Promise.all([
      runner.run({ code: "function main() { while (true) {} }", inputs: {}, limits: { timeoutMs: 150 } }),
      ...Array.from({ length: 4 }, (_, i) => runner.run({ code: "async function main({ i }) { await null; return { i } }", inputs: { i } })),
    ]);
    expect(outs[0]).toMatchObject({ ok: false, kind: "timeout" });
    expect(outs.slice(1).map((out) => out.ok && out.result.i)).toEqual([0, 1, 2, 3]);
  });

  it("gives each execution a fresh global scope", async () => {
    await runner.run({ code: "globalThis.leak = 'tenant A'; Object.prototype.polluted = 1; function main() { return {} }", inputs: {} });
    const out = await runner.run({ code: "function main() { return { leak: typeof leak, polluted: typeof ({}).polluted } }", inputs: {} });
    expect(out).toMatchObject({ ok: true, result: { leak: "undefined", polluted: "undefined" } });
  });
});

/** What a Node caller does instead of a bundler's `.wasm` import. Node builtins are loaded by name
 * because the project's type configuration targets workerd. */
async function compileQuickJsWasmForNode(): Promise<WebAssembly.Module> {
  const [fsName, moduleName] = ["node:fs", "node:module"];
  const { readFileSync } = (await import(/* @vite-ignore */ fsName)) as { readFileSync(path: string): Uint8Array<ArrayBuffer> };
  const { createRequire } = (await import(/* @vite-ignore */ moduleName)) as { createRequire(url: string): { resolve(id: string): string } };
  const path = createRequire(import.meta.url).resolve("@jitl/quickjs-wasmfile-release-sync/wasm");
  return new WebAssembly.Module(readFileSync(path));
}
