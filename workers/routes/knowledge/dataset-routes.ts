import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { ConflictError, NotFoundError } from "../../../core/errors";
import { retrievalModelSchema } from "../../../core/rag";
import { vectorStoreFor } from "../../adapters/vector-store";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonBody, jsonResponse, noContent } from "../../http/route";
import { requeueDocument } from "../../knowledge/documents";
import { serializeDataset } from "../../knowledge/serialize";
import { anyJson, datasetParam, knowledgeOf, page, pageQuery, requireDataset, type KnowledgeSurface } from "./surface";

const name = z.string().trim().min(1, "Name is required.").max(40, "Name must be at most 40 characters.");
const description = z.string().max(400);
const indexingTechnique = z.enum(["high_quality", "economy"]);
const permission = z.enum(["only_me", "all_team_members", "partial_members"]);

const createBody = z.object({
  name,
  description: description.optional(),
  indexing_technique: indexingTechnique.nullish(),
  permission: permission.optional(),
  provider: z.enum(["vendor", "external"]).optional(),
  embedding_model: z.string().max(200).nullish(),
  embedding_model_provider: z.string().max(200).nullish(),
  retrieval_model: retrievalModelSchema.nullish(),
});
const updateBody = createBody.partial();

export function registerDatasetRoutes(app: OpenAPIHono<AppEnv>, surface: KnowledgeSurface): void {
  const base = `${surface.prefix}/datasets`;
  const tags = [surface.tag];

  const list = defineRoute({
    method: "get",
    path: base,
    policy: surface.read,
    tags,
    request: { query: z.object({ ...pageQuery, keyword: z.string().max(100).optional(), tag_ids: z.union([z.string(), z.array(z.string())]).optional() }) },
    responses: { 200: jsonResponse("A page of knowledge bases", anyJson) },
  });
  const create = defineRoute({
    method: "post",
    path: base,
    policy: surface.write,
    tags,
    request: { body: jsonBody(createBody) },
    responses: { 200: jsonResponse("The created knowledge base", anyJson) },
  });
  const get = defineRoute({ method: "get", path: `${base}/{dataset_id}`, policy: surface.read, tags, request: { params: datasetParam }, responses: { 200: jsonResponse("The knowledge base", anyJson) } });
  const update = defineRoute({
    method: "patch",
    path: `${base}/{dataset_id}`,
    policy: surface.write,
    tags,
    request: { params: datasetParam, body: jsonBody(updateBody) },
    responses: { 200: jsonResponse("The updated knowledge base", anyJson) },
  });
  const remove = defineRoute({ method: "delete", path: `${base}/{dataset_id}`, policy: surface.write, tags, request: { params: datasetParam }, responses: { 204: noContent } });

  app.openapi(list, async (c) => {
    const query = c.req.valid("query");
    const repo = knowledgeOf(c);
    const tagIds = query.tag_ids === undefined ? undefined : (Array.isArray(query.tag_ids) ? query.tag_ids : query.tag_ids.split(",")).filter(Boolean);
    const ids = tagIds?.length ? await repo.targetsWithTags(tagIds) : undefined;
    const { rows, total } = await repo.listDatasets({ page: query.page, limit: query.limit, keyword: query.keyword, ids });
    const stats = await repo.datasetStats(rows.map((row) => row.id));
    const tagMap = await repo.tagsOf(rows.map((row) => row.id));
    return c.json(page(rows.map((row) => serializeDataset(row, stats.get(row.id), tagMap.get(row.id))), total, query.page, query.limit), 200);
  });

  app.openapi(create, async (c) => {
    const body = c.req.valid("json");
    const repo = knowledgeOf(c);
    if (await repo.datasetNameTaken(body.name)) throw new ConflictError("dataset_name_duplicate", "The dataset name already exists. Please modify your dataset name.");
    const dataset = await repo.insertDataset({
      id: crypto.randomUUID(),
      name: body.name,
      description: body.description ?? "",
      indexingTechnique: body.indexing_technique ?? "high_quality",
      permission: body.permission ?? "only_me",
      provider: body.provider ?? "vendor",
      embeddingModel: body.embedding_model ?? null,
      embeddingModelProvider: body.embedding_model_provider ?? null,
      retrievalModel: (body.retrieval_model as Record<string, unknown> | undefined) ?? null,
      createdBy: c.var.principal?.account.id ?? null,
    });
    return c.json(serializeDataset(dataset), 200);
  });

  app.openapi(get, async (c) => {
    const dataset = await requireDataset(c, c.req.valid("param").dataset_id);
    const repo = knowledgeOf(c);
    const stats = await repo.datasetStats([dataset.id]);
    return c.json(serializeDataset(dataset, stats.get(dataset.id), (await repo.tagsOf([dataset.id])).get(dataset.id)), 200);
  });

  app.openapi(update, async (c) => {
    const dataset = await requireDataset(c, c.req.valid("param").dataset_id);
    const body = c.req.valid("json");
    const repo = knowledgeOf(c);
    if (body.name !== undefined && (await repo.datasetNameTaken(body.name, dataset.id))) {
      throw new ConflictError("dataset_name_duplicate", "The dataset name already exists. Please modify your dataset name.");
    }
    const updated = await repo.updateDataset(dataset.id, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.description !== undefined ? { description: body.description } : {}),
      ...(body.indexing_technique ? { indexingTechnique: body.indexing_technique } : {}),
      ...(body.permission ? { permission: body.permission } : {}),
      ...(body.embedding_model !== undefined ? { embeddingModel: body.embedding_model } : {}),
      ...(body.embedding_model_provider !== undefined ? { embeddingModelProvider: body.embedding_model_provider } : {}),
      ...(body.retrieval_model ? { retrievalModel: body.retrieval_model as Record<string, unknown> } : {}),
    });
    if (!updated) throw new NotFoundError("Dataset not found.");
    // A new embedding model makes every stored vector incomparable with new queries: re-index.
    const modelChanged = (updated.embeddingModel ?? null) !== (dataset.embeddingModel ?? null) || (updated.embeddingModelProvider ?? null) !== (dataset.embeddingModelProvider ?? null);
    if (modelChanged) for (const document of await repo.allDocuments([dataset.id])) await requeueDocument(c.env, repo, document);
    const stats = await repo.datasetStats([dataset.id]);
    return c.json(serializeDataset(updated, stats.get(dataset.id)), 200);
  });

  app.openapi(remove, async (c) => {
    const dataset = await requireDataset(c, c.req.valid("param").dataset_id);
    const repo = knowledgeOf(c);
    const vectorIds = await repo.segmentIdsOfDataset(dataset.id);
    await repo.deleteDataset(dataset.id);
    if (vectorIds.length) await vectorStoreFor(c.env, repo.tenantId, dataset.id).deleteByIds(vectorIds);
    return c.body(null, 204);
  });
}
