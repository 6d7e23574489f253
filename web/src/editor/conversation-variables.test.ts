import { describe, expect, it } from "vitest";
import { conversationDefault } from "./conversation-variables";

describe("conversationDefault", () => {
  it("reads text, numbers and JSON as the variable's type wants", () => {
    expect(conversationDefault("string", "hi")).toEqual({ value: "hi" });
    expect(conversationDefault("number", "4.5")).toEqual({ value: 4.5 });
    expect(conversationDefault("object", '{"a": 1}')).toEqual({ value: { a: 1 } });
    expect(conversationDefault("array[string]", '["a", "b"]')).toEqual({ value: ["a", "b"] });
    expect(conversationDefault("array[object]", '[{"a": 1}]')).toEqual({ value: [{ a: 1 }] });
  });

  it("says what is wrong with a default that does not fit", () => {
    expect(conversationDefault("number", "four").problem).toMatch(/number/);
    expect(conversationDefault("number", "").problem).toBeDefined();
    expect(conversationDefault("object", "[]").problem).toMatch(/object/);
    expect(conversationDefault("array[number]", '[1, "2"]').problem).toMatch(/number/);
    expect(conversationDefault("array[object]", "[1]").problem).toMatch(/object/);
    expect(conversationDefault("array[string]", "{").problem).toBe("Not valid JSON.");
  });
});
