import { parse as parseYaml } from "yaml";
import type { ToolParametersSchema } from "../tool";
import { ToolError } from "../tool-error";

export const MAX_SPEC_CHARS = 2 * 1024 * 1024;
const MAX_REF_DEPTH = 20;
const methods = ["get", "post", "put", "patch", "delete", "head", "options"] as const;

export type ParameterLocation = "path" | "query" | "header" | "cookie" | "body";

/** One operation of a spec, ready to become a tool. */
export interface OpenApiOperation {
  /** `operationId`, or one made from the method and path. */
  name: string;
  method: (typeof methods)[number];
  path: string;
  summary: string;
  /** Where each argument goes; `body` arguments are the request body's properties. */
  locations: Record<string, ParameterLocation>;
  /** The whole body is one argument named `body` (the schema is not an object). */
  wholeBody: boolean;
  bodyContentType: string | null;
  parameters: ToolParametersSchema;
}

export interface OpenApiSpec {
  title: string;
  description: string;
  /** The first server's URL, variables filled with their defaults. */
  serverUrl: string;
  operations: OpenApiOperation[];
}

type Json = Record<string, unknown>;

const invalid = (message: string) => new ToolError("tool_schema_invalid", message);
const isObject = (value: unknown): value is Json => Boolean(value) && typeof value === "object" && !Array.isArray(value);

/** Follows a local `$ref` (`#/components/...`); remote references are refused. */
function deref(root: Json, value: unknown, depth = 0): unknown {
  if (!isObject(value) || typeof value.$ref !== "string") return value;
  if (depth > MAX_REF_DEPTH) throw invalid(`$ref chain too deep at ${value.$ref}`);
  const ref = value.$ref;
  if (!ref.startsWith("#/")) throw invalid(`Only local $ref values are supported: ${ref}`);
  let target: unknown = root;
  for (const part of ref.slice(2).split("/")) {
    const key = part.replace(/~1/g, "/").replace(/~0/g, "~");
    target = isObject(target) ? target[key] : undefined;
  }
  if (target === undefined) throw invalid(`$ref ${ref} points nowhere`);
  return deref(root, target, depth + 1);
}

/** A schema with every local `$ref` inlined (cycles cut at a depth, as `{}`). */
function inlineSchema(root: Json, schema: unknown, depth = 0): Record<string, unknown> {
  if (depth > MAX_REF_DEPTH) return {};
  const resolved = deref(root, schema);
  if (Array.isArray(resolved)) return resolved.map((item) => inlineSchema(root, item, depth + 1)) as unknown as Record<string, unknown>;
  if (!isObject(resolved)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resolved)) {
    if (key === "properties" && isObject(value)) out[key] = Object.fromEntries(Object.entries(value).map(([name, child]) => [name, inlineSchema(root, child, depth + 1)]));
    else if (["items", "additionalProperties", "not"].includes(key) && isObject(value)) out[key] = inlineSchema(root, value, depth + 1);
    else if (["allOf", "anyOf", "oneOf"].includes(key) && Array.isArray(value)) out[key] = value.map((child) => inlineSchema(root, child, depth + 1));
    else if (!["xml", "externalDocs", "example", "examples", "discriminator", "readOnly", "writeOnly", "deprecated", "nullable"].includes(key)) out[key] = value;
  }
  if (resolved.nullable === true && typeof out.type === "string") out.type = [out.type, "null"];
  return out;
}

