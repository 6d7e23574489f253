import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { BadRequestError, NotFoundError } from "../../../core/errors";
import { countTokens, wordCount } from "../../../core/rag";
import { vectorStoreFor } from "../../adapters/vector-store";
import type { Dataset, KnowledgeDocument, Segment } from "../../db/repositories/knowledge-repository";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonBody, jsonResponse, noContent } from "../../http/route";
import { sha256Hex } from "../../knowledge/ingest";
import { childRow, childRows, indexSegmentsNow, newSegmentRows } from "../../knowledge/segments";
import { serializeChildChunk, serializeSegment } from "../../knowledge/serialize";
import { anyJson, documentParam, knowledgeOf, page, pageQuery, requireDocument, type KnowledgeSurface } from "./surface";

const content = z.string().trim().min(1, "content is required.").max(100_000);
const segmentParam = documentParam.extend({ segment_id: z.string().max(64) });
const childParam = segmentParam.extend({ child_chunk_id: z.string().max(64) });

async function requireSegment(c: Context<AppEnv>, datasetId: string, documentId: string, segmentId: string): Promise<{ dataset: Dataset; document: KnowledgeDocument; segment: Segment }> {
  const { dataset, document } = await requireDocument(c, datasetId, documentId);
  const segment = await knowledgeOf(c).getSegment(document.id, segmentId);
  if (!segment || segment.parentId !== null) throw new NotFoundError("Segment not found.");
  return { dataset, document, segment };
}

function requireIndexed(document: KnowledgeDocument) {
  if (document.indexingStatus !== "completed") throw new BadRequestError("The document is still being indexed; edit its segments once indexing has finished.", "document_indexing");
}

