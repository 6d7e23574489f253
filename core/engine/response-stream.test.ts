import { describe, expect, it } from "vitest";
import type { WorkflowEvent } from "./events";
import { buildGraph, deferred, runCollecting, settle, streamedText, testPorts, testRegistry } from "./testing";

const registry = testRegistry();

/** Event trail: text chunks as `"text"`, node completions as `#id`. */
function trail(events: WorkflowEvent[]): string[] {
  return events.flatMap((event) => (event.type === "text_chunk" ? [JSON.stringify(event.data.text)] : event.type === "node_finished" ? [`#${event.data.node_id}`] : []));
}

describe("answer streaming", () => {
  it("streams literal text at once and forwards a running node's chunks live, in template order", async () => {
    const ports = testPorts();
    const gates = [deferred(), deferred()];
    ports.gates.set("llm:1", gates[0].promise);
    ports.gates.set("llm:2", gates[1].promise);
    const graph = buildGraph(
      [
        { id: "start", type: "t-start" },
        { id: "llm", type: "t-stream", chunks: ["Hel", "lo", "!"] },
        { id: "answer", type: "t-answer", answer: "Bot: {{#llm.text#}} ({{#sys.query#}})" },
      ],
      [["start", "llm"], ["llm", "answer"]],
    );
    const events: WorkflowEvent[] = [];
    const running = runCollecting({ graph, registry, ports, system: { query: "hi" }, onEvent: (event) => events.push(event) });
    await settle();
    // Before the LLM finishes, the prefix and the first chunk are already out.
    expect(streamedText(events)).toBe("Bot: Hel");
    gates[0].resolve();
    await settle();
    expect(streamedText(events)).toBe("Bot: Hello");
    gates[1].resolve();
    const { result } = await running;
    expect(trail(events)).toEqual(['"Bot: "', "#start", '"Hel"', '"lo"', '"!"', '" ("', '"hi"', '")"', "#llm", "#answer"]);
    expect(result.outputs).toEqual({ answer: "Bot: Hello! (hi)" });
    const chunk = events.find((event) => event.type === "text_chunk" && event.data.text === "Hel");
    expect(chunk?.type === "text_chunk" && chunk.data.from_variable_selector).toEqual(["llm", "text"]);
  });

  it("does not stream an answer on a branch until the branch is chosen, and never the one not taken", async () => {
    const graph = buildGraph(
      [
        { id: "start", type: "t-start" },
        { id: "if", type: "t-branch", handle: "b" },
        { id: "a1", type: "t-answer", answer: "A!" },
        { id: "b1", type: "t-value", value: "bee" },
        { id: "b2", type: "t-answer", answer: "B: {{#b1.value#}}" },
      ],
      [["start", "if"], ["if", "a1", "a"], ["if", "b1", "b"], ["b1", "b2"]],
    );
    const { events, result } = await runCollecting({ graph, registry, ports: testPorts() });
    // As in Dify, text a branch unlocks goes out before the branch's own node_finished.
    expect(trail(events)).toEqual(["#start", '"B: "', "#if", '"bee"', "#b1", "#b2"]);
    expect(result.outputs).toEqual({ answer: "B: bee" });
  });

  it("orders two answers: the second waits for the first, and outputs concatenate", async () => {
    const ports = testPorts();
    const slow = deferred();
    ports.gates.set("slow", slow.promise);
    const graph = buildGraph(
      [
        { id: "start", type: "t-start" },
        { id: "slow", type: "t-gate" },
        { id: "fast", type: "t-value", value: "quick" },
        { id: "first", type: "t-answer", answer: "1:{{#slow.value#}};" },
        { id: "second", type: "t-answer", answer: "2:{{#fast.value#}};" },
      ],
      [["start", "slow"], ["start", "fast"], ["slow", "first"], ["first", "second"], ["fast", "second"]],
    );
    const events: WorkflowEvent[] = [];
    const running = runCollecting({ graph, registry, ports, onEvent: (event) => events.push(event) });
    await settle();
    expect(streamedText(events)).toBe("1:");
    slow.resolve();
    const { result } = await running;
    expect(streamedText(events)).toBe("1:slow;2:quick;");
    expect(result.outputs.answer).toBe("1:slow;2:quick;");
  });

  it("leaves an unresolvable reference literal, like the rendered answer", async () => {
    const graph = buildGraph([{ id: "start", type: "t-start" }, { id: "answer", type: "t-answer", answer: "x={{#nowhere.value#}}" }], [["start", "answer"]]);
    const { events, result } = await runCollecting({ graph, registry, ports: testPorts() });
    expect(streamedText(events)).toBe("x={{#nowhere.value#}}");
    expect(result.outputs.answer).toBe("x={{#nowhere.value#}}");
  });

  it("holds back an earlier node's chunks until the template reaches them", async () => {
    const graph = buildGraph(
      [
        { id: "start", type: "t-start" },
        { id: "first", type: "t-stream", chunks: ["f1", "f2"] },
        { id: "second", type: "t-stream", chunks: ["s1", "s2"] },
        { id: "answer", type: "t-answer", answer: "# second: {{#second.text#}} # first: {{#first.text#}}" },
      ],
      [["start", "first"], ["first", "second"], ["second", "answer"]],
    );
    const { events } = await runCollecting({ graph, registry, ports: testPorts() });
    expect(trail(events).filter((entry) => !entry.startsWith("#"))).toEqual(['"# second: "', '"s1"', '"s2"', '" # first: "', '"f1"', '"f2"']);
  });
});
