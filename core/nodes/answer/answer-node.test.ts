import { describe, expect, it } from "vitest";
import { z } from "zod";
import { baseNodeDataSchema } from "../../dsl";
import { defineNode, succeeded } from "../../engine";
import { buildGraph, runCollecting, settle, streamedText } from "../../engine/testing";
import { createNodeRegistry } from "..";

let release: () => void = () => {};
/** Stands in for an LLM node: streams its text in two chunks with a pause between them. */
const fakeLlm = defineNode({
  type: "llm",
  schema: baseNodeDataSchema.extend({ reply: z.array(z.string()) }),
  async run(ctx) {
    ctx.streamChunk("text", ctx.config.reply[0]);
    await new Promise<void>((resolve) => (release = resolve));
    ctx.streamChunk("text", ctx.config.reply[1]);
    return succeeded({ text: ctx.config.reply.join("") });
  },
});
const registry = createNodeRegistry().register(fakeLlm, { replace: true });

describe("answer", () => {
  const graph = buildGraph(
    [
      { id: "start", type: "start", variables: [] },
      { id: "llm", type: "llm", reply: ["Hi ", "there"] },
      { id: "answer", type: "answer", answer: "{{#llm.text#}} — you said {{#sys.query#}}" },
    ],
    [["start", "llm"], ["llm", "answer"]],
  );

  it("streams the LLM's chunks as they arrive, then the rest of the template", async () => {
    const events: Parameters<NonNullable<Parameters<typeof runCollecting>[0]["onEvent"]>>[0][] = [];
    const running = runCollecting({ graph, registry, mode: "advanced-chat", system: { query: "hello" }, onEvent: (event) => events.push(event) });
    await settle();
    expect(streamedText(events)).toBe("Hi ");
    release();
    const { result } = await running;
    expect(streamedText(events)).toBe("Hi there — you said hello");
    expect(result.outputs).toEqual({ answer: "Hi there — you said hello" });
    const answerFinished = events.findIndex((event) => event.type === "node_finished" && event.data.node_id === "answer");
    const lastChunk = events.map((event) => event.type).lastIndexOf("text_chunk");
    expect(lastChunk).toBeLessThan(answerFinished);
  });
});

describe("two answers in a row", () => {
  it("streams the first answer's text before the LLM chunks that belong to the second", async () => {
    const graph = buildGraph(
      [
        { id: "start", type: "start", variables: [] },
        { id: "llm", type: "llm", reply: ["one ", "two"] },
        { id: "first", type: "answer", answer: "--- answer 1 ---\nfoo\n" },
        { id: "second", type: "answer", answer: "--- answer 2 ---\n{{#llm.text#}}\n" },
      ],
      [["start", "llm"], ["llm", "first"], ["first", "second"]],
    );
    const events: Parameters<NonNullable<Parameters<typeof runCollecting>[0]["onEvent"]>>[0][] = [];
    const running = runCollecting({ graph, registry, mode: "advanced-chat", onEvent: (event) => events.push(event) });
    await settle();
    expect(streamedText(events)).toBe("--- answer 1 ---\nfoo\n--- answer 2 ---\none ");
    release();
    const { result } = await running;
    expect(streamedText(events)).toBe("--- answer 1 ---\nfoo\n--- answer 2 ---\none two\n");
    expect(result.outputs.answer).toBe("--- answer 1 ---\nfoo\n--- answer 2 ---\none two\n");
  });
});

describe("end", () => {
  it("collects outputs, null for missing values, and streams them one per line", async () => {
    const graph = buildGraph(
      [
        { id: "start", type: "start", variables: [{ variable: "x", type: "text-input" }, { variable: "y", type: "number" }] },
        {
          id: "end",
          type: "end",
          outputs: [{ variable: "x", value_selector: ["start", "x"] }, { variable: "y", value_selector: ["start", "y"] }, { variable: "missing", value_selector: ["start", "nope"] }],
        },
      ],
      [["start", "end"]],
    );
    const { result, events } = await runCollecting({ graph, registry, inputs: { x: "value", y: 7 } });
    expect(result.outputs).toEqual({ x: "value", y: 7, missing: null });
    expect(streamedText(events)).toBe("value\n7\n");
  });
});
