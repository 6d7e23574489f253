import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { BadRequestError, FileTooLargeError, InvalidParamError, NotFoundError, UnsupportedFileTypeError } from "../../../core/errors";
import { docForms, isKnowledgeFileExtension, KNOWLEDGE_FILE_EXTENSIONS, processRuleSchema, retrievalModelSchema, type ProcessRule } from "../../../core/rag";
import { vectorStoreFor } from "../../adapters/vector-store";
import type { AppEnv } from "../../http/app-env";
import { describeIssues } from "../../http/error-handler";
import { defineRoute, jsonBody, jsonResponse, noContent } from "../../http/route";
import { createDocument, replaceDocumentContent, requeueDocument, type NewDocumentSource } from "../../knowledge/documents";
import { serializeDocument, serializeIndexingStatus } from "../../knowledge/serialize";
import { anyJson, datasetParam, documentParam, knowledgeOf, page, pageQuery, requireDataset, requireDocument, type KnowledgeSurface } from "./surface";

/** Dify's `UPLOAD_FILE_SIZE_LIMIT` (15 MB). */
export const MAX_UPLOAD_BYTES = 15 * 1024 * 1024;
/** Text documents share the JSON body limit; this is the text's own cap. */
const MAX_TEXT_CHARS = 5_000_000;

const documentSettings = {
  indexing_technique: z.enum(["high_quality", "economy"]).nullish(),
  doc_form: z.string().max(40).nullish(),
  doc_language: z.string().max(40).nullish(),
  process_rule: processRuleSchema.nullish(),
  retrieval_model: retrievalModelSchema.nullish(),
  embedding_model: z.string().max(200).nullish(),
  embedding_model_provider: z.string().max(200).nullish(),
  original_document_id: z.string().max(64).nullish(),
  doc_metadata: z.record(z.string(), z.union([z.string(), z.number(), z.null()])).nullish(),
};
const createByTextBody = z.object({ name: z.string().trim().min(1).max(255), text: z.string().max(MAX_TEXT_CHARS), ...documentSettings });
const updateByTextBody = z.object({ name: z.string().trim().max(255).optional(), text: z.string().max(MAX_TEXT_CHARS), process_rule: processRuleSchema.nullish() });
const fileDataSchema = z.object(documentSettings);
const statusActions = ["enable", "disable", "archive", "un_archive"] as const;

function creator(c: Context<AppEnv>): Pick<NewDocumentSource, "createdBy" | "createdByRole"> {
  const account = c.var.principal?.account.id;
  return account ? { createdBy: account, createdByRole: "account" } : { createdBy: null, createdByRole: "api" };
}

function textSource(c: Context<AppEnv>, name: string, text: string, settings: { doc_form?: string | null; process_rule?: ProcessRule | null; doc_metadata?: Record<string, unknown> | null }): NewDocumentSource {
  if (!text.trim()) throw new InvalidParamError("text: the document text is empty.");
  const bytes = new TextEncoder().encode(text) as Uint8Array<ArrayBuffer>;
  return { name, bytes, extension: "txt", mimeType: "text/plain", docForm: settings.doc_form, processRule: settings.process_rule, docMetadata: settings.doc_metadata, ...creator(c) };
}

/** Reads Dify's multipart upload (`file` plus a JSON `data` field) with its size and type limits. */
async function fileSource(c: Context<AppEnv>): Promise<NewDocumentSource> {
  if (!c.req.header("Content-Type")?.startsWith("multipart/form-data")) throw new BadRequestError("Send the file as multipart/form-data with a `file` field.", "no_file_uploaded");
  const declared = Number(c.req.header("Content-Length") ?? 0);
  if (declared > MAX_UPLOAD_BYTES + 64 * 1024) throw new FileTooLargeError(`File size exceeded. The limit is ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch {
    throw new BadRequestError("The multipart body could not be read.", "invalid_param");
  }
  const file = form.get("file");
  if (!file || typeof file === "string") throw new BadRequestError("No file uploaded.", "no_file_uploaded");
  if (file.size > MAX_UPLOAD_BYTES) throw new FileTooLargeError(`File size exceeded. The limit is ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);
  const name = file.name || "upload";
  const extension = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : "";
  if (!isKnowledgeFileExtension(extension)) throw new UnsupportedFileTypeError(`File type .${extension || "(none)"} is not allowed. Allowed: ${KNOWLEDGE_FILE_EXTENSIONS.join(", ")}.`);
  if (file.size === 0) throw new InvalidParamError("file: the uploaded file is empty (0 bytes).");
  let data: z.infer<typeof fileDataSchema> = {};
  const raw = form.get("data");
  if (typeof raw === "string" && raw.trim()) {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new InvalidParamError("data: not valid JSON.");
    }
    const parsed = fileDataSchema.safeParse(json);
    if (!parsed.success) throw new InvalidParamError(`data.${describeIssues(parsed.error.issues)}`);
    data = parsed.data;
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  return { name, bytes, extension, mimeType: file.type || "application/octet-stream", docForm: data.doc_form, processRule: data.process_rule, docMetadata: data.doc_metadata, ...creator(c) };
}

