import { Validator } from "@cfworker/json-schema";
import type { Tool } from "./tool";
import { ToolError } from "./tool-error";

const MAX_ERRORS = 5;

function typesOf(schema: Record<string, unknown> | undefined): string[] {
  const type = schema?.type;
  return Array.isArray(type) ? (type as string[]) : typeof type === "string" ? [type] : [];
}

/**
 * Models and forms send numbers as strings and objects as JSON text; Dify casts tool arguments to
 * their declared types before the call, and so does this.
 */
function coerce(value: unknown, schema: Record<string, unknown> | undefined): unknown {
  const types = typesOf(schema);
  if (typeof value !== "string" || types.length === 0 || types.includes("string")) return value;
  const text = value.trim();
  if ((types.includes("number") || types.includes("integer")) && text !== "" && Number.isFinite(Number(text))) return Number(text);
  if (types.includes("boolean") && (text === "true" || text === "false")) return text === "true";
  if ((types.includes("object") || types.includes("array")) && (text.startsWith("{") || text.startsWith("["))) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

/**
 * Checks a call's arguments against the tool's JSON Schema (without code generation, so it runs
 * in Workers) after casting strings to the declared types; `null` / `undefined` arguments are
 * dropped so defaults apply. Throws `ToolError` `tool_parameter_invalid` naming what is wrong.
 *
 * @example
 * const args = validateArguments(tool, { expression: "1+1" });
 */
export function validateArguments(tool: Pick<Tool, "name" | "parameters">, args: unknown): Record<string, unknown> {
  if (args === null || args === undefined) args = {};
  if (typeof args !== "object" || Array.isArray(args)) throw new ToolError("tool_parameter_invalid", `The arguments of ${tool.name} must be a JSON object`);
  const properties = tool.parameters.properties ?? {};
  const cleaned: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args as Record<string, unknown>)) {
    if (value === null || value === undefined) continue;
    cleaned[name] = coerce(value, properties[name]);
  }
  for (const [name, property] of Object.entries(properties)) {
    if (cleaned[name] === undefined && property.default !== undefined) cleaned[name] = property.default;
  }
  const result = new Validator(tool.parameters as never, "2020-12", false).validate(cleaned);
  if (!result.valid) {
    const problems = result.errors
      .filter((error) => error.keyword !== "properties" && error.keyword !== "allOf")
      .slice(0, MAX_ERRORS)
      .map((error) => `${error.instanceLocation === "#" ? "" : `${error.instanceLocation.replace(/^#\//, "")}: `}${error.error}`);
    throw new ToolError("tool_parameter_invalid", `Invalid arguments for ${tool.name}: ${problems.join("; ") || "they do not match the tool's schema"}`);
  }
  return cleaned;
}
