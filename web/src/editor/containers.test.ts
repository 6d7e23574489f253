import { describe, expect, it } from "vitest";
import { availableVariables, containerOutputOptions } from "./available-variables";
import { autoLayout } from "./auto-layout";
import {
  CHILD_Z_INDEX,
  allowedInside,
  canConnect,
  containerAt,
  dropIntoContainer,
  edgeMembership,
  fitContainers,
  newContainer,
  moveOutOfContainer,
  nextChildPosition,
  placeInContainer,
  selectionForCopy,
  withDescendants,
} from "./containers";
import { duplicate, toDify, toFlow, type FlowEdge, type FlowNode } from "./graph-model";
import { defaultNodeData } from "./node-catalog";

const node = (id: string, type: string, position = { x: 0, y: 0 }, extra: Partial<FlowNode> = {}): FlowNode => ({ id, type: "custom", position, data: defaultNodeData(type, id), ...extra });
const edge = (source: string, target: string): FlowEdge => ({ id: `${source}-source-${target}-target`, source, target, sourceHandle: "source", targetHandle: "target" });

/** start → each (iteration: eachstart → echo) → end */
function iterationGraph() {
  const start = node("start", "start", { x: 0, y: 0 }, { data: { ...defaultNodeData("start", "Start"), variables: [{ variable: "words", type: "json_object" }] } });
  const [each, eachStart] = newContainer("iteration", "each", defaultNodeData("iteration", "Each"), { x: 300, y: 0 });
  const echo = placeInContainer(node("echo", "template-transform"), each, nextChildPosition("each", [each, eachStart]));
  const end = node("end", "end", { x: 800, y: 0 });
  return { nodes: [start, each, eachStart, echo, end], edges: [edge("start", "each"), edge("eachstart", "echo"), edge("each", "end")] };
}

describe("newContainer", () => {
  it("writes Dify's container and start node: <id>start, start_node_id, membership, relative position", () => {
    const [loop, start] = newContainer("loop", "L1", defaultNodeData("loop", "Loop"), { x: 100, y: 50 });
    expect(loop).toMatchObject({ id: "L1", type: "custom", position: { x: 100, y: 50 }, width: 388, height: 178, data: { type: "loop", start_node_id: "L1start", width: 388, height: 178 } });
    expect(start).toMatchObject({ id: "L1start", type: "custom-loop-start", parentId: "L1", position: { x: 24, y: 68 }, selectable: false, draggable: false, zIndex: CHILD_Z_INDEX });
    expect(start.data).toEqual({ type: "loop-start", title: "", desc: "", isInLoop: true, loop_id: "L1" });
  });

  it("saves a child's extent as Dify's 'parent' and keeps the container's size", () => {
    const { nodes, edges } = iterationGraph();
    const saved = toDify(nodes, edges, { x: 0, y: 0, zoom: 1 });
    const echo = saved.nodes.find((n) => n.id === "echo")!;
    expect(echo).toMatchObject({ parentId: "each", extent: "parent", data: { isInIteration: true, iteration_id: "each" } });
    expect(saved.nodes.find((n) => n.id === "each")).toMatchObject({ width: 388, height: 178, data: { start_node_id: "eachstart" } });
    expect(JSON.parse(JSON.stringify(saved))).toEqual(saved);
  });
});

describe("toFlow with containers", () => {
  it("keeps an imported container's size, puts parents first and draws inner edges above the container", () => {
    const imported = {
      nodes: [
        { id: "echo", type: "custom", parentId: "each", position: { x: 128, y: 68 }, width: 244, height: 54, data: { type: "template-transform", title: "Echo", isInIteration: true, iteration_id: "each" } },
        { id: "eachstart", type: "custom-iteration-start", parentId: "each", position: { x: 24, y: 68 }, data: { type: "iteration-start", title: "", isInIteration: true } },
        { id: "each", type: "custom", position: { x: 688, y: 282 }, width: 420, height: 200, data: { type: "iteration", title: "Each", start_node_id: "eachstart" } },
      ],
      edges: [{ id: "e", source: "eachstart", target: "echo", sourceHandle: "source", targetHandle: "target", data: { isInIteration: true } }],
    };
    const { nodes, edges } = toFlow(imported);
    expect(nodes[0].id).toBe("each");
    expect(nodes[0]).toMatchObject({ width: 420, height: 200 });
    expect(nodes.find((n) => n.id === "echo")).not.toHaveProperty("width");
    expect(nodes.find((n) => n.id === "eachstart")).toMatchObject({ selectable: false, draggable: false });
    expect(nodes.find((n) => n.id === "echo")!.extent).toEqual([expect.any(Array), expect.any(Array)]);
    expect(edges[0].zIndex).toBe(CHILD_Z_INDEX);
  });
});

