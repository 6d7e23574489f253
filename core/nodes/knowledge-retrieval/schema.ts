import { z } from "zod";
import { baseNodeDataSchema, selectorSchema } from "../../dsl";

const rerankingModel = z.looseObject({ provider: z.string(), model: z.string() });

/** Dify's knowledge-retrieval node `data` (loose: unknown fields are kept). */
export const knowledgeRetrievalNodeDataSchema = baseNodeDataSchema.extend({
  type: z.literal("knowledge-retrieval"),
  query_variable_selector: selectorSchema.nullish(),
  dataset_ids: z.array(z.string()).default([]),
  retrieval_mode: z.enum(["single", "multiple"]).default("multiple"),
  multiple_retrieval_config: z
    .looseObject({
      top_k: z.number().int().min(1).max(100).default(4),
      score_threshold: z.number().nullish(),
      reranking_enable: z.boolean().nullish(),
      reranking_mode: z.enum(["reranking_model", "weighted_score"]).nullish(),
      reranking_model: rerankingModel.nullish(),
      weights: z
        .looseObject({
          vector_setting: z.looseObject({ vector_weight: z.number() }).nullish(),
          keyword_setting: z.looseObject({ keyword_weight: z.number() }).nullish(),
        })
        .nullish(),
    })
    .nullish(),
  single_retrieval_config: z.looseObject({ model: z.unknown() }).nullish(),
  metadata_filtering_mode: z.enum(["disabled", "automatic", "manual"]).default("disabled"),
  metadata_filtering_conditions: z
    .looseObject({
      logical_operator: z.enum(["and", "or"]).default("and"),
      conditions: z.array(z.looseObject({ name: z.string(), comparison_operator: z.string(), value: z.unknown().optional() })).default([]),
    })
    .nullish(),
});
export type KnowledgeRetrievalNodeData = z.infer<typeof knowledgeRetrievalNodeDataSchema>;
