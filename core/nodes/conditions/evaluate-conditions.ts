import type { VariableReader } from "../../engine";
import { renderTemplate } from "../../engine";
import { evaluateOperator } from "./evaluate-operator";
import type { Condition, SubCondition } from "./schema";

export interface ConditionResult {
  actual_value: unknown;
  expected_value: unknown;
  comparison_operator: string;
  result: boolean;
}

/**
 * Evaluates conditions joined by `and` / `or`, short-circuiting like Dify so a later condition
 * that would throw is not reached. Expected values may contain `{{#node.var#}}` references.
 * Throws (failing the node) when a variable is missing or a comparison does not fit its type.
 */
export function evaluateConditions(
  pool: VariableReader,
  conditions: Condition[],
  logicalOperator: "and" | "or",
): { result: boolean; details: ConditionResult[] } {
  const details: ConditionResult[] = [];
  for (const condition of conditions) {
    const actual = pool.get(condition.variable_selector);
    // Dify fails the node when a compared variable does not exist at all (null is fine).
    if (actual === undefined) throw new Error(`Variable ${condition.variable_selector.join(".")} not found`);
    const expected = resolveExpected(pool, condition.value);
    const sub = condition.sub_variable_condition;
    const result =
      sub && sub.conditions.length && Array.isArray(actual) && (condition.comparison_operator === "contains" || condition.comparison_operator === "not contains" || condition.comparison_operator === "all of")
        ? evaluateFileSubConditions(actual, sub.conditions, sub.logical_operator, pool)
        : evaluateOperator(condition.comparison_operator, actual, expected);
    details.push({ actual_value: actual, expected_value: expected, comparison_operator: condition.comparison_operator, result });
    if (logicalOperator === "and" && !result) return { result: false, details };
    if (logicalOperator === "or" && result) return { result: true, details };
  }
  return { result: logicalOperator === "and", details };
}

export function resolveExpected(pool: VariableReader, value: unknown): unknown {
  if (typeof value === "string") return renderTemplate(value, pool);
  if (Array.isArray(value)) return value.map((item) => (typeof item === "string" ? renderTemplate(item, pool) : item));
  return value;
}

/**
 * Dify's rule for `array[file]` with sub-conditions: each sub-condition holds if any file matches
 * (all files, for a negative operator); the group joins them with its logical operator.
 */
export function evaluateFileSubConditions(files: unknown[], conditions: SubCondition[], logicalOperator: "and" | "or", pool: VariableReader): boolean {
  const results = conditions.map((condition) => {
    let expected = resolveExpected(pool, condition.value);
    if (condition.key === "extension" && typeof expected === "string" && expected && !expected.startsWith(".")) expected = `.${expected}`;
    const values = files.map((file) => fileAttribute(file, condition.key));
    const matches = values.map((value) => evaluateOperator(condition.comparison_operator, value, expected));
    return condition.comparison_operator.includes("not") ? matches.every(Boolean) : matches.some(Boolean);
  });
  return logicalOperator === "and" ? results.every(Boolean) : results.some(Boolean);
}

/** A file's attribute by Dify's `FileAttribute` name. Files are Dify's file dicts. */
export function fileAttribute(file: unknown, key: string): unknown {
  if (file === null || typeof file !== "object") return undefined;
  const record = file as Record<string, unknown>;
  switch (key) {
    case "name":
      return record.filename ?? record.name;
    case "url":
      return record.remote_url ?? record.url;
    case "extension": {
      const extension = record.extension;
      return typeof extension === "string" && extension && !extension.startsWith(".") ? `.${extension}` : extension;
    }
    default:
      return record[key];
  }
}
