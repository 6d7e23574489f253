import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMockModelServer, type MockModelServer } from "../../../test/mock-model-server";
import { buildGraph, runCollecting } from "../../engine/testing";
import type { AgentLogData, WorkflowEvent } from "../../engine";
import { createToolProvider } from "../../tools";
import { createNodeRegistry } from "..";
import { mockServerRuntime } from "../llm/testing";
import { agentNode } from "./agent-node";
import { buildAgentNodeData, type AgentToolSpec } from "./build-agent-node-data";

let server: MockModelServer;
beforeAll(async () => {
  server = await startMockModelServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const registry = createNodeRegistry().register(agentNode);
const clock = { now: () => Date.UTC(2026, 0, 2, 3, 4, 5) };
const model = { provider: "langgenius/openai_api_compatible/openai_api_compatible", name: "mock-agent" };
const maths: AgentToolSpec = { provider_type: "builtin", provider_id: "maths", tool_name: "eval_expression" };
const time: AgentToolSpec = { provider_type: "builtin", provider_id: "langgenius/time/time", tool_name: "current_time" };

async function runAgent(data: Record<string, unknown>) {
  const graph = buildGraph(
    [
      { id: "start", type: "start", variables: [{ variable: "question", type: "paragraph" }] },
      { id: "agent", ...data, type: "agent" },
      { id: "end", type: "end", outputs: [{ variable: "text", value_selector: ["agent", "text"] }, { variable: "json", value_selector: ["agent", "json"] }, { variable: "usage", value_selector: ["agent", "usage"] }] },
    ],
    [["start", "agent"], ["agent", "end"]],
  );
  return runCollecting({
    graph,
    registry,
    inputs: { question: "What is 6 times 7?" },
    ports: { models: mockServerRuntime(server, fetch), tools: createToolProvider({ builtin: { fetch, clock } }) },
  });
}

const agentData = (options: Partial<Parameters<typeof buildAgentNodeData>[0]> = {}) =>
  buildAgentNodeData({ model, tools: [maths, time], instruction: "You are exact.", query: "{{#start.question#}}", maximumIterations: 3, ...options });

const logs = (events: WorkflowEvent[]): AgentLogData[] => events.flatMap((event) => (event.type === "agent_log" ? [event.data] : []));
const finished = (events: WorkflowEvent[]) => events.find((event) => event.type === "node_finished" && event.data.node_id === "agent") as Extract<WorkflowEvent, { type: "node_finished" }> | undefined;

describe("agent node: function calling", () => {
  it("calls a tool the model asks for, feeds the result back and answers; usage summed; agent_log per round and call", async () => {
    server.script(
      { toolCalls: [{ id: "call_1", name: "eval_expression", arguments: '{"expression": "6*7"}' }], usage: { prompt_tokens: 30, completion_tokens: 10 } },
      { text: "It is 42.", usage: { prompt_tokens: 50, completion_tokens: 5 } },
    );
    const { result, events } = await runAgent(agentData());
    expect(result.status, result.error ?? "").toBe("succeeded");
    expect(result.outputs.text).toBe("It is 42.");
    expect(result.outputs.json).toEqual([{ round: 1, tool_name: "eval_expression", tool_input: { expression: "6*7" }, observation: "42", error: null }]);
    expect(result.outputs.usage).toMatchObject({ prompt_tokens: 80, completion_tokens: 15, total_tokens: 95 });
    expect(result.total_tokens).toBe(95);
    expect(finished(events)?.data.execution_metadata).toMatchObject({ total_tokens: 95, currency: "USD" });

    const [first, second] = server.requests.map((request) => request.body as any);
    expect(first.tools.map((tool: any) => tool.function.name)).toEqual(["eval_expression", "current_time"]);
    expect(first.messages).toEqual([{ role: "system", content: "You are exact." }, { role: "user", content: "What is 6 times 7?" }]);
    expect(second.messages.at(-1)).toMatchObject({ role: "tool", tool_call_id: "call_1", content: "42" });

    const log = logs(events);
    expect(log.map((entry) => `${entry.label}:${entry.status}`)).toEqual([
      "ROUND 1:start",
      "mock-agent Thought:start",
      "mock-agent Thought:success",
      "CALL eval_expression:start",
      "CALL eval_expression:success",
      "ROUND 1:success",
      "ROUND 2:start",
      "mock-agent Thought:start",
      "mock-agent Thought:success",
      "ROUND 2:success",
    ]);
    const round1 = log[0]!;
    expect(log[3]).toMatchObject({ parent_id: round1.id, node_id: "agent", node_execution_id: round1.node_execution_id, data: { tool_name: "eval_expression" } });
    expect(log[4]).toMatchObject({ id: log[3]!.id, data: { output: "42" }, error: null });
    expect(log[2]?.metadata).toMatchObject({ total_tokens: 40 });
    const streamed = events.flatMap((event) => (event.type === "text_chunk" && event.data.from_variable_selector?.join(".") === "agent.text" ? [event.data.text] : []));
    expect(streamed.join("")).toBe("It is 42.");
    expect(events.findIndex((event) => event.type === "text_chunk")).toBeLessThan(events.indexOf(finished(events)!));
  });

  it("feeds tool failures back to the model as observations: unknown tool, bad arguments, a failing call", async () => {
    server.script(
      {
        toolCalls: [
          { id: "a", name: "nope", arguments: "{}" },
          { id: "b", name: "eval_expression", arguments: "{not json" },
          { id: "c", name: "eval_expression", arguments: '{"expression": "1/0"}' },
          { id: "d", name: "current_time", arguments: '{"timezone": 5}' },
        ],
      },
      { text: "Sorry, I could not compute it." },
    );
    const { result, events } = await runAgent(agentData());
    expect(result.status).toBe("succeeded");
    const toolMessages = (server.requests[1]!.body as any).messages.filter((message: any) => message.role === "tool").map((message: any) => message.content);
    expect(toolMessages).toEqual([
      expect.stringMatching(/^Error: There is no tool named "nope"\. Available tools: eval_expression, current_time/),
      expect.stringMatching(/^Error: .*JSON/),
      "Error: Division by zero",
      expect.stringMatching(/^Error: Invalid arguments for current_time: timezone/),
    ]);
    expect(logs(events).filter((entry) => entry.status === "error").map((entry) => entry.label)).toEqual(["CALL nope", "CALL eval_expression", "CALL eval_expression", "CALL current_time"]);
    expect(result.outputs.json).toHaveLength(4);
  });

  it("stops after maximum_iterations: the last round offers no tools", async () => {
    server.script(
      { toolCalls: [{ id: "1", name: "eval_expression", arguments: '{"expression": "1+1"}' }] },
      { text: "Two.", toolCalls: [{ id: "2", name: "eval_expression", arguments: '{"expression": "2+2"}' }] },
    );
    const { result } = await runAgent(agentData({ maximumIterations: 2 }));
    expect(result.status).toBe("succeeded");
    expect(result.outputs.text).toBe("Two.");
    expect(server.requests).toHaveLength(2);
    expect((server.requests[1]!.body as any).tools).toBeUndefined();
  });

  it("keeps author-fixed parameters out of the model's schema and always applies them", async () => {
    server.script({ toolCalls: [{ id: "1", name: "current_time", arguments: '{"format": "%H:%M", "timezone": "UTC"}' }] }, { text: "Noon-ish." });
    const { result } = await runAgent(agentData({ tools: [{ ...time, tool_parameters: { timezone: "Asia/Tokyo", format: "" } }] }));
    expect(result.status).toBe("succeeded");
    const schema = (server.requests[0]!.body as any).tools[0].function.parameters;
    expect(Object.keys(schema.properties)).toEqual(["format"]);
    expect((server.requests[1]!.body as any).messages.at(-1).content).toBe("12:04");
  });

  it("fails clearly: a model error, a tool that does not exist (before any model call), no query, an unknown strategy", async () => {
    server.script({ kind: "fail", status: 400, message: "bad request" });
    const failedModel = await runAgent(agentData());
    expect(failedModel.result).toMatchObject({ status: "failed", error: expect.stringMatching(/bad request/) });

    server.reset();
    const missing = await runAgent(agentData({ tools: [{ provider_type: "builtin", provider_id: "time", tool_name: "sundial" }] }));
    expect(missing.result).toMatchObject({ status: "failed", error: expect.stringMatching(/sundial does not exist/) });
    expect(server.requests).toHaveLength(0);

    const noQuery = await runAgent(agentData({ query: "" }));
    expect(noQuery.result).toMatchObject({ status: "failed", error: "The agent's query is empty" });

    const unknown = await runAgent({ ...agentData(), agent_strategy_name: "tree_of_thought" });
    expect(unknown.result.error).toMatch(/Unknown agent strategy/);
  });
});

describe("agent node: ReAct", () => {
  it("describes the tools in the prompt, runs the action from the JSON blob and answers with the Final Answer", async () => {
    server.script(
      { text: 'Thought: I should compute.\nAction:\n```\n{"action": "eval_expression", "action_input": {"expression": "6*7"}}\n```' },
      { text: 'Thought: I know.\nAction:\n```\n{"action": "Final Answer", "action_input": "6 times 7 is 42."}\n```' },
    );
    const { result, events } = await runAgent(agentData({ strategy: "ReAct" }));
    expect(result.status, result.error ?? "").toBe("succeeded");
    expect(result.outputs.text).toBe("6 times 7 is 42.");
    const [first, second] = server.requests.map((request) => request.body as any);
    expect(first.tools).toBeUndefined();
    expect(first.stop).toContain("Observation:");
    expect(first.messages[0].content).toContain('"name":"eval_expression"');
    expect(first.messages[0].content).toContain("You are exact.");
    expect(second.messages.at(-1)).toEqual({ role: "user", content: "Observation: 42" });
    expect(logs(events).map((entry) => `${entry.label}:${entry.status}`)).toContain("CALL eval_expression:success");
    // The answer streams while the model writes it (the mock sends it word by word).
    const streamed = events.flatMap((event) => (event.type === "text_chunk" && event.data.from_variable_selector?.join(".") === "agent.text" ? [event.data.text] : []));
    expect(streamed.join("")).toBe("6 times 7 is 42.");
    expect(streamed.length).toBeGreaterThan(2);
  });

  it("reads the classic Action / Action Input lines and a plain answer", async () => {
    server.script({ text: "Thought: time?\nAction: current_time\nAction Input: {\"timezone\": \"UTC\", \"format\": \"%H:%M\"}" }, { text: "It is 03:04." });
    const { result } = await runAgent(agentData({ strategy: "react" }));
    expect(result.outputs.text).toBe("It is 03:04.");
    expect((server.requests[1]!.body as any).messages.at(-1).content).toBe("Observation: 03:04");
  });
});

describe("agent node: memory and budget", () => {
  it("puts the conversation's earlier turns between the instruction and the query", async () => {
    server.script({ text: "Still bees." });
    const graph = buildGraph(
      [
        { id: "start", type: "start", variables: [] },
        { id: "agent", ...agentData({ query: "And now?", memory: { window: { enabled: true, size: 1 } } }), type: "agent" },
        { id: "end", type: "end", outputs: [{ variable: "text", value_selector: ["agent", "text"] }] },
      ],
      [["start", "agent"], ["agent", "end"]],
    );
    const turns = [{ query: "old question", answer: "old answer" }, { query: "Topic?", answer: "Bees." }];
    const { result } = await runCollecting({ graph, registry, ports: { models: mockServerRuntime(server, fetch), tools: createToolProvider({ builtin: { fetch, clock } }), memory: { turns } } });
    expect(result.status, result.error ?? "").toBe("succeeded");
    expect((server.requests[0]!.body as any).messages).toEqual([
      { role: "system", content: "You are exact." },
      { role: "user", content: "Topic?" },
      { role: "assistant", content: "Bees." },
      { role: "user", content: "And now?" },
    ]);
  });

  it("stops making tool calls past the budget and tells the model", async () => {
    const calls = Array.from({ length: 52 }, (_, index) => ({ id: `c${index}`, name: "eval_expression", arguments: `{"expression": "${index}+1"}` }));
    server.script({ toolCalls: calls }, { text: "Done." });
    const { result } = await runAgent(agentData());
    expect(result.status).toBe("succeeded");
    const observations = (server.requests[1]!.body as any).messages.filter((message: any) => message.role === "tool").map((message: any) => message.content);
    expect(observations).toHaveLength(52);
    expect(observations[49]).toBe("50");
    expect(observations[50]).toMatch(/tool-call budget of this agent \(50 calls\) is used up/);
  });
});
