import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMockModelServer, type MockModelServer } from "../../../test/mock-model-server";
import { NATIVE_BUILTIN_TOOL_PROVIDERS } from "../../dsl";
import { createEgress } from "../../egress";
import { invokeTool } from "../invoke-tool";
import type { Tool } from "../tool";
import { ToolError } from "../tool-error";
import { builtinProviders } from "./builtin-tools";
import { strftime } from "./current-time";
import { queryJsonPath } from "./json-path";
import { evaluateExpression, formatNumber } from "./math-expression";

const signal = new AbortController().signal;
const at = Date.UTC(2026, 0, 2, 3, 4, 5);

describe("current_time", () => {
  it("formats with strftime directives in a time zone", () => {
    expect(strftime(at, "UTC", "%Y-%m-%d %H:%M:%S %Z")).toBe("2026-01-02 03:04:05 UTC");
    expect(strftime(at, "Asia/Tokyo", "%Y-%m-%d %H:%M %z %A %b %j %%")).toBe("2026-01-02 12:04 +0900 Friday Jan 002 %");
    expect(strftime(at, "America/New_York", "%I:%M %p %F")).toBe("10:04 PM 2026-01-01");
  });

  it("is the tool's answer for the injected clock, and an unknown zone is a parameter error", async () => {
    const [time] = builtinProviders({ fetch, clock: { now: () => at } }).find((p) => p.name === "time")!.tools;
    expect(await invokeTool(time!, { timezone: "Europe/Paris", format: "%H:%M" }, { signal })).toEqual([{ type: "text", text: "04:04" }]);
    expect(await invokeTool(time!, {}, { signal })).toEqual([{ type: "text", text: "2026-01-02 03:04:05 UTC" }]);
    await expect(invokeTool(time!, { timezone: "Mars/Base" }, { signal })).rejects.toMatchObject({ kind: "tool_parameter_invalid" });
  });
});

describe("math expressions without eval", () => {
  it.each([
    ["1 + 2 * 3", 7],
    ["(1 + 2) * 3", 9],
    ["2 ^ 3 ^ 2", 512],
    ["-2 ** 2", -4],
    ["7 // 2 + 7 % 3", 4],
    ["-7 % 3", 2],
    ["5!", 120],
    ["sqrt(16) + abs(-3) + max(1, 9, 4)", 16],
    ["round(pi, 2)", 3.14],
    ["log(1000) + ln(e) + log(8, 2)", 7],
    ["1.5e3 / 3", 500],
    ["3 × 4 ÷ 2", 6],
  ])("%s = %d", (expression, expected) => {
    expect(evaluateExpression(expression)).toBeCloseTo(expected, 10);
  });

  it("prints results without float noise", () => {
    expect(formatNumber(evaluateExpression("0.1 + 0.2"))).toBe("0.3");
    expect(formatNumber(evaluateExpression("10 / 4"))).toBe("2.5");
  });

  it.each([
    ["1 / 0", /Division by zero/],
    ["2 +", /Expected a number at the end/],
    ["(1 + 2", /Expected "\)"/],
    ["constructor.constructor('return this')()", /Unexpected character|Unknown/],
    ["process.exit()", /Unexpected character|Unknown/],
    ["foo(1)", /Unknown function "foo"/],
    ["sqrt(1, 2)", /takes 1 argument/],
    ["sqrt(-1)", /not a number/],
    ["(".repeat(100) + "1" + ")".repeat(100), /nested too deeply/],
    ["", /empty/],
  ])("refuses %s", (expression, message) => {
    expect(() => evaluateExpression(expression)).toThrow(message);
  });
});

