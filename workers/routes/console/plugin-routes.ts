import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { BadRequestError, FileTooLargeError, NotFoundError } from "../../../core/errors";
import { credentialFields, keyIdOf, MAX_PACKAGE_BYTES, PluginError, type PluginManifest, type SignatureCheck } from "../../../core/plugins";
import { maskSecret, SecretBox } from "../../../core/security";
import { createDb } from "../../db/client";
import { PluginRepository, type PluginInstallationRow } from "../../db/repositories/plugin-repository";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonBody, jsonResponse, successSchema } from "../../http/route";
import { inspectUpload, installPlugin, openPluginCredentials, pluginToolProviderId, trustedKeysOf, uninstallPlugin } from "../../plugins/plugin-service";
import { HIDDEN } from "./tools/tool-provider-shapes";
import { readPluginLogs } from "../../plugins/plugin-logs";

const BASE = "/console/api/workspaces/current";
const TAGS = ["console: plugins"];
const looseObject = z.record(z.string(), z.unknown());
const installationParam = z.object({ installation_id: z.string().min(1).max(100) });
const multipart = "multipart/form-data with `pkg`: a .waggle-plugin file (at most 5 MB).";

const list = defineRoute({ method: "get", path: `${BASE}/plugins`, policy: { auth: "session" }, tags: TAGS, responses: { 200: jsonResponse("Installed plugins with their permissions and signature", z.object({ plugins: z.array(looseObject) })) } });
// Multipart bodies are read by the handlers (a declared form body would answer JSON with a bare 415).
const inspect = defineRoute({ method: "post", path: `${BASE}/plugins/inspect`, policy: { auth: "session", role: "admin" }, tags: TAGS, description: `${multipart} Nothing is installed: the answer is what install would do.`, responses: { 200: jsonResponse("The package's manifest, permissions and signature check", looseObject) } });
const install = defineRoute({ method: "post", path: `${BASE}/plugins/install`, policy: { auth: "session", role: "admin" }, tags: TAGS, description: multipart, responses: { 201: jsonResponse("Installed", looseObject) } });
const get = defineRoute({ method: "get", path: `${BASE}/plugins/{installation_id}`, policy: { auth: "session" }, tags: TAGS, request: { params: installationParam }, responses: { 200: jsonResponse("The plugin with its manifest, permissions, signature and masked credentials", looseObject) } });
const patch = defineRoute({ method: "patch", path: `${BASE}/plugins/{installation_id}`, policy: { auth: "session", role: "admin" }, tags: TAGS, request: { params: installationParam, body: jsonBody(z.object({ enabled: z.boolean() })) }, responses: { 200: jsonResponse("Enabled or disabled", looseObject) } });
const upgrade = defineRoute({ method: "post", path: `${BASE}/plugins/{installation_id}/upgrade`, policy: { auth: "session", role: "admin" }, tags: TAGS, request: { params: installationParam }, description: `${multipart} The same plugin id; credentials and storage are kept.`, responses: { 200: jsonResponse("Upgraded", looseObject) } });
const credentials = defineRoute({ method: "put", path: `${BASE}/plugins/{installation_id}/credentials`, policy: { auth: "session", role: "admin" }, tags: TAGS, request: { params: installationParam, body: jsonBody(z.object({ credentials: z.record(z.string().max(64), z.string().max(8000)) })) }, responses: { 200: jsonResponse("Stored sealed (a masked value sent back keeps the stored one)", successSchema) } });
const remove = defineRoute({ method: "delete", path: `${BASE}/plugins/{installation_id}`, policy: { auth: "session", role: "admin" }, tags: TAGS, request: { params: installationParam }, responses: { 200: jsonResponse("Uninstalled; its package, credentials and storage are gone", successSchema) } });
const logs = defineRoute({ method: "get", path: `${BASE}/plugins/{installation_id}/logs`, policy: { auth: "session", role: "admin" }, tags: TAGS, request: { params: installationParam, query: z.object({ after: z.coerce.number().int().min(0).optional() }) }, description: "Debugging aid for `npm run plugin -- dev`: the plugin's recent log() lines and failures as this Worker isolate saw them.", responses: { 200: jsonResponse("Log lines after `after`", z.object({ lines: z.array(looseObject), last: z.number() })) } });
const listKeys = defineRoute({ method: "get", path: `${BASE}/plugin-keys`, policy: { auth: "session" }, tags: TAGS, responses: { 200: jsonResponse("Keys trusted to sign plugins (Waggle's first-party key first)", z.object({ keys: z.array(looseObject) })) } });
const addKey = defineRoute({ method: "post", path: `${BASE}/plugin-keys`, policy: { auth: "session", role: "admin" }, tags: TAGS, request: { body: jsonBody(z.object({ public_key: z.string().trim().min(1).max(100), name: z.string().trim().min(1).max(100) })) }, responses: { 201: jsonResponse("Trusted", looseObject) } });
const removeKey = defineRoute({ method: "delete", path: `${BASE}/plugin-keys/{key_id}`, policy: { auth: "session", role: "admin" }, tags: TAGS, request: { params: z.object({ key_id: z.string().min(1).max(64) }) }, responses: { 200: jsonResponse("No longer trusted (installed plugins stay)", successSchema) } });
const getSettings = defineRoute({ method: "get", path: `${BASE}/plugin-settings`, policy: { auth: "session" }, tags: TAGS, responses: { 200: jsonResponse("Plugin settings", z.object({ allow_unsigned: z.boolean() })) } });
const putSettings = defineRoute({ method: "put", path: `${BASE}/plugin-settings`, policy: { auth: "session", role: "owner" }, tags: TAGS, request: { body: jsonBody(z.object({ allow_unsigned: z.boolean() })) }, responses: { 200: jsonResponse("Saved", z.object({ allow_unsigned: z.boolean() })) } });

