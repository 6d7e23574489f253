import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMockModelServer, type MockModelServer } from "../../../test/mock-model-server";
import { buildGraph, runCollecting } from "../../engine/testing";
import type { WorkflowEvent } from "../../engine";
import { createNodeRegistry } from "..";
import { mockServerRuntime } from "../llm/testing";
import { parameterExtractorNode } from "./parameter-extractor-node";

let server: MockModelServer;
beforeAll(async () => {
  server = await startMockModelServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const registry = createNodeRegistry().register(parameterExtractorNode);
const parameters = [
  { name: "city", type: "string", description: "City name", required: true },
  { name: "days", type: "number", description: "Number of days", required: false },
  { name: "unit", type: "select", options: ["C", "F"], description: "Unit", required: false },
  { name: "tags", type: "array[string]", description: "Tags", required: false },
];

async function extract(data: Record<string, unknown> = {}) {
  const graph = buildGraph(
    [
      { id: "start", type: "start", variables: [{ variable: "q", type: "text-input" }] },
      { id: "pe", type: "parameter-extractor", query: ["start", "q"], model: { provider: "openai_api_compatible", name: "mock", mode: "chat" }, parameters, instruction: "Weather questions", ...data },
      { id: "end", type: "end", outputs: [{ variable: "city", value_selector: ["pe", "city"] }] },
    ],
    [["start", "pe"], ["pe", "end"]],
  );
  const run = await runCollecting({ graph, registry, inputs: { q: "Weather in Paris for 3 days?" }, ports: { models: mockServerRuntime(server, fetch) } });
  const finished = run.events.find((event: WorkflowEvent) => event.type === "node_finished" && event.data.node_id === "pe");
  return { ...run, outputs: finished?.type === "node_finished" ? finished.data.outputs : undefined };
}

describe("parameter-extractor node", () => {
  it("extracts through a forced extract_parameters tool call and coerces types", async () => {
    server.script({ toolCalls: [{ name: "extract_parameters", arguments: '{"city":"Paris","days":"3","unit":"C","tags":["x","y"]}' }], usage: { prompt_tokens: 30, completion_tokens: 8 } });
    const { outputs, result } = await extract();
    expect(outputs).toMatchObject({ city: "Paris", days: 3, unit: "C", tags: ["x", "y"], __is_success: 1, __reason: null });
    expect(result.total_tokens).toBe(38);
    const body = server.requests[0]!.body as { tools: Array<{ function: { name: string; parameters: { required: string[]; properties: Record<string, { enum?: string[] }> } } }>; tool_choice: unknown };
    expect(body.tools[0]!.function.name).toBe("extract_parameters");
    expect(body.tools[0]!.function.parameters.required).toEqual(["city"]);
    expect(body.tools[0]!.function.parameters.properties.unit?.enum).toEqual(["C", "F"]);
    expect(body.tool_choice).toEqual({ type: "function", function: { name: "extract_parameters" } });
  });

  it("extracts JSON from the answer in prompt mode", async () => {
    server.script({ text: 'Here you go:\n```json\n{"city":"Oslo","days":2}\n```' });
    const { outputs } = await extract({ reasoning_mode: "prompt" });
    expect(outputs).toMatchObject({ city: "Oslo", days: 2, unit: "", tags: [], __is_success: 1 });
    expect(server.requests[0]!.body.tools).toBeUndefined();
  });

  it("reports a missing required parameter and an invalid select value as data, with defaults", async () => {
    server.script({ toolCalls: [{ name: "extract_parameters", arguments: '{"days":1}' }] }, { toolCalls: [{ name: "extract_parameters", arguments: '{"city":"Rome","unit":"K"}' }] });
    const missing = await extract();
    expect(missing.result.status).toBe("succeeded");
    expect(missing.outputs).toMatchObject({ city: "", days: 1, __is_success: 0, __reason: "Parameter city is required" });
    const invalid = await extract();
    expect(invalid.outputs).toMatchObject({ __is_success: 0, __reason: "Invalid `select` value for parameter unit" });
  });

  it("says so when the model answered nothing usable", async () => {
    server.script({ text: "I cannot help" });
    const { outputs } = await extract({ reasoning_mode: "prompt" });
    expect(outputs).toMatchObject({ __is_success: 0, __reason: "Parameter city is required" });
  });
});
