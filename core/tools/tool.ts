/**
 * The tool contract and the port nodes use to find tools. A tool is a name, a description, a JSON
 * Schema of its arguments and `invoke(args, ctx)`; a `ToolProvider` resolves Dify's DSL reference
 * (`provider_id` / `provider_type` / `tool_name`) to one. Tools get their effects (egress fetch,
 * clock, credentials, a workflow runner) when they are built, so `invoke` only needs the call's
 * own context.
 */

/** Outbound HTTP for tools: the SSRF-guarded egress (`Egress.fetch` fits). */
export type ToolFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** Dify's `provider_type` values Waggle serves. */
export const toolProviderTypes = ["builtin", "api", "workflow", "mcp"] as const;
export type ToolProviderType = (typeof toolProviderTypes)[number];

/** A JSON Schema for a tool's arguments: always an object. */
export interface ToolParametersSchema {
  type: "object";
  properties: Record<string, Record<string, unknown>>;
  required?: string[];
  [keyword: string]: unknown;
}

/** A file a tool produced, in the shape workflow file variables use. */
export interface ToolFile {
  type: "image" | "document" | "audio" | "video" | "custom";
  filename: string;
  mime_type: string;
  /** Where the file can be read (a link the tool returned, or a `data:` URL for small inline content). */
  url: string;
  size?: number;
}

/** What a tool returns: one union on `type`, after Dify's `ToolInvokeMessage`. */
export type ToolMessage =
  | { type: "text"; text: string }
  | { type: "json"; json: unknown }
  | { type: "link"; url: string }
  | { type: "file"; file: ToolFile };

export interface ToolContext {
  signal: AbortSignal;
  /** The end user the run is for (`sys.user_id`), passed to workflow tools. */
  userId?: string;
  /** The calling run's depth (0 for a run a user started); a workflow tool runs one deeper. */
  callDepth?: number;
}

export interface Tool {
  /** Unique within its provider; what a model calls (`[A-Za-z0-9_-]`, at most 64 characters for function calling). */
  name: string;
  label?: string;
  description: string;
  parameters: ToolParametersSchema;
  /**
   * Runs the tool with arguments already checked against `parameters`. Throws `ToolError` for
   * anything a caller should see (bad arguments, an upstream error); other throws are bugs.
   */
  invoke(args: Record<string, unknown>, ctx: ToolContext): Promise<ToolMessage[]>;
}

/** How a graph names a tool (Dify's tool node and agent tool entries). */
export interface ToolReference {
  provider_type: ToolProviderType | string;
  /** Dify's `provider_id`: `time` or `langgenius/time/time` for built-ins, the provider's id otherwise. */
  provider_id: string;
  /** Dify's display name; some DSLs only carry this (agent tool entries). */
  provider_name?: string;
  tool_name: string;
}

/** A provider's tools as a console lists them. */
export interface ToolProviderInfo {
  id: string;
  name: string;
  type: ToolProviderType;
  label: string;
  description: string;
  tools: Array<Pick<Tool, "name" | "label" | "description" | "parameters">>;
}

/** The port nodes use: finds a tool by its DSL reference. */
export interface ToolProvider {
  /** Throws `ToolError` (`tool_provider_not_found`, `tool_not_found`) when it does not exist. */
  resolve(reference: ToolReference, signal?: AbortSignal): Promise<Tool>;
}
