import type { BlobStore } from "../../core/ports";

/**
 * The BlobStore port over R2, confined to one tenant: every key is prefixed with the tenant's
 * folder, so a key taken from one tenant's data cannot reach another tenant's objects.
 */
export function createR2BlobStore(bucket: R2Bucket, tenantId: string): BlobStore {
  const scoped = (key: string) => {
    if (key.includes("..")) throw new Error(`Invalid storage key: ${key}`);
    return `tenants/${tenantId}/${key.replace(/^\/+/, "")}`;
  };
  return {
    async put(key, body, options) {
      await bucket.put(scoped(key), body, options?.contentType ? { httpMetadata: { contentType: options.contentType } } : undefined);
    },
    async get(key) {
      const object = await bucket.get(scoped(key));
      if (!object) return null;
      return { body: await object.arrayBuffer(), contentType: object.httpMetadata?.contentType };
    },
    async delete(key) {
      await bucket.delete(scoped(key));
    },
  };
}
