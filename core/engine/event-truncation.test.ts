import { describe, expect, it } from "vitest";
import { defaultEventTruncation, truncateForEvent } from "./event-truncation";
import { buildGraph, runCollecting, testPorts, testRegistry } from "./testing";

const limits = { maxStringLength: 10, maxArrayLength: 3, maxVariableBytes: 200 };

describe("event truncation", () => {
  it("returns the same object when nothing is too big", () => {
    const small = { a: "short", b: [1, 2], c: { d: "x" } };
    expect(truncateForEvent(small, limits)).toEqual({ value: small, truncated: false });
    expect(truncateForEvent(small, limits).value).toBe(small);
  });

  it("cuts long strings, long arrays and oversized variables, nested too", () => {
    const { value, truncated } = truncateForEvent({ s: "x".repeat(20), list: [1, 2, 3, 4, 5], deep: { t: "y".repeat(12) }, big: Array.from({ length: 3 }, () => "z".repeat(9)).concat() }, limits);
    expect(truncated).toBe(true);
    expect(value).toMatchObject({ s: `${"x".repeat(10)}...`, list: [1, 2, 3], deep: { t: `${"y".repeat(10)}...` } });
    const huge = truncateForEvent({ blob: { a: "q".repeat(9), b: "q".repeat(9), c: "q".repeat(9), d: "q".repeat(9), e: "q".repeat(9), f: "q".repeat(9), g: "q".repeat(9), h: "q".repeat(9), i: "q".repeat(9), j: "q".repeat(9) } }, { ...limits, maxVariableBytes: 60 });
    expect(typeof huge.value?.blob).toBe("string");
  });

  it("marks node_finished outputs as truncated while the pool keeps the full value", async () => {
    const graph = buildGraph([{ id: "start", type: "t-start" }, { id: "big", type: "t-value", value: "x".repeat(150_000) }], [["start", "big"]]);
    const { result, events } = await runCollecting({ graph, registry: testRegistry(), ports: testPorts() });
    const finished = events.find((event) => event.type === "node_finished" && event.data.node_id === "big");
    expect(finished?.type === "node_finished" && finished.data.outputs_truncated).toBe(true);
    expect(finished?.type === "node_finished" && (finished.data.outputs?.value as string).length).toBe(defaultEventTruncation.maxStringLength + 3);
    expect((result.snapshot.pool.big.value as string).length).toBe(150_000);
  });
});
