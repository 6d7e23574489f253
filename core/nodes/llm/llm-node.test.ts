import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMockModelServer, type MockModelServer } from "../../../test/mock-model-server";
import { buildGraph, runCollecting, streamedText } from "../../engine/testing";
import type { WorkflowEvent } from "../../engine";
import { createNodeRegistry } from "..";
import { llmNode } from "./llm-node";
import { mockServerRuntime } from "./testing";

let server: MockModelServer;
beforeAll(async () => {
  server = await startMockModelServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const registry = createNodeRegistry().register(llmNode);
const model = { provider: "langgenius/openai_api_compatible/openai_api_compatible", name: "mock", mode: "chat", completion_params: { temperature: 0.3 } };

function nodeFinished(events: WorkflowEvent[], id: string) {
  const event = events.find((candidate) => candidate.type === "node_finished" && candidate.data.node_id === id);
  return event?.type === "node_finished" ? event.data : undefined;
}

async function runLlm(data: Record<string, unknown>, options: { inputs?: Record<string, unknown>; answer?: boolean; system?: Record<string, unknown>; ports?: Record<string, unknown> } = {}) {
  const graph = buildGraph(
    [
      { id: "start", type: "start", variables: [{ variable: "topic", type: "text-input" }, { variable: "docs", type: "text-input" }] },
      { id: "llm", type: "llm", model, prompt_template: [{ role: "system", text: "You are terse." }, { role: "user", text: "Tell me about {{#start.topic#}}" }], ...data },
      options.answer
        ? { id: "answer", type: "answer", answer: "A: {{#llm.text#}}" }
        : { id: "end", type: "end", outputs: [{ variable: "text", value_selector: ["llm", "text"] }, { variable: "usage", value_selector: ["llm", "usage"] }] },
    ],
    [["start", "llm"], ["llm", options.answer ? "answer" : "end"]],
  );
  return runCollecting({
    graph,
    registry,
    inputs: options.inputs ?? { topic: "bees" },
    ports: options.ports ?? { models: mockServerRuntime(server, fetch) },
    mode: options.answer ? "advanced-chat" : "workflow",
    system: options.system,
  });
}

describe("llm node", () => {
  it("renders the prompt, streams the answer and reports usage in metadata and the run total", async () => {
    server.script({ text: "Bees make honey.", usage: { prompt_tokens: 20, completion_tokens: 4 } });
    const { result, events } = await runLlm({});
    expect(result.status).toBe("succeeded");
    expect(result.outputs.text).toBe("Bees make honey.");
    expect(result.total_tokens).toBe(24);
    const node = nodeFinished(events, "llm");
    expect(node?.execution_metadata).toMatchObject({ total_tokens: 24, total_price: "0", currency: "USD" });
    expect(node?.outputs).toMatchObject({ text: "Bees make honey.", reasoning_content: "", finish_reason: "stop", usage: { prompt_tokens: 20, completion_tokens: 4 } });
    expect(node?.process_data?.prompts).toEqual([
      { role: "system", text: "You are terse.", files: [] },
      { role: "user", text: "Tell me about bees", files: [] },
    ]);
    expect(server.requests[0]?.body).toMatchObject({ temperature: 0.3, messages: [{ role: "system", content: "You are terse." }, { role: "user", content: "Tell me about bees" }] });
    expect(events.filter((event) => event.type === "text_chunk").length).toBeGreaterThan(1);
  });

  it("streams text chunks to a downstream answer as they arrive", async () => {
    server.script({ text: "one two three" });
    const { events } = await runLlm({}, { answer: true });
    const chunks = events.flatMap((event) => (event.type === "text_chunk" ? [event.data.text] : []));
    expect(chunks.join("")).toBe("A: one two three");
    expect(chunks.length).toBeGreaterThanOrEqual(4);
    // The first chunk of the model's text reaches the client before the llm node finishes.
    const firstModelChunk = events.findIndex((event) => event.type === "text_chunk" && event.data.text === "one ");
    const llmFinished = events.findIndex((event) => event.type === "node_finished" && event.data.node_id === "llm");
    expect(firstModelChunk).toBeLessThan(llmFinished);
  });

  it("renders jinja2 messages with jinja2_variables and inserts the context", async () => {
    await runLlm(
      {
        prompt_template: [
          { role: "system", text: "", edition_type: "jinja2", jinja2_text: "Topic: {{ topic | upper }}{% if n %} (n={{ n }}){% endif %}" },
          { role: "user", text: "Use this: {{#context#}}" },
        ],
        prompt_config: { jinja2_variables: [{ variable: "topic", value_selector: ["start", "topic"] }, { variable: "n", value_selector: ["start", "missing"] }] },
        context: { enabled: true, variable_selector: ["start", "docs"] },
      },
      { inputs: { topic: "bees", docs: "Bees are insects. {{#start.topic#}}" } },
    );
    expect(server.requests[0]?.body.messages).toEqual([
      { role: "system", content: "Topic: BEES" },
      // Context text is inserted verbatim, never rendered as a template itself.
      { role: "user", content: "Use this: Bees are insects. {{#start.topic#}}" },
    ]);
  });

  it("adds the user's query through memory's query_prompt_template in chatflows", async () => {
    await runLlm({ prompt_template: [{ role: "system", text: "Be kind." }], memory: { window: { enabled: true, size: 10 }, query_prompt_template: "Q: {{#sys.query#}}" } }, { system: { query: "hello?" } });
    expect(server.requests[0]?.body.messages).toEqual([
      { role: "system", content: "Be kind." },
      { role: "user", content: "Q: hello?" },
    ]);
  });

  it("puts the conversation's earlier turns between the prompt and the query, newest `window.size` turns", async () => {
    const models = mockServerRuntime(server, fetch);
    const memory = { turns: [{ query: "q1", answer: "a1" }, { query: "q2", answer: "a2" }, { query: "q3", answer: "a3" }] };
    await runLlm(
      { prompt_template: [{ role: "system", text: "Be kind." }], memory: { window: { enabled: true, size: 2 } } },
      { system: { query: "q4" }, ports: { models, memory } },
    );
    expect(server.requests[0]?.body.messages).toEqual([
      { role: "system", content: "Be kind." },
      { role: "user", content: "q2" },
      { role: "assistant", content: "a2" },
      { role: "user", content: "q3" },
      { role: "assistant", content: "a3" },
      { role: "user", content: "q4" },
    ]);
    // Without a window every turn that fits the token budget is kept.
    await runLlm({ prompt_template: [{ role: "system", text: "Be kind." }], memory: { window: { enabled: false } } }, { system: { query: "q4" }, ports: { models, memory } });
    expect(server.requests[1]?.body.messages).toHaveLength(8);
    // A node without memory sees no history.
    await runLlm({ prompt_template: [{ role: "user", text: "hi" }] }, { system: { query: "q4" }, ports: { models, memory } });
    expect(server.requests[2]?.body.messages).toEqual([{ role: "user", content: "hi" }]);
  });

  it("keeps only the newest turns that fit the token budget when the window is off", async () => {
    const long = "word ".repeat(5000);
    const memory = { turns: [{ query: "old", answer: long }, { query: "mid", answer: long }, { query: "new", answer: "short" }] };
    await runLlm({ prompt_template: [], memory: {} }, { system: { query: "now" }, ports: { models: mockServerRuntime(server, fetch), memory } });
    const contents = (server.requests[0]?.body.messages as Array<{ content: string }>).map((m) => m.content.slice(0, 5));
    expect(contents).toEqual(["mid", "word ", "new", "short", "now"]);
  });

  it("fills {{#histories#}} in completion prompts with role-prefixed history", async () => {
    const memory = { turns: [{ query: "hello", answer: "hi there" }] };
    await runLlm(
      { model: { ...model, mode: "completion" }, prompt_template: { text: "Chat so far:\n{{#histories#}}\nTopic {{#start.topic#}}" }, memory: { role_prefix: { user: "U", assistant: "A" } } },
      { system: { query: "x" }, ports: { models: mockServerRuntime(server, fetch), memory } },
    );
    // The credential says `mode: chat`, so the one completion prompt goes out as a user message.
    expect(server.requests[0]?.body.messages).toEqual([{ role: "user", content: "Chat so far:\nU: hello\nA: hi there\nTopic bees" }]);
  });

  it("tries the fallback models in order when the model fails before answering", async () => {
    server.script({ kind: "fail", status: 400, message: "model overloaded" }, { text: "from the backup", usage: { prompt_tokens: 3, completion_tokens: 3 } });
    const { result, events } = await runLlm({ fallback_models: [{ ...model, name: "backup" }] });
    expect(result.status).toBe("succeeded");
    expect(result.outputs.text).toBe("from the backup");
    expect(server.requests.map((request) => request.body.model)).toEqual(["mock", "backup"]);
    const finished = nodeFinished(events, "llm");
    expect(finished?.process_data).toMatchObject({ model_name: "backup", fallback_attempts: [{ model: "mock", error: expect.stringContaining("model overloaded") }] });
  });

  it("does not fall back once the answer has started streaming, and reports every failed model", async () => {
    server.script({ text: "half an answer", cutAfterChunks: 1 });
    const cut = await runLlm({ fallback_models: [{ ...model, name: "backup" }] });
    expect(cut.result.status).toBe("failed");
    expect(server.requests).toHaveLength(1);
    server.reset();
    server.script({ kind: "fail", status: 400, message: "first down" }, { kind: "fail", status: 400, message: "second down" });
    const both = await runLlm({ fallback_models: [{ ...model, name: "backup" }] });
    expect(both.result.status).toBe("failed");
    expect(nodeFinished(both.events, "llm")?.error).toContain("second down");
    expect(nodeFinished(both.events, "llm")?.process_data?.fallback_attempts).toEqual([expect.objectContaining({ model: "mock" })]);
  });

  it("outputs structured_output parsed from the JSON answer", async () => {
    server.script({ text: '```json\n{"city":"Paris","population":2}\n```' });
    const { events } = await runLlm({ structured_output_enabled: true, structured_output: { schema: { type: "object", properties: { city: { type: "string" } } } } });
    expect(nodeFinished(events, "llm")?.outputs?.structured_output).toEqual({ city: "Paris", population: 2 });
  });

  it("keeps reasoning in <think> tags by default and separates it on request", async () => {
    server.script({ reasoning: "hmm", text: "42" }, { reasoning: "hmm", text: "42" });
    const tagged = await runLlm({});
    expect(tagged.result.outputs.text).toBe("<think>\nhmm\n</think>\n42");
    expect(streamedText(tagged.events).startsWith("<think>\nhmm\n</think>\n42\n")).toBe(true);
    expect(tagged.events.some((event) => event.type === "reasoning_chunk")).toBe(false);
    const separated = await runLlm({ reasoning_format: "separated" });
    expect(separated.result.outputs.text).toBe("42");
    expect(nodeFinished(separated.events, "llm")?.outputs?.reasoning_content).toBe("hmm");
    // The reasoning streams as reasoning_chunk events (closed by is_final) before the answer's text.
    const reasoning = separated.events.filter((event) => event.type === "reasoning_chunk").map((event) => event.data);
    expect(reasoning).toEqual([
      { reasoning: "hmm", node_id: "llm", is_final: false },
      { reasoning: "", node_id: "llm", is_final: true },
    ]);
    const order = separated.events.map((event) => event.type);
    expect(order.lastIndexOf("reasoning_chunk")).toBeLessThan(order.indexOf("text_chunk") === -1 ? Infinity : order.indexOf("text_chunk"));
    expect(streamedText(separated.events)).not.toContain("hmm");
  });

  it("fails with Dify's error type when the provider refuses, and the error strategy applies", async () => {
    server.script({ kind: "fail", status: 400, message: "context too long" });
    const { result, events } = await runLlm({});
    expect(result.status).toBe("failed");
    expect(nodeFinished(events, "llm")).toMatchObject({ status: "failed", error: expect.stringContaining("context too long") });
    server.script({ kind: "fail", status: 401 });
    const fallback = await runLlm({ error_strategy: "default-value", default_value: [{ key: "text", type: "string", value: "sorry" }] });
    expect(fallback.result.outputs.text).toBe("sorry");
  });

  it("fails clearly when no model runtime is wired", async () => {
    const { events } = await runLlm({}, { ports: {} });
    expect(nodeFinished(events, "llm")?.error).toBe("No model runtime is configured for this run");
  });
});
