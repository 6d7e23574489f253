import { and, asc, count, desc, eq, inArray, isNull, like, or, sql, sum, type SQL } from "drizzle-orm";
import type { Db } from "../client";
import { ExpiringCache } from "./expiring-cache";
import { nowSeconds } from "../client";
import { datasetMetadataFields, datasets, documents, segments, tagBindings, tags, uploadFiles } from "../schema";

export type Dataset = typeof datasets.$inferSelect;
export type DatasetPatch = Partial<Pick<Dataset, "name" | "description" | "indexingTechnique" | "permission" | "embeddingModel" | "embeddingModelProvider" | "retrievalModel" | "builtInFieldEnabled">>;
export type KnowledgeDocument = typeof documents.$inferSelect;
export type DocumentPatch = Partial<Omit<KnowledgeDocument, "id" | "tenantId" | "datasetId" | "createdAt">>;
export type Segment = typeof segments.$inferSelect;
export type SegmentInsert = Omit<typeof segments.$inferInsert, "tenantId">;
export type UploadFile = typeof uploadFiles.$inferSelect;
export type MetadataField = typeof datasetMetadataFields.$inferSelect;
export type Tag = typeof tags.$inferSelect;

const escapeLike = (text: string) => `%${text.replace(/[%_\\]/g, (m) => `\\${m}`)}%`;

/** The words of a free-text query, as FTS5's `unicode61` tokenizer splits them (at most 32). */
function queryWords(text: string): string[] {
  return [...text.normalize("NFKC").matchAll(/[\p{L}\p{N}]+/gu)].map((m) => m[0]).slice(0, 32);
}

/** A word as an FTS5 string: no operator from user input reaches the query. */
const quoted = (word: string) => `"${word.replace(/"/g, '""')}"`;

/**
 * A word as the keyword index stores it before stemming: `unicode61` folds case and drops
 * diacritics. (Porter stemming is not applied: a word whose stem differs is simply not found in
 * the vocabulary, and so kept in the search.)
 */
