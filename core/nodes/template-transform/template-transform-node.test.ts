import { describe, expect, it } from "vitest";
import { buildGraph, runCollecting } from "../../engine/testing";
import { createNodeRegistry } from "..";

const registry = createNodeRegistry();

async function render(template: string, inputs: Record<string, unknown>) {
  const graph = buildGraph(
    [
      { id: "start", type: "start", variables: [{ variable: "items", type: "json_object" }, { variable: "name", type: "text-input" }] },
      { id: "t", type: "template-transform", template, variables: [{ variable: "data", value_selector: ["start", "items"] }, { variable: "name", value_selector: ["start", "name"] }] },
      { id: "end", type: "end", outputs: [{ variable: "out", value_selector: ["t", "output"] }] },
    ],
    [["start", "t"], ["t", "end"]],
  );
  return (await runCollecting({ graph, registry, inputs })).result;
}

describe("template-transform", () => {
  it("renders Jinja2 with loops, filters and conditionals", async () => {
    const result = await render("{% for x in data.list %}{{ loop.index }}.{{ x | upper }} {% endfor %}{% if name %}by {{ name }}{% endif %}", { items: { list: ["a", "b"] }, name: "Ada" });
    expect(result.outputs).toEqual({ out: "1.A 2.B by Ada" });
  });

  it("fails on a template error", async () => {
    const result = await render("{% for %}", { items: {} });
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(/^Template rendering failed/);
  });

  it("fails when the output is longer than 400,000 characters", async () => {
    const result = await render("{% for x in data.list %}{{ name }}{% endfor %}", { items: { list: Array.from({ length: 5 }, () => 0) }, name: "x".repeat(90_000) });
    expect(result.status).toBe("failed");
    expect(result.error).toBe("Output length exceeds 400000 characters");
  });
});
