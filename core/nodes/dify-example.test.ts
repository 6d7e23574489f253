import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { baseNodeDataSchema, validateGraph } from "../dsl";
import { NodeRegistry, defineNode, failed, succeeded } from "../engine";
import { recordingSleep, runCollecting, streamedText } from "../engine/testing";
import { createNodeRegistry } from ".";

/** The length-router example of the compatibility reference (§5.4), as Dify exports it. */
const dsl = parse(`
version: 0.6.0
kind: app
app: {name: length-router, mode: workflow}
workflow:
  environment_variables:
    - {id: 5b1e0c2a-0000-4000-8000-000000000001, name: TONE, value: concise, value_type: string, description: ''}
  conversation_variables: []
  graph:
    viewport: {x: 0, y: 0, zoom: 1}
    nodes:
      - id: start
        type: custom
        position: {x: 30, y: 200}
        data:
          type: start
          title: Start
          variables:
            - {variable: query, label: query, type: paragraph, required: true, max_length: 4000, options: []}
      - id: code
        type: custom
        position: {x: 330, y: 200}
        data:
          type: code
          title: Measure
          code_language: python3
          code: |
            def main(q: str) -> dict:
                return {"length": len(q)}
          variables: [{variable: q, value_selector: [start, query]}]
          outputs: {length: {type: number, children: null}}
      - id: ifelse
        type: custom
        position: {x: 630, y: 200}
        data:
          type: if-else
          title: Long?
          cases:
            - case_id: 'true'
              logical_operator: and
              conditions:
                - {id: c1, varType: number, variable_selector: [code, length], comparison_operator: '>', value: '20'}
      - id: llm
        type: custom
        position: {x: 930, y: 100}
        data:
          type: llm
          title: Summarise
          model: {provider: langgenius/openai/openai, name: gpt-4o-mini, mode: chat, completion_params: {temperature: 0.2}}
          prompt_template:
            - {role: system, text: "Summarise in a {{#env.TONE#}} style."}
            - {role: user, text: "{{#start.query#}}"}
          context: {enabled: false, variable_selector: []}
          vision: {enabled: false}
          retry_config: {retry_enabled: true, max_retries: 2, retry_interval: 1000}
          error_strategy: default-value
          default_value: [{key: text, type: string, value: "(summary unavailable)"}]
      - id: end_long
        type: custom
        position: {x: 1230, y: 100}
        data:
          type: end
          title: End (long)
          outputs: [{variable: result, value_type: string, value_selector: [llm, text]}]
      - id: end_short
        type: custom
        position: {x: 930, y: 320}
        data:
          type: end
          title: End (short)
          outputs: [{variable: result, value_type: string, value_selector: [start, query]}]
    edges:
      - {id: e1, source: start,  sourceHandle: source,  target: code,      targetHandle: target, type: custom}
      - {id: e2, source: code,   sourceHandle: source,  target: ifelse,    targetHandle: target, type: custom}
      - {id: e3, source: ifelse, sourceHandle: 'true',  target: llm,       targetHandle: target, type: custom}
      - {id: e4, source: ifelse, sourceHandle: 'false', target: end_short, targetHandle: target, type: custom}
      - {id: e5, source: llm,    sourceHandle: source,  target: end_long,  targetHandle: target, type: custom}
`);

// Other teams own these nodes; fakes registered the same way show the registry is open.
const fakeCode = defineNode({
  type: "code",
  schema: baseNodeDataSchema.extend({ variables: z.array(z.looseObject({ variable: z.string(), value_selector: z.array(z.string()) })) }),
  run: (ctx) => succeeded({ length: String(ctx.resolve(ctx.config.variables[0].value_selector) ?? "").length }),
});
let llmCalls: string[] = [];
let llmFailsUntil = 0;
const fakeLlm = defineNode({
  type: "llm",
  schema: baseNodeDataSchema.extend({ prompt_template: z.array(z.looseObject({ role: z.string(), text: z.string() })) }),
  run(ctx) {
    const prompt = ctx.config.prompt_template.map((message) => ctx.render(message.text)).join(" | ");
    llmCalls.push(prompt);
    if (llmCalls.length <= llmFailsUntil) return failed("upstream 503", "ModelProviderError");
    ctx.streamChunk("text", "Short ");
    ctx.streamChunk("text", "summary.");
    return succeeded({ text: "Short summary." }, { metadata: { total_tokens: 42 } });
  },
});
const registry = createNodeRegistry().register(fakeCode, { replace: true }).register(fakeLlm, { replace: true });
const workflow = dsl.workflow;
const run = (query: string, sleep = recordingSleep()) =>
  runCollecting({ graph: workflow.graph, registry, inputs: { query }, environmentVariables: workflow.environment_variables, mode: "workflow", sleep });

