import { ConflictError, NotFoundError, WaggleError } from "../../core/errors";
import { assertInstallable, credentialFields, FIRST_PARTY_KEY, inspectPackage, PluginError, type PluginManifest, type PluginPackage, type SignatureCheck, type TrustedKey } from "../../core/plugins";
import { randomToken, SecretBox } from "../../core/security";
import { ToolError, type Tool, type ToolMessage } from "../../core/tools";
import { createDb, type Db } from "../db/client";
import { PluginRepository, type PluginInstallationRow } from "../db/repositories/plugin-repository";
import type { Env } from "../env";
import { invokePluginTool, type PluginRuntimeOptions } from "./plugin-runtime";

/** The keys a workspace trusts: Waggle's first-party key, then the ones its admins added. */
export async function trustedKeysOf(repository: PluginRepository): Promise<TrustedKey[]> {
  const own = await repository.trustedKeys();
  return [FIRST_PARTY_KEY, ...own.map((row) => ({ key_id: row.keyId, public_key: row.publicKey, name: row.name }))];
}

/** What the console shows before install: the manifest, its permissions and the signature check. */
export async function inspectUpload(repository: PluginRepository, bytes: Uint8Array): Promise<{ pkg: PluginPackage; signature: SignatureCheck; allowUnsigned: boolean }> {
  const { pkg, signature } = await inspectPackage(bytes, await trustedKeysOf(repository));
  return { pkg, signature, allowUnsigned: await repository.allowUnsigned() };
}

const packageKey = (tenantId: string, manifest: PluginManifest, digest: string) => `plugins/${tenantId}/${manifest.id}/${manifest.version}-${digest.slice(0, 16)}.waggle-plugin`;

/**
 * Installs (or, with `upgrade`, replaces) a plugin from its package bytes after the signature
 * rules: tampered and untrusted packages are refused; unsigned ones unless the owner allowed them.
 * The package goes to R2, the manifest and the signature check to D1. Credentials and storage
 * survive an upgrade; the old package is deleted once the new row points elsewhere.
 */
export async function installPlugin(
  env: Env,
  tenantId: string,
  accountId: string,
  bytes: Uint8Array,
  options: { upgrade?: string } = {},
): Promise<PluginInstallationRow> {
  const repository = new PluginRepository(createDb(env.DB), tenantId);
  const { pkg, signature, allowUnsigned } = await inspectUpload(repository, bytes);
  assertInstallable(signature, { allowUnsigned });
  const manifest = pkg.manifest;
  const existing = await repository.getByPluginId(manifest.id);
  if (options.upgrade) {
    const current = await repository.find(options.upgrade);
    if (!current) throw new NotFoundError("Plugin not found.");
    if (current.pluginId !== manifest.id) throw new PluginError("plugin_package_invalid", `This package is ${manifest.id}, not ${current.pluginId}; an upgrade keeps the plugin id`);
    const key = packageKey(tenantId, manifest, pkg.digest);
    await env.FILES.put(key, bytes);
    await repository.update(current.id, { version: manifest.version, manifest, digest: pkg.digest, signature, packageKey: key });
    if (current.packageKey !== key) await env.FILES.delete(current.packageKey);
    return (await repository.get(current.id))!;
  }
  if (existing) throw new ConflictError("plugin_already_installed", `${manifest.id} ${existing.version} is already installed; upgrade it instead`);
  const key = packageKey(tenantId, manifest, pkg.digest);
  await env.FILES.put(key, bytes);
  try {
    return await repository.insert({ pluginId: manifest.id, version: manifest.version, manifest, digest: pkg.digest, signature, packageKey: key, enabled: true, hookId: randomToken(24), installedBy: accountId });
  } catch (error) {
    await env.FILES.delete(key);
    throw error;
  }
}

/** Removes the installation, everything the plugin stored in the workspace, and its package. */
export async function uninstallPlugin(env: Env, repository: PluginRepository, row: PluginInstallationRow): Promise<void> {
  await repository.delete(row);
  await env.FILES.delete(row.packageKey);
}

export async function openPluginCredentials(env: Env, row: Pick<PluginInstallationRow, "encryptedCredentials">): Promise<Record<string, unknown>> {
  if (!row.encryptedCredentials) return {};
  const box = await SecretBox.fromSecret(env.WAGGLE_SECRET_KEY);
  return JSON.parse(await box.open(row.encryptedCredentials)) as Record<string, unknown>;
}

/** Defaults from the manifest's credential form under the stored values. */
export function withCredentialDefaults(manifest: PluginManifest, stored: Record<string, unknown>): Record<string, unknown> {
  const defaults = Object.fromEntries(credentialFields(manifest).filter((field) => field.default !== undefined).map((field) => [field.name, field.default]));
  return { ...defaults, ...stored };
}

export const PLUGINS_NEED_LOADER = "Plugins run in dynamic isolates, and this deployment has no Worker Loader binding (LOADER)";

/** Runtime options for one installation (credentials opened now, passed per call). */
export async function runtimeOptions(env: Env, db: Db, row: PluginInstallationRow, overrides: Partial<PluginRuntimeOptions> = {}): Promise<PluginRuntimeOptions> {
  if (!env.LOADER) throw new WaggleError("plugin_runtime_unavailable", PLUGINS_NEED_LOADER, 503);
  return { loader: env.LOADER, files: env.FILES, db, installation: row, credentials: withCredentialDefaults(row.manifest, await openPluginCredentials(env, row)), ...overrides };
}

/** A tool's return value as tool messages: a string is text, anything else JSON. */
export function pluginToolMessages(value: unknown): ToolMessage[] {
  if (typeof value === "string") return [{ type: "text", text: value }];
  return [{ type: "json", json: value }];
}

/** The provider name plugin tools go by (Dify's `author/name/provider`). */
export const pluginToolProviderId = (pluginId: string) => `${pluginId}/${pluginId.split("/")[1]}`;

/**
 * The manifest's tools, each running in the plugin's isolate. A disabled plugin has none; a
 * plugin that throws, crashes or times out fails only the call (`tool_invoke_error`).
 */
export function pluginTools(env: Env, db: Db, row: PluginInstallationRow, overrides: Partial<PluginRuntimeOptions> = {}): Tool[] {
  let options: Promise<PluginRuntimeOptions> | undefined;
  return row.manifest.tools.map((declared) => ({
    name: declared.name,
    label: declared.label ?? declared.name,
    description: declared.description,
    parameters: declared.parameters as Tool["parameters"],
    async invoke(args, ctx) {
      options ??= runtimeOptions(env, db, row, overrides);
      let resolved: PluginRuntimeOptions;
      try {
        resolved = await options;
      } catch (error) {
        options = undefined;
        throw new ToolError("tool_invoke_error", (error as Error).message, { cause: error });
      }
      const result = await invokePluginTool(resolved, declared.name, args, { userId: ctx.userId, callDepth: ctx.callDepth });
      if (!result.ok) throw new ToolError("tool_invoke_error", `${row.pluginId} ${declared.name} failed: ${result.error}`);
      return pluginToolMessages(result.value);
    },
  }));
}
