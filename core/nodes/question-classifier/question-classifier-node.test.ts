import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMockModelServer, type MockModelServer } from "../../../test/mock-model-server";
import { buildGraph, finishedNodes, runCollecting } from "../../engine/testing";
import { createNodeRegistry } from "..";
import { mockServerRuntime } from "../llm/testing";
import { questionClassifierNode } from "./question-classifier-node";

let server: MockModelServer;
beforeAll(async () => {
  server = await startMockModelServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const registry = createNodeRegistry().register(questionClassifierNode);

async function classify(question: string) {
  const graph = buildGraph(
    [
      { id: "start", type: "start", variables: [{ variable: "q", type: "text-input" }] },
      {
        id: "qc",
        type: "question-classifier",
        query_variable_selector: ["start", "q"],
        model: { provider: "openai_api_compatible", name: "mock", mode: "chat" },
        classes: [
          { id: "1", name: "Billing" },
          { id: "2", name: "Technical" },
        ],
        instruction: "Questions about {{#start.q#}}",
      },
      { id: "billing", type: "end", outputs: [{ variable: "route", value_selector: ["qc", "class_name"] }] },
      { id: "tech", type: "end", outputs: [{ variable: "route", value_selector: ["qc", "class_id"] }] },
    ],
    [["start", "qc"], ["qc", "billing", "1"], ["qc", "tech", "2"]],
  );
  return runCollecting({ graph, registry, inputs: { q: question }, ports: { models: mockServerRuntime(server, fetch) } });
}

describe("question-classifier node", () => {
  it("takes the edge of the class the model chose and outputs class_name and class_id", async () => {
    server.script({ text: '{"keywords":["crash"],"category_id":"2","category_name":"Technical"}', usage: { prompt_tokens: 50, completion_tokens: 10 } });
    const { result, events } = await classify("The app crashes");
    expect(result.outputs).toEqual({ route: "2" });
    expect(finishedNodes(events).map(([id]) => id)).toEqual(["start", "qc", "tech"]);
    expect(result.total_tokens).toBe(60);
    const sent = server.requests[0]?.body.messages as Array<{ content: string }>;
    expect(JSON.parse(sent.at(-1)!.content)).toEqual({
      input_text: ["The app crashes"],
      categories: [
        { category_id: "1", category_name: "Billing" },
        { category_id: "2", category_name: "Technical" },
      ],
      classification_instructions: ["Questions about The app crashes"],
    });
  });

  it("accepts a class named instead of identified, and falls back to the first class", async () => {
    server.script({ text: 'Sure! {"category_name": "Billing"}' }, { text: "no idea" });
    expect((await classify("refund")).result.outputs).toEqual({ route: "Billing" });
    expect((await classify("???")).result.outputs).toEqual({ route: "Billing" });
  });

  it("fails when the model call fails", async () => {
    server.script({ kind: "fail", status: 400 });
    const { result } = await classify("x");
    expect(result.status).toBe("failed");
  });
});
