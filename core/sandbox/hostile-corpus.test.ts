import { describe, expect, it } from "vitest";
import type { CodeRunFailureKind, CodeRunLimits } from "./code-runner";
import { createQuickJsRunner } from "./quickjs-runner";

// Each case must fail with the stated kind within the budget, and the runner must still serve a
// normal execution right after it.
const timeoutMs = 200;
const runner = createQuickJsRunner({ limits: { timeoutMs } });
// Far above the deadline: these checks catch a limit that does not fire at all, not slowness
// (a loaded machine may take several times the deadline; bench:code measures the real figures).
const budgetMs = 10_000;

interface HostileCase {
  name: string;
  code: string;
  kind: CodeRunFailureKind;
  error?: RegExp;
  /** Some cases need other limits to reach theirs quickly. */
  limits?: CodeRunLimits;
}

// Cases that should fail for memory or output reasons get a long deadline (`limits`), so a slow
// machine cannot turn them into time-outs.
const corpus: HostileCase[] = [
  { name: "busy loop", code: "function main() { while (true) {} }", kind: "timeout" },
  { name: "loop that swallows the interrupt", code: "function main() { for (;;) { try { for (;;) {} } catch (e) {} } }", kind: "timeout" },
  { name: "loop inside a promise job", code: "function main() { Promise.resolve().then(() => { for (;;) {} }); return new Promise(() => {}) }", kind: "timeout" },
  { name: "loop after await in async main", code: "async function main() { await null; while (true) {} }", kind: "timeout" },
  { name: "endless promise chain", code: "async function main() { for (;;) await null }", kind: "timeout" },
  { name: "catastrophic regex", code: "function main() { return { m: /(a+)+$/.test('a'.repeat(40) + '!') } }", kind: "timeout" },
  { name: "huge sparse join", code: "function main() { return { s: new Array(1e9).join('x') } }", kind: "memory", error: /sandbox limit/, limits: { timeoutMs: 5_000 } },
  { name: "huge sparse toString", code: "function main() { return { s: new Array(1e9) + '' } }", kind: "memory", limits: { timeoutMs: 5_000 } },
  { name: "huge sparse includes", code: "function main() { return { s: new Array(1e9).includes(1) } }", kind: "memory", limits: { timeoutMs: 5_000 } },
  { name: "huge array-like join", code: "function main() { return { s: Array.prototype.join.call({ length: 1e9 }) } }", kind: "memory", limits: { timeoutMs: 5_000 } },
  { name: "huge concat", code: "function main() { return { n: [].concat(new Array(1e9)).length } }", kind: "memory", limits: { timeoutMs: 5_000 } },
  { name: "single huge string", code: "function main() { return { s: 'x'.repeat(1e9) } }", kind: "memory", error: /memory limit/, limits: { timeoutMs: 5_000 } },
  { name: "retained 1 MiB strings", code: "function main() { const keep = []; for (;;) keep.push('x'.repeat(1 << 20) + keep.length) }", kind: "memory", limits: { timeoutMs: 5_000 } },
  { name: "retained typed arrays", code: "function main() { const keep = []; for (let i = 0; i < 300; i++) keep.push(new Uint8Array(512 * 1024)); return { n: keep.length } }", kind: "memory", limits: { timeoutMs: 5_000 } },
  { name: "object graph growth", code: "function main() { const keep = []; for (;;) keep.push({ a: keep.length, b: [1, 2, 3] }) }", kind: "memory", limits: { timeoutMs: 3_000 } },
  { name: "deep recursion", code: "function main() { function f(n) { return f(n + 1) + 1 } return { v: f(0) } }", kind: "memory", error: /stack/, limits: { timeoutMs: 5_000 } },
  { name: "deeply nested result", code: "function main() { let o = {}; for (let i = 0; i < 100000; i++) o = { a: o }; return { o } }", kind: "invalid_output", error: /nested deeper/, limits: { timeoutMs: 5_000 } },
  { name: "deeply nested JSON.stringify", code: "function main() { let o = []; for (let i = 0; i < 100000; i++) o = [o]; return { s: JSON.stringify(o) } }", kind: "memory", limits: { timeoutMs: 5_000 } },
  { name: "non-object result", code: "function main() { return 42 }", kind: "invalid_output", error: /must return an object/, limits: { timeoutMs: 5_000 } },
  { name: "array result", code: "function main() { return [1] }", kind: "invalid_output", error: /array/, limits: { timeoutMs: 5_000 } },
  { name: "null result", code: "function main() { return null }", kind: "invalid_output", limits: { timeoutMs: 5_000 } },
  { name: "function in result", code: "function main() { return { f() {} } }", kind: "invalid_output", error: /`f` is a function/, limits: { timeoutMs: 5_000 } },
  { name: "cycle in result", code: "function main() { const o = { list: [] }; o.list.push(o); return { o } }", kind: "invalid_output", error: /`o.list\[0\]` contains a circular reference/, limits: { timeoutMs: 5_000 } },
  { name: "NaN in result", code: "function main() { return { n: NaN } }", kind: "invalid_output", error: /`n` is NaN/, limits: { timeoutMs: 5_000 } },
  { name: "Infinity in result", code: "function main() { return { n: [1, -Infinity] } }", kind: "invalid_output", error: /`n\[1\]` is -Infinity/, limits: { timeoutMs: 5_000 } },
  { name: "BigInt in result", code: "function main() { return { n: 10n } }", kind: "invalid_output", error: /BigInt/, limits: { timeoutMs: 5_000 } },
  { name: "Symbol in result", code: "function main() { return { s: Symbol('x') } }", kind: "invalid_output", error: /Symbol/, limits: { timeoutMs: 5_000 } },
  { name: "oversized result", code: "function main() { return { s: 'x'.repeat(3_000_000) } }", kind: "output_too_large", limits: { timeoutMs: 5_000 } },
  { name: "exponential shared references", code: "function main() { let a = ['x']; for (let i = 0; i < 40; i++) a = [a, a]; return { a } }", kind: "output_too_large", limits: { maxOutputChars: 10_000 } },
  { name: "getter that loops forever", code: "function main() { return { get x() { for (;;) {} } } }", kind: "timeout" },
  { name: "Proxy result whose traps loop", code: "function main() { return new Proxy({}, { ownKeys() { for (;;) {} } }) }", kind: "timeout" },
  { name: "unsettled promise", code: "async function main() { await new Promise(() => {}) }", kind: "runtime", error: /never settled/ },
];

