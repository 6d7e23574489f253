import { describe, expect, it } from "vitest";
import { jsonProblem, locateJsonError, parseJson } from "./json-text";

describe("parseJson", () => {
  it("returns the value of valid JSON", () => {
    expect(parseJson('{"a": [1, true, null, "x"]}')).toEqual({ ok: true, value: { a: [1, true, null, "x"] } });
  });

  it("says on which line and column a long document breaks", () => {
    const text = '{\n  "nodes": [\n    {"id": "start"}\n  ],\n  "edges": [ }\n}';
    const result = parseJson(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/^Invalid JSON at line 5, column 14: /);
  });
});

describe("locateJsonError", () => {
  const cases: [string, number][] = [
    ["", 0],
    ["{", 1],
    ['{"a" 1}', 5],
    ["[1, 2,]", 6],
    ['{"a": tru}', 9],
    ['"unterminated', 13],
    ["[1] x", 4],
    ['{"a": 01}', 7],
    ['"bad \\q escape"', 6],
  ];
  it.each(cases)("finds the error in %j at %i", (text, offset) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(locateJsonError(text)).toBe(offset);
  });
});

describe("jsonProblem", () => {
  it("runs the extra check only on valid JSON", () => {
    const notArray = (value: unknown) => (Array.isArray(value) ? null : "Must be a JSON array.");
    expect(jsonProblem("[]", notArray)).toBeNull();
    expect(jsonProblem("{}", notArray)).toBe("Must be a JSON array.");
    expect(jsonProblem("[", notArray)).toMatch(/^Invalid JSON at line 1, column 2/);
  });
});

describe("parseJson messages", () => {
  it("says where once, not again in the engine's words", () => {
    const parsed = parseJson('{"a": 1},');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).not.toMatch(/position/);
  });
});
