import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMockModelServer, type MockModelServer } from "../../test/mock-model-server";
import { validateGraph } from "../dsl";
import { runCollecting, streamedText } from "../engine/testing";
import { createNodeRegistry } from "../nodes";
import { llmNode } from "../nodes/llm";
import { mockServerRuntime } from "../nodes/llm/testing";
import { compileEasyModeApp, convertEasyPrompt } from "./easy-mode";

let server: MockModelServer;
beforeAll(async () => {
  server = await startMockModelServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const registry = createNodeRegistry().register(llmNode);
const model = { provider: "langgenius/openai_api_compatible/openai_api_compatible", name: "mock", mode: "chat", completion_params: { temperature: 0.2 } };

describe("convertEasyPrompt", () => {
  it("maps form variables and {{#query#}}, and leaves unknown placeholders as written", () => {
    expect(convertEasyPrompt("Be {{tone}} about {{#query#}} and {{other}} {{#context#}}", new Set(["tone"]))).toBe(
      "Be {{#start.tone#}} about {{#sys.query#}} and {{other}} {{#context#}}",
    );
  });
});

describe("compileEasyModeApp", () => {
  it("refuses an app with no model chosen, with Dify's error code", () => {
    expect(() => compileEasyModeApp("chat", { model: { provider: "", name: "" } })).toThrow(expect.objectContaining({ code: "provider_not_initialize", status: 400 }));
  });

  it("builds a graph the validator accepts, with the form as start variables", () => {
    const { graph } = compileEasyModeApp("chat", { model, pre_prompt: "You are {{persona}}.", user_input_form: [{ "text-input": { variable: "persona", label: "Persona", required: true, max_length: 48 } }] });
    expect(validateGraph(graph, { nodeTypes: registry, mode: "advanced-chat" })).toEqual([]);
    const start = (graph.nodes as Array<{ data: { type: string; variables?: unknown[] } }>).find((node) => node.data.type === "start");
    expect(start?.data.variables).toEqual([{ variable: "persona", label: "Persona", type: "text-input", required: true, max_length: 48 }]);
  });

  it("chat app: system prompt from pre_prompt, then history, then the query; the answer streams", async () => {
    server.script({ text: "Arr, hello!" });
    const { graph } = compileEasyModeApp("chat", { model, pre_prompt: "You are {{persona}}.", user_input_form: [{ "text-input": { variable: "persona" } }] });
    const { result, events } = await runCollecting({
      graph,
      registry,
      mode: "advanced-chat",
      inputs: { persona: "a pirate" },
      system: { query: "hi" },
      ports: { models: mockServerRuntime(server, fetch), memory: { turns: [{ query: "before", answer: "earlier" }] } },
    });
    expect(result.status).toBe("succeeded");
    expect(server.requests[0]?.body.messages).toEqual([
      { role: "system", content: "You are a pirate." },
      { role: "user", content: "before" },
      { role: "assistant", content: "earlier" },
      { role: "user", content: "hi" },
    ]);
    expect(streamedText(events)).toBe("Arr, hello!");
    expect(result.outputs.answer).toBe("Arr, hello!");
  });

  it("completion app: the rendered pre_prompt is the user message and no history is read", async () => {
    server.script({ text: "A haiku." });
    const { graph } = compileEasyModeApp("completion", { model, pre_prompt: "Write about {{topic}}.", user_input_form: [{ paragraph: { variable: "topic", required: true } }] });
    const { result } = await runCollecting({ graph, registry, mode: "advanced-chat", inputs: { topic: "bees" }, ports: { models: mockServerRuntime(server, fetch), memory: { turns: [{ query: "x", answer: "y" }] } } });
    expect(result.outputs.answer).toBe("A haiku.");
    expect(server.requests[0]?.body.messages).toEqual([{ role: "user", content: "Write about bees." }]);
  });

  it("advanced chat prompts keep their roles and the query is added after the history", async () => {
    server.script({ text: "ok" });
    const { graph } = compileEasyModeApp("chat", {
      model,
      prompt_type: "advanced",
      chat_prompt_config: { prompt: [{ role: "system", text: "Rules for {{name}}" }, { role: "assistant", text: "Ready." }] },
      user_input_form: [{ "text-input": { variable: "name" } }],
    });
    await runCollecting({ graph, registry, mode: "advanced-chat", inputs: { name: "Ada" }, system: { query: "go" }, ports: { models: mockServerRuntime(server, fetch) } });
    expect(server.requests[0]?.body.messages).toEqual([
      { role: "system", content: "Rules for Ada" },
      { role: "assistant", content: "Ready." },
      { role: "user", content: "go" },
    ]);
  });

  it("completion-model chat apps get Dify's histories and query blocks", async () => {
    server.script({ text: "fine" });
    const { graph } = compileEasyModeApp("chat", { model: { ...model, mode: "completion" }, pre_prompt: "Be brief.\n" });
    await runCollecting({ graph, registry, mode: "advanced-chat", system: { query: "how are you" }, ports: { models: mockServerRuntime(server, fetch), memory: { turns: [{ query: "hello", answer: "hi" }] } } });
    const sent = (server.requests[0]?.body.messages as Array<{ content: string }>)[0]!.content;
    expect(sent).toContain("Be brief.\nHere is the chat histories");
    expect(sent).toContain("<histories>\nHuman: hello\nAssistant: hi\n</histories>");
    expect(sent.endsWith("Human: how are you\n\nAssistant: ")).toBe(true);
  });

  it("adds a knowledge-retrieval node feeding the llm's context when datasets are enabled", () => {
    const { graph } = compileEasyModeApp("chat", { model, dataset_configs: { retrieval_model: "multiple", top_k: 3, datasets: { datasets: [{ dataset: { enabled: true, id: "d1" } }, { dataset: { enabled: false, id: "d2" } }] } } });
    const nodes = graph.nodes as Array<{ id: string; data: Record<string, unknown> }>;
    expect(nodes.map((node) => node.data.type)).toEqual(["start", "knowledge-retrieval", "llm", "answer"]);
    expect(nodes[1]!.data).toMatchObject({ dataset_ids: ["d1"], query_variable_selector: ["sys", "query"], multiple_retrieval_config: { top_k: 3 } });
    expect(nodes[2]!.data.context).toEqual({ enabled: true, variable_selector: ["knowledge", "result"] });
    expect(((nodes[2]!.data.prompt_template as Array<{ text: string }>)[0]!.text)).toContain("<context>\n{{#context#}}\n</context>");
  });
});
