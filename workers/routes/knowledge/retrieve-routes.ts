import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { DEFAULT_RETRIEVAL_MODEL, retrievalModelSchema } from "../../../core/rag";
import { buildModelRuntime } from "../../adapters/model-runtime";
import type { AppEnv } from "../../http/app-env";
import { background } from "../../http/background";
import { defineRoute, jsonBody, jsonResponse } from "../../http/route";
import { prefetchKeywordSearch, retrieve, type RetrievedRecord } from "../../knowledge/retrieve";
import { serializeSegment } from "../../knowledge/serialize";
import { anyJson, datasetParam, knowledgeOf, requireDataset, type KnowledgeSurface } from "./surface";

const retrieveBody = z.object({
  query: z.string().trim().min(1, "query is required.").max(250, "query must be at most 250 characters."),
  retrieval_model: retrievalModelSchema.nullish(),
  external_retrieval_model: z.unknown().optional(),
  attachment_ids: z.array(z.string()).max(10).optional(),
});

/** Dify's `records[]` item: the segment with its document, child chunks and score. */
export function serializeRecord(record: RetrievedRecord) {
  return {
    segment: {
      ...serializeSegment(record.segment),
      child_chunks: undefined,
      document: { id: record.document.id, data_source_type: record.document.dataSourceType, name: record.document.name, doc_type: null, doc_metadata: record.document.docMetadata ?? null },
    },
    child_chunks: record.childChunks.map((child) => ({ id: child.id, content: child.content, position: child.position, score: child.score })),
    score: record.score,
    tsne_position: null,
    files: [],
  };
}

export function registerRetrieveRoutes(app: OpenAPIHono<AppEnv>, surface: KnowledgeSurface): void {
  const route = defineRoute({
    method: "post",
    path: `${surface.prefix}/datasets/{dataset_id}/${surface.retrievePath}`,
    // Retrieval reads; in the console every member may test a query.
    policy: surface.read,
    tags: [surface.tag],
    request: { params: datasetParam, body: jsonBody(retrieveBody) },
    responses: { 200: jsonResponse("Scored chunks, best first", anyJson) },
  });

  app.openapi(route, async (c) => {
    const datasetId = c.req.valid("param").dataset_id;
    const body = c.req.valid("json");
    const repo = knowledgeOf(c);
    // A request that asks for full-text or hybrid search starts the full-text statement (its
    // longest step, which needs only the dataset's id; the repository keeps it to this workspace)
    // while the dataset is read.
    const asked = body.retrieval_model;
    const prefetchedKeyword = asked && asked.search_method !== "semantic_search" ? prefetchKeywordSearch(repo, datasetId, body.query, asked.top_k) : undefined;
    const dataset = await requireDataset(c, datasetId);
    const model = retrievalModelSchema.parse({ ...DEFAULT_RETRIEVAL_MODEL, ...(dataset.retrievalModel ?? {}), ...(body.retrieval_model ?? {}) });
    let runtime: ReturnType<typeof buildModelRuntime> | undefined;
    const records = await retrieve({
      env: c.env,
      repo,
      datasets: [dataset],
      query: body.query,
      model,
      runtime: () => (runtime ??= buildModelRuntime(c.env, c.var.tenant.tenantId)),
      background: background(c),
      prefetchedKeyword,
    });
    return c.json({ query: { content: body.query }, records: records.map(serializeRecord) }, 200);
  });
}
