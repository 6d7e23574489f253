import { describe, expect, it } from "vitest";
import { availableVariables } from "./available-variables";
import type { FlowNode } from "./graph-model";
import { defaultNodeData } from "./node-catalog";

const node = (id: string, type: string, extra: Record<string, unknown> = {}): FlowNode => ({ id, position: { x: 0, y: 0 }, data: { ...defaultNodeData(type, id), ...extra } });

describe("availableVariables", () => {
  const nodes = [node("start", "start", { variables: [{ variable: "q", type: "text-input" }] }), node("llm", "llm"), node("code", "code"), node("end", "end")];
  const edges = [
    { id: "1", source: "start", target: "llm" },
    { id: "2", source: "llm", target: "code" },
    { id: "3", source: "code", target: "end" },
  ];
  const scope = { mode: "workflow", environmentVariables: [{ name: "API_KEY", value_type: "secret" }], conversationVariables: [{ name: "memory" }] };

  it("offers upstream outputs with types, sys and env, but nothing downstream", () => {
    const options = availableVariables("code", nodes, edges, scope).map((o) => `${o.selector.join(".")}:${o.type}`);
    expect(options).toEqual(expect.arrayContaining(["start.q:string", "llm.text:string", "sys.user_id:string", "env.API_KEY:secret"]));
    expect(options.some((o) => o.startsWith("code.") || o.startsWith("end."))).toBe(false);
    expect(options.some((o) => o.startsWith("sys.query") || o.startsWith("conversation."))).toBe(false);
  });

  it("adds sys.query and conversation variables in chatflows", () => {
    const options = availableVariables("code", nodes, edges, { ...scope, mode: "advanced-chat" }).map((o) => o.selector.join("."));
    expect(options).toEqual(expect.arrayContaining(["sys.query", "conversation.memory"]));
  });
});
