import { describe, expect, it } from "vitest";
import { buildGraph, runCollecting } from "../../engine/testing";
import type { WorkflowEvent } from "../../engine";
import { createToolProvider, type Tool } from "../../tools";
import { createNodeRegistry } from "..";
import { toolNode } from "./tool-node";

const registry = createNodeRegistry().register(toolNode);
const clock = { now: () => Date.UTC(2026, 0, 2, 3, 4, 5) };

function finished(events: WorkflowEvent[], id: string) {
  const event = events.find((candidate) => candidate.type === "node_finished" && candidate.data.node_id === id);
  return event?.type === "node_finished" ? event.data : undefined;
}

const echo: Tool = {
  name: "echo",
  description: "Echo the arguments",
  parameters: { type: "object", properties: { count: { type: "integer" }, label: { type: "string" } }, required: ["count"] },
  invoke: async (args) => [{ type: "text", text: `${args.label}:${args.count}` }, { type: "json", json: args }, { type: "file", file: { type: "document", filename: "a.txt", mime_type: "text/plain", url: "https://example.com/a.txt" } }],
};

async function run(data: Record<string, unknown>, workspace?: Parameters<typeof createToolProvider>[0]["workspace"]) {
  const graph = buildGraph(
    [
      { id: "start", type: "start", variables: [{ variable: "n", type: "number" }, { variable: "tz", type: "text-input" }] },
      { id: "tool", type: "tool", title: "Tool", ...data },
      { id: "end", type: "end", outputs: [{ variable: "text", value_selector: ["tool", "text"] }, { variable: "json", value_selector: ["tool", "json"] }] },
    ],
    [["start", "tool"], ["tool", "end"]],
  );
  return runCollecting({ graph, registry, inputs: { n: 4, tz: "Asia/Tokyo" }, ports: { tools: createToolProvider({ builtin: { fetch, clock }, workspace }) } });
}

describe("tool node", () => {
  it("calls a built-in tool with constant, variable and mixed inputs (Dify 1.x plugin ids resolve)", async () => {
    const { result, events } = await run({
      provider_id: "langgenius/time/time",
      provider_type: "builtin",
      provider_name: "time",
      tool_name: "current_time",
      tool_parameters: { timezone: { type: "variable", value: ["start", "tz"] }, format: { type: "mixed", value: "%H:%M in {{#start.tz#}}" } },
    });
    expect(result.status, result.error ?? "").toBe("succeeded");
    expect(result.outputs.text).toBe("12:04 in Asia/Tokyo");
    expect(finished(events, "tool")?.inputs).toEqual({ timezone: "Asia/Tokyo", format: "%H:%M in Asia/Tokyo" });
  });

  it("merges tool_configurations, casts inputs to the schema's types and outputs text, json and files", async () => {
    const { result, events } = await run(
      { provider_id: "p1", provider_type: "api", provider_name: "My API", tool_name: "echo", tool_configurations: { label: "n" }, tool_parameters: { count: { type: "mixed", value: "{{#start.n#}}" } } },
      async (type, provider) => (type === "api" && provider.id === "p1" ? [echo] : undefined),
    );
    expect(result.status, result.error ?? "").toBe("succeeded");
    expect(result.outputs).toEqual({ text: "n:4", json: [{ label: "n", count: 4 }] });
    expect(finished(events, "tool")?.outputs?.files).toEqual([expect.objectContaining({ filename: "a.txt" })]);
  });

  it.each([
    [{ provider_id: "nope", provider_type: "builtin", tool_name: "x" }, "ToolProviderNotFoundError", /no built-in tool provider named nope/],
    [{ provider_id: "time", provider_type: "builtin", tool_name: "sundial" }, "ToolNotFoundError", /sundial does not exist/],
    [{ provider_id: "maths", provider_type: "builtin", tool_name: "eval_expression", tool_parameters: {} }, "ToolParameterError", /expression/],
    [{ provider_id: "maths", provider_type: "builtin", tool_name: "eval_expression", tool_parameters: { expression: { type: "constant", value: "1/0" } } }, "ToolParameterError", /Division by zero/],
    [{ provider_id: "x", provider_type: "api", tool_name: "echo" }, "ToolProviderNotFoundError", /does not exist in this workspace/],
    [{ provider_id: "x", provider_type: "plugin", tool_name: "echo" }, "ToolProviderNotFoundError", /not supported/],
  ])("fails clearly: %j", async (data, errorType, message) => {
    const { result, events } = await run(data, async () => undefined);
    expect(result.status).toBe("failed");
    expect(result.error).toMatch(message);
    expect(finished(events, "tool")).toMatchObject({ status: "failed" });
    // With an error strategy the type shows in the outputs, as in Dify.
    const handled = await run({ ...data, error_strategy: "default-value", default_value: [] }, async () => undefined);
    expect(finished(handled.events, "tool")?.outputs).toMatchObject({ error_type: errorType, error_message: expect.stringMatching(message) });
  });

  it("lets the error strategy take over when the tool fails", async () => {
    const { result } = await run({
      provider_id: "maths",
      tool_name: "eval_expression",
      tool_parameters: { expression: { type: "constant", value: "2 +" } },
      error_strategy: "default-value",
      default_value: [{ key: "text", type: "string", value: "n/a" }],
    });
    expect(result.status).toBe("partial-succeeded");
    expect(result.outputs.text).toBe("n/a");
  });
});
