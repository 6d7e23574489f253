import type { KnowledgePort, KnowledgeResultItem } from "../../core/nodes/knowledge-retrieval";
import { DEFAULT_RETRIEVAL_MODEL, RagConfigError, retrievalModelSchema, type RetrievalModel } from "../../core/rag";
import type { ModelRuntime } from "../../core/models";
import { createDb } from "../db/client";
import { KnowledgeRepository } from "../db/repositories/knowledge-repository";
import type { Env } from "../env";
import { retrieve, type RetrievedRecord } from "../knowledge/retrieve";

/**
 * The knowledge-retrieval node's port: Waggle's retrieval over the run's tenant. Each dataset is
 * searched with its own method (semantic, full-text or hybrid, from its retrieval settings);
 * `multiple_retrieval_config` decides top_k, threshold and how the merged hits are reranked (when
 * the datasets' methods differ, by weighted score). Single mode uses the one dataset's settings.
 */
export function createKnowledgePort(env: Env, tenantId: string, runtime: () => ModelRuntime): KnowledgePort {
  return {
    async retrieve(request): Promise<KnowledgeResultItem[]> {
      const repo = new KnowledgeRepository(createDb(env.DB), tenantId);
      const datasets = await repo.getDatasets(request.datasetIds);
      const missing = request.datasetIds.filter((id) => !datasets.some((dataset) => dataset.id === id));
      if (missing.length) throw new RagConfigError(`Knowledge base ${missing.join(", ")} not found in this workspace.`);
      const ownOf = (dataset: (typeof datasets)[number]) => retrievalModelSchema.parse({ ...DEFAULT_RETRIEVAL_MODEL, ...(dataset.retrievalModel ?? {}) });
      const own = ownOf(datasets[0]!);
      if (request.datasetSettings) {
        const records = await retrieve({ env, repo, datasets, query: request.query, model: { ...own, metadata_filtering_conditions: request.metadataConditions ? (request.metadataConditions as RetrievalModel["metadata_filtering_conditions"]) : null }, runtime });
        return records.map(resultItem);
      }
      const methods = new Map(datasets.map((dataset) => [dataset.id, ownOf(dataset).search_method]));
      const mixed = new Set(methods.values()).size > 1;
      const reranking = request.reranking;
      const model: RetrievalModel = {
        ...own,
        top_k: request.topK,
        score_threshold_enabled: request.scoreThreshold !== null && request.scoreThreshold !== undefined,
        score_threshold: request.scoreThreshold ?? null,
        reranking_enable: Boolean(reranking),
        reranking_mode: reranking?.mode ?? null,
        reranking_model: reranking?.mode === "reranking_model" ? { reranking_provider_name: reranking.provider, reranking_model_name: reranking.model } : null,
        weights: reranking?.mode === "weighted_score" ? { vector_setting: { vector_weight: reranking.vectorWeight }, keyword_setting: { keyword_weight: reranking.keywordWeight } } : own.weights,
        ...(reranking?.mode === "weighted_score" || mixed ? { search_method: "hybrid_search" as const } : {}),
        metadata_filtering_conditions: request.metadataConditions ? (request.metadataConditions as RetrievalModel["metadata_filtering_conditions"]) : null,
      };
      const records = await retrieve({ env, repo, datasets, query: request.query, model: retrievalModelSchema.parse(model), runtime, methodOf: (dataset) => methods.get(dataset.id) });
      return records.map(resultItem);
    },
    async describe(ids) {
      const repo = new KnowledgeRepository(createDb(env.DB), tenantId);
      const found = new Map((await repo.getDatasets(ids)).map((dataset) => [dataset.id, dataset]));
      // In the node's order: the router numbers its tools by it.
      return ids.flatMap((id) => {
        const dataset = found.get(id);
        return dataset ? [{ id: dataset.id, name: dataset.name, description: dataset.description ?? "" }] : [];
      });
    },
  };
}

function resultItem(record: RetrievedRecord, i: number): KnowledgeResultItem {
  return {
    metadata: {
      _source: "knowledge",
      position: i + 1,
      dataset_id: record.dataset.id,
      dataset_name: record.dataset.name,
      document_id: record.document.id,
      document_name: record.document.name,
      data_source_type: record.document.dataSourceType,
      segment_id: record.segment.id,
      retriever_from: "workflow",
      score: record.score,
      segment_hit_count: record.segment.hitCount + 1,
      segment_word_count: record.segment.wordCount,
      segment_position: record.segment.position,
      segment_index_node_hash: record.segment.indexNodeHash,
      doc_metadata: record.document.docMetadata ?? null,
      ...(record.childChunks.length ? { child_chunks: record.childChunks } : {}),
    },
    title: record.document.name,
    content: record.segment.answer ? `question:${record.segment.content} \nanswer:${record.segment.answer}` : record.segment.content,
  };
}