function operationName(method: string, path: string, operationId: unknown, taken: Set<string>): string {
  const base = (typeof operationId === "string" && operationId.trim() ? operationId.trim() : `${method} ${path}`).replace(/[^A-Za-z0-9_-]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 64) || method;
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base.slice(0, 60)}_${n}`;
  taken.add(name);
  return name;
}

function serverUrl(spec: Json): string {
  const server = Array.isArray(spec.servers) ? spec.servers[0] : undefined;
  if (!isObject(server) || typeof server.url !== "string" || !server.url) throw invalid("The spec has no servers[0].url to call");
  const variables = isObject(server.variables) ? server.variables : {};
  const url = server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const variable = variables[name];
    return isObject(variable) && variable.default !== undefined ? String(variable.default) : whole;
  });
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("not http");
  } catch {
    throw invalid(`servers[0].url must be an absolute http(s) URL: ${url}`);
  }
  return url.replace(/\/+$/, "");
}

/**
 * Reads an OpenAPI 3 spec (JSON or YAML) into one operation per path and method, with a JSON
 * Schema of its arguments: path, query, header and cookie parameters, and the JSON body's
 * properties (or the whole body as `body`). Local `$ref`s are inlined. Reading runs nothing and
 * fetches nothing.
 *
 * @example
 * const spec = parseOpenApiSpec(yamlText);
 * spec.operations.map((operation) => operation.name); // ["getWeather", "createNote"]
 */
export function parseOpenApiSpec(text: string): OpenApiSpec {
  if (text.length > MAX_SPEC_CHARS) throw invalid(`The spec is larger than ${MAX_SPEC_CHARS} characters`);
  let spec: unknown;
  try {
    spec = parseYaml(text, { maxAliasCount: 100, prettyErrors: false });
  } catch (error) {
    throw invalid(`The spec is neither JSON nor YAML: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  }
  if (!isObject(spec)) throw invalid("The spec must be an object");
  if (typeof spec.openapi !== "string" || !spec.openapi.startsWith("3.")) {
    throw invalid(spec.swagger ? "Swagger 2.0 specs are not supported; convert it to OpenAPI 3" : "Not an OpenAPI 3 spec (the openapi field is missing)");
  }
  const info = isObject(spec.info) ? spec.info : {};
  const base = serverUrl(spec);
  const paths = isObject(spec.paths) ? spec.paths : {};
  const operations: OpenApiOperation[] = [];
  const taken = new Set<string>();

  for (const [path, rawItem] of Object.entries(paths)) {
    const item = deref(spec, rawItem);
    if (!isObject(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of methods) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const properties: Record<string, Record<string, unknown>> = {};
      const required: string[] = [];
      const locations: Record<string, ParameterLocation> = {};
      const own = Array.isArray(operation.parameters) ? operation.parameters : [];
      // Operation-level parameters override path-level ones with the same name and location.
      const merged = new Map<string, Json>();
      for (const raw of [...shared, ...own]) {
        const parameter = deref(spec, raw);
        if (isObject(parameter) && typeof parameter.name === "string" && typeof parameter.in === "string") merged.set(`${parameter.in}:${parameter.name}`, parameter);
      }
      for (const parameter of merged.values()) {
        const name = parameter.name as string;
        if (name in properties) continue;
        const schema = inlineSchema(spec, parameter.schema ?? { type: "string" });
        properties[name] = { ...schema, ...(parameter.description ? { description: String(parameter.description) } : {}) };
        locations[name] = parameter.in as ParameterLocation;
        if (parameter.required === true || parameter.in === "path") required.push(name);
      }
      let wholeBody = false;
      let bodyContentType: string | null = null;
      const body = deref(spec, operation.requestBody);
      if (isObject(body) && isObject(body.content)) {
        const types = Object.keys(body.content);
        bodyContentType = types.find((type) => type.includes("json")) ?? types.find((type) => type === "application/x-www-form-urlencoded") ?? types[0] ?? null;
        const media = bodyContentType ? body.content[bodyContentType] : undefined;
        const schema = inlineSchema(spec, isObject(media) ? (media.schema ?? {}) : {});
        if (isObject(schema.properties)) {
          for (const [name, property] of Object.entries(schema.properties as Record<string, Record<string, unknown>>)) {
            if (name in properties) continue;
            properties[name] = property;
            locations[name] = "body";
          }
          for (const name of Array.isArray(schema.required) ? (schema.required as string[]) : []) if (locations[name] === "body" && body.required !== false) required.push(name);
        } else if (bodyContentType) {
          wholeBody = true;
          properties.body = { ...schema, description: "The request body" };
          locations.body = "body";
          if (body.required === true) required.push("body");
        }
      }
      operations.push({
        name: operationName(method, path, operation.operationId, taken),
        method,
        path,
        summary: String(operation.summary ?? operation.description ?? `${method.toUpperCase()} ${path}`),
        locations,
        wholeBody,
        bodyContentType,
        parameters: { type: "object", properties, ...(required.length ? { required: [...new Set(required)] } : {}) },
      });
    }
  }
  if (!operations.length) throw invalid("The spec has no operations under paths");
  return { title: String(info.title ?? ""), description: String(info.description ?? ""), serverUrl: base, operations };
}
