import type { App, AppVersion, TenantRepository } from "../../db/repositories";

/**
 * Published versions are immutable, so they are cached per isolate by id with no invalidation:
 * a publish creates a new id. Bounded so a busy isolate cannot grow without limit.
 */
const cache = new Map<string, AppVersion>();
const MAX_CACHED = 200;

export async function publishedVersion(tenant: TenantRepository, app: App): Promise<AppVersion | undefined> {
  const id = app.publishedVersionId;
  if (!id) return undefined;
  const hit = cache.get(id);
  if (hit && hit.tenantId === tenant.tenantId) return hit;
  const version = await tenant.versions.getPublished(app.id, id);
  if (version) {
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
    cache.set(id, version);
  }
  return version;
}
