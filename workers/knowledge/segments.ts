import { countTokens, resolveChunkingPlan, splitText, wordCount, type ProcessRule } from "../../core/rag";
import { embedderFor } from "../adapters/embedder";
import { vectorStoreFor } from "../adapters/vector-store";
import type { Dataset, KnowledgeDocument, KnowledgeRepository, Segment, SegmentInsert } from "../db/repositories/knowledge-repository";
import type { Env } from "../env";
import { sha256Hex } from "./ingest";

/**
 * Embeds and indexes segments written by hand (added or edited through the API): vectors to the
 * index, text to FTS5, status `completed`. Parent rows of a parent-child document are not
 * embedded; their children are.
 */
export async function indexSegmentsNow(env: Env, repo: KnowledgeRepository, dataset: Dataset, rows: Segment[]): Promise<void> {
  const parentIds = new Set(rows.filter((row) => row.parentId).map((row) => row.parentId!));
  const searchable = rows.filter((row) => row.parentId !== null || !parentIds.has(row.id));
  if (searchable.length === 0) return;
  const vectors = await embedderFor(env, repo.tenantId, dataset).embed(searchable.map((row) => row.content));
  await vectorStoreFor(env, repo.tenantId, dataset.id).upsert(
    searchable.map((row, i) => ({ id: row.id, values: vectors[i]!, metadata: { tenant_id: repo.tenantId, dataset_id: dataset.id, document_id: row.documentId, segment_id: row.parentId ?? row.id } })),
  );
  await repo.markSegmentsIndexed(rows[0]!.documentId, searchable.map((row) => ({ id: row.id, datasetId: row.datasetId, content: row.content })), rows.filter((row) => row.parentId === null).map((row) => row.id));
}

/** Rows for a new top-level segment and, in a parent-child document, its child chunks split by the document's rule. */
export async function newSegmentRows(document: KnowledgeDocument, content: string, position: number, extra: { answer?: string | null; keywords?: string[] | null } = {}): Promise<SegmentInsert[]> {
  const id = crypto.randomUUID();
  const rows: SegmentInsert[] = [
    { id, datasetId: document.datasetId, documentId: document.id, position, content, answer: extra.answer ?? null, keywords: extra.keywords ?? null, wordCount: wordCount(content), tokens: countTokens(content), indexNodeId: id, indexNodeHash: await sha256Hex(content), status: "indexing" },
  ];
  if (document.docForm === "hierarchical_model") rows.push(...(await childRows(document, id, content)));
  return rows;
}

export async function childRows(document: KnowledgeDocument, parentId: string, content: string, startPosition = 1): Promise<SegmentInsert[]> {
  const plan = resolveChunkingPlan(document.docForm, document.processRule as ProcessRule | null);
  const pieces = plan.kind === "parent-child" ? splitText(content, plan.subchunk) : [content];
  const rows: SegmentInsert[] = [];
  for (const [i, piece] of pieces.entries()) rows.push(await childRow(document, parentId, piece, startPosition + i));
  return rows;
}

export async function childRow(document: KnowledgeDocument, parentId: string, content: string, position: number): Promise<SegmentInsert> {
  const id = crypto.randomUUID();
  return { id, datasetId: document.datasetId, documentId: document.id, parentId, position, content, wordCount: wordCount(content), tokens: countTokens(content), indexNodeId: id, indexNodeHash: await sha256Hex(content), status: "indexing" };
}