function checkDocForm(docForm: string | null | undefined) {
  if (docForm && !(docForms as readonly string[]).includes(docForm)) throw new InvalidParamError(`doc_form must be one of ${docForms.join(", ")}; got "${docForm}".`);
}

export function registerDocumentRoutes(app: OpenAPIHono<AppEnv>, surface: KnowledgeSurface): void {
  const base = `${surface.prefix}/datasets/{dataset_id}`;
  const tags = [surface.tag];
  const created = jsonResponse("The document and its indexing batch", anyJson);

  const byText = defineRoute({ method: "post", path: `${base}/document/create-by-text`, policy: surface.write, tags, request: { params: datasetParam, body: jsonBody(createByTextBody) }, responses: { 200: created } });
  const byFile = defineRoute({ method: "post", path: `${base}/document/create-by-file`, policy: surface.write, tags, request: { params: datasetParam }, responses: { 200: created } });
  const updateText = defineRoute({ method: "post", path: `${base}/documents/{document_id}/update-by-text`, policy: surface.write, tags, request: { params: documentParam, body: jsonBody(updateByTextBody) }, responses: { 200: created } });
  const updateFile = defineRoute({ method: "post", path: `${base}/documents/{document_id}/update-by-file`, policy: surface.write, tags, request: { params: documentParam }, responses: { 200: created } });
  const list = defineRoute({
    method: "get",
    path: `${base}/documents`,
    policy: surface.read,
    tags,
    request: { params: datasetParam, query: z.object({ ...pageQuery, keyword: z.string().max(100).optional(), status: z.string().max(20).optional() }) },
    responses: { 200: jsonResponse("A page of documents", anyJson) },
  });
  const get = defineRoute({ method: "get", path: `${base}/documents/{document_id}`, policy: surface.read, tags, request: { params: documentParam }, responses: { 200: jsonResponse("The document", anyJson) } });
  const patch = defineRoute({
    method: "patch",
    path: `${base}/documents/{document_id}`,
    policy: surface.write,
    tags,
    request: { params: documentParam, body: jsonBody(z.object({ name: z.string().trim().min(1).max(255).optional() })) },
    responses: { 200: jsonResponse("The document", anyJson) },
  });
  const remove = defineRoute({ method: "delete", path: `${base}/documents/{document_id}`, policy: surface.write, tags, request: { params: documentParam }, responses: { 204: noContent } });
  const status = defineRoute({
    method: "patch",
    path: `${base}/documents/status/{action}`,
    policy: surface.write,
    tags,
    request: { params: datasetParam.extend({ action: z.enum(statusActions) }), body: jsonBody(z.object({ document_ids: z.array(z.string().max(64)).min(1).max(100) })) },
    responses: { 200: jsonResponse("Done", anyJson) },
  });
  const indexingStatus = defineRoute({
    method: "get",
    path: `${base}/documents/{batch}/indexing-status`,
    policy: surface.read,
    tags,
    request: { params: datasetParam.extend({ batch: z.string().max(64) }) },
    responses: { 200: jsonResponse("Indexing progress of the batch's documents", anyJson) },
  });
  const retry = defineRoute({
    method: "post",
    path: `${base}/retry`,
    policy: surface.write,
    tags,
    request: { params: datasetParam, body: jsonBody(z.object({ document_ids: z.array(z.string().max(64)).min(1).max(100) })) },
    responses: { 200: jsonResponse("Documents queued again", anyJson) },
  });

  app.openapi(byText, async (c) => {
    const dataset = await requireDataset(c, c.req.valid("param").dataset_id);
    const body = c.req.valid("json");
    checkDocForm(body.doc_form);
    const document = await createDocument(c.env, knowledgeOf(c), dataset, textSource(c, body.name, body.text, body));
    return c.json({ document: serializeDocument(document), batch: document.batch }, 200);
  });

  app.openapi(byFile, async (c) => {
    const dataset = await requireDataset(c, c.req.valid("param").dataset_id);
    const source = await fileSource(c);
    checkDocForm(source.docForm);
    const document = await createDocument(c.env, knowledgeOf(c), dataset, source);
    return c.json({ document: serializeDocument(document), batch: document.batch }, 200);
  });

  app.openapi(updateText, async (c) => {
    const { dataset_id, document_id } = c.req.valid("param");
    const { dataset, document } = await requireDocument(c, dataset_id, document_id);
    const body = c.req.valid("json");
    const updated = await replaceDocumentContent(c.env, knowledgeOf(c), dataset, document, textSource(c, body.name || document.name, body.text, { process_rule: body.process_rule }));
    return c.json({ document: serializeDocument(updated), batch: updated.batch }, 200);
  });

  app.openapi(updateFile, async (c) => {
    const { dataset_id, document_id } = c.req.valid("param");
    const { dataset, document } = await requireDocument(c, dataset_id, document_id);
    const source = await fileSource(c);
    const updated = await replaceDocumentContent(c.env, knowledgeOf(c), dataset, document, source);
    return c.json({ document: serializeDocument(updated), batch: updated.batch }, 200);
  });

  app.openapi(list, async (c) => {
    const dataset = await requireDataset(c, c.req.valid("param").dataset_id);
    const query = c.req.valid("query");
    const { rows, total } = await knowledgeOf(c).listDocuments(dataset.id, query);
    return c.json(page(rows.map(serializeDocument), total, query.page, query.limit), 200);
  });

  app.openapi(get, async (c) => {
    const { dataset_id, document_id } = c.req.valid("param");
    const { document } = await requireDocument(c, dataset_id, document_id);
    return c.json(serializeDocument(document), 200);
  });

  app.openapi(patch, async (c) => {
    const { dataset_id, document_id } = c.req.valid("param");
    const { dataset, document } = await requireDocument(c, dataset_id, document_id);
    const body = c.req.valid("json");
    const updated = await knowledgeOf(c).updateDocument(dataset.id, document.id, body.name ? { name: body.name } : {});
    return c.json(serializeDocument(updated ?? document), 200);
  });

  app.openapi(remove, async (c) => {
    const { dataset_id, document_id } = c.req.valid("param");
    const { dataset, document } = await requireDocument(c, dataset_id, document_id);
    const repo = knowledgeOf(c);
    const { segmentIds } = await repo.deleteDocuments(dataset.id, [document.id]);
    if (segmentIds.length) await vectorStoreFor(c.env, repo.tenantId, dataset.id).deleteByIds(segmentIds);
    return c.body(null, 204);
  });

  app.openapi(status, async (c) => {
    const { dataset_id, action } = c.req.valid("param");
    const dataset = await requireDataset(c, dataset_id);
    const repo = knowledgeOf(c);
    const documents = await repo.getDocuments(dataset.id, c.req.valid("json").document_ids);
    if (documents.length === 0) throw new NotFoundError("Document not found.");
    const patchFor = { enable: { enabled: true }, disable: { enabled: false }, archive: { archived: true }, un_archive: { archived: false } }[action];
    for (const document of documents) await repo.updateDocument(dataset.id, document.id, patchFor);
    return c.json({ result: "success" }, 200);
  });

  app.openapi(indexingStatus, async (c) => {
    const { dataset_id, batch } = c.req.valid("param");
    const dataset = await requireDataset(c, dataset_id);
    const documents = await knowledgeOf(c).documentsOfBatch(dataset.id, batch);
    if (documents.length === 0) throw new NotFoundError("Documents not found.");
    return c.json({ data: documents.map(serializeIndexingStatus) }, 200);
  });

  app.openapi(retry, async (c) => {
    const dataset = await requireDataset(c, c.req.valid("param").dataset_id);
    const repo = knowledgeOf(c);
    const documents = await repo.getDocuments(dataset.id, c.req.valid("json").document_ids);
    if (documents.length === 0) throw new NotFoundError("Document not found.");
    for (const document of documents) await requeueDocument(c.env, repo, document);
    return c.json({ result: "success" }, 200);
  });
}
