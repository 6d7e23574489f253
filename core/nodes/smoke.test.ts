import { describe, expect, it } from "vitest";
import { buildGraph, runCollecting, finishedNodes, streamedText } from "../engine/testing";
import { createNodeRegistry } from ".";

describe("smoke", () => {
  it("runs start -> template -> end", async () => {
    const graph = buildGraph(
      [
        { id: "start", type: "start", variables: [{ variable: "name", label: "Name", type: "text-input", required: true }] },
        { id: "tpl", type: "template-transform", variables: [{ variable: "n", value_selector: ["start", "name"] }], template: "Hello {{ n }}!" },
        { id: "end", type: "end", outputs: [{ variable: "greeting", value_selector: ["tpl", "output"] }] },
      ],
      [["start", "tpl"], ["tpl", "end"]],
    );
    const { result, events } = await runCollecting({ graph, registry: createNodeRegistry(), inputs: { name: "Ada" } });
    expect(result.status).toBe("succeeded");
    expect(result.outputs).toEqual({ greeting: "Hello Ada!" });
    expect(finishedNodes(events)).toEqual([["start", "succeeded"], ["tpl", "succeeded"], ["end", "succeeded"]]);
    expect(streamedText(events)).toBe("Hello Ada!");
  });
});
