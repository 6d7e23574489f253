import { describe, expect, it } from "vitest";
import { toDify, toFlow, type FlowNode } from "./graph-model";
import { handleLayout, withSavedHandles } from "./handle-layout";

const node = (data: Record<string, unknown>, type = "custom"): Pick<FlowNode, "type" | "data"> => ({ type, data: { title: "", ...data } as FlowNode["data"] });

describe("handleLayout", () => {
  it("puts a plain node's target on its left edge and its source on its right, halfway down", () => {
    expect(handleLayout(node({ type: "code" }), 240, 68)).toEqual([
      { id: "target", type: "target", position: "left", x: -3, y: 29, width: 10, height: 10 },
      { id: "source", type: "source", position: "right", x: 233, y: 29, width: 10, height: 10 },
    ]);
  });

  it("gives a start node no target and an end node no source", () => {
    expect(handleLayout(node({ type: "start" }), 240, 68)!.map((h) => h.id)).toEqual(["source"]);
    expect(handleLayout(node({ type: "end" }), 240, 68)!.map((h) => h.id)).toEqual(["target"]);
  });

  it("stacks branch handles on 20 px rows counted up from the node's bottom", () => {
    const cases = [{ case_id: "a" }, { case_id: "b" }];
    const handles = handleLayout(node({ type: "if-else", cases }), 240, 139)!;
    expect(handles.map((h) => [h.id, h.type, h.y])).toEqual([
      ["target", "target", 64.5],
      ["a", "source", 72],
      ["b", "source", 92],
      ["false", "source", 112],
    ]);
    // The last row's centre is its height/2 above the bottom padding and border.
    expect(handles.at(-1)!.y + 5).toBe(139 - 2 - 10 - 10);
    expect(new Set(handles.filter((h) => h.type === "source").map((h) => h.x))).toEqual(new Set([238]));
  });

  it("places a fail branch's two handles like other branches", () => {
    const handles = handleLayout(node({ type: "http-request", error_strategy: "fail-branch" }), 240, 108)!;
    expect(handles.filter((h) => h.type === "source").map((h) => h.id)).toEqual(["success-branch", "fail-branch"]);
  });

  it("leaves containers and notes to be measured", () => {
    expect(handleLayout(node({ type: "iteration" }), 600, 300)).toBeUndefined();
    expect(handleLayout(node({ type: "" }, "custom-note"), 240, 120)).toBeUndefined();
    expect(handleLayout(node({ type: "iteration-start" }, "custom-iteration-start"), 44, 48)).toEqual([{ id: "source", type: "source", position: "right", x: 39, y: 19, width: 10, height: 10 }]);
  });
});

describe("withSavedHandles", () => {
  const graph = () =>
    toFlow({
      nodes: [
        { id: "start", type: "custom", position: { x: 0, y: 0 }, width: 240, height: 68, data: { type: "start", title: "Start", variables: [] } },
        { id: "llm", type: "custom", position: { x: 300, y: 0 }, data: { type: "llm", title: "LLM" } },
      ],
      edges: [],
    });

  it("gives handles only to nodes with a saved size", () => {
    const { nodes } = graph();
    withSavedHandles(nodes);
    expect((nodes[0] as { handles?: unknown[] }).handles).toHaveLength(1);
    expect((nodes[1] as { handles?: unknown[] }).handles).toBeUndefined();
  });

  it("never saves them, and no copy of a node carries them", () => {
    const { nodes, edges } = graph();
    withSavedHandles(nodes);
    expect(JSON.stringify(toDify(nodes, edges, { x: 0, y: 0, zoom: 1 }))).not.toContain("handles");
    expect(Object.keys(nodes[0])).not.toContain("handles");
    expect(({ ...nodes[0], selected: true } as { handles?: unknown }).handles).toBeUndefined();
  });
});
