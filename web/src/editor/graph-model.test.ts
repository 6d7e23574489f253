import { describe, expect, it } from "vitest";
import { duplicate, freeSpot, sameStructure, savedBounds, sourceHandles, toDify, toFlow, upstreamNodeIds, type FlowNode } from "./graph-model";
import type { NodeData } from "./node-catalog";

const data = (type: string, extra: Record<string, unknown> = {}) => ({ type, title: type, ...extra }) as NodeData;

describe("sourceHandles", () => {
  it("gives if-else one handle per case id plus false for ELSE", () => {
    const handles = sourceHandles(data("if-else", { cases: [{ case_id: "true" }, { case_id: "c2" }] }));
    expect(handles.map((h) => h.id)).toEqual(["true", "c2", "false"]);
    expect(handles.map((h) => h.label)).toEqual(["IF", "ELIF", "ELSE"]);
  });

  it("gives a classifier one handle per class id", () => {
    expect(sourceHandles(data("question-classifier", { classes: [{ id: "1", name: "billing" }, { id: "2", name: "" }] }))).toEqual([
      { id: "1", label: "billing" },
      { id: "2", label: "Class 2" },
    ]);
  });

  it("splits success and fail branches under the fail-branch strategy, else a single source", () => {
    expect(sourceHandles(data("code", { error_strategy: "fail-branch" })).map((h) => h.id)).toEqual(["success-branch", "fail-branch"]);
    expect(sourceHandles(data("code")).map((h) => h.id)).toEqual(["source"]);
    expect(sourceHandles(data("end"))).toEqual([]);
  });
});

describe("toFlow / toDify", () => {
  it("round-trips Dify's graph, dropping only what the canvas adds", () => {
    const graph = {
      nodes: [{ id: "start", type: "custom", position: { x: 1, y: 2 }, width: 244, height: 90, data: { type: "start", title: "Start", variables: [] }, sourcePosition: "right" }],
      edges: [{ id: "e", source: "start", target: "end", sourceHandle: "source", targetHandle: "target", type: "custom", data: { sourceType: "start" } }],
    };
    const flow = toFlow(graph);
    expect(flow.nodes[0].width).toBeUndefined();
    // The saved size is taken as measured, so the canvas shows the node before measuring it and
    // reports no change when the measurement agrees.
    expect(flow.nodes[0].measured).toEqual({ width: 244, height: 90 });
    expect(toFlow({ nodes: [{ ...graph.nodes[0], width: "wide" }] }).nodes[0].measured).toBeUndefined();
    const edited = flow.nodes.map((n) => ({ ...n, selected: true, measured: { width: 240, height: 70 } }));
    const saved = toDify(edited, flow.edges.map((e) => ({ ...e, selected: true })), { x: 0, y: 0, zoom: 1 });
    expect(saved.nodes[0]).toEqual({ id: "start", type: "custom", position: { x: 1, y: 2 }, width: 240, height: 70, data: { type: "start", title: "Start", variables: [], selected: false }, sourcePosition: "right" });
    expect(saved.edges[0]).toEqual(graph.edges[0]);
    expect(saved.viewport).toEqual({ x: 0, y: 0, zoom: 1 });
  });
});

describe("upstreamNodeIds", () => {
  it("walks edges backwards through branches and ignores downstream nodes", () => {
    const edges = [
      { source: "start", target: "if" },
      { source: "if", target: "a" },
      { source: "if", target: "b" },
      { source: "a", target: "end" },
      { source: "b", target: "end" },
    ];
    expect([...upstreamNodeIds("end", edges)].sort()).toEqual(["a", "b", "if", "start"]);
    expect([...upstreamNodeIds("a", edges)].sort()).toEqual(["if", "start"]);
  });
});

describe("duplicate", () => {
  it("copies nodes with fresh ids and rewires the edges between them", () => {
    const nodes = [
      { id: "a", position: { x: 0, y: 0 }, data: data("code") },
      { id: "b", position: { x: 100, y: 0 }, data: data("end") },
    ];
    const edges = [{ id: "a-source-b-target", source: "a", sourceHandle: "source", target: "b" }];
    const copy = duplicate(nodes, edges, new Set(["a", "b"]));
    const [a, b] = copy.nodes;
    expect(a.id).not.toBe("a");
    expect(a.position).toEqual({ x: 40, y: 40 });
    expect(copy.edges).toEqual([expect.objectContaining({ id: `${a.id}-source-${b.id}-target`, source: a.id, target: b.id })]);
    expect(a.data).not.toBe(nodes[0].data);
  });
});

describe("freeSpot", () => {
  it("moves a new node down until it covers nothing", () => {
    const nodes = [{ id: "a", position: { x: 0, y: 0 }, data: data("start"), measured: { width: 240, height: 80 } }];
    expect(freeSpot({ x: 100, y: 300 }, nodes)).toEqual({ x: 100, y: 300 });
    const spot = freeSpot({ x: 100, y: 10 }, nodes);
    expect(spot.x).toBe(100);
    expect(spot.y).toBeGreaterThanOrEqual(96);
  });
});

describe("sameStructure", () => {
  const start: FlowNode = { id: "start", position: { x: 0, y: 0 }, data: data("start") };
  const code: FlowNode = { id: "code", position: { x: 300, y: 0 }, data: data("code") };

  it("ignores moves, measurements and selection", () => {
    const moved = [start, { ...code, position: { x: 500, y: 80 }, measured: { width: 244, height: 90 }, selected: true }];
    expect(sameStructure([start, code], moved)).toBe(true);
  });

  it("notices edited data, added or removed nodes and a new parent", () => {
    expect(sameStructure([start, code], [start, { ...code, data: { ...code.data, title: "Renamed" } }])).toBe(false);
    expect(sameStructure([start, code], [start])).toBe(false);
    expect(sameStructure([start, code], [start, { ...code, parentId: "loop" }])).toBe(false);
    expect(sameStructure([start, code], [code, start])).toBe(false);
  });
});

describe("savedBounds", () => {
  const data = { type: "code", title: "Code" } as NodeData;
  it("spans the top-level nodes from the sizes saved with the draft", () => {
    const nodes = toFlow({
      nodes: [
        { id: "a", type: "custom", position: { x: 10, y: 20 }, width: 244, height: 90, data },
        { id: "b", type: "custom", position: { x: 400, y: -30 }, width: 244, height: 120, data },
      ],
      edges: [],
    } as never).nodes;
    expect(savedBounds(nodes)).toEqual({ x: 10, y: -30, width: 634, height: 140 });
  });
  it("leaves children out (their positions are inside their container)", () => {
    const nodes: FlowNode[] = [
      { id: "loop", position: { x: 0, y: 0 }, width: 600, height: 300, data },
      { id: "child", parentId: "loop", position: { x: 5000, y: 5000 }, initialWidth: 244, initialHeight: 90, data },
    ];
    expect(savedBounds(nodes)).toEqual({ x: 0, y: 0, width: 600, height: 300 });
  });
  it("is null when a node has no saved size, or there are no nodes", () => {
    expect(savedBounds([{ id: "a", position: { x: 0, y: 0 }, data }])).toBeNull();
    expect(savedBounds([])).toBeNull();
  });
});
