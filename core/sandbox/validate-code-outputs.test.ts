import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { validateCodeOutputs } from "./validate-code-outputs";

describe("validateCodeOutputs", () => {
  it("passes declared outputs of the right types and strips NUL characters", () => {
    const out = validateCodeOutputs(
      { text: "a\u0000b", n: 1.5, ok: true, obj: { k: "v" }, tags: ["x"], nums: [1, 2], rows: [{ a: 1 }], flags: [true, false] },
      {
        text: { type: "string" },
        n: { type: "number" },
        ok: { type: "boolean" },
        obj: { type: "object" },
        tags: { type: "array[string]" },
        nums: { type: "array[number]" },
        rows: { type: "array[object]" },
        flags: { type: "array[boolean]" },
      },
    );
    expect(out).toEqual({
      ok: true,
      outputs: { text: "ab", n: 1.5, ok: true, obj: { k: "v" }, tags: ["x"], nums: [1, 2], rows: [{ a: 1 }], flags: [true, false] },
    });
  });

  it("reports a missing declared output", () => {
    expect(validateCodeOutputs({}, { result: { type: "string" } })).toEqual({ ok: false, path: "result", error: "Output variable `result` is missing" });
  });

  it("refuses outputs that are not declared, like Dify", () => {
    expect(validateCodeOutputs({ result: "x", extra: 1 }, { result: { type: "string" } })).toMatchObject({ ok: false, path: "extra", error: expect.stringMatching(/^Not all output parameters are validated: `extra` is returned but not declared/) });
  });

  it("names the variable path of a type mismatch inside objects and arrays", () => {
    const declared = { result: { type: "object", children: { items: { type: "array[string]" }, meta: { type: "object", children: { count: { type: "number" } } } } } };
    expect(validateCodeOutputs({ result: { items: "x", meta: { count: 1 } } }, declared)).toMatchObject({
      ok: false,
      path: "result.items",
      error: "Output variable `result.items` must be an array of strings, got a string",
    });
    expect(validateCodeOutputs({ result: { items: ["a", 2], meta: { count: 1 } } }, declared)).toMatchObject({ ok: false, path: "result.items[1]" });
    expect(validateCodeOutputs({ result: { items: [], meta: { count: "1" } } }, declared)).toMatchObject({ ok: false, path: "result.meta.count", error: expect.stringMatching(/must be a number/) });
    expect(validateCodeOutputs({ rows: [{ a: 1 }, 3] }, { rows: { type: "array[object]" } })).toMatchObject({ ok: false, path: "rows[1]" });
  });

  it("converts booleans to 0/1 for number outputs", () => {
    expect(validateCodeOutputs({ n: true, list: [false, 2] }, { n: { type: "number" }, list: { type: "array[number]" } })).toEqual({ ok: true, outputs: { n: 1, list: [0, 2] } });
  });

  it("accepts null for any declared type", () => {
    const declared = { s: { type: "string" }, n: { type: "number" }, o: { type: "object" }, a: { type: "array[object]" }, b: { type: "boolean" } };
    expect(validateCodeOutputs({ s: null, n: null, o: null, a: null, b: null }, declared)).toMatchObject({ ok: true });
  });

  it("enforces string length, array caps, number range, precision and depth", () => {
    expect(validateCodeOutputs({ s: "x".repeat(400_001) }, { s: { type: "string" } })).toMatchObject({ ok: false, error: expect.stringMatching(/at most 400000 characters/) });
    expect(validateCodeOutputs({ s: "x".repeat(400_000) }, { s: { type: "string" } })).toMatchObject({ ok: true });
    expect(validateCodeOutputs({ a: Array(31).fill("x") }, { a: { type: "array[string]" } })).toMatchObject({ ok: false, error: expect.stringMatching(/at most 30 elements/) });
    expect(validateCodeOutputs({ a: Array(31).fill({}) }, { a: { type: "array[object]" } })).toMatchObject({ ok: false });
    expect(validateCodeOutputs({ a: Array(1000).fill(1) }, { a: { type: "array[number]" } })).toMatchObject({ ok: true });
    expect(validateCodeOutputs({ a: Array(1001).fill(1) }, { a: { type: "array[number]" } })).toMatchObject({ ok: false });
    expect(validateCodeOutputs({ n: 1e19 }, { n: { type: "number" } })).toMatchObject({ ok: false, error: expect.stringMatching(/out of range/) });
    expect(validateCodeOutputs({ n: -1e19 }, { n: { type: "number" } })).toMatchObject({ ok: false });
    expect(validateCodeOutputs({ n: 1e-21 }, { n: { type: "number" } })).toMatchObject({ ok: false, error: expect.stringMatching(/precision/) });
    expect(validateCodeOutputs({ n: 0.1 + 0.2 }, { n: { type: "number" } })).toMatchObject({ ok: true });
    const deep = { a: { b: { c: { d: { e: { f: 1 } } } } } };
    expect(validateCodeOutputs(deep, undefined)).toMatchObject({ ok: false, path: "a.b.c.d.e", error: expect.stringMatching(/depth limit is 5/) });
    expect(validateCodeOutputs({ a: { b: { c: { d: 1 } } } }, undefined)).toMatchObject({ ok: true });
  });

  it("checks undeclared outputs by their runtime type", () => {
    expect(validateCodeOutputs({ s: "a\u0000", n: 2, list: ["a", null], objs: [{ x: 1 }] }, undefined)).toEqual({
      ok: true,
      outputs: { s: "a", n: 2, list: ["a", null], objs: [{ x: 1 }] },
    });
    expect(validateCodeOutputs({ mixed: [1, "a"] }, {})).toMatchObject({ ok: false, path: "mixed", error: expect.stringMatching(/same type/) });
  });

  it("rejects unsupported declared types with the variable name", () => {
    expect(validateCodeOutputs({ f: "x" }, { f: { type: "array[file]" } })).toMatchObject({ ok: false, path: "f" });
  });

  it("never throws on arbitrary JSON", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (result) => {
        const out = validateCodeOutputs(result, undefined);
        expect(typeof out.ok).toBe("boolean");
      }),
    );
  });
});

describe("validateCodeOutputs with hostile keys", () => {
  it("keeps a `__proto__` key as data", () => {
    const result = JSON.parse('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    const out = validateCodeOutputs(result, undefined);
    expect(out.ok && Object.getPrototypeOf(out.outputs)).toBe(Object.prototype);
    expect(out.ok && Object.keys(out.outputs)).toEqual(["__proto__"]);
  });
});
