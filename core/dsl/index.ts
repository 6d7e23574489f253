/**
 * The graph DSL: schemas and validation. Imports only zod, so the web editor can use it.
 */
export * from "./graph-schema";
export * from "./problem";
export { findSelectorReferences, TEMPLATE_REFERENCE_PATTERN, type SelectorReference } from "./selector-references";
export { validateGraph, RESERVED_NODE_IDS, type NodeTypeCatalog, type NodeTypeInfo, type ValidateGraphOptions } from "./validate-graph";
export { DIFY_NODE_TYPES, difyNodeTypeCatalog, type DifyNodeType } from "./dify-node-types";
