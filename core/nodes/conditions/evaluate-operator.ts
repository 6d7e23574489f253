import type { ComparisonOperator } from "./schema";

/**
 * One comparison, with Dify's semantics (`utils/condition/processor.py`): a missing actual value
 * makes positive checks false and negative ones (`not contains`, `not in`, `empty`) true;
 * numbers compare numerically. Type mismatches throw, which fails the node, as in Dify.
 */
export function evaluateOperator(operator: ComparisonOperator, actual: unknown, expected: unknown): boolean {
  switch (operator) {
    case "contains":
      return contains(actual, expected);
    case "not contains":
      return isBlank(actual) ? true : !contains(actual, expected);
    case "start with":
      return isBlank(actual) ? false : asString(actual, operator).startsWith(String(expected ?? ""));
    case "end with":
      return isBlank(actual) ? false : asString(actual, operator).endsWith(String(expected ?? ""));
    case "is":
      return actual === null || actual === undefined ? false : same(actual, expected);
    case "is not":
      return actual === null || actual === undefined ? false : !same(actual, expected);
    case "empty":
      return isBlank(actual);
    case "not empty":
      return !isBlank(actual);
    case "in":
      return isBlank(actual) ? false : memberOf(actual, expected);
    case "not in":
      return isBlank(actual) ? true : !memberOf(actual, expected);
    case "all of": {
      if (isBlank(actual)) return false;
      const wanted = Array.isArray(expected) ? expected : [expected];
      return wanted.every((item) => contains(actual, item));
    }
    case "=":
    case "≠":
    case "!=":
    case ">":
    case "<":
    case "≥":
    case ">=":
    case "≤":
    case "<=":
      return compareNumbers(operator, actual, expected);
    case "null":
      return actual === null || actual === undefined;
    case "not null":
      return actual !== null && actual !== undefined;
    case "exists":
      return actual !== null && actual !== undefined;
    case "not exists":
      return actual === null || actual === undefined;
    case "before":
    case "after": {
      const left = toTime(actual);
      const right = toTime(expected);
      if (left === undefined || right === undefined) return false;
      return operator === "before" ? left < right : left > right;
    }
  }
}

function isBlank(value: unknown): boolean {
  if (value === null || value === undefined || value === "" || value === false || value === 0) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === "object") return Object.keys(value).length === 0;
  return false;
}

function asString(value: unknown, operator: string): string {
  if (typeof value !== "string") throw new TypeError(`Invalid actual value type for "${operator}": string expected`);
  return value;
}

function contains(actual: unknown, expected: unknown): boolean {
  if (isBlank(actual)) return false;
  if (typeof actual === "string") return actual.includes(String(expected ?? ""));
  if (Array.isArray(actual)) return actual.some((item) => same(item, expected));
  throw new TypeError('Invalid actual value type for "contains": string or array expected');
}

function memberOf(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) return expected.some((item) => same(actual, item));
  if (typeof expected === "string") return typeof actual === "string" && expected.includes(actual);
  throw new TypeError('Invalid expected value type for "in": array expected');
}

/** Equality that tolerates the editor storing every constant as a string. */
function same(actual: unknown, expected: unknown): boolean {
  if (actual === expected) return true;
  if (typeof actual === "boolean") return actual === (expected === true || expected === "true" || expected === "1" || expected === 1);
  if (typeof actual === "number") return typeof expected === "string" && expected.trim() !== "" && Number(expected) === actual;
  if (typeof actual === "string" && (typeof expected === "number" || typeof expected === "boolean")) return actual === String(expected);
  return false;
}

function toNumber(value: unknown, side: string): number {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  throw new TypeError(`Invalid ${side} value type: number expected, got ${JSON.stringify(value)}`);
}

function compareNumbers(operator: string, actual: unknown, expected: unknown): boolean {
  if (actual === null || actual === undefined) return false;
  if (typeof actual === "boolean") {
    // Boolean variables compare with = / ≠ against "true" / "false" / 1 / 0, as in Dify.
    const wanted = expected === true || expected === 1 || expected === "true" || expected === "1";
    if (operator === "=") return actual === wanted;
    if (operator === "≠" || operator === "!=") return actual !== wanted;
    throw new TypeError(`Invalid actual value type for "${operator}": number expected, got a boolean`);
  }
  const left = toNumber(actual, "actual");
  const right = toNumber(expected, "expected");
  switch (operator) {
    case "=":
      return left === right;
    case "≠":
    case "!=":
      return left !== right;
    case ">":
      return left > right;
    case "<":
      return left < right;
    case "≥":
    case ">=":
      return left >= right;
    default:
      return left <= right;
  }
}

function toTime(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string") {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? (Number.isFinite(Number(value)) ? Number(value) : undefined) : parsed;
  }
  return undefined;
}
