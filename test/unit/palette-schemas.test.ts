import { describe, expect, it } from "vitest";
import { validateGraph } from "../../core/dsl";
import { createFullNodeRegistry } from "../../core/nodes/full-registry";
import { NODE_KINDS, defaultNodeData } from "../../web/src/editor/node-catalog";

// The editor's forms are written by hand and checked against the engine's node schemas: the
// server's check names a form's mistakes on its node. This keeps the starting point honest: a node
// dropped from the palette holds data its schema accepts, but for the one choice each of a few
// node types cannot make for the user.
const registry = createFullNodeRegistry();

/** What a new node of these types still needs from the user (shown on the node until chosen). */
const CHOICES: Record<string, string[]> = {
  iteration: ["data.iterator_selector"],
  "list-operator": ["data.variable"],
  tool: ["data.tool_name"],
};

describe("the palette's new nodes against the engine's node schemas", () => {
  it("offers only node types the engine runs", () => {
    expect(NODE_KINDS.filter((kind) => !registry.lookup(kind.type)).map((kind) => kind.type)).toEqual([]);
  });

  for (const kind of NODE_KINDS) {
    it(`a new ${kind.type} node is valid but for the user's own choices`, () => {
      const data = defaultNodeData(kind.type, kind.label);
      const graph =
        kind.type === "start"
          ? { nodes: [{ id: "n", data }], edges: [] }
          : { nodes: [{ id: "start", data: { type: "start", title: "Start", variables: [] } }, { id: "n", data }], edges: [{ id: "e", source: "start", target: "n", sourceHandle: "source", targetHandle: "target" }] };
      const problems = validateGraph(graph, { nodeTypes: registry, mode: "advanced-chat" }).filter((problem) => problem.node_id === "n");
      expect(problems.map((problem) => problem.field)).toEqual(CHOICES[kind.type] ?? []);
    });
  }
});
