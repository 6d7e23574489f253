import { describe, expect, it } from "vitest";
import { evaluateOperator } from "./evaluate-operator";
import type { ComparisonOperator } from "./schema";

const cases: Array<[ComparisonOperator, unknown, unknown, boolean]> = [
  ["contains", "hello world", "lo w", true],
  ["contains", ["a", "b"], "b", true],
  ["contains", ["a", "b"], "c", false],
  ["contains", null, "x", false],
  ["not contains", "hello", "z", true],
  ["not contains", ["a"], "a", false],
  ["not contains", undefined, "a", true],
  ["start with", "hello", "he", true],
  ["start with", "hello", "lo", false],
  ["end with", "hello", "lo", true],
  ["end with", null, "lo", false],
  ["is", "abc", "abc", true],
  ["is", "abc", "ab", false],
  ["is", true, "true", true],
  ["is", false, "true", false],
  ["is", null, "", false],
  ["is not", "abc", "x", true],
  ["is not", "abc", "abc", false],
  ["empty", "", undefined, true],
  ["empty", [], undefined, true],
  ["empty", null, undefined, true],
  ["empty", "x", undefined, false],
  ["not empty", ["x"], undefined, true],
  ["not empty", "", undefined, false],
  ["in", "b", ["a", "b"], true],
  ["in", "c", ["a", "b"], false],
  ["not in", "c", ["a", "b"], true],
  ["not in", "a", ["a", "b"], false],
  ["all of", ["a", "b", "c"], ["a", "c"], true],
  ["all of", ["a", "b"], ["a", "z"], false],
  ["all of", "abc", ["a", "c"], true],
  ["=", 3, "3", true],
  ["=", 3.5, "3.5", true],
  ["≠", 3, "4", true],
  [">", 10, "9", true],
  [">", 9, "9", false],
  ["<", 1, "2", true],
  ["≥", 2, "2", true],
  ["≤", 3, "2", false],
  [">", null, "1", false],
  ["=", true, "true", true],
  ["=", false, "1", false],
  ["≠", false, "true", true],
  ["null", null, undefined, true],
  ["null", undefined, undefined, true],
  ["null", 0, undefined, false],
  ["not null", "x", undefined, true],
  ["exists", { id: "f" }, undefined, true],
  ["not exists", null, undefined, true],
  ["before", "2024-01-01", "2024-06-01", true],
  ["after", "2024-01-01", "2024-06-01", false],
];

describe("evaluateOperator", () => {
  it.each(cases)("%s(%j, %j) is %s", (operator, actual, expected, result) => {
    expect(evaluateOperator(operator, actual, expected)).toBe(result);
  });

  it("throws on a number comparison against something that is not a number", () => {
    expect(() => evaluateOperator(">", "abc", "1")).toThrow(/number expected/);
  });

  it("throws on a string operator applied to a number", () => {
    expect(() => evaluateOperator("start with", 12, "1")).toThrow(/string expected/);
  });
});
