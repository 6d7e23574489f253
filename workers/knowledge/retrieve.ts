import {
  assertKnownMetadataFields,
  cosineSimilarity,
  matchesMetadata,
  normaliseBm25,
  rankCandidates,
  RagConfigError,
  type Candidate,
  type Rerank,
  type RetrievalModel,
} from "../../core/rag";
import { WaggleError } from "../../core/errors";
import { isModelError, type ModelRuntime } from "../../core/models";
import { embedderFor } from "../adapters/embedder";
import { vectorStoreFor } from "../adapters/vector-store";
import type { Dataset, KnowledgeDocument, KnowledgeRepository, Segment } from "../db/repositories/knowledge-repository";
import type { Env } from "../env";

/** How many hits each search fetches per requested result, before fusion and filters cut them. */
const OVERFETCH = 4;
/** The vector index's largest topK without metadata (Vectorize: 100). */
const MAX_VECTOR_TOP_K = 100;

export interface RetrievedChild {
  id: string;
  content: string;
  position: number;
  score: number;
}

export interface RetrievedRecord {
  segment: Segment;
  document: KnowledgeDocument;
  dataset: Dataset;
  score: number;
  childChunks: RetrievedChild[];
}

export interface RetrieveOptions {
  env: Env;
  repo: KnowledgeRepository;
  datasets: Dataset[];
  query: string;
  model: RetrievalModel;
  /** Built lazily when a dataset uses a provider model or a rerank model is asked for. */
  runtime?: () => ModelRuntime;
  /** A dataset's own search method, when datasets are searched each their own way (multiple mode). */
  methodOf?: (dataset: Dataset) => RetrievalModel["search_method"] | undefined;
  /**
   * Runs work that may finish after the answer (the segments' hit counts, which nothing in the
   * answer reads); without it that work is awaited.
   */
  background?: (work: Promise<unknown>) => void;
}

/** Built-in metadata (Dify's `BuiltInField`) merged under the document's own values. */
function documentMetadata(document: KnowledgeDocument): Record<string, unknown> {
  return {
    document_name: document.name,
    uploader: document.createdBy ?? "",
    upload_date: document.createdAt,
    last_update_date: document.updatedAt,
    source: document.dataSourceType,
    ...(document.docMetadata ?? {}),
  };
}

interface DatasetHits {
  candidates: Candidate[];
  segments: Map<string, Segment>;
  documents: Map<string, KnowledgeDocument>;
}

/**
 * One dataset's candidates in two rounds of parallel requests: the query's embedding and vector
 * search with the full-text search; then the hit segments with their parents and documents (one
 * query) and, for weighted hybrid scoring, the stored vectors of hits only full-text search found.
 * Only the hits' documents are read, however many documents the dataset holds.
 */
async function searchDataset(options: RetrieveOptions, dataset: Dataset, eligible: (document: KnowledgeDocument) => boolean): Promise<DatasetHits> {
  const { env, repo, query, model } = options;
  const method = dataset.indexingTechnique === "economy" ? "keyword_search" : (options.methodOf?.(dataset) ?? model.search_method);
  const wantVector = method === "semantic_search" || method === "hybrid_search";
  const wantKeyword = method !== "semantic_search";
  const fetch = Math.min(MAX_VECTOR_TOP_K, model.top_k * OVERFETCH);
  const store = vectorStoreFor(env, repo.tenantId, dataset.id);
  let queryVector: number[] | undefined;
  const [vectorHits, keywordHits] = await Promise.all([
    (async () => {
      if (!wantVector) return [];
      const runtime = dataset.embeddingModel && dataset.embeddingModelProvider !== "waggle" ? options.runtime?.() : undefined;
      [queryVector] = await embedderFor(env, repo.tenantId, dataset, runtime).embed([query]);
      return (await store.query(queryVector!, { topK: fetch, filter: { dataset_id: dataset.id } })).matches;
    })(),
    wantKeyword ? repo.keywordSearch([dataset.id], query, fetch) : Promise.resolve([]),
  ]);
  // Hybrid weighting scores every candidate both ways: those only full-text found get their cosine from the stored vector.
  const vectorIds = new Set(vectorHits.map((hit) => hit.id));
  const keywordOnly = method === "hybrid_search" && queryVector ? [...new Set(keywordHits.map((hit) => hit.segmentId))].filter((id) => !vectorIds.has(id)) : [];
  const [rows, storedVectors] = await Promise.all([
    repo.getSegmentsForRetrieval([...vectorIds, ...keywordHits.map((hit) => hit.segmentId)]),
    keywordOnly.length ? store.getByIds(keywordOnly) : Promise.resolve([]),
  ]);
  const segments = new Map(rows.map(({ segment }) => [segment.id, segment]));
  const documentsById = new Map<string, KnowledgeDocument>();
  for (const { document } of rows) if (document && document.datasetId === dataset.id && eligible(document)) documentsById.set(document.id, document);
  const usable = (id: string) => {
    const segment = segments.get(id);
    if (!segment || !segment.enabled || segment.datasetId !== dataset.id) return false;
    if (segment.parentId && !segments.get(segment.parentId)?.enabled) return false;
    return documentsById.has(segment.documentId);
  };
  const byId = new Map<string, Candidate>();
  for (const hit of vectorHits) if (usable(hit.id)) byId.set(hit.id, { id: hit.id, content: segments.get(hit.id)!.content, vectorScore: hit.score });
  for (const hit of keywordHits) {
    if (!usable(hit.segmentId)) continue;
    const existing = byId.get(hit.segmentId);
    if (existing) existing.keywordScore = normaliseBm25(hit.bm25);
    else byId.set(hit.segmentId, { id: hit.segmentId, content: segments.get(hit.segmentId)!.content, keywordScore: normaliseBm25(hit.bm25) });
  }
  for (const stored of storedVectors) {
    const candidate = byId.get(stored.id);
    if (candidate && candidate.vectorScore === undefined) candidate.vectorScore = cosineSimilarity(queryVector!, stored.values);
  }
  return { candidates: [...byId.values()], segments, documents: documentsById };
}

