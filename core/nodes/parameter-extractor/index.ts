export { parameterExtractorNode } from "./parameter-extractor-node";
export { parametersJsonSchema, transformExtraction, validateExtraction } from "./extracted-values";
export { extractorParameterSchema, parameterExtractorNodeDataSchema, type ExtractorParameter, type ParameterExtractorNodeData } from "./schema";
