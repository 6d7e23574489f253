import { describe, expect, it } from "vitest";
import { FinalAnswerStream } from "./final-answer-stream";
import { parseReactOutput } from "./react-prompt";

function feed(output: string, size: number) {
  const chunks: string[] = [];
  const stream = new FinalAnswerStream((text) => chunks.push(text));
  for (let i = 0; i < output.length; i += size) stream.push(output.slice(i, i + size));
  return { streamed: stream.finish(), chunks };
}

describe("FinalAnswerStream", () => {
  const outputs = [
    'Thought: I know.\nAction:\n```\n{\n  "action": "Final Answer",\n  "action_input": "Bees \\"dance\\" to share\\ndirections \\u2014 really."\n}\n```',
    "Thought: easy\nFinal Answer: Bees dance to share directions.",
    "Thought: x\nAction: Final Answer\nAction Input: Forty-two.",
    "Final Answer: Short.\nObservation: invented",
  ];
  for (const size of [1, 3, 7, 1000]) {
    it(`streams exactly the parsed answer, in pieces of ${size}`, () => {
      for (const output of outputs) {
        const { streamed } = feed(output, size);
        expect(streamed).toBe(parseReactOutput(output).finalAnswer);
      }
    });
  }

  it("streams before the output is complete, and nothing for a tool action", () => {
    const { chunks } = feed('{"action": "Final Answer", "action_input": "one two three four"}', 5);
    expect(chunks.length).toBeGreaterThan(2);
    expect(feed('Thought: look\nAction:\n```\n{"action": "search", "action_input": "Final Answer: no"}\n```', 4).streamed).toBe("");
  });
});