describe("JSONPath", () => {
  const store = { store: { book: [{ title: "A", price: 8, tags: ["x"] }, { title: "B", price: 12 }, { title: "C", price: 5, tags: [] }], bicycle: { color: "red", price: 19 } } };
  it.each([
    ["$.store.book[0].title", ["A"]],
    ["store.bicycle.color", ["red"]],
    ["$.store.book[*].title", ["A", "B", "C"]],
    ["$.store.book[-1].title", ["C"]],
    ["$.store.book[0:2].price", [8, 12]],
    ["$['store']['bicycle']['price']", [19]],
    ["$..price", [8, 12, 5, 19]],
    ["$.store.book[?(@.price < 10)].title", ["A", "C"]],
    ["$.store.book[?(@.price > 6 && @.tags)].title", ["A"]],
    ["$.store.book[?(@.title == 'B')].price", [12]],
    ["$.store.book[0,2].title", ["A", "C"]],
    ["$.store.missing", []],
  ])("%s", (path, expected) => {
    expect(queryJsonPath(store, path)).toEqual(expected);
  });

  it("json_parse returns one match as text, and refuses invalid JSON or paths", async () => {
    const tool = builtinProviders({ fetch, clock: { now: () => 0 } }).find((p) => p.name === "json_process")!.tools[0]!;
    const messages = await invokeTool(tool, { content: JSON.stringify(store), json_filter: "$.store.bicycle" }, { signal });
    expect(messages[0]).toEqual({ type: "text", text: '{"color":"red","price":19}' });
    await expect(invokeTool(tool, { content: "{nope", json_filter: "$" }, { signal })).rejects.toThrow(/not valid JSON/);
    await expect(invokeTool(tool, { content: "{}", json_filter: "$.a[" }, { signal })).rejects.toThrow(/unclosed/);
    await expect(invokeTool(tool, { content: "{}" }, { signal })).rejects.toMatchObject({ kind: "tool_parameter_invalid", message: expect.stringMatching(/json_filter/) });
  });
});

describe("webscraper through the egress guard", () => {
  let server: MockModelServer;
  beforeAll(async () => {
    server = await startMockModelServer();
  });
  afterAll(() => server.close());

  const scraper = (allowLoopback: boolean): Tool => {
    const egress = createEgress({ fetch: (input, init) => fetch(input, init), allowLoopback });
    return builtinProviders({ fetch: egress.fetch, clock: { now: () => 0 } }).find((p) => p.name === "webscraper")!.tools[0]!;
  };

  it("returns the page's title and readable text without scripts", async () => {
    const [message] = await invokeTool(scraper(true), { url: `${server.url}/page.html` }, { signal });
    expect(message).toEqual({ type: "text", text: "TITLE: Bee facts\n\nHoney bees\n\nBees dance to share directions." });
  });

  it("refuses private addresses unless the egress allows them, without sending a request", async () => {
    const before = server.requests.length;
    const error = await invokeTool(scraper(false), { url: `${server.url}/page.html` }, { signal }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).message).toMatch(/private|loopback/i);
    expect(server.requests.length).toBe(before);
  });

  it("reports an HTTP error status", async () => {
    await expect(invokeTool(scraper(true), { url: `${server.url}/nope` }, { signal })).rejects.toThrow(/HTTP 404/);
  });
});

describe("argument checks", () => {
  const tool: Tool = {
    name: "t",
    description: "",
    parameters: { type: "object", properties: { n: { type: "integer" }, flag: { type: "boolean" }, mode: { type: "string", enum: ["a", "b"] } }, required: ["n"] },
    invoke: async (args) => [{ type: "json", json: args }],
  };
  it("casts strings to declared types and names what is wrong", async () => {
    expect(await invokeTool(tool, { n: "3", flag: "true", extra: null }, { signal })).toEqual([{ type: "json", json: { n: 3, flag: true } }]);
    await expect(invokeTool(tool, { flag: true }, { signal })).rejects.toThrow(/n/);
    await expect(invokeTool(tool, { n: 1, mode: "c" }, { signal })).rejects.toThrow(/mode/);
    await expect(invokeTool(tool, "nope", { signal })).rejects.toThrow(/JSON object/);
  });
});

describe("the DSL review's list of built-in providers", () => {
  it("names exactly the built-in providers core/tools has", () => {
    expect(builtinProviders({ fetch, clock: { now: () => 0 } }).map((provider) => provider.name)).toEqual([...NATIVE_BUILTIN_TOOL_PROVIDERS]);
  });
});