export function registerSegmentRoutes(app: OpenAPIHono<AppEnv>, surface: KnowledgeSurface): void {
  const base = `${surface.prefix}/datasets/{dataset_id}/documents/{document_id}/segments`;
  const tags = [surface.tag];
  const ok = (description: string) => ({ 200: jsonResponse(description, anyJson) });

  const list = defineRoute({
    method: "get",
    path: base,
    policy: surface.read,
    tags,
    request: { params: documentParam, query: z.object({ ...pageQuery, keyword: z.string().max(100).optional(), status: z.string().max(20).optional(), enabled: z.enum(["true", "false", "all"]).optional() }) },
    responses: ok("A page of segments with their child chunks"),
  });
  const add = defineRoute({
    method: "post",
    path: base,
    policy: surface.write,
    tags,
    request: { params: documentParam, body: jsonBody(z.object({ segments: z.array(z.object({ content, answer: z.string().max(100_000).nullish(), keywords: z.array(z.string().max(100)).max(50).nullish() })).min(1).max(100) })) },
    responses: ok("The added segments"),
  });
  const get = defineRoute({ method: "get", path: `${base}/{segment_id}`, policy: surface.read, tags, request: { params: segmentParam }, responses: ok("The segment") });
  const update = defineRoute({
    method: "post",
    path: `${base}/{segment_id}`,
    policy: surface.write,
    tags,
    request: { params: segmentParam, body: jsonBody(z.object({ segment: z.object({ content: content.optional(), answer: z.string().max(100_000).nullish(), keywords: z.array(z.string().max(100)).max(50).nullish(), enabled: z.boolean().optional(), regenerate_child_chunks: z.boolean().optional() }) })) },
    responses: ok("The updated segment"),
  });
  const remove = defineRoute({ method: "delete", path: `${base}/{segment_id}`, policy: surface.write, tags, request: { params: segmentParam }, responses: { 204: noContent } });
  const listChildren = defineRoute({
    method: "get",
    path: `${base}/{segment_id}/child_chunks`,
    policy: surface.read,
    tags,
    request: { params: segmentParam, query: z.object({ ...pageQuery, keyword: z.string().max(100).optional() }) },
    responses: ok("The segment's child chunks"),
  });
  const addChild = defineRoute({ method: "post", path: `${base}/{segment_id}/child_chunks`, policy: surface.write, tags, request: { params: segmentParam, body: jsonBody(z.object({ content })) }, responses: ok("The added child chunk") });
  const updateChild = defineRoute({
    method: "patch",
    path: `${base}/{segment_id}/child_chunks/{child_chunk_id}`,
    policy: surface.write,
    tags,
    request: { params: childParam, body: jsonBody(z.object({ content })) },
    responses: ok("The updated child chunk"),
  });
  const removeChild = defineRoute({ method: "delete", path: `${base}/{segment_id}/child_chunks/{child_chunk_id}`, policy: surface.write, tags, request: { params: childParam }, responses: { 204: noContent } });

  app.openapi(list, async (c) => {
    const { dataset_id, document_id } = c.req.valid("param");
    const query = c.req.valid("query");
    const { document } = await requireDocument(c, dataset_id, document_id);
    const repo = knowledgeOf(c);
    const { rows, total } = await repo.listSegments(document.id, { page: query.page, limit: query.limit, keyword: query.keyword, status: query.status, enabled: query.enabled === undefined || query.enabled === "all" ? undefined : query.enabled === "true" });
    const children = await repo.childrenOf(rows.map((row) => row.id));
    return c.json({ ...page(rows.map((row) => serializeSegment(row, children.filter((child) => child.parentId === row.id))), total, query.page, query.limit), doc_form: document.docForm }, 200);
  });

  app.openapi(add, async (c) => {
    const { dataset_id, document_id } = c.req.valid("param");
    const { dataset, document } = await requireDocument(c, dataset_id, document_id);
    requireIndexed(document);
    const repo = knowledgeOf(c);
    let position = await repo.nextSegmentPosition(document.id);
    const rows = [];
    for (const segment of c.req.valid("json").segments) rows.push(...(await newSegmentRows(document, segment.content, position++, segment)));
    await repo.insertSegments(rows);
    const stored = await repo.getSegmentsByIds(rows.map((row) => row.id));
    await indexSegmentsNow(c.env, repo, dataset, stored);
    await repo.refreshDocumentCounts(dataset.id, document.id);
    const parents = await repo.getSegmentsByIds(rows.filter((row) => !row.parentId).map((row) => row.id));
    const children = await repo.childrenOf(parents.map((row) => row.id));
    return c.json({ data: parents.sort((a, b) => a.position - b.position).map((row) => serializeSegment(row, children.filter((child) => child.parentId === row.id))), doc_form: document.docForm }, 200);
  });

  app.openapi(get, async (c) => {
    const { dataset_id, document_id, segment_id } = c.req.valid("param");
    const { document, segment } = await requireSegment(c, dataset_id, document_id, segment_id);
    return c.json({ data: serializeSegment(segment, await knowledgeOf(c).childrenOf([segment.id])), doc_form: document.docForm }, 200);
  });

  app.openapi(update, async (c) => {
    const { dataset_id, document_id, segment_id } = c.req.valid("param");
    const { dataset, document, segment } = await requireSegment(c, dataset_id, document_id, segment_id);
    const body = c.req.valid("json").segment;
    const repo = knowledgeOf(c);
    const contentChanged = body.content !== undefined && body.content !== segment.content;
    if (contentChanged) requireIndexed(document);
    const updated = await repo.updateSegment(segment.id, {
      ...(contentChanged ? { content: body.content!, wordCount: wordCount(body.content!), tokens: countTokens(body.content!), indexNodeHash: await sha256Hex(body.content!) } : {}),
      ...(body.answer !== undefined ? { answer: body.answer } : {}),
      ...(body.keywords !== undefined ? { keywords: body.keywords } : {}),
      ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
    });
    if (contentChanged || body.regenerate_child_chunks) {
      let rows = [updated!];
      if (document.docForm === "hierarchical_model") {
        // New parent text: its children are split again and replace the old ones.
        const old = await repo.deleteSegments((await repo.childrenOf([segment.id])).map((child) => child.id));
        if (old.length) await vectorStoreFor(c.env, repo.tenantId, dataset.id).deleteByIds(old);
        const children = await childRows(document, segment.id, updated!.content);
        await repo.insertSegments(children);
        rows = [updated!, ...(await repo.getSegmentsByIds(children.map((child) => child.id)))];
      }
      await indexSegmentsNow(c.env, repo, dataset, rows);
      await repo.refreshDocumentCounts(dataset.id, document.id);
    }
    const fresh = (await repo.getSegment(document.id, segment.id))!;
    return c.json({ data: serializeSegment(fresh, await repo.childrenOf([segment.id])), doc_form: document.docForm }, 200);
  });

  app.openapi(remove, async (c) => {
    const { dataset_id, document_id, segment_id } = c.req.valid("param");
    const { dataset, document, segment } = await requireSegment(c, dataset_id, document_id, segment_id);
    const repo = knowledgeOf(c);
    const deleted = await repo.deleteSegments([segment.id]);
    await vectorStoreFor(c.env, repo.tenantId, dataset.id).deleteByIds(deleted);
    await repo.refreshDocumentCounts(dataset.id, document.id);
    return c.body(null, 204);
  });

  app.openapi(listChildren, async (c) => {
    const { dataset_id, document_id, segment_id } = c.req.valid("param");
    const query = c.req.valid("query");
    const { segment } = await requireSegment(c, dataset_id, document_id, segment_id);
    const all = (await knowledgeOf(c).childrenOf([segment.id])).filter((child) => !query.keyword || child.content.includes(query.keyword));
    const slice = all.slice((query.page - 1) * query.limit, query.page * query.limit);
    return c.json({ ...page(slice.map(serializeChildChunk), all.length, query.page, query.limit), total_pages: Math.ceil(all.length / query.limit) }, 200);
  });

  app.openapi(addChild, async (c) => {
    const { dataset_id, document_id, segment_id } = c.req.valid("param");
    const { dataset, document, segment } = await requireSegment(c, dataset_id, document_id, segment_id);
    if (document.docForm !== "hierarchical_model") throw new BadRequestError("Child chunks exist only in parent-child (hierarchical_model) documents.", "invalid_param");
    const repo = knowledgeOf(c);
    const row = await childRow(document, segment.id, c.req.valid("json").content, await repo.nextSegmentPosition(document.id, segment.id));
    await repo.insertSegments([row]);
    const [stored] = await repo.getSegmentsByIds([row.id]);
    await indexSegmentsNow(c.env, repo, dataset, [stored!]);
    return c.json({ data: serializeChildChunk((await repo.getSegmentsByIds([row.id]))[0]!) }, 200);
  });

  app.openapi(updateChild, async (c) => {
    const { dataset_id, document_id, segment_id, child_chunk_id } = c.req.valid("param");
    const { dataset, document, segment } = await requireSegment(c, dataset_id, document_id, segment_id);
    const repo = knowledgeOf(c);
    const child = await repo.getSegment(document.id, child_chunk_id);
    if (!child || child.parentId !== segment.id) throw new NotFoundError("Child chunk not found.");
    const text = c.req.valid("json").content;
    const updated = await repo.updateSegment(child.id, { content: text, wordCount: wordCount(text), tokens: countTokens(text), indexNodeHash: await sha256Hex(text) });
    await indexSegmentsNow(c.env, repo, dataset, [updated!]);
    return c.json({ data: serializeChildChunk(updated!) }, 200);
  });

  app.openapi(removeChild, async (c) => {
    const { dataset_id, document_id, segment_id, child_chunk_id } = c.req.valid("param");
    const { dataset, document, segment } = await requireSegment(c, dataset_id, document_id, segment_id);
    const repo = knowledgeOf(c);
    const child = await repo.getSegment(document.id, child_chunk_id);
    if (!child || child.parentId !== segment.id) throw new NotFoundError("Child chunk not found.");
    await repo.deleteSegments([child.id]);
    await vectorStoreFor(c.env, repo.tenantId, dataset.id).deleteByIds([child.id]);
    return c.body(null, 204);
  });
}
