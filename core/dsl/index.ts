/**
 * The graph DSL: schemas and validation. Imports only zod, so the web editor can use it.
 */
export * from "./graph-schema";
export * from "./problem";
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
  prepareDslExport,
  type AppDsl,
  type AppMode,
  type DslImportStatus,
  type DslWorkflow,
  type ParsedDsl,
} from "./app-dsl";