describe("QuickJS hostile corpus", () => {
  for (const testCase of corpus) {
    it(`${testCase.name} → ${testCase.kind}`, async () => {
      const started = Date.now();
      const out = await runner.run({ code: testCase.code, inputs: {}, limits: testCase.limits });
      const elapsed = Date.now() - started;
      expect(out).toMatchObject({ ok: false, kind: testCase.kind });
      if (testCase.error && !out.ok) expect(out.error).toMatch(testCase.error);
      expect(elapsed).toBeLessThan(budgetMs + (testCase.limits?.timeoutMs ?? 0));
      expect(await runner.run({ code: "function main({ n }) { return { n: n + 1 } }", inputs: { n: 1 } })).toMatchObject({ ok: true, result: { n: 2 } });
    }, 30_000);
  }

  it("stops an endless loop at its deadline, not at some later limit", async () => {
    const started = Date.now();
    await runner.run({ code: "function main() { while (true) {} }", inputs: {} });
    expect(Date.now() - started).toBeLessThan(budgetMs);
  }, 30_000);

  it("still times out when the clock does not advance during execution (Workers freeze Date.now)", async () => {
    const frozen = createQuickJsRunner({ now: () => 0, limits: { timeoutMs } });
    const out = await frozen.run({ code: "function main() { while (true) {} }", inputs: {} });
    expect(out).toMatchObject({ ok: false, kind: "timeout" });
  });

  it("does not let user code override the builtins the runner relies on", async () => {
    const out = await runner.run({
      code: `
        Object.prototype.toJSON = function () { return "pwned" };
        Array.prototype.toJSON = function () { return "pwned" };
        JSON.stringify = () => '{"hacked":true}';
        JSON.parse = () => ({ hacked: true });
        Object.keys = () => ["hacked"];
        Array.isArray = () => false;
        Array.prototype.join = () => "hacked";
        Object.defineProperty(Array.prototype, "0", { set() { throw new Error("setter hit") }, configurable: true });
        parseInt = () => 1;
        String = () => "hacked";
        function main(args) { return { echoed: args.v, list: [1, 2], nested: { a: "b" } } }`,
      inputs: { v: "input" },
    });
    expect(out).toMatchObject({ ok: true, result: { echoed: "input", list: [1, 2], nested: { a: "b" } } });
  });

  it("is not affected by tampering with Error, Promise or Symbol hooks", async () => {
    const out = await runner.run({
      code: `
        Error.prepareStackTrace = () => { throw new Error("hooked") };
        Error.captureStackTrace = () => {};
        Promise.prototype.then = function () { return new Promise(() => {}) };
        Symbol.prototype.toString = () => "x";
        async function main({ n }) { await null; return { n, when: new Date(0) } }`,
      inputs: { n: 3 },
    });
    expect(out).toMatchObject({ ok: true, result: { n: 3, when: "1970-01-01T00:00:00.000Z" } });
  });

  it("reports thrown objects whose message getter misbehaves", async () => {
    const out = await runner.run({
      code: "function main() { const e = new Error('x'); Object.defineProperty(e, 'message', { get() { throw 1 } }); throw e }",
      inputs: {},
    });
    expect(out).toMatchObject({ ok: false, kind: "runtime" });
    const looping = await runner.run({
      code: "function main() { throw { toString() { for (;;) {} } } }",
      inputs: {},
    });
    expect(looping).toMatchObject({ ok: false, kind: "timeout" });
  });

  it("lets user-defined toJSON do nothing but shape its own output", async () => {
    const out = await runner.run({ code: "Object.prototype.toJSON = () => 'x'; function main() { return { a: { b: 1 } } }", inputs: {} });
    expect(out).toMatchObject({ ok: true, result: { a: { b: 1 } } });
  });

  it("exposes no host objects to the guest", async () => {
    const out = await runner.run({
      code: `function main() {
        const g = this.constructor.constructor("return this")();
        const viaFunction = Function("return this")();
        return {
          sameGlobal: g === globalThis && viaFunction === globalThis,
          process: typeof g.process, require: typeof g.require, fetch: typeof g.fetch,
          Deno: typeof g.Deno, WebAssembly: typeof g.WebAssembly, setTimeout: typeof g.setTimeout,
          XMLHttpRequest: typeof g.XMLHttpRequest, importScripts: typeof g.importScripts,
          globals: Object.getOwnPropertyNames(g).filter((k) => !/^[A-Z]/.test(k)).sort(),
        };
      }`,
      inputs: {},
    });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.result).toMatchObject({
      sameGlobal: true, process: "undefined", require: "undefined", fetch: "undefined", Deno: "undefined",
      WebAssembly: "undefined", setTimeout: "undefined", XMLHttpRequest: "undefined", importScripts: "undefined",
    });
    // Only standard lower-case globals plus the captured console.
    for (const name of out.result.globals as string[]) {
      expect(["console", "main", "decodeURI", "decodeURIComponent", "encodeURI", "encodeURIComponent", "escape", "eval", "globalThis", "isFinite", "isNaN", "parseFloat", "parseInt", "unescape", "undefined", "NaN", "Infinity"]).toContain(name);
    }
  });

  it("runs 200 sequential executions in one process without leaking", async () => {
    const quick = createQuickJsRunner({ limits: { timeoutMs } });
    for (let i = 0; i < 200; i++) {
      const out = await quick.run({ code: "function main({ i }) { return { i, s: 'x'.repeat(1000) } }", inputs: { i } });
      expect(out.ok).toBe(true);
    }
  }, 60_000);
});