describe("Dify example DSL", () => {
  it("validates cleanly once code and llm nodes are registered, and not before", () => {
    expect(validateGraph(workflow.graph, { nodeTypes: registry, mode: "workflow" })).toEqual([]);
    const problems = validateGraph(workflow.graph, { nodeTypes: new NodeRegistry(), mode: "workflow" });
    expect(problems.filter((problem) => problem.field === "data.type").map((problem) => problem.node_id)).toEqual(["start", "code", "ifelse", "llm", "end_long", "end_short"]);
  });

  it("routes short input straight to the short end", async () => {
    llmCalls = [];
    const { result } = await run("hi");
    expect(result).toMatchObject({ status: "succeeded", outputs: { result: "hi" }, total_steps: 4 });
    expect(llmCalls).toEqual([]);
  });

  it("summarises long input, with env and start values in the prompt, streaming the end output", async () => {
    llmCalls = [];
    llmFailsUntil = 0;
    const { result, events } = await run("a question that is definitely long enough");
    expect(result).toMatchObject({ status: "succeeded", outputs: { result: "Short summary." }, total_tokens: 42 });
    expect(llmCalls).toEqual(["Summarise in a concise style. | a question that is definitely long enough"]);
    expect(streamedText(events)).toBe("Short summary.");
  });

  it("retries the LLM twice, 1 s apart, then falls back to the default value", async () => {
    llmCalls = [];
    llmFailsUntil = 3;
    const sleep = recordingSleep();
    const { result, events } = await run("a question that is definitely long enough", sleep);
    expect(sleep.calls).toEqual([1000, 1000]);
    expect(events.filter((event) => event.type === "node_retry").length).toBe(2);
    expect(result).toMatchObject({ status: "partial-succeeded", exceptions_count: 1, outputs: { result: "(summary unavailable)" } });
  });
});

describe("a branch and a parallel LLM feeding the same answer", () => {
  // start → if-else and start → llm; the true branch answers at once, the false branch and the
  // LLM both lead to a second answer, which still runs when its if-else edge is skipped.
  const graph = {
    nodes: [
      { id: "s", data: { type: "start", title: "Start", variables: [] } },
      { id: "if", data: { type: "if-else", title: "If", cases: [{ case_id: "true", logical_operator: "and", conditions: [{ variable_selector: ["sys", "query"], comparison_operator: "contains", value: "hello" }] }] } },
      { id: "llm", data: { type: "llm", title: "LLM", prompt_template: [{ role: "user", text: "{{#sys.query#}}" }] } },
      { id: "a1", data: { type: "answer", title: "Answer", answer: "contains 'hello'" } },
      { id: "a2", data: { type: "answer", title: "Answer 2", answer: "{{#llm.text#}}" } },
    ],
    edges: [
      { source: "s", target: "if", sourceHandle: "source" },
      { source: "s", target: "llm", sourceHandle: "source" },
      { source: "if", target: "a1", sourceHandle: "true" },
      { source: "if", target: "a2", sourceHandle: "false" },
      { source: "llm", target: "a2", sourceHandle: "source" },
    ],
  };

  it.each([
    ["hello world", "contains 'hello'Short summary."],
    ["goodbye world", "Short summary."],
  ])("%s → %s", async (query, answer) => {
    llmFailsUntil = 0;
    const { result } = await runCollecting({ graph, registry, mode: "advanced-chat", system: { query } });
    expect(result.outputs).toEqual({ answer });
  });
});
