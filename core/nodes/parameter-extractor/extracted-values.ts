import type { ExtractorParameter } from "./schema";

const isBoolType = (type: string) => type === "bool" || type === "boolean";

function jsonSchemaType(type: string): Record<string, unknown> {
  if (type === "number") return { type: "number" };
  if (isBoolType(type)) return { type: "boolean" };
  const array = /^array\[(\w+)\]$/.exec(type);
  if (array) return { type: "array", items: jsonSchemaType(array[1]!) };
  if (type === "object") return { type: "object" };
  return { type: "string" };
}

/** The JSON Schema of the parameters object, used as the tool's arguments and in the prompt. */
export function parametersJsonSchema(parameters: ExtractorParameter[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const parameter of parameters) {
    properties[parameter.name] = {
      ...jsonSchemaType(parameter.type),
      description: parameter.description,
      ...(parameter.type === "select" && parameter.options?.length ? { enum: parameter.options } : {}),
    };
  }
  return { type: "object", properties, required: parameters.filter((parameter) => parameter.required).map((parameter) => parameter.name) };
}

function itemMatches(type: string, value: unknown): boolean {
  if (type === "number") return typeof value === "number";
  if (isBoolType(type)) return typeof value === "boolean";
  if (type === "object") return typeof value === "object" && value !== null && !Array.isArray(value);
  return typeof value === "string";
}

/** Dify's `_validate_result`: the first problem as its message, or null. */
export function validateExtraction(parameters: ExtractorParameter[], result: Record<string, unknown>): string | null {
  for (const parameter of parameters) {
    const value = result[parameter.name];
    if (value === undefined || value === null) {
      if (parameter.required) return `Parameter ${parameter.name} is required`;
      continue;
    }
    const { type, name } = parameter;
    if (type === "select" && parameter.options?.length && !parameter.options.includes(String(value))) return `Invalid \`select\` value for parameter ${name}`;
    if (type === "number" && typeof value !== "number" && !(typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))) return `Invalid \`number\` value for parameter ${name}`;
    if (isBoolType(type) && typeof value !== "boolean" && !["true", "false"].includes(String(value).toLowerCase())) return `Invalid \`bool\` value for parameter ${name}`;
    if (type === "string" && typeof value !== "string") return `Invalid \`string\` value for parameter ${name}`;
    const array = /^array\[(\w+)\]$/.exec(type);
    if (array) {
      if (!Array.isArray(value)) return `Invalid \`array\` value for parameter ${name}`;
      if (!value.every((item) => itemMatches(array[1]!, item))) return `Invalid \`array\` value for parameter ${name}`;
    }
  }
  return null;
}

function defaultFor(type: string): unknown {
  if (type === "number") return 0;
  if (isBoolType(type)) return false;
  if (type.startsWith("array")) return [];
  return "";
}

/** Dify's `_transform_result`: coerce each declared parameter to its type, defaults for the missing. */
export function transformExtraction(parameters: ExtractorParameter[], result: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { name, type } of parameters) {
    const value = result[name];
    if (value === undefined || value === null) {
      out[name] = defaultFor(type);
    } else if (type === "number") {
      const number = typeof value === "number" ? value : Number(value);
      out[name] = Number.isFinite(number) ? number : 0;
    } else if (isBoolType(type)) {
      out[name] = typeof value === "boolean" ? value : String(value).toLowerCase() === "true";
    } else if (type === "string" || type === "select") {
      out[name] = typeof value === "string" ? value : JSON.stringify(value);
    } else if (type.startsWith("array")) {
      const itemType = /^array\[(\w+)\]$/.exec(type)?.[1] ?? "string";
      out[name] = Array.isArray(value) ? value.filter((item) => itemMatches(itemType, item)) : [];
    } else {
      out[name] = value;
    }
  }
  return out;
}