/**
 * Retrieval over one or more datasets (queried in parallel), as Dify's `retrieve` and
 * `multiple_retrieve`: each dataset's vector and/or full-text hits (enabled segments of enabled,
 * unarchived, indexed documents that pass the metadata filter), merged and ranked once
 * (semantic, full-text, weighted hybrid, RRF or a rerank model), then `score_threshold` and
 * `top_k`. Parent-child datasets search their child chunks and return the parent with them.
 */
export async function retrieve(options: RetrieveOptions): Promise<RetrievedRecord[]> {
  try {
    return await retrieveRecords(options);
  } catch (error) {
    // A provider's refusal (no credentials, unknown model) is the caller's to fix: Dify answers 400.
    if (isModelError(error)) throw new WaggleError(error.code, error.message, error.isRetryable ? 503 : 400, { cause: error });
    throw error;
  }
}

async function retrieveRecords(options: RetrieveOptions): Promise<RetrievedRecord[]> {
  const { repo, datasets, model } = options;
  const conditions = model.metadata_filtering_conditions;
  if (conditions?.conditions.length) {
    const fields = await repo.metadataFields(datasets.map((dataset) => dataset.id));
    assertKnownMetadataFields(conditions, fields.map((field) => field.name));
  }
  const eligible = (document: KnowledgeDocument) =>
    document.enabled && !document.archived && document.completedSegments > 0 && matchesMetadata(documentMetadata(document), conditions);
  const perDataset = await Promise.all(datasets.map((dataset) => searchDataset(options, dataset, eligible)));
  const segments = new Map<string, Segment>();
  const documentsById = new Map<string, KnowledgeDocument>();
  for (const hits of perDataset) {
    for (const [id, segment] of hits.segments) segments.set(id, segment);
    for (const [id, document] of hits.documents) documentsById.set(id, document);
  }
  let rerank: Rerank | undefined;
  if (model.reranking_mode === "reranking_model" && model.reranking_enable !== false) {
    const provider = model.reranking_model?.reranking_provider_name;
    const name = model.reranking_model?.reranking_model_name;
    if (!provider || !name) throw new RagConfigError("reranking_mode reranking_model needs reranking_model.reranking_provider_name and reranking_model_name.");
    const runtime = options.runtime?.();
    if (!runtime) throw new RagConfigError("A rerank model is not available here.");
    rerank = async (query, texts) => {
      const result = await runtime.rerank({ provider, model: name, query, documents: texts });
      const scores = new Array<number>(texts.length).fill(0);
      for (const item of result.results) scores[item.index] = item.score;
      return scores;
    };
  }
  const ranked = await rankCandidates(
    perDataset.flatMap((hits) => hits.candidates),
    { query: options.query, model, rerank },
  );
  const datasetsById = new Map(datasets.map((dataset) => [dataset.id, dataset]));
  const records = new Map<string, RetrievedRecord>();
  for (const { id, score } of ranked) {
    const hit = segments.get(id)!;
    const segment = hit.parentId ? segments.get(hit.parentId)! : hit;
    let record = records.get(segment.id);
    if (!record) {
      record = { segment, document: documentsById.get(segment.documentId)!, dataset: datasetsById.get(segment.datasetId)!, score, childChunks: [] };
      records.set(segment.id, record);
    }
    if (hit.parentId) record.childChunks.push({ id: hit.id, content: hit.content, position: hit.position, score });
  }
  const out = [...records.values()];
  if (out.length) {
    const counted = repo.incrementHitCount(out.map((record) => record.segment.id));
    if (options.background) options.background(counted.catch(() => undefined));
    else await counted;
  }
  return out;
}
