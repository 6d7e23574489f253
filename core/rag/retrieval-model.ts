import { z } from "zod";
import { metadataConditionsSchema } from "./metadata-filter";

export const searchMethods = ["semantic_search", "full_text_search", "hybrid_search", "keyword_search"] as const;
export type SearchMethod = (typeof searchMethods)[number];

/** Dify's `retrieval_model` (dataset default, `retrieve` body and hit testing). */
export const retrievalModelSchema = z.looseObject({
  search_method: z.enum(searchMethods).default("semantic_search"),
  reranking_enable: z.boolean().nullish(),
  /** Dify's two modes plus `reciprocal_rank_fusion`, an option Waggle adds for hybrid search. */
  reranking_mode: z.enum(["reranking_model", "weighted_score", "reciprocal_rank_fusion"]).nullish(),
  reranking_model: z.looseObject({ reranking_provider_name: z.string().nullish(), reranking_model_name: z.string().nullish() }).nullish(),
  weights: z
    .looseObject({
      weight_type: z.string().nullish(),
      vector_setting: z.looseObject({ vector_weight: z.number().min(0).max(1) }).nullish(),
      keyword_setting: z.looseObject({ keyword_weight: z.number().min(0).max(1) }).nullish(),
    })
    .nullish(),
  top_k: z.number().int().min(1).max(100).default(4),
  score_threshold_enabled: z.boolean().nullish(),
  score_threshold: z.number().min(0).max(1).nullish(),
  metadata_filtering_conditions: metadataConditionsSchema.nullish(),
});
export type RetrievalModel = z.infer<typeof retrievalModelSchema>;

/** Dify's `default_retrieval_model`. */
export const DEFAULT_RETRIEVAL_MODEL: RetrievalModel = { search_method: "semantic_search", reranking_enable: false, top_k: 4, score_threshold_enabled: false };
