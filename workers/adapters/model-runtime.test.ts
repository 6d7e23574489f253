import { describe, expect, it } from "vitest";
import { compileEasyModeApp } from "../../core/apps";
import { modelsOfGraph } from "./model-runtime";

describe("modelsOfGraph", () => {
  it("finds the models of llm, classifier and extractor nodes and of agents, once each", () => {
    const model = (provider: string, name: string) => ({ provider, name, mode: "chat", completion_params: {} });
    const graph = {
      nodes: [
        { id: "start", data: { type: "start", variables: [] } },
        { id: "llm", data: { type: "llm", model: model("openai", "gpt-4o-mini") } },
        { id: "qc", data: { type: "question-classifier", model: model("openai", "gpt-4o-mini") } },
        { id: "pe", data: { type: "parameter-extractor", model: model("anthropic", "claude-3-5-haiku") } },
        { id: "broken", data: { type: "llm", model: { provider: 3 } } },
      ],
      edges: [],
    };
    expect(modelsOfGraph(graph)).toEqual([
      { provider: "openai", model: "gpt-4o-mini" },
      { provider: "anthropic", model: "claude-3-5-haiku" },
    ]);
    const agent = compileEasyModeApp("agent-chat", { model: model("openai_api_compatible", "local"), agent_mode: { enabled: true, tools: [] } }).graph;
    expect(modelsOfGraph(agent)).toEqual([{ provider: "openai_api_compatible", model: "local" }]);
    expect(modelsOfGraph(null)).toEqual([]);
    expect(modelsOfGraph({ nodes: "nope" })).toEqual([]);
  });
});