describe("placing and connecting", () => {
  it("finds the container under a point, and only containers take children", () => {
    const { nodes } = iterationGraph();
    expect(containerAt({ x: 350, y: 100 }, nodes)?.id).toBe("each");
    expect(containerAt({ x: 100, y: 100 }, nodes)).toBeUndefined();
    expect(allowedInside("code", "iteration")).toBe(true);
    expect(allowedInside("iteration", "loop")).toBe(false);
    expect(allowedInside("end", "iteration")).toBe(false);
    expect(allowedInside("loop-end", "loop")).toBe(true);
    expect(allowedInside("loop-end", "iteration")).toBe(false);
  });

  it("places the next child right of the last one", () => {
    const { nodes } = iterationGraph();
    expect(nextChildPosition("each", nodes.slice(0, 3))).toEqual({ x: 108, y: 68 });
    expect(nextChildPosition("each", nodes)).toEqual({ x: 108 + 240 + 40, y: 68 });
  });

  it("refuses edges across a container's boundary and marks inner edges as Dify does", () => {
    const { nodes } = iterationGraph();
    const byId = (id: string) => nodes.find((n) => n.id === id)!;
    expect(canConnect(byId("eachstart"), byId("echo"))).toBe(true);
    expect(canConnect(byId("start"), byId("echo"))).toBe(false);
    expect(canConnect(byId("echo"), byId("end"))).toBe(false);
    expect(edgeMembership(byId("eachstart"), nodes)).toEqual({ data: { isInIteration: true, isInLoop: false, iteration_id: "each" }, zIndex: CHILD_Z_INDEX });
    expect(edgeMembership(byId("start"), nodes)).toEqual({ data: { isInIteration: false, isInLoop: false }, zIndex: 0 });
  });

  it("grows a container to hold its children, never shrinks it, and reports no change when it fits", () => {
    const { nodes: fresh } = iterationGraph();
    expect(fitContainers(fresh)).toBe(fresh);
    const nodes = fresh.map((n) => (n.id === "echo" ? { ...n, measured: { width: 300, height: 60 } } : n));
    const grown = fitContainers(nodes);
    const each = grown.find((n) => n.id === "each")!;
    // echo at x 108, measured 300 wide, plus 16 of padding
    expect(each.width).toBe(108 + 300 + 16);
    expect(each.height).toBe(178);
    expect(each.data.width).toBe(each.width);
    expect(fitContainers(grown)).toBe(grown);
    const moved = grown.map((n) => (n.id === "echo" ? { ...n, position: { x: 30, y: 300 } } : n));
    const again = fitContainers(moved).find((n) => n.id === "each")!;
    expect(again.width).toBe(each.width);
    expect(again.height).toBe(300 + 60 + 20);
  });
});

describe("copying containers", () => {
  it("copies a selected container with its inside; a lone child leaves its container", () => {
    const { nodes, edges } = iterationGraph();
    expect([...withDescendants(new Set(["each"]), nodes)].sort()).toEqual(["each", "eachstart", "echo"]);
    const whole = selectionForCopy(new Set(["each"]), nodes, edges);
    expect(whole.nodes.map((n) => n.id)).toEqual(["each", "eachstart", "echo"]);
    expect(whole.edges.map((e) => e.id)).toEqual(["eachstart-source-echo-target"]);
    const lone = selectionForCopy(new Set(["echo"]), nodes, edges);
    expect(lone.nodes).toHaveLength(1);
    expect(lone.nodes[0].parentId).toBeUndefined();
    expect(lone.nodes[0].data).not.toHaveProperty("iteration_id");
    expect(lone.nodes[0].position).toEqual({ x: 300 + 108, y: 68 });
  });

  it("pastes a container under new ids with its start node, membership and inner edges rewired", () => {
    const { nodes, edges } = iterationGraph();
    const clip = selectionForCopy(new Set(["each"]), nodes, edges);
    const copies = duplicate(clip.nodes, clip.edges, new Set(nodes.map((n) => n.id)), 40);
    const [container, start, child] = copies.nodes;
    expect(start.id).toBe(`${container.id}start`);
    expect(container.data.start_node_id).toBe(start.id);
    expect(container.position).toEqual({ x: 340, y: 40 });
    expect(start).toMatchObject({ parentId: container.id, position: { x: 24, y: 68 }, data: { iteration_id: container.id } });
    expect(child).toMatchObject({ parentId: container.id, position: { x: 108, y: 68 }, data: { iteration_id: container.id } });
    expect(copies.edges).toEqual([expect.objectContaining({ source: start.id, target: child.id, id: `${start.id}-source-${child.id}-target` })]);
  });
});

