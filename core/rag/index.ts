export { chunkDocument, FULL_DOC_MAX_TOKENS, type Chunk, type ChildChunk } from "./chunk-document";
export { cleanText, type PreProcessingRule } from "./clean-text";
export { countTokens, wordCount } from "./count-tokens";
export { EMBED_BATCH_SIZE, modelEmbedder, type Embedder } from "./embedder";
export { cosineSimilarity, DEFAULT_WEIGHTS, keywordScores, reciprocalRankFusion, RRF_K, weightedScore } from "./fuse-scores";
export {
  HASHING_EMBEDDER_DIMENSIONS,
  HASHING_EMBEDDER_LABEL,
  HASHING_EMBEDDER_MODEL,
  HASHING_EMBEDDER_PROVIDER,
  hashingEmbedder,
  hashingEmbedding,
  lexicalTerms,
} from "./hashing-embedder";
export {
  assertKnownMetadataFields,
  BUILT_IN_METADATA_FIELDS,
  comparisonOperators,
  matchesMetadata,
  metadataConditionsSchema,
  metadataFieldTypes,
  type MetadataCondition,
  type MetadataConditions,
  type MetadataFieldType,
} from "./metadata-filter";
export { csvText, htmlText, isKnowledgeFileExtension, KNOWLEDGE_FILE_EXTENSIONS, parseDocument } from "./parse-document";
export {
  AUTOMATIC_RULES,
  docForms,
  MAX_SEGMENTATION_TOKENS,
  MIN_SEGMENTATION_TOKENS,
  processRuleSchema,
  resolveChunkingPlan,
  type ChunkingPlan,
  type DocForm,
  type ProcessRule,
  type Segmentation,
} from "./process-rule";
export { DocumentParseError, RagConfigError } from "./rag-errors";
export { normaliseBm25, rankCandidates, type Candidate, type RankOptions, type Ranked, type Rerank } from "./rank-candidates";
export { DEFAULT_RETRIEVAL_MODEL, retrievalModelSchema, searchMethods, type RetrievalModel, type SearchMethod } from "./retrieval-model";
export { splitText } from "./split-text";
