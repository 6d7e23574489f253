import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { DEFAULT_RETRIEVAL_MODEL, retrievalModelSchema } from "../../../core/rag";
import { NotFoundError } from "../../../core/errors";
import { buildModelRuntime } from "../../adapters/model-runtime";
import type { AppEnv } from "../../http/app-env";
import { background } from "../../http/background";
import { defineRoute, jsonBody, jsonResponse } from "../../http/route";
import { retrieve, type RetrievedRecord } from "../../knowledge/retrieve";
import { serializeSegment } from "../../knowledge/serialize";
import { anyJson, datasetParam, knowledgeOf, type KnowledgeSurface } from "./surface";

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
    const dataset = await knowledgeOf(c).getDatasetForRetrieval(c.req.valid("param").dataset_id);
    if (!dataset) throw new NotFoundError("Dataset not found.");
    const body = c.req.valid("json");
    const model = retrievalModelSchema.parse({ ...DEFAULT_RETRIEVAL_MODEL, ...(dataset.retrievalModel ?? {}), ...(body.retrieval_model ?? {}) });
    let runtime: ReturnType<typeof buildModelRuntime> | undefined;
    const records = await retrieve({
      env: c.env,
      repo: knowledgeOf(c),
      datasets: [dataset],
      query: body.query,
      model,
      runtime: () => (runtime ??= buildModelRuntime(c.env, c.var.tenant.tenantId)),
      background: background(c),
    });
    return c.json({ query: { content: body.query }, records: records.map(serializeRecord) }, 200);
  });
}
