import { describe, expect, it } from "vitest";
import { parseReactOutput } from "./react-prompt";

describe("parseReactOutput", () => {
  it.each([
    ['Thought: add\nAction:\n```json\n{"action": "add", "action_input": {"a": 1}}\n```', { thought: "add", action: { name: "add", input: { a: 1 } }, finalAnswer: null }],
    ['{"action": "Final Answer", "action_input": "done"}', { thought: "", action: null, finalAnswer: "done" }],
    ["Thought: x\nAction: search\nAction Input: bees", { thought: "x", action: { name: "search", input: "bees" }, finalAnswer: null }],
    ["Thought: ok\nFinal Answer: Bees dance.", { thought: "ok", action: null, finalAnswer: "Bees dance." }],
    ["Just an answer {not an action}", { thought: "", action: null, finalAnswer: "Just an answer {not an action}" }],
    ['Action: ```{"action": "s", "action_input": "q"}```\nObservation: made up', { thought: "", action: { name: "s", input: "q" }, finalAnswer: null }],
  ])("%s", (output, expected) => {
    expect(parseReactOutput(output)).toEqual(expected);
  });
});
