import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { PluginError } from "./plugin-error";

/** `author/name`: lowercase letters, digits, `_` and `-`, like Dify's plugin ids. */
export const pluginIdPattern = /^[a-z0-9][a-z0-9_-]{0,63}\/[a-z0-9][a-z0-9_-]{0,63}$/;
const namePattern = /^[A-Za-z0-9_-]{1,64}$/;
const semver = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/;
/** A host a plugin may reach: `api.example.com`, `*.example.com`, optionally with `:port`. */
const hostPattern = /^(\*\.)?[a-z0-9.-]+(:\d{1,5})?$/;

/** One field of a credential form, in Dify's provider-credential shape. */
export const credentialFieldSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9_]{1,64}$/),
  label: z.string().max(200).optional(),
  type: z.enum(["secret-input", "text-input", "select"]).default("text-input"),
  required: z.boolean().default(false),
  default: z.string().max(2000).optional(),
  placeholder: z.string().max(200).optional(),
  options: z.array(z.string().max(200)).max(50).optional(),
});
export type CredentialField = z.infer<typeof credentialFieldSchema>;

const parametersSchema = z
  .object({ type: z.literal("object"), properties: z.record(z.string(), z.record(z.string(), z.unknown())).default({}), required: z.array(z.string()).optional() })
  .passthrough();

export const pluginToolSchema = z.object({
  name: z.string().regex(namePattern, "tool names use letters, digits, _ and - (at most 64)"),
  label: z.string().max(200).optional(),
  description: z.string().min(1).max(2000),
  parameters: parametersSchema.default({ type: "object", properties: {} }),
});
export type PluginTool = z.infer<typeof pluginToolSchema>;

export const pluginModelSchema = z.object({
  model: z.string().min(1).max(200),
  label: z.string().max(200).optional(),
  model_type: z.enum(["llm"]).default("llm"),
  context_size: z.number().int().positive().optional(),
});

export const pluginModelProviderSchema = z.object({
  provider: z.string().regex(namePattern),
  label: z.string().max(200).optional(),
  description: z.string().max(2000).optional(),
  credentials: z.array(credentialFieldSchema).max(30).default([]),
  models: z.array(pluginModelSchema).min(1).max(200),
});
export type PluginModelProvider = z.infer<typeof pluginModelProviderSchema>;

export const pluginEndpointSchema = z.object({
  /** Served at `/e/{hook_id}{path}`. */
  path: z.string().regex(/^\/[A-Za-z0-9_\-./]*$/).max(200),
  methods: z.array(z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"])).min(1).default(["GET", "POST"]),
});

export const pluginPermissionsSchema = z.object({
  /** Outbound HTTP: only these hosts, and only after the SSRF guard. Empty: no network at all. */
  hosts: z.array(z.string().toLowerCase().regex(hostPattern, "hosts are names like api.example.com or *.example.com, optionally with :port")).max(50).default([]),
  /** Key-value storage scoped to the plugin and the workspace. */
  storage: z.boolean().default(false),
  /** Calling the workspace's configured models (`ctx.models.chat`), with credentials the plugin never sees. */
  models: z.boolean().default(false),
  /** Invoking the workspace's built-in and workspace tools (`ctx.tools.invoke`); never plugin tools. */
  tools: z.boolean().default(false),
});
export type PluginPermissions = z.infer<typeof pluginPermissionsSchema>;

export const pluginManifestSchema = z.object({
  id: z.string().regex(pluginIdPattern, "the id is author/name in lowercase letters, digits, _ and -"),
  version: z.preprocess((value) => (typeof value === "number" ? String(value) : value), z.string().regex(semver, "the version is semantic (1.2.3)")),
  name: z.string().min(1).max(100),
  description: z.string().max(2000).default(""),
  author: z.string().min(1).max(100),
  /** The ES module whose default export holds the plugin's tools, models and endpoints. */
  entry: z.string().regex(/^[A-Za-z0-9_\-./]+\.m?js$/).default("main.js"),
  permissions: pluginPermissionsSchema.default({ hosts: [], storage: false, models: false, tools: false }),
  /** The plugin's own settings form (API keys...), stored sealed per workspace and passed per call. */
  credentials: z.array(credentialFieldSchema).max(30).default([]),
  tools: z.array(pluginToolSchema).max(100).default([]),
  model_providers: z.array(pluginModelProviderSchema).max(10).default([]),
  endpoints: z.array(pluginEndpointSchema).max(20).default([]),
});
export type PluginManifest = z.infer<typeof pluginManifestSchema>;

/**
 * Reads `manifest.yaml` and checks it. Throws `PluginError` (`plugin_manifest_invalid`) naming
 * the first problems.
 *
 * @example
 * parseManifest("id: waggle/weather\nversion: 1.0.0\nname: Weather\nauthor: Waggle\n").id // "waggle/weather"
 */
export function parseManifest(text: string): PluginManifest {
  let raw: unknown;
  try {
    raw = parseYaml(text, { maxAliasCount: 50 });
  } catch (error) {
    throw new PluginError("plugin_manifest_invalid", `manifest.yaml is not valid YAML: ${(error as Error).message}`);
  }
  const parsed = pluginManifestSchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 5).map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
    throw new PluginError("plugin_manifest_invalid", `manifest.yaml is invalid: ${problems.join("; ")}`);
  }
  const tools = new Set<string>();
  for (const tool of parsed.data.tools) {
    if (tools.has(tool.name)) throw new PluginError("plugin_manifest_invalid", `manifest.yaml declares the tool ${tool.name} twice`);
    tools.add(tool.name);
  }
  return parsed.data;
}

/**
 * Whether a URL's host is one the manifest declared. `api.example.com` matches that host on any
 * port; `api.example.com:8443` only on that port; `*.example.com` any subdomain (not the apex).
 *
 * @example
 * isDeclaredHost(new URL("https://api.example.com/x"), ["api.example.com"]) // true
 * isDeclaredHost(new URL("https://evil.example/x"), ["api.example.com"])    // false
 */
export function isDeclaredHost(url: URL, hosts: readonly string[]): boolean {
  const hostname = url.hostname.replace(/^\[|\]$/g, "").toLowerCase().replace(/\.+$/, "");
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return hosts.some((declared) => {
    const [pattern, wantedPort] = declared.split(":") as [string, string | undefined];
    if (wantedPort && wantedPort !== port) return false;
    if (pattern.startsWith("*.")) return hostname.endsWith(pattern.slice(1)) && hostname.length > pattern.length - 1;
    return hostname === pattern;
  });
}

/**
 * Every credential field a workspace fills in for the plugin: its own and its model providers'
 * (one set per installation; a name used twice is one field).
 *
 * @example
 * credentialFields(manifest).map((field) => field.name) // ["api_key", "api_base"]
 */
export function credentialFields(manifest: Pick<PluginManifest, "credentials" | "model_providers">): CredentialField[] {
  const fields = new Map<string, CredentialField>();
  for (const field of [...manifest.credentials, ...manifest.model_providers.flatMap((provider) => provider.credentials)]) if (!fields.has(field.name)) fields.set(field.name, field);
  return [...fields.values()];
}
