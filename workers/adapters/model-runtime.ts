import { createEgress } from "../../core/egress";
import type { FetchLike } from "../../core/ports";
import { canonicalProvider, createModelRuntime, findProvider, type ModelRuntime, type ProviderCredentials, type WorkersAiBinding } from "../../core/models";
import { SecretBox } from "../../core/security";
import type { ToolProvider } from "../../core/tools";
import { createDb } from "../db/client";
import { ProviderCredentialRepository } from "../db/repositories/provider-credential-repository";
import type { Env } from "../env";
import { withPluginModels } from "../plugins/plugin-models";

/** Model calls may stream for minutes; the egress default (30 s for the whole exchange) is for HTTP nodes. */
const MODEL_TIMEOUT_MS = 10 * 60 * 1000;
const MODEL_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/** The model egress fetch per loopback setting, made once per isolate (see `modelEgressFetch`). */
const modelFetches = new Map<string, FetchLike>();

/**
 * The egress for model providers: the same SSRF guard as HTTP nodes. Loopback is reachable when
 * `WAGGLE_ALLOW_LOOPBACK_EGRESS` is "true" (local development), or only the exact origins listed
 * in `WAGGLE_LOOPBACK_EGRESS_ORIGINS` (tests: the mock model server, while other loopback ports
 * stay refused, which the SSRF tests check).
 */
export function modelEgressFetch(env: Env): FetchLike {
  // One per isolate and setting: the AI SDK models made over it are reused (see `languageModelFor`).
  const key = `${env.WAGGLE_ALLOW_LOOPBACK_EGRESS ?? ""}\u0000${env.WAGGLE_LOOPBACK_EGRESS_ORIGINS ?? ""}`;
  let built = modelFetches.get(key);
  if (!built) modelFetches.set(key, (built = buildModelEgressFetch(env)));
  return built;
}

function buildModelEgressFetch(env: Env): FetchLike {
  const origins = new Set((env.WAGGLE_LOOPBACK_EGRESS_ORIGINS ?? "").split(",").map((origin) => origin.trim()).filter(Boolean));
  const egress = createEgress({
    fetch: (input, init) => fetch(input, init),
    allowLoopback: env.WAGGLE_ALLOW_LOOPBACK_EGRESS === "true",
    isAllowedHost: origins.size ? (url) => (origins.has(url.origin) ? true : undefined) : undefined,
    timeoutMs: MODEL_TIMEOUT_MS,
    maxResponseBytes: MODEL_MAX_RESPONSE_BYTES,
  });
  return (input: Request | string | URL, init?: RequestInit) => egress.fetch(input instanceof Request ? input.url : input, init);
}

export type CredentialSource = ReturnType<typeof tenantCredentialSource>;

/**
 * The models a graph's nodes call (llm, question-classifier, parameter-extractor, agent), so a
 * run can start reading their credentials before its first node asks for them.
 */
export function modelsOfGraph(graph: unknown): Array<{ provider: string; model: string }> {
  const found = new Map<string, { provider: string; model: string }>();
  const add = (provider: unknown, model: unknown) => {
    if (typeof provider === "string" && provider && typeof model === "string" && model) found.set(`${provider}\u0000${model}`, { provider, model });
  };
  const nodes = (graph as { nodes?: Array<{ data?: Record<string, unknown> }> } | null)?.nodes;
  for (const node of Array.isArray(nodes) ? nodes : []) {
    const data = node?.data;
    if (!data || typeof data !== "object") continue;
    const model = data.model as { provider?: unknown; name?: unknown } | undefined;
    if (model && typeof model === "object") add(model.provider, model.name);
    const agentModel = (data.agent_parameters as { model?: { value?: { provider?: unknown; model?: unknown } } } | undefined)?.model?.value;
    if (agentModel && typeof agentModel === "object") add(agentModel.provider, agentModel.model);
  }
  return [...found.values()];
}

type CredentialCache = Map<string, Promise<ProviderCredentials | undefined>>;

/**
 * Decrypted credentials per tenant and credentials revision (`workspaces.credentials_revision`),
 * shared by the requests and runs of this isolate. Any change to a workspace's credentials bumps
 * its revision, so an entry is never stale: a new revision starts a new entry. Bounded.
 */
const revisionCaches = new Map<string, CredentialCache>();
const MAX_CACHED_REVISIONS = 256;

function revisionCache(tenantId: string, revision: number): CredentialCache {
  const key = `${tenantId}\u0000${revision}`;
  let cache = revisionCaches.get(key);
  if (cache) {
    // Most recently used last, so the oldest entry is evicted first.
    revisionCaches.delete(key);
  } else {
    cache = new Map();
    if (revisionCaches.size >= MAX_CACHED_REVISIONS) revisionCaches.delete(revisionCaches.keys().next().value!);
  }
  revisionCaches.set(key, cache);
  return cache;
}

/**
 * Decrypted credentials of one tenant, read from D1 on first use per provider/model. Without a
 * revision they are kept for the lifetime of the returned function (one run); with the
 * workspace's current `credentials_revision` they are shared by this isolate's requests and runs
 * until the revision changes, so a hot path reads no credentials from D1 at all.
 */
export function tenantCredentialSource(env: Env, tenantId: string, revision?: number) {
  const repository = new ProviderCredentialRepository(createDb(env.DB), tenantId);
  let box: Promise<SecretBox> | undefined;
  const cache: CredentialCache = revision === undefined ? new Map() : revisionCache(tenantId, revision);
  return (provider: string, model: string, modelType: string): Promise<ProviderCredentials | undefined> => {
    const name = canonicalProvider(provider);
    const perModel = findProvider(name)?.configurate_methods.includes("customizable-model") ?? false;
    const key = perModel ? `${name}\u0000${modelType}\u0000${model}` : name;
    let loaded = cache.get(key);
    if (!loaded) {
      loaded = (async () => {
        const row = await repository.get(perModel ? { provider: name, model, modelType } : { provider: name });
        if (!row) return undefined;
        box ??= SecretBox.fromSecret(env.WAGGLE_SECRET_KEY);
        return JSON.parse(await (await box).open(row.encryptedConfig)) as ProviderCredentials;
      })();
      cache.set(key, loaded);
      // A failed read is not kept: the next call tries again.
      const failed = loaded;
      failed.catch(() => {
        if (cache.get(key) === failed) cache.delete(key);
      });
    }
    return loaded;
  };
}

/**
 * The model runtime for one tenant's runs: AI SDK providers over the guarded egress, the tenant's
 * stored credentials, and Workers AI when the `AI` binding exists (production only).
 */
export function buildModelRuntime(
  env: Env,
  tenantId: string,
  credentials: CredentialSource = tenantCredentialSource(env, tenantId),
  /** Tools offered to plugin model providers granted `permissions.tools` (none when absent). */
  { pluginTools }: { pluginTools?: ToolProvider } = {},
): ModelRuntime {
  const base = createModelRuntime({
    fetch: modelEgressFetch(env),
    credentials,
    workersAi: env.AI as WorkersAiBinding | undefined,
  });
  // Installed plugins' model providers (`author/name/provider`) run in their isolates.
  return withPluginModels(env, tenantId, base, pluginTools);
}
