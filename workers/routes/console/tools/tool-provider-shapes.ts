import type { Context } from "hono";
import { NotFoundError } from "../../../../core/errors";
import { maskSecret, SecretBox } from "../../../../core/security";
import type { Tool, ToolParametersSchema, ToolProviderInfo } from "../../../../core/tools";
import { createDb } from "../../../db/client";
import { ToolProviderRepository, type ToolProviderRow, type ToolProviderType } from "../../../db/repositories/tool-provider-repository";
import type { AppEnv } from "../../../http/app-env";

/** What the console sends back for a secret it was shown masked and the user did not change. */
export const HIDDEN = "[__HIDDEN__]";
export const TOOLS_BASE = "/console/api/workspaces/current";
export const TOOL_TAGS = ["console: tools"];

export function toolProviders(c: Context<AppEnv>): ToolProviderRepository {
  return new ToolProviderRepository(createDb(c.env.DB), c.var.tenant.tenantId);
}

export async function secretBox(c: Context<AppEnv>): Promise<SecretBox> {
  return SecretBox.fromSecret(c.env.WAGGLE_SECRET_KEY);
}

export async function requireProvider(c: Context<AppEnv>, type: ToolProviderType, idOrName: string): Promise<ToolProviderRow> {
  const row = await toolProviders(c).find(type, idOrName);
  if (!row) throw new NotFoundError("Tool provider not found.");
  return row;
}

const i18n = (text: string) => ({ en_US: text, zh_Hans: text });

function difyType(schema: Record<string, unknown>): string {
  if (Array.isArray(schema.enum)) return "select";
  const type = Array.isArray(schema.type) ? schema.type.find((item) => item !== "null") : schema.type;
  if (type === "integer" || type === "number") return "number";
  if (type === "boolean") return "boolean";
  if (type === "object") return "object";
  if (type === "array") return "array";
  return "string";
}

/** A JSON Schema as Dify's tool parameter list (`form: llm`, filled by the model or the node). */
export function difyParameters(schema: ToolParametersSchema) {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const description = typeof property.description === "string" ? property.description : "";
    return {
      name,
      label: i18n(name),
      human_description: i18n(description),
      llm_description: description,
      type: difyType(property),
      form: "llm",
      required: required.has(name),
      default: property.default ?? null,
      options: Array.isArray(property.enum) ? property.enum.map((value) => ({ value: String(value), label: i18n(String(value)) })) : [],
      input_schema: property,
    };
  });
}

export function difyTool(tool: Pick<Tool, "name" | "label" | "description" | "parameters">, author = "") {
  return { author, name: tool.name, label: i18n(tool.label ?? tool.name), description: i18n(tool.description), parameters: difyParameters(tool.parameters), labels: [], output_schema: null };
}

/** A provider in the shape of Dify's `ToolProviderApiEntity`. */
export function difyProvider(provider: { id: string; name: string; type: string; label: string; description: string; icon?: unknown; author?: string; tools: Array<Pick<Tool, "name" | "label" | "description" | "parameters">>; extra?: Record<string, unknown> }) {
  return {
    id: provider.id,
    author: provider.author ?? "",
    name: provider.name,
    plugin_id: null,
    plugin_unique_identifier: null,
    description: i18n(provider.description),
    icon: provider.icon ?? "",
    label: i18n(provider.label),
    type: provider.type,
    team_credentials: {},
    is_team_authorization: true,
    allow_delete: provider.type !== "builtin",
    tools: provider.tools.map((tool) => difyTool(tool, provider.author)),
    labels: [],
    ...provider.extra,
  };
}

export function builtinProvider(info: ToolProviderInfo) {
  return difyProvider({ ...info, author: "Waggle" });
}

/** Masks the secret values of a flat credentials object (`keys` given) or of every string (`keys` omitted). */
export function maskValues(values: Record<string, unknown>, keys?: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [key, typeof value === "string" && value && (!keys || keys.includes(key)) ? maskSecret(value) : value]));
}

/** Secrets sent back masked (or as `[__HIDDEN__]`) keep their stored values. */
export function keepMasked(incoming: Record<string, unknown>, stored: Record<string, unknown>, keys?: readonly string[]): Record<string, unknown> {
  const merged = { ...incoming };
  for (const [key, value] of Object.entries(incoming)) {
    if (keys && !keys.includes(key)) continue;
    const previous = stored[key];
    if (typeof previous === "string" && (value === HIDDEN || value === maskSecret(previous))) merged[key] = previous;
  }
  return merged;
}
