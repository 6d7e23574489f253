import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMockModelServer, type MockModelServer } from "../../../test/mock-model-server";
import { buildGraph, runCollecting } from "../../engine/testing";
import { createNodeRegistry } from "..";
import { llmNode } from "../llm";
import { mockServerRuntime } from "../llm/testing";
import type { KnowledgePort, KnowledgeResultItem, KnowledgeRetrievalRequest } from "./knowledge-port";
import { knowledgeRetrievalNode } from "./knowledge-retrieval-node";

let server: MockModelServer;
beforeAll(async () => {
  server = await startMockModelServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const registry = createNodeRegistry().register(knowledgeRetrievalNode).register(llmNode);

function item(content: string, score: number): KnowledgeResultItem {
  return {
    metadata: {
      _source: "knowledge", position: 1, dataset_id: "ds1", dataset_name: "Handbook", document_id: "doc1", document_name: "policies.txt", data_source_type: "upload_file",
      segment_id: `seg-${score}`, retriever_from: "workflow", score, segment_hit_count: 0, segment_word_count: content.length, segment_position: 1, segment_index_node_hash: null, doc_metadata: null,
    },
    title: "policies.txt",
    content,
  };
}

function fakePort(items: KnowledgeResultItem[]): KnowledgePort & { requests: KnowledgeRetrievalRequest[] } {
  const requests: KnowledgeRetrievalRequest[] = [];
  return { requests, retrieve: async (request) => (requests.push(request), items) };
}

function graph(data: Record<string, unknown>) {
  return buildGraph(
    [
      { id: "start", type: "start", variables: [{ variable: "q", type: "text-input" }, { variable: "dept", type: "text-input" }] },
      { id: "kr", type: "knowledge-retrieval", query_variable_selector: ["start", "q"], dataset_ids: ["ds1"], retrieval_mode: "multiple", ...data },
      {
        id: "llm",
        type: "llm",
        model: { provider: "openai_api_compatible", name: "mock", mode: "chat" },
        prompt_template: [{ role: "system", text: "Answer from: {{#context#}}" }, { role: "user", text: "{{#start.q#}}" }],
        context: { enabled: true, variable_selector: ["kr", "result"] },
      },
      { id: "end", type: "end", outputs: [{ variable: "result", value_selector: ["kr", "result"] }, { variable: "answer", value_selector: ["llm", "text"] }] },
    ],
    [["start", "kr"], ["kr", "llm"], ["llm", "end"]],
  );
}

describe("knowledge-retrieval node", () => {
  it("passes Dify's settings to the port and outputs result items an llm node uses as context", async () => {
    const port = fakePort([item("Refunds within 30 days.", 0.9)]);
    server.script({ text: "30 days." });
    const { result } = await runCollecting({
      graph: graph({
        multiple_retrieval_config: { top_k: 3, score_threshold: 0.2, reranking_enable: true, reranking_mode: "reranking_model", reranking_model: { provider: "cohere", model: "rerank-v3" } },
        metadata_filtering_mode: "manual",
        metadata_filtering_conditions: { logical_operator: "and", conditions: [{ name: "department", comparison_operator: "is", value: "{{#start.dept#}}" }] },
      }),
      registry,
      inputs: { q: "refund window?", dept: "sales" },
      ports: { knowledge: port, models: mockServerRuntime(server, fetch) },
    });
    expect(result.status).toBe("succeeded");
    expect(port.requests[0]).toMatchObject({
      datasetIds: ["ds1"],
      query: "refund window?",
      topK: 3,
      scoreThreshold: 0.2,
      reranking: { mode: "reranking_model", provider: "cohere", model: "rerank-v3" },
      metadataConditions: { logical_operator: "and", conditions: [{ name: "department", comparison_operator: "is", value: "sales" }] },
    });
    expect((result.outputs.result as KnowledgeResultItem[])[0]).toMatchObject({ title: "policies.txt", content: "Refunds within 30 days.", metadata: { _source: "knowledge", score: 0.9 } });
    const sent = server.requests[0]?.body.messages as Array<{ role: string; content: string }>;
    expect(sent[0]!.content).toBe("Answer from: Refunds within 30 days.");
  });

  it("fails clearly without a query, with automatic metadata filtering, or when the port fails", async () => {
    const run = (data: Record<string, unknown>, q: string, port: KnowledgePort) =>
      runCollecting({ graph: graph(data), registry, inputs: { q, dept: "" }, ports: { knowledge: port, models: mockServerRuntime(server, fetch) } });
    expect((await run({}, "", fakePort([]))).result.error).toMatch(/Query is required/);
    expect((await run({ metadata_filtering_mode: "automatic" }, "q", fakePort([]))).result.error).toMatch(/automatic .* not supported/);
    const broken: KnowledgePort = { retrieve: async () => { throw new Error("Dataset ds1 not found."); } };
    expect((await run({}, "q", broken)).result.error).toMatch(/Dataset ds1 not found/);
  });
});