function plugins(c: Context<AppEnv>): PluginRepository {
  return new PluginRepository(createDb(c.env.DB), c.var.tenant.tenantId);
}

async function requireInstallation(c: Context<AppEnv>, id: string): Promise<PluginInstallationRow> {
  const row = await plugins(c).find(id);
  if (!row) throw new NotFoundError("Plugin not found.");
  return row;
}

async function readPackageUpload(c: Context<AppEnv>): Promise<Uint8Array> {
  if (!c.req.header("Content-Type")?.startsWith("multipart/form-data")) throw new BadRequestError("Send the package as multipart/form-data with a `pkg` field.", "no_file_uploaded");
  if (Number(c.req.header("Content-Length") ?? 0) > MAX_PACKAGE_BYTES + 64 * 1024) throw new FileTooLargeError(`A plugin package is at most ${MAX_PACKAGE_BYTES / 1024 / 1024} MB.`);
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch {
    throw new BadRequestError("The multipart body could not be read.", "invalid_param");
  }
  const file = form.get("pkg") ?? form.get("file");
  if (!file || typeof file === "string") throw new BadRequestError("No package uploaded (field `pkg`).", "no_file_uploaded");
  if (file.size > MAX_PACKAGE_BYTES) throw new FileTooLargeError(`A plugin package is at most ${MAX_PACKAGE_BYTES / 1024 / 1024} MB.`);
  return new Uint8Array(await file.arrayBuffer());
}

/** What a person reads before trusting a plugin: who made it, what it may do, what it provides. */
function describeManifest(manifest: PluginManifest) {
  return {
    plugin_id: manifest.id,
    name: manifest.name,
    version: manifest.version,
    author: manifest.author,
    description: manifest.description,
    permissions: manifest.permissions,
    credentials_schema: credentialFields(manifest),
    tools: manifest.tools.map((tool) => ({ name: tool.name, label: tool.label ?? tool.name, description: tool.description, parameters: tool.parameters })),
    model_providers: manifest.model_providers.map((provider) => ({ provider: provider.provider, label: provider.label ?? provider.provider, models: provider.models.map((model) => model.model) })),
    endpoints: manifest.endpoints,
  };
}

function origin(c: Context<AppEnv>): string {
  return new URL(c.req.url).origin;
}

