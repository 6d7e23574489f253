import type { AssignerOperation } from "./schema";

export class AssignerOperationError extends Error {
  override name = "AssignerOperationError";
}

/** The empty value of a declared type (Dify's `clear`). */
export function emptyValueOf(valueType: string | undefined, current: unknown): unknown {
  const type = valueType ?? (Array.isArray(current) ? "array" : current === null ? "none" : typeof current);
  if (type.startsWith("array")) return [];
  if (type === "string" || type === "secret") return "";
  if (type === "number" || type === "integer" || type === "float") return 0;
  if (type === "object") return {};
  if (type === "boolean") return false;
  return null;
}

/** Computes the new value; throws when the operation does not fit the variable's type. */
export function applyOperation(operation: AssignerOperation, current: unknown, value: unknown, valueType: string | undefined): unknown {
  switch (operation) {
    case "over-write":
    case "set":
      return value;
    case "clear":
      return emptyValueOf(valueType, current);
    case "append":
      return [...requireArray(current, operation), value];
    case "extend":
      if (!Array.isArray(value)) throw new AssignerOperationError("extend needs an array value");
      return [...requireArray(current, operation), ...value];
    case "remove-first":
      return requireArray(current, operation).slice(1);
    case "remove-last":
      return requireArray(current, operation).slice(0, -1);
    case "+=":
    case "-=":
    case "*=":
    case "/=": {
      const left = requireNumber(current, "variable");
      const right = requireNumber(value, "value");
      if (operation === "+=") return left + right;
      if (operation === "-=") return left - right;
      if (operation === "*=") return left * right;
      if (right === 0) throw new AssignerOperationError("Division by zero");
      return left / right;
    }
  }
}

function requireArray(value: unknown, operation: string): unknown[] {
  if (value === null || value === undefined) return [];
  if (!Array.isArray(value)) throw new AssignerOperationError(`${operation} needs an array variable`);
  return value;
}

function requireNumber(value: unknown, side: string): number {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  throw new AssignerOperationError(`The ${side} must be a number`);
}
