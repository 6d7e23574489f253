import type { BlobStore } from "../../ports";

/** An in-memory BlobStore for tests. */
export function memoryBlobStore(): BlobStore & { objects: Map<string, { body: Uint8Array; contentType?: string }> } {
  const objects = new Map<string, { body: Uint8Array; contentType?: string }>();
  return {
    objects,
    async put(key, body, options) {
      const bytes = typeof body === "string" ? new TextEncoder().encode(body) : body instanceof Uint8Array ? body.slice() : new Uint8Array(body.slice(0));
      objects.set(key, { body: bytes, contentType: options?.contentType });
    },
    async get(key) {
      const object = objects.get(key);
      if (!object) return null;
      return { body: object.body.slice().buffer as ArrayBuffer, contentType: object.contentType };
    },
    async delete(key) {
      objects.delete(key);
    },
  };
}
