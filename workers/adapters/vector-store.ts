import type { VectorIndex } from "../../core/ports";
import type { Env } from "../env";

/** Vectorize accepts at most this many vectors per upsert call and ids per delete call. */
const WRITE_BATCH = 1000;

/**
 * The vector index of one dataset: Cloudflare Vectorize when the `VECTORIZE` binding exists
 * (production; the dataset id is the namespace, and the tenant id is in each vector's metadata and
 * in every query's filter), else the `VectorIndex` Durable Object stand-in, one object per dataset.
 * Same port, same calls either way.
 */
export function vectorStoreFor(env: Env, tenantId: string, datasetId: string): VectorIndex {
  if (env.VECTORIZE) return vectorizeStore(env.VECTORIZE, tenantId, datasetId, Number(env.VECTORIZE_DIMENSIONS ?? 0));
  // The RPC surface of durable-objects/vector-index.ts: the port's methods plus namespaces.
  const stub = env.VECTOR_INDEX.get(env.VECTOR_INDEX.idFromName(`dataset:${datasetId}`)) as unknown as VectorIndex;
  return {
    upsert: (vectors) => stub.upsert(vectors.map((v) => ({ ...v, namespace: datasetId }))),
    query: (vector, options) => stub.query(vector, { ...options, namespace: datasetId, filter: { ...options.filter, tenant_id: tenantId } }),
    getByIds: async (ids) => (await stub.getByIds(ids)).filter((v) => v.metadata?.tenant_id === tenantId),
    deleteByIds: (ids) => stub.deleteByIds(ids),
  };
}

/**
 * Vectorize's index has one fixed dimension; shorter vectors (the 512-dimensional hashing
 * embedder, say, in a 1024-dimensional index) are padded with zeros, which leaves cosine
 * similarity unchanged.
 */
function vectorizeStore(index: VectorizeIndex, tenantId: string, datasetId: string, dimensions: number): VectorIndex {
  const pad = (values: number[]) => (dimensions > values.length ? [...values, ...new Array<number>(dimensions - values.length).fill(0)] : values);
  return {
    async upsert(vectors) {
      let count = 0;
      for (let i = 0; i < vectors.length; i += WRITE_BATCH) {
        const part = vectors.slice(i, i + WRITE_BATCH).map((v) => ({ id: v.id, values: pad(v.values), namespace: datasetId, metadata: v.metadata as Record<string, VectorizeVectorMetadata> }));
        await index.upsert(part);
        count += part.length;
      }
      return { count };
    },
    async query(vector, options) {
      // Vectorize returns at most 20 matches with metadata (100 without).
      const topK = Math.min(options.topK, options.returnMetadata && options.returnMetadata !== "none" ? 20 : 100);
      const result = await index.query(pad(vector), {
        topK,
        namespace: datasetId,
        filter: { ...(options.filter as VectorizeVectorMetadataFilter), tenant_id: tenantId },
        returnMetadata: options.returnMetadata === true ? "all" : options.returnMetadata === false ? "none" : (options.returnMetadata ?? "none"),
      });
      return { matches: result.matches.map((m) => ({ id: m.id, score: m.score, metadata: m.metadata })), count: result.count };
    },
    async getByIds(ids) {
      const out = [];
      for (let i = 0; i < ids.length; i += 20) out.push(...(await index.getByIds(ids.slice(i, i + 20))));
      return out.filter((v) => v.metadata?.tenant_id === tenantId).map((v) => ({ id: v.id, values: Array.from(v.values), metadata: v.metadata }));
    },
    async deleteByIds(ids) {
      let count = 0;
      for (let i = 0; i < ids.length; i += WRITE_BATCH) count += (await index.deleteByIds(ids.slice(i, i + WRITE_BATCH))).count;
      return { count };
    },
  };
}