function installation(c: Context<AppEnv>, row: PluginInstallationRow) {
  return {
    id: row.id,
    ...describeManifest(row.manifest),
    plugin_unique_identifier: `${row.pluginId}:${row.version}@${row.digest}`,
    tool_provider_id: row.manifest.tools.length ? pluginToolProviderId(row.pluginId) : null,
    enabled: row.enabled,
    digest: row.digest,
    signature: row.signature,
    endpoints_base_url: row.manifest.endpoints.length ? `${origin(c)}/e/${row.hookId}` : null,
    has_credentials: row.encryptedCredentials !== null,
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

function installable(check: SignatureCheck, allowUnsigned: boolean): { installable: boolean; reason: string | null } {
  if (check.status === "valid") return { installable: true, reason: null };
  if (check.status === "unsigned" && allowUnsigned) return { installable: true, reason: "Unsigned: this workspace allows unsigned plugins." };
  return { installable: false, reason: check.message };
}

/** The plugin console API: inspect, install, list, enable/disable, upgrade, credentials, uninstall, trusted keys, settings. */
export function registerPluginRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(list, async (c) => c.json({ plugins: (await plugins(c).list()).map((row) => installation(c, row)) }, 200));

  app.openapi(inspect, async (c) => {
    const { pkg, signature, allowUnsigned } = await inspectUpload(plugins(c), await readPackageUpload(c));
    const existing = await plugins(c).getByPluginId(pkg.manifest.id);
    return c.json({ ...describeManifest(pkg.manifest), digest: pkg.digest, signature, ...installable(signature, allowUnsigned), installed_version: existing?.version ?? null }, 200);
  });

  app.openapi(install, async (c) => {
    const row = await installPlugin(c.env, c.var.tenant.tenantId, c.var.principal.account.id, await readPackageUpload(c));
    return c.json(installation(c, row), 201);
  });

  app.openapi(get, async (c) => {
    const row = await requireInstallation(c, c.req.valid("param").installation_id);
    const stored = await openPluginCredentials(c.env, row);
    const secret = new Set(credentialFields(row.manifest).filter((field) => field.type === "secret-input").map((field) => field.name));
    const masked = Object.fromEntries(Object.entries(stored).map(([key, value]) => [key, secret.has(key) && typeof value === "string" ? maskSecret(value) : value]));
    return c.json({ ...installation(c, row), credentials: masked }, 200);
  });

  app.openapi(patch, async (c) => {
    const row = await requireInstallation(c, c.req.valid("param").installation_id);
    await plugins(c).update(row.id, { enabled: c.req.valid("json").enabled });
    return c.json(installation(c, (await plugins(c).get(row.id))!), 200);
  });

  app.openapi(upgrade, async (c) => {
    const row = await requireInstallation(c, c.req.valid("param").installation_id);
    const upgraded = await installPlugin(c.env, c.var.tenant.tenantId, c.var.principal.account.id, await readPackageUpload(c), { upgrade: row.id });
    return c.json(installation(c, upgraded), 200);
  });

  app.openapi(credentials, async (c) => {
    const row = await requireInstallation(c, c.req.valid("param").installation_id);
    const incoming = c.req.valid("json").credentials;
    const fields = new Map(credentialFields(row.manifest).map((field) => [field.name, field]));
    const unknown = Object.keys(incoming).filter((name) => !fields.has(name));
    if (unknown.length) throw new BadRequestError(`The plugin has no credential field ${unknown.join(", ")}.`, "invalid_param");
    const stored = await openPluginCredentials(c.env, row);
    const merged: Record<string, string> = {};
    for (const [name, value] of Object.entries(incoming)) {
      const previous = stored[name];
      merged[name] = typeof previous === "string" && (value === HIDDEN || value === maskSecret(previous)) ? previous : value;
    }
    const missing = credentialFields(row.manifest).filter((field) => field.required && !merged[field.name]).map((field) => field.name);
    if (missing.length) throw new BadRequestError(`Required credential ${missing.join(", ")} is missing.`, "invalid_param");
    const box = await SecretBox.fromSecret(c.env.WAGGLE_SECRET_KEY);
    await plugins(c).update(row.id, { encryptedCredentials: await box.seal(JSON.stringify(merged)) });
    return c.json({ result: "success" as const }, 200);
  });

  app.openapi(remove, async (c) => {
    const row = await requireInstallation(c, c.req.valid("param").installation_id);
    await uninstallPlugin(c.env, plugins(c), row);
    return c.json({ result: "success" as const }, 200);
  });

  app.openapi(logs, async (c) => {
    const row = await requireInstallation(c, c.req.valid("param").installation_id);
    return c.json(readPluginLogs(row.id, c.req.valid("query").after ?? 0), 200);
  });

  app.openapi(listKeys, async (c) => {
    const rows = await plugins(c).trustedKeys();
    const keys = (await trustedKeysOf(plugins(c))).map((key) => ({ ...key, first_party: key.first_party === true, created_at: rows.find((row) => row.keyId === key.key_id)?.createdAt ?? null }));
    return c.json({ keys }, 200);
  });

  app.openapi(addKey, async (c) => {
    const body = c.req.valid("json");
    let keyId: string;
    try {
      keyId = await keyIdOf(body.public_key);
    } catch (error) {
      if (error instanceof PluginError) throw new BadRequestError("public_key must be a raw 32-byte Ed25519 public key in base64 (the public_key of npm run plugin -- keygen).", "invalid_param");
      throw new BadRequestError("public_key is not base64.", "invalid_param");
    }
    const row = await plugins(c).addTrustedKey({ keyId, publicKey: body.public_key, name: body.name, createdBy: c.var.principal.account.id });
    return c.json({ key_id: row.keyId, public_key: row.publicKey, name: row.name, first_party: false, created_at: row.createdAt }, 201);
  });

  app.openapi(removeKey, async (c) => {
    if (!(await plugins(c).removeTrustedKey(c.req.valid("param").key_id))) throw new NotFoundError("Key not found.");
    return c.json({ result: "success" as const }, 200);
  });

  app.openapi(getSettings, async (c) => c.json({ allow_unsigned: await plugins(c).allowUnsigned() }, 200));

  app.openapi(putSettings, async (c) => {
    const { allow_unsigned } = c.req.valid("json");
    await plugins(c).setAllowUnsigned(allow_unsigned);
    return c.json({ allow_unsigned }, 200);
  });
}
