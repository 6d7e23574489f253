export { httpRequestNode, MAX_BINARY_RESPONSE_BYTES, MAX_TEXT_RESPONSE_BYTES } from "./http-request-node";
export { buildHttpRequest, HttpRequestConfigError, type BuiltHttpRequest } from "./build-request";
export { parseKeyValueLines } from "./parse-key-values";
export { isFileResponse, filenameFromDisposition } from "./response-kind";
export { httpRequestNodeDataSchema, type HttpRequestNodeData } from "./schema";
