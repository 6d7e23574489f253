import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { BadRequestError, ConflictError, NotFoundError } from "../../../core/errors";
import { BUILT_IN_METADATA_FIELDS, metadataFieldTypes } from "../../../core/rag";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonBody, jsonResponse, noContent } from "../../http/route";
import { anyJson, datasetParam, knowledgeOf, requireDataset, type KnowledgeSurface } from "./surface";

const fieldName = z.string().trim().min(1).max(255).regex(/^[a-z][a-z0-9_]*$/, "name must start with a lowercase letter and use only a-z, 0-9 and _.");
const fieldParam = datasetParam.extend({ metadata_id: z.string().max(64) });
const builtInNames = new Set<string>(BUILT_IN_METADATA_FIELDS.map((field) => field.name));

/** Dify's dataset metadata: field definitions per dataset, values per document (`doc_metadata`). */
export function registerMetadataRoutes(app: OpenAPIHono<AppEnv>, surface: KnowledgeSurface): void {
  const base = `${surface.prefix}/datasets/{dataset_id}`;
  const tags = [surface.tag];

  const list = defineRoute({ method: "get", path: `${base}/metadata`, policy: surface.read, tags, request: { params: datasetParam }, responses: { 200: jsonResponse("Metadata fields with how many documents use each", anyJson) } });
  const create = defineRoute({
    method: "post",
    path: `${base}/metadata`,
    policy: surface.write,
    tags,
    request: { params: datasetParam, body: jsonBody(z.object({ name: fieldName, type: z.enum(metadataFieldTypes) })) },
    responses: { 200: jsonResponse("The new field", anyJson) },
  });
  const rename = defineRoute({ method: "patch", path: `${base}/metadata/{metadata_id}`, policy: surface.write, tags, request: { params: fieldParam, body: jsonBody(z.object({ name: fieldName })) }, responses: { 200: jsonResponse("The renamed field", anyJson) } });
  const remove = defineRoute({ method: "delete", path: `${base}/metadata/{metadata_id}`, policy: surface.write, tags, request: { params: fieldParam }, responses: { 204: noContent } });
  const builtIn = defineRoute({
    method: "post",
    path: `${base}/metadata/built-in/{action}`,
    policy: surface.write,
    tags,
    request: { params: datasetParam.extend({ action: z.enum(["enable", "disable"]) }) },
    responses: { 200: jsonResponse("Done", anyJson) },
  });
  const setValues = defineRoute({
    method: "post",
    path: `${base}/documents/metadata`,
    policy: surface.write,
    tags,
    request: {
      params: datasetParam,
      body: jsonBody(
        z.object({
          operation_data: z
            .array(z.object({ document_id: z.string().max(64), metadata_list: z.array(z.object({ id: z.string().max(64).optional(), name: z.string().max(255), value: z.union([z.string(), z.number(), z.null()]) })).max(100) }))
            .min(1)
            .max(100),
        }),
      ),
    },
    responses: { 200: jsonResponse("Done", anyJson) },
  });

  app.openapi(list, async (c) => {
    const dataset = await requireDataset(c, c.req.valid("param").dataset_id);
    const repo = knowledgeOf(c);
    const fields = await repo.metadataFields([dataset.id]);
    const documents = await repo.allDocuments([dataset.id]);
    return c.json(
      {
        doc_metadata: fields.map((field) => ({ id: field.id, name: field.name, type: field.type, count: documents.filter((document) => document.docMetadata && field.name in document.docMetadata).length })),
        built_in_field_enabled: dataset.builtInFieldEnabled,
      },
      200,
    );
  });

  app.openapi(create, async (c) => {
    const dataset = await requireDataset(c, c.req.valid("param").dataset_id);
    const body = c.req.valid("json");
    if (builtInNames.has(body.name)) throw new BadRequestError(`${body.name} is a built-in field.`, "invalid_param");
    const repo = knowledgeOf(c);
    if ((await repo.metadataFields([dataset.id])).some((field) => field.name === body.name)) throw new ConflictError("metadata_name_duplicate", `A field named ${body.name} already exists.`);
    const field = await repo.insertMetadataField({ id: crypto.randomUUID(), datasetId: dataset.id, name: body.name, type: body.type });
    return c.json({ id: field.id, name: field.name, type: field.type }, 200);
  });

  app.openapi(rename, async (c) => {
    const { dataset_id, metadata_id } = c.req.valid("param");
    const dataset = await requireDataset(c, dataset_id);
    const repo = knowledgeOf(c);
    const fields = await repo.metadataFields([dataset.id]);
    const field = fields.find((candidate) => candidate.id === metadata_id);
    if (!field) throw new NotFoundError("Metadata field not found.");
    const name = c.req.valid("json").name;
    if (fields.some((other) => other.name === name && other.id !== field.id) || builtInNames.has(name)) throw new ConflictError("metadata_name_duplicate", `A field named ${name} already exists.`);
    const renamed = await repo.renameMetadataField(dataset.id, field.id, name);
    // Values move to the new name on every document that has one.
    for (const document of await repo.allDocuments([dataset.id])) {
      if (!document.docMetadata || !(field.name in document.docMetadata)) continue;
      const { [field.name]: value, ...rest } = document.docMetadata;
      await repo.updateDocument(dataset.id, document.id, { docMetadata: { ...rest, [name]: value } });
    }
    return c.json({ id: renamed!.id, name: renamed!.name, type: renamed!.type }, 200);
  });

  app.openapi(remove, async (c) => {
    const { dataset_id, metadata_id } = c.req.valid("param");
    const dataset = await requireDataset(c, dataset_id);
    const repo = knowledgeOf(c);
    const field = await repo.deleteMetadataField(dataset.id, metadata_id);
    if (!field) throw new NotFoundError("Metadata field not found.");
    for (const document of await repo.allDocuments([dataset.id])) {
      if (!document.docMetadata || !(field.name in document.docMetadata)) continue;
      const { [field.name]: _removed, ...rest } = document.docMetadata;
      await repo.updateDocument(dataset.id, document.id, { docMetadata: rest });
    }
    return c.body(null, 204);
  });

  app.openapi(builtIn, async (c) => {
    const { dataset_id, action } = c.req.valid("param");
    const dataset = await requireDataset(c, dataset_id);
    await knowledgeOf(c).updateDataset(dataset.id, { builtInFieldEnabled: action === "enable" });
    return c.json({ result: "success" }, 200);
  });

  app.openapi(setValues, async (c) => {
    const dataset = await requireDataset(c, c.req.valid("param").dataset_id);
    const repo = knowledgeOf(c);
    const fields = await repo.metadataFields([dataset.id]);
    for (const operation of c.req.valid("json").operation_data) {
      const document = await repo.getDocument(dataset.id, operation.document_id);
      if (!document) throw new NotFoundError(`Document ${operation.document_id} not found.`);
      const values: Record<string, unknown> = {};
      for (const item of operation.metadata_list) {
        const field = fields.find((candidate) => candidate.name === item.name || candidate.id === item.id);
        if (!field) throw new BadRequestError(`Unknown metadata field "${item.name}". Create it first (POST …/metadata).`, "invalid_param");
        if (field.type !== "string" && item.value !== null && !Number.isFinite(Number(item.value))) throw new BadRequestError(`${field.name} is a ${field.type} field; "${item.value}" is not a number.`, "invalid_param");
        values[field.name] = field.type === "string" || item.value === null ? item.value : Number(item.value);
      }
      // Dify replaces the document's metadata with the list given.
      await repo.updateDocument(dataset.id, document.id, { docMetadata: values });
    }
    return c.json({ result: "success" }, 200);
  });
}