describe("autoLayout with containers", () => {
  it("lays out the inside of a container within its padding and sizes the container to fit", () => {
    const { nodes, edges } = iterationGraph();
    const second = placeInContainer(node("shout", "code"), nodes[1], { x: 500, y: 300 });
    const laidOut = autoLayout([...nodes, second], [...edges, edge("echo", "shout")]);
    const at = (id: string) => laidOut.find((n) => n.id === id)!;
    expect(at("eachstart").position.x).toBeGreaterThanOrEqual(16);
    expect(at("eachstart").position.y).toBeGreaterThanOrEqual(65);
    expect(at("echo").position.x).toBeGreaterThan(at("eachstart").position.x);
    expect(at("shout").position.x).toBeGreaterThan(at("echo").position.x);
    expect(at("each").width).toBeGreaterThanOrEqual(at("shout").position.x + 240 + 16);
    // Top level: the container is placed with its new size, between start and end.
    expect(at("end").position.x).toBeGreaterThanOrEqual(at("each").position.x + at("each").width!);
    expect(at("shout").parentId).toBe("each");
  });
});

describe("variables inside a container", () => {
  it("offers a child the iteration's item and index and what the iteration sees; the iteration collects its children's outputs", () => {
    const { nodes, edges } = iterationGraph();
    const scope = { mode: "workflow", environmentVariables: [], conversationVariables: [] };
    const options = availableVariables("echo", nodes, edges, scope).map((o) => o.selector.join("."));
    expect(options).toEqual(expect.arrayContaining(["each.item", "each.index", "start.words"]));
    expect(options).not.toContain("echo.output");
    expect(containerOutputOptions("each", nodes).map((o) => `${o.selector.join(".")}:${o.type}`)).toEqual(["echo.output:string"]);
  });
});

describe("moving an existing node into and out of a container", () => {
  it("a node dropped with its centre over a container goes inside, below the header, and loses its edges to the outside", () => {
    const graph = iterationGraph();
    const code = node("code", "code", { x: 420, y: 30 }, { measured: { width: 240, height: 80 } });
    const withCode = { nodes: [...graph.nodes, code], edges: [...graph.edges, edge("start", "code"), edge("code", "end")] };
    const moved = dropIntoContainer(withCode, "code")!;
    const inside = moved.nodes.find((n) => n.id === "code")!;
    expect(inside).toMatchObject({ parentId: "each", zIndex: CHILD_Z_INDEX, position: { x: 120, y: 55 }, data: { isInIteration: true, iteration_id: "each" } });
    expect(moved.edges.map((e) => e.id)).toEqual(graph.edges.map((e) => e.id));
    // The container grew to hold it; an edge from a sibling inside may now be drawn.
    expect(moved.nodes.find((n) => n.id === "each")!.width).toBeGreaterThanOrEqual(120 + 240);
    expect(canConnect(moved.nodes.find((n) => n.id === "echo")!, inside)).toBe(true);
  });

  it("leaves a node that is not over a container, is already inside one, or may not go inside, where it is", () => {
    const graph = iterationGraph();
    expect(dropIntoContainer(graph, "end")).toBeNull();
    expect(dropIntoContainer(graph, "echo")).toBeNull();
    const [loop, loopStart] = newContainer("loop", "L1", defaultNodeData("loop", "Loop"), { x: 420, y: 20 });
    expect(dropIntoContainer({ nodes: [...graph.nodes, loop, loopStart], edges: graph.edges }, "L1")).toBeNull();
    const lateEnd = node("end2", "end", { x: 420, y: 30 });
    expect(dropIntoContainer({ nodes: [...graph.nodes, lateEnd], edges: graph.edges }, "end2")).toBeNull();
  });

  it("a child moved out lands below its container and loses its edges to the nodes inside", () => {
    const graph = iterationGraph();
    const out = moveOutOfContainer(graph, "echo")!;
    const echo = out.nodes.find((n) => n.id === "echo")!;
    expect(echo.parentId).toBeUndefined();
    expect(echo.extent).toBeUndefined();
    expect(echo.data).not.toHaveProperty("isInIteration");
    expect(echo.data).not.toHaveProperty("iteration_id");
    expect(echo.position.y).toBeGreaterThan(178);
    expect(out.edges.map((e) => e.id)).toEqual(["start-source-each-target", "each-source-end-target"]);
    expect(moveOutOfContainer(graph, "eachstart")).toBeNull();
    expect(moveOutOfContainer(graph, "end")).toBeNull();
    // Out and back in: Dify's JSON for the child again.
    const back = dropIntoContainer({ ...out, nodes: out.nodes.map((n) => (n.id === "echo" ? { ...n, position: { x: 400, y: 20 } } : n)) }, "echo")!;
    expect(toDify(back.nodes, back.edges, { x: 0, y: 0, zoom: 1 }).nodes.find((n) => n.id === "echo")).toMatchObject({ parentId: "each", extent: "parent", data: { isInIteration: true, iteration_id: "each" } });
  });
});
