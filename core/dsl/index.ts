/**
 * The graph DSL: schemas and validation, and Dify's YAML import / export. The schemas import only
 * zod; the YAML files import `yaml` (tree-shaken out of the editor when it does not use them).
 */
export * from "./graph-schema";
export * from "./problem";
export { BUILT_IN_METADATA_FIELDS, comparisonOperators, valuelessOperators } from "./metadata-conditions";
export { keywordList, MODERATION_LIMITS, MODERATION_TYPES, moderationProblems, readModeration, unsupportedModerationMessage, type ModerationSetting, type ModerationSide } from "./moderation";
export { findSelectorReferences, TEMPLATE_REFERENCE_PATTERN, type SelectorReference } from "./selector-references";
export { validateGraph, RESERVED_NODE_IDS, type NodeTypeCatalog, type NodeTypeInfo, type ValidateGraphOptions } from "./validate-graph";
export { DIFY_NODE_TYPES, difyNodeTypeCatalog, type DifyNodeType } from "./dify-node-types";
export {
  appDslSchema,
  appModeSchema,
  checkDslVersion,
  CURRENT_DSL_VERSION,
  dslAppSchema,
  dslWorkflowSchema,
  parseAppDsl,
  type AppDsl,
  type AppMode,
  type DslImportStatus,
  type DslWorkflow,
  type ParsedDsl,
} from "./app-dsl";
export { prepareDslExport, type DslExportInput, type DslExportOptions } from "./dsl-export";
export { DSL_MAX_BYTES, IMPORTABLE_APP_MODES, readDslYaml, writeDslYaml, type DslReadResult, type ReadDslOptions } from "./dsl-yaml";
export { dslDownloadUrl } from "./dsl-url";
export { codeDependencyProblems, NATIVE_BUILTIN_TOOL_PROVIDERS, NATIVE_PLUGIN_IDS, PYTHON_UNSUPPORTED, reviewDsl, unavailableToolProblems, unsupportedCodeProblems, type DslReview, type ReviewDslOptions } from "./review-dsl";
