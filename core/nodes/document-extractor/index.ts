export { documentExtractorNode, MAX_DOCUMENT_BYTES } from "./document-extractor-node";
export { extractDocumentText, decodeText, UnsupportedFileTypeError, TextExtractionError } from "./extract-text";
export { htmlToText, decodeEntities } from "./html-to-text";
export { csvToMarkdown, parseCsv } from "./csv-to-markdown";
export { documentExtractorNodeDataSchema, type DocumentExtractorNodeData } from "./schema";
