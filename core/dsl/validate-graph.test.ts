import { describe, expect, it } from "vitest";
import { z } from "zod";
import { validateGraph, type NodeTypeCatalog } from "./validate-graph";

const loose = z.looseObject({ type: z.string() });
const catalog: NodeTypeCatalog = {
  lookup: (type) =>
    ({
      start: { schema: loose, isStart: true },
      step: { schema: z.looseObject({ type: z.string(), count: z.number().optional() }) },
      iteration: { schema: loose, isContainer: true },
      "iteration-start": { schema: loose },
    })[type],
};

const node = (id: string, type: string, data: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({ id, type: "custom", position: { x: 0, y: 0 }, data: { type, title: id, ...data }, ...extra });
const edge = (source: string, target: string, sourceHandle = "source") => ({ id: `${source}-${target}`, source, target, sourceHandle, targetHandle: "target" });

describe("validateGraph", () => {
  it("accepts a well-formed graph and tolerates editor-only fields", () => {
    const graph = {
      nodes: [node("s", "start", {}, { selected: true, positionAbsolute: { x: 1, y: 2 }, width: 240 }), node("a", "step", { text: "{{#s.q#}} {{#sys.query#}} {{#env.K#}} {{#conversation.c#}}" })],
      edges: [edge("s", "a")],
      viewport: { x: 0, y: 0, zoom: 1 },
    };
    expect(validateGraph(graph, { nodeTypes: catalog, mode: "workflow" })).toEqual([]);
  });

  it("reports unknown node types, bad configs with field paths, and dangling edges", () => {
    const graph = { nodes: [node("s", "start"), node("x", "mystery"), node("a", "step", { count: "three" })], edges: [edge("s", "a"), edge("a", "ghost")] };
    const problems = validateGraph(graph, { nodeTypes: catalog });
    expect(problems).toContainEqual({ node_id: "x", field: "data.type", message: 'Unknown node type "mystery"' });
    expect(problems).toContainEqual(expect.objectContaining({ node_id: "a", field: "data.count" }));
    expect(problems).toContainEqual({ node_id: null, field: "edges.1", message: "Edge a-ghost ends at unknown node ghost" });
  });

  it("reports a missing start node in workflow and chatflow modes only", () => {
    const graph = { nodes: [node("a", "step")], edges: [] };
    expect(validateGraph(graph, { nodeTypes: catalog, mode: "advanced-chat" })).toEqual([{ node_id: null, field: "nodes", message: "The graph has no start node" }]);
    expect(validateGraph(graph, { nodeTypes: catalog })).toEqual([]);
  });

  it("reports cycles", () => {
    const graph = { nodes: [node("s", "start"), node("a", "step"), node("b", "step")], edges: [edge("s", "a"), edge("a", "b"), edge("b", "a")] };
    expect(validateGraph(graph, { nodeTypes: catalog })).toContainEqual(expect.objectContaining({ field: "edges", message: expect.stringMatching(/^Cycle: /) }));
  });

  it("reports selectors that point at nodes that are not upstream or do not exist", () => {
    const graph = {
      nodes: [
        node("s", "start"),
        node("a", "step", { value_selector: ["b", "out"] }),
        node("b", "step", { prompt: "{{#nope.x#}}", variables: [["s", "q"], ["a", "v"]] }),
      ],
      edges: [edge("s", "a"), edge("a", "b")],
    };
    const problems = validateGraph(graph, { nodeTypes: catalog });
    expect(problems).toEqual([
      { node_id: "a", field: "data.value_selector", message: "Value selector refers to b.out, but node b is not upstream of a" },
      { node_id: "b", field: "data.prompt", message: "Prompt refers to nope.x, but there is no node nope" },
    ]);
  });

  it("checks env and conversation references against the declared variables when given", () => {
    const graph = { nodes: [node("s", "start"), node("a", "step", { text: "{{#env.KEY#}} {{#env.NOPE#}} {{#conversation.memo#}} {{#conversation.gone#}}" })], edges: [edge("s", "a")] };
    const problems = validateGraph(graph, { nodeTypes: catalog, environmentVariableNames: ["KEY"], conversationVariableNames: ["memo"] });
    expect(problems.map((problem) => problem.message)).toEqual([
      "Text refers to env.NOPE, but there is no environment variable NOPE",
      "Text refers to conversation.gone, but there is no conversation variable gone",
    ]);
    expect(validateGraph(graph, { nodeTypes: catalog })).toEqual([]);
  });

  it("lets iteration children use the container's item and index, and the container read its children", () => {
    const graph = {
      nodes: [
        node("s", "start"),
        node("it", "iteration", { iterator_selector: ["s", "list"], output_selector: ["child", "value"] }),
        node("it-start", "iteration-start", {}, { parentId: "it" }),
        node("child", "step", { iteration_id: "it", value_selector: ["it", "item"], other: { value_type: "variable", value: ["s", "q"] } }, { parentId: "it" }),
        node("after", "step", { value_selector: ["it", "output"] }),
      ],
      edges: [edge("s", "it"), edge("it-start", "child"), edge("it", "after")],
    };
    expect(validateGraph(graph, { nodeTypes: catalog })).toEqual([]);
  });

  it("reports an edge that crosses into a container", () => {
    const graph = {
      nodes: [node("s", "start"), node("it", "iteration"), node("it-start", "iteration-start", {}, { parentId: "it" }), node("inner", "step", {}, { parentId: "it" })],
      edges: [edge("s", "it"), edge("it-start", "inner"), edge("s", "inner")],
    };
    expect(validateGraph(graph, { nodeTypes: catalog })).toEqual([{ node_id: null, field: "edges.2", message: "Edge s-inner crosses an iteration or loop boundary (s -> inner)" }]);
  });

  it("rejects something that is not a graph at all", () => {
    expect(validateGraph({ nodes: "no" }, { nodeTypes: catalog })[0]).toMatchObject({ node_id: null, field: "graph.nodes" });
  });
});

describe("difyNodeTypeCatalog", () => {
  it("lets the editor validate structure without the node implementations", async () => {
    const { difyNodeTypeCatalog } = await import("./dify-node-types");
    const graph = {
      nodes: [node("s", "start"), node("l", "llm", { prompt: "{{#s.q#}}" }), node("x", "not-a-node"), node("e", "end", { outputs: [{ variable: "o", value_selector: ["later", "v"] }] }), node("later", "code")],
      edges: [edge("s", "l"), edge("l", "e"), edge("e", "later")],
    };
    const problems = validateGraph(graph, { nodeTypes: difyNodeTypeCatalog, mode: "workflow" });
    expect(problems.map((problem) => [problem.node_id, problem.field])).toEqual([["x", "data.type"], ["e", "data.outputs.0.value_selector"]]);
  });
});