export function vocabularyKey(word: string): string {
  return word.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/**
 * One tenant's knowledge: datasets, uploaded files, documents, segments (and child chunks, rows
 * with a `parent_id`), the FTS5 keyword index, metadata fields and tags. Every query carries the
 * tenant filter.
 */
/** How long retrieval may use a dataset it read (per isolate; see `getDatasetForRetrieval`). */
const RETRIEVAL_DATASET_CACHE_MS = 5_000;
const MAX_CACHED_DATASETS = 500;
const recentDatasets = new ExpiringCache<Dataset>(MAX_CACHED_DATASETS);

export class KnowledgeRepository {
  constructor(readonly db: Db, readonly tenantId: string) {}

  // Statements that touch the FTS5 table are written as SQL and batched at the D1 level with the
  // drizzle statements they belong to (compiled with `toSQL`), so each change is one transaction.
  private get client(): D1Database {
    return (this.db as unknown as { $client: D1Database }).$client;
  }

  private prepared(query: { toSQL(): { sql: string; params: unknown[] } }): D1PreparedStatement {
    const compiled = query.toSQL();
    return this.client.prepare(compiled.sql).bind(...compiled.params);
  }

  private raw(text: string, params: unknown[]): D1PreparedStatement {
    return this.client.prepare(text).bind(...params);
  }

  private ftsDelete(ids: string[]): D1PreparedStatement {
    return this.raw(`DELETE FROM segments_fts WHERE tenant_id = ? AND segment_id IN (${ids.map(() => "?").join(", ")})`, [this.tenantId, ...ids]);
  }

  private ftsInsert(rows: Array<{ id: string; datasetId: string; content: string }>): D1PreparedStatement {
    return this.raw(
      `INSERT INTO segments_fts (content, segment_id, dataset_id, tenant_id) VALUES ${rows.map(() => "(?, ?, ?, ?)").join(", ")}`,
      rows.flatMap((row) => [row.content, row.id, row.datasetId, this.tenantId]),
    );
  }

  private datasetScope(id?: string): SQL {
    return id === undefined ? eq(datasets.tenantId, this.tenantId) : and(eq(datasets.tenantId, this.tenantId), eq(datasets.id, id))!;
  }

  private documentScope(datasetId: string, id?: string): SQL {
    const base = and(eq(documents.tenantId, this.tenantId), eq(documents.datasetId, datasetId))!;
    return id === undefined ? base : and(base, eq(documents.id, id))!;
  }

  // ---- datasets

  async listDatasets(options: { page: number; limit: number; keyword?: string; ids?: string[] }): Promise<{ rows: Dataset[]; total: number }> {
    const filters: SQL[] = [this.datasetScope()];
    if (options.keyword) filters.push(like(datasets.name, escapeLike(options.keyword)));
    if (options.ids) filters.push(inArray(datasets.id, options.ids.length ? options.ids : [""]));
    const where = and(...filters);
    const [rows, totals] = await this.db.batch([
      this.db.select().from(datasets).where(where).orderBy(desc(datasets.createdAt), asc(datasets.id)).limit(options.limit).offset((options.page - 1) * options.limit),
      this.db.select({ total: count() }).from(datasets).where(where),
    ]);
    return { rows, total: totals[0]?.total ?? 0 };
  }

  async getDataset(id: string): Promise<Dataset | undefined> {
    return (await this.db.select().from(datasets).where(this.datasetScope(id)).limit(1))[0];
  }

  /**
   * The dataset as retrieval needs it: read at most once per 5 s per isolate, since every retrieve
   * call needs its settings before it can search. A write through this repository forgets it at
   * once in this isolate; another isolate sees changed settings within 5 s.
   */
  async getDatasetForRetrieval(id: string): Promise<Dataset | undefined> {
    const key = `${this.tenantId}\u0000${id}`;
    const cached = recentDatasets.get(key);
    if (cached) return cached;
    const dataset = await this.getDataset(id);
    if (dataset) recentDatasets.set(key, dataset, RETRIEVAL_DATASET_CACHE_MS);
    return dataset;
  }

  /** Drops the dataset from retrieval's cache (after a write to it). */
  forgetDataset(id: string): void {
    recentDatasets.delete(`${this.tenantId}\u0000${id}`);
  }

  async getDatasets(ids: string[]): Promise<Dataset[]> {
    if (ids.length === 0) return [];
    return this.db.select().from(datasets).where(and(this.datasetScope(), inArray(datasets.id, ids)));
  }

  async datasetNameTaken(name: string, exceptId?: string): Promise<boolean> {
    const rows = await this.db.select({ id: datasets.id }).from(datasets).where(and(this.datasetScope(), eq(datasets.name, name)));
    return rows.some((row) => row.id !== exceptId);
  }

  async insertDataset(values: Omit<typeof datasets.$inferInsert, "tenantId">): Promise<Dataset> {
    return (await this.db.insert(datasets).values({ ...values, tenantId: this.tenantId }).returning())[0]!;
  }

  async updateDataset(id: string, patch: DatasetPatch): Promise<Dataset | undefined> {
    const updated = (await this.db.update(datasets).set({ ...patch, updatedAt: nowSeconds() }).where(this.datasetScope(id)).returning())[0];
    this.forgetDataset(id);
    return updated;
  }

  setDatasetDocFormStatement(id: string, docForm: string) {
    return this.db.update(datasets).set({ docForm, updatedAt: nowSeconds() }).where(this.datasetScope(id));
  }

  /** Deletes the dataset (documents and segments cascade) and its keyword index rows. */
  async deleteDataset(id: string): Promise<boolean> {
    const [, deleted] = await this.client.batch([
      this.raw("DELETE FROM segments_fts WHERE tenant_id = ? AND dataset_id = ?", [this.tenantId, id]),
      this.prepared(this.db.delete(datasets).where(this.datasetScope(id))),
    ]);
    this.forgetDataset(id);
    return (deleted?.meta.changes ?? 0) > 0;
  }

  /** Document count and word count per dataset, for listings. */
  async datasetStats(ids: string[]): Promise<Map<string, { documentCount: number; wordCount: number }>> {
    const out = new Map<string, { documentCount: number; wordCount: number }>();
    if (ids.length === 0) return out;
    const rows = await this.db
      .select({ datasetId: documents.datasetId, documentCount: count(), wordCount: sum(documents.wordCount) })
      .from(documents)
      .where(and(eq(documents.tenantId, this.tenantId), inArray(documents.datasetId, ids)))
      .groupBy(documents.datasetId);
    for (const row of rows) out.set(row.datasetId, { documentCount: row.documentCount, wordCount: Number(row.wordCount ?? 0) });
    return out;
  }

  // ---- uploaded files

  async insertUploadFile(values: Omit<typeof uploadFiles.$inferInsert, "tenantId">): Promise<UploadFile> {
    return (await this.db.insert(uploadFiles).values({ ...values, tenantId: this.tenantId }).returning())[0]!;
  }

  async getUploadFile(id: string): Promise<UploadFile | undefined> {
    return (await this.db.select().from(uploadFiles).where(and(eq(uploadFiles.tenantId, this.tenantId), eq(uploadFiles.id, id))).limit(1))[0];
  }

  // ---- documents

  async listDocuments(datasetId: string, options: { page: number; limit: number; keyword?: string; status?: string }): Promise<{ rows: KnowledgeDocument[]; total: number }> {
    const filters: SQL[] = [this.documentScope(datasetId)];
    if (options.keyword) filters.push(like(documents.name, escapeLike(options.keyword)));
    if (options.status) filters.push(eq(documents.indexingStatus, options.status));
    const where = and(...filters);
    const [rows, totals] = await this.db.batch([
      this.db.select().from(documents).where(where).orderBy(desc(documents.position)).limit(options.limit).offset((options.page - 1) * options.limit),
      this.db.select({ total: count() }).from(documents).where(where),
    ]);
    return { rows, total: totals[0]?.total ?? 0 };
  }

  async allDocuments(datasetIds: string[]): Promise<KnowledgeDocument[]> {
    if (datasetIds.length === 0) return [];
    return this.db.select().from(documents).where(and(eq(documents.tenantId, this.tenantId), inArray(documents.datasetId, datasetIds)));
  }

  async getDocument(datasetId: string, id: string): Promise<KnowledgeDocument | undefined> {
    return (await this.db.select().from(documents).where(this.documentScope(datasetId, id)).limit(1))[0];
  }

  async getDocuments(datasetId: string, ids: string[]): Promise<KnowledgeDocument[]> {
    if (ids.length === 0) return [];
    return this.db.select().from(documents).where(and(this.documentScope(datasetId), inArray(documents.id, ids)));
  }

  async documentsOfBatch(datasetId: string, batch: string): Promise<KnowledgeDocument[]> {
    return this.db.select().from(documents).where(and(this.documentScope(datasetId), eq(documents.batch, batch))).orderBy(asc(documents.position));
  }

  async nextDocumentPosition(datasetId: string): Promise<number> {
    const rows = await this.db.select({ max: sql<number | null>`max(${documents.position})` }).from(documents).where(this.documentScope(datasetId));
    return (rows[0]?.max ?? 0) + 1;
  }

  async insertDocument(values: Omit<typeof documents.$inferInsert, "tenantId">): Promise<KnowledgeDocument> {
    return (await this.db.insert(documents).values({ ...values, tenantId: this.tenantId }).returning())[0]!;
  }

  async updateDocument(datasetId: string, id: string, patch: DocumentPatch): Promise<KnowledgeDocument | undefined> {
    return (await this.db.update(documents).set({ ...patch, updatedAt: nowSeconds() }).where(this.documentScope(datasetId, id)).returning())[0];
  }

  /** Moves a document to `status` only while it still holds `contentHash` (a newer upload wins). */
  async setDocumentStatus(datasetId: string, id: string, contentHash: string, patch: DocumentPatch): Promise<boolean> {
    const rows = await this.db
      .update(documents)
      .set({ ...patch, updatedAt: nowSeconds() })
      .where(and(this.documentScope(datasetId, id), eq(documents.contentHash, contentHash)))
      .returning({ id: documents.id });
    return rows.length === 1;
  }

  /** Deletes documents with their segments (cascade) and keyword rows; returns the deleted segment ids for the vector index. */
  async deleteDocuments(datasetId: string, ids: string[]): Promise<{ deleted: string[]; segmentIds: string[] }> {
    if (ids.length === 0) return { deleted: [], segmentIds: [] };
    const owned = await this.getDocuments(datasetId, ids);
    const ownedIds = owned.map((doc) => doc.id);
    if (ownedIds.length === 0) return { deleted: [], segmentIds: [] };
    const segmentRows = await this.db.select({ id: segments.id }).from(segments).where(and(eq(segments.tenantId, this.tenantId), inArray(segments.documentId, ownedIds)));
    const segmentIds = segmentRows.map((row) => row.id);
    await this.client.batch([
      ...chunked(segmentIds, 90).map((part) => this.ftsDelete(part)),
      this.prepared(this.db.delete(documents).where(and(this.documentScope(datasetId), inArray(documents.id, ownedIds)))),
    ]);
    return { deleted: ownedIds, segmentIds };
  }

  // ---- segments

  async segmentIdsOfDataset(datasetId: string): Promise<string[]> {
    const rows = await this.db.select({ id: segments.id }).from(segments).where(and(eq(segments.tenantId, this.tenantId), eq(segments.datasetId, datasetId)));
    return rows.map((row) => row.id);
  }

  async segmentIdsOfDocument(documentId: string): Promise<string[]> {
    const rows = await this.db.select({ id: segments.id }).from(segments).where(and(eq(segments.tenantId, this.tenantId), eq(segments.documentId, documentId)));
    return rows.map((row) => row.id);
  }

  /** Replaces a document's segments and their keyword rows in one batch (rows carry deterministic ids). */
  async replaceSegments(documentId: string, rows: SegmentInsert[]): Promise<void> {
    const statements: D1PreparedStatement[] = [
      this.raw("DELETE FROM segments_fts WHERE tenant_id = ? AND segment_id IN (SELECT id FROM segments WHERE tenant_id = ? AND document_id = ?)", [this.tenantId, this.tenantId, documentId]),
      this.prepared(this.db.delete(segments).where(and(eq(segments.tenantId, this.tenantId), eq(segments.documentId, documentId)))),
    ];
    // Parents first, so children's parent rows exist; 5 rows per statement stays under D1's 100 bound parameters.
    const ordered = [...rows].sort((a, b) => Number(a.parentId != null) - Number(b.parentId != null));
    for (const part of chunked(ordered, 5)) statements.push(this.prepared(this.db.insert(segments).values(part.map((row) => ({ ...row, tenantId: this.tenantId })))));
    await this.client.batch(statements);
  }

  /** The segments of a document to index in one message: top-level rows at positions [from, to) and their children. */
  async segmentsToIndex(documentId: string, from: number, to: number): Promise<Segment[]> {
    const parents = await this.db
      .select()
      .from(segments)
      .where(and(eq(segments.tenantId, this.tenantId), eq(segments.documentId, documentId), isNull(segments.parentId), sql`${segments.position} >= ${from} AND ${segments.position} < ${to}`));
    if (parents.length === 0) return [];
    const children: Segment[] = [];
    for (const part of chunked(parents.map((p) => p.id), 90)) {
      children.push(...(await this.db.select().from(segments).where(and(eq(segments.tenantId, this.tenantId), inArray(segments.parentId, part)))));
    }
    return [...parents, ...children];
  }

  /** Marks segments indexed and (re)writes their keyword rows; returns the document's completed top-level count. */
  async markSegmentsIndexed(documentId: string, indexed: Array<{ id: string; datasetId: string; content: string }>, topLevelIds: string[]): Promise<number> {
    const statements: D1PreparedStatement[] = [];
    for (const part of chunked(indexed, 20)) statements.push(this.ftsDelete(part.map((row) => row.id)), this.ftsInsert(part));
    for (const part of chunked(topLevelIds, 90)) {
      statements.push(this.prepared(this.db.update(segments).set({ status: "completed", updatedAt: nowSeconds() }).where(and(eq(segments.tenantId, this.tenantId), inArray(segments.id, part)))));
    }
    statements.push(this.raw("SELECT count(*) AS n FROM segments WHERE tenant_id = ? AND document_id = ? AND parent_id IS NULL AND status = 'completed'", [this.tenantId, documentId]));
    const results = await this.client.batch<{ n: number }>(statements);
    return results[results.length - 1]?.results[0]?.n ?? 0;
  }

  async listSegments(documentId: string, options: { page: number; limit: number; keyword?: string; enabled?: boolean; status?: string }): Promise<{ rows: Segment[]; total: number }> {
    const filters: SQL[] = [eq(segments.tenantId, this.tenantId), eq(segments.documentId, documentId), isNull(segments.parentId)];
    if (options.keyword) filters.push(like(segments.content, escapeLike(options.keyword)));
    if (options.enabled !== undefined) filters.push(eq(segments.enabled, options.enabled));
    if (options.status) filters.push(eq(segments.status, options.status));
    const where = and(...filters);
    const [rows, totals] = await this.db.batch([
      this.db.select().from(segments).where(where).orderBy(asc(segments.position)).limit(options.limit).offset((options.page - 1) * options.limit),
      this.db.select({ total: count() }).from(segments).where(where),
    ]);
    return { rows, total: totals[0]?.total ?? 0 };
  }

  async getSegment(documentId: string, id: string): Promise<Segment | undefined> {
    return (await this.db.select().from(segments).where(and(eq(segments.tenantId, this.tenantId), eq(segments.documentId, documentId), eq(segments.id, id))).limit(1))[0];
  }

  async getSegmentsByIds(ids: string[]): Promise<Segment[]> {
    const out: Segment[] = [];
    for (const part of chunked([...new Set(ids)], 90)) out.push(...(await this.db.select().from(segments).where(and(eq(segments.tenantId, this.tenantId), inArray(segments.id, part)))));
    return out;
  }

  /**
   * Segments by id together with the parents of any child chunks among them (parent-child
   * datasets), each with its document: one query per part of the list, the parts in parallel.
   */
  async getSegmentsForRetrieval(ids: string[]): Promise<Array<{ segment: Segment; document: KnowledgeDocument | null }>> {
    // Each id is bound twice (the rows and their parents), within D1's 100 bound parameters.
    const parts = chunked([...new Set(ids)], 45);
    const found = await Promise.all(
      parts.map((part) => {
        const parentIds = this.db.select({ id: segments.parentId }).from(segments).where(and(eq(segments.tenantId, this.tenantId), inArray(segments.id, part)));
        return this.db
          .select({ segment: segments, document: documents })
          .from(segments)
          .leftJoin(documents, and(eq(documents.tenantId, segments.tenantId), eq(documents.id, segments.documentId)))
          .where(and(eq(segments.tenantId, this.tenantId), or(inArray(segments.id, part), inArray(segments.id, parentIds))));
      }),
    );
    return [...new Map(found.flat().map((row) => [row.segment.id, row])).values()];
  }

  async childrenOf(parentIds: string[]): Promise<Segment[]> {
    const out: Segment[] = [];
    for (const part of chunked(parentIds, 90)) out.push(...(await this.db.select().from(segments).where(and(eq(segments.tenantId, this.tenantId), inArray(segments.parentId, part))).orderBy(asc(segments.position))));
    return out;
  }

  async nextSegmentPosition(documentId: string, parentId?: string): Promise<number> {
    const rows = await this.db
      .select({ max: sql<number | null>`max(${segments.position})` })
      .from(segments)
      .where(and(eq(segments.tenantId, this.tenantId), eq(segments.documentId, documentId), parentId ? eq(segments.parentId, parentId) : isNull(segments.parentId)));
    return (rows[0]?.max ?? 0) + 1;
  }

  async updateSegment(id: string, patch: Partial<Pick<Segment, "content" | "answer" | "keywords" | "enabled" | "wordCount" | "tokens" | "indexNodeHash" | "status">>): Promise<Segment | undefined> {
    return (await this.db.update(segments).set({ ...patch, updatedAt: nowSeconds() }).where(and(eq(segments.tenantId, this.tenantId), eq(segments.id, id))).returning())[0];
  }

  async setSegmentsEnabled(ids: string[], enabled: boolean): Promise<void> {
    for (const part of chunked(ids, 90)) await this.db.update(segments).set({ enabled, updatedAt: nowSeconds() }).where(and(eq(segments.tenantId, this.tenantId), inArray(segments.id, part)));
  }

  async insertSegments(rows: SegmentInsert[]): Promise<void> {
    for (const part of chunked(rows, 5)) await this.db.insert(segments).values(part.map((row) => ({ ...row, tenantId: this.tenantId })));
  }

  async writeKeywordRows(rows: Array<{ id: string; datasetId: string; content: string }>): Promise<void> {
    for (const part of chunked(rows, 20)) {
      const ids = part.map((row) => row.id);
      await this.client.batch([this.ftsDelete(ids), this.ftsInsert(part)]);
    }
  }

  /** Deletes segments (children of a deleted parent go with it) and their keyword rows; returns every deleted id. */
  async deleteSegments(ids: string[]): Promise<string[]> {
    const children = await this.childrenOf(ids);
    const all = [...ids, ...children.map((child) => child.id)];
    for (const part of chunked(all, 90)) {
      await this.client.batch([this.ftsDelete(part), this.prepared(this.db.delete(segments).where(and(eq(segments.tenantId, this.tenantId), inArray(segments.id, part))))]);
    }
    return all;
  }

  /** Recounts a document's segments, words and tokens after segments were added, edited or removed. */
  async refreshDocumentCounts(datasetId: string, documentId: string): Promise<void> {
    const { results } = await this.raw(
      "SELECT count(*) AS n, coalesce(sum(word_count), 0) AS words, coalesce(sum(tokens), 0) AS tokens, coalesce(sum(status = 'completed'), 0) AS done FROM segments WHERE tenant_id = ? AND document_id = ? AND parent_id IS NULL",
      [this.tenantId, documentId],
    ).all<{ n: number; words: number; tokens: number; done: number }>();
    const row = results[0];
    if (row) await this.updateDocument(datasetId, documentId, { totalSegments: row.n, completedSegments: row.done, wordCount: row.words, tokens: row.tokens });
  }

  async incrementHitCount(ids: string[]): Promise<void> {
    for (const part of chunked(ids, 90)) await this.db.update(segments).set({ hitCount: sql`${segments.hitCount} + 1` }).where(and(eq(segments.tenantId, this.tenantId), inArray(segments.id, part)));
  }

  /**
   * Full-text search (FTS5, bm25: more negative is better) over the given datasets' enabled segments.
   * `ORDER BY rank` (FTS5's bm25 by default) lets FTS5 sort the matches itself, so the tenant and
   * dataset columns are read only for the best rows until `topK` pass; ordering by a `bm25()`
   * expression makes SQLite read those columns for every match first (every segment, when the
   * query has a common word).
   */
  /**
   * Full-text hits ranked by bm25, best first.
   *
   * A term in half the index's rows or more gets no weight from bm25 (its idf is clamped to ~0), yet
   * FTS5 scores every row it matches: "the" or "record" would make a search rank the whole index.
   * So the search first leaves such terms out, by the index's own counts (`segments_fts_vocab`) in
   * the same statement; the row bound is the largest rowid, never less than the row count, so only
   * terms bm25 ignores are dropped. Rows matched only by dropped terms would rank last, so when
   * that search finds fewer than `topK` rows, the whole query runs and its ranking is the answer.
   */
  async keywordSearch(datasetIds: string[], query: string, topK: number): Promise<Array<{ segmentId: string; bm25: number }>> {
    const words = queryWords(query);
    if (words.length === 0 || datasetIds.length === 0) return [];
    const everyWord = words.map(quoted).join(" OR ");
    const scope = `tenant_id = ? AND dataset_id IN (${datasetIds.map(() => "?").join(", ")})`;
    const { results: rare } = await this.raw(
      `WITH words(word, key) AS (SELECT value ->> 0, value ->> 1 FROM json_each(?)),
        kept(match) AS (
          SELECT group_concat('"' || replace(word, '"', '""') || '"', ' OR ') FROM words LEFT JOIN segments_fts_vocab vocab ON vocab.term = words.key
          WHERE coalesce(vocab.doc, 0) * 2 < (SELECT coalesce(max(rowid), 0) FROM segments_fts)
        )
      SELECT segment_id, rank AS score, (SELECT match FROM kept) AS searched FROM segments_fts
      WHERE segments_fts MATCH coalesce((SELECT match FROM kept), ?) AND ${scope} ORDER BY rank LIMIT ?`,
      [JSON.stringify(words.map((word) => [word, vocabularyKey(word)])), everyWord, this.tenantId, ...datasetIds, topK],
    ).all<{ segment_id: string; score: number; searched: string | null }>();
    let results: Array<{ segment_id: string; score: number }> = rare;
    const dropped = rare.length === 0 || (rare[0]!.searched !== null && rare[0]!.searched !== everyWord);
    if (rare.length < topK && dropped) {
      results = (await this.raw(`SELECT segment_id, rank AS score FROM segments_fts WHERE segments_fts MATCH ? AND ${scope} ORDER BY rank LIMIT ?`, [everyWord, this.tenantId, ...datasetIds, topK]).all<{ segment_id: string; score: number }>()).results;
    }
    return results.map((row) => ({ segmentId: row.segment_id, bm25: row.score }));
  }

  // ---- metadata fields

  async metadataFields(datasetIds: string[]): Promise<MetadataField[]> {
    if (datasetIds.length === 0) return [];
    return this.db.select().from(datasetMetadataFields).where(and(eq(datasetMetadataFields.tenantId, this.tenantId), inArray(datasetMetadataFields.datasetId, datasetIds))).orderBy(asc(datasetMetadataFields.createdAt), asc(datasetMetadataFields.name));
  }

  async insertMetadataField(values: { id: string; datasetId: string; name: string; type: string }): Promise<MetadataField> {
    return (await this.db.insert(datasetMetadataFields).values({ ...values, tenantId: this.tenantId }).returning())[0]!;
  }

  async renameMetadataField(datasetId: string, id: string, name: string): Promise<MetadataField | undefined> {
    return (await this.db.update(datasetMetadataFields).set({ name }).where(and(eq(datasetMetadataFields.tenantId, this.tenantId), eq(datasetMetadataFields.datasetId, datasetId), eq(datasetMetadataFields.id, id))).returning())[0];
  }

  async deleteMetadataField(datasetId: string, id: string): Promise<MetadataField | undefined> {
    return (await this.db.delete(datasetMetadataFields).where(and(eq(datasetMetadataFields.tenantId, this.tenantId), eq(datasetMetadataFields.datasetId, datasetId), eq(datasetMetadataFields.id, id))).returning())[0];
  }

  // ---- tags

  async listTags(type: string): Promise<Array<Tag & { bindingCount: number }>> {
    const rows = await this.db
      .select({ tag: tags, bindingCount: count(tagBindings.id) })
      .from(tags)
      .leftJoin(tagBindings, eq(tagBindings.tagId, tags.id))
      .where(and(eq(tags.tenantId, this.tenantId), eq(tags.type, type)))
      .groupBy(tags.id)
      .orderBy(asc(tags.createdAt), asc(tags.name));
    return rows.map((row) => ({ ...row.tag, bindingCount: row.bindingCount }));
  }

  async getTag(id: string): Promise<Tag | undefined> {
    return (await this.db.select().from(tags).where(and(eq(tags.tenantId, this.tenantId), eq(tags.id, id))).limit(1))[0];
  }

  async insertTag(values: { id: string; name: string; type: string; createdBy?: string }): Promise<Tag> {
    return (await this.db.insert(tags).values({ ...values, tenantId: this.tenantId }).returning())[0]!;
  }

  async renameTag(id: string, name: string): Promise<Tag | undefined> {
    return (await this.db.update(tags).set({ name }).where(and(eq(tags.tenantId, this.tenantId), eq(tags.id, id))).returning())[0];
  }

  async deleteTag(id: string): Promise<boolean> {
    return (await this.db.delete(tags).where(and(eq(tags.tenantId, this.tenantId), eq(tags.id, id))).returning({ id: tags.id })).length === 1;
  }

  async bindTags(tagIds: string[], targetId: string): Promise<void> {
    for (const tagId of tagIds) await this.db.insert(tagBindings).values({ id: crypto.randomUUID(), tenantId: this.tenantId, tagId, targetId }).onConflictDoNothing();
  }

  async unbindTag(tagId: string, targetId: string): Promise<void> {
    await this.db.delete(tagBindings).where(and(eq(tagBindings.tenantId, this.tenantId), eq(tagBindings.tagId, tagId), eq(tagBindings.targetId, targetId)));
  }

  async tagsOf(targetIds: string[]): Promise<Map<string, Array<{ id: string; name: string; type: string }>>> {
    const out = new Map<string, Array<{ id: string; name: string; type: string }>>();
    if (targetIds.length === 0) return out;
    const rows = await this.db
      .select({ targetId: tagBindings.targetId, id: tags.id, name: tags.name, type: tags.type })
      .from(tagBindings)
      .innerJoin(tags, eq(tags.id, tagBindings.tagId))
      .where(and(eq(tagBindings.tenantId, this.tenantId), inArray(tagBindings.targetId, targetIds)));
    for (const row of rows) {
      const list = out.get(row.targetId) ?? [];
      list.push({ id: row.id, name: row.name, type: row.type });
      out.set(row.targetId, list);
    }
    return out;
  }

  async targetsWithTags(tagIds: string[]): Promise<string[]> {
    if (tagIds.length === 0) return [];
    const rows = await this.db.select({ targetId: tagBindings.targetId }).from(tagBindings).where(and(eq(tagBindings.tenantId, this.tenantId), inArray(tagBindings.tagId, tagIds)));
    return [...new Set(rows.map((row) => row.targetId))];
  }
}

function chunked<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
