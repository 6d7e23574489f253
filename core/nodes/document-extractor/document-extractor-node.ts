import { EgressError } from "../../egress";
import { defineNode, failed, succeeded, type NodePorts } from "../../engine";
import { FileAccessError, extensionFromFilename, isWorkflowFile, readWorkflowFile, type WorkflowFile } from "../files";
import { extractDocumentText, TextExtractionError, UnsupportedFileTypeError } from "./extract-text";
import { documentExtractorNodeDataSchema } from "./schema";

/** Dify's `UPLOAD_FILE_SIZE_LIMIT` (15 MB): larger documents are refused before parsing. */
export const MAX_DOCUMENT_BYTES = 15 * 1024 * 1024;

/**
 * Dify's document extractor: the selected file (or file list) is read through the BlobStore (or
 * the egress, for remote files) and turned into text; a list gives a list of texts.
 */
export const documentExtractorNode = defineNode({
  type: "document-extractor",
  schema: documentExtractorNodeDataSchema,
  async run(ctx) {
    const selector = ctx.config.variable_selector;
    const value = selector.length >= 2 ? ctx.resolve(selector) : undefined;
    const inputs = { variable_selector: selector };
    if (value === undefined || value === null) {
      return failed(`File variable not found for selector: ${selector.join(".")}`, "DocumentExtractorError", { inputs });
    }
    const extract = (file: WorkflowFile) => extractFile(file, ctx.ports, ctx.signal);
    try {
      if (Array.isArray(value)) {
        const files = value.filter(isWorkflowFile);
        if (files.length !== value.length) return failed("The selected list contains values that are not files", "DocumentExtractorError", { inputs });
        const texts: string[] = [];
        for (const file of files) texts.push(await extract(file));
        return succeeded({ text: texts }, { inputs });
      }
      if (!isWorkflowFile(value)) {
        return failed(`Unsupported variable type: ${typeof value}; select a file or a list of files`, "DocumentExtractorError", { inputs });
      }
      return succeeded({ text: await extract(value) }, { inputs });
    } catch (error) {
      if (error instanceof UnsupportedFileTypeError) return failed(error.message, "UnsupportedFileTypeError", { inputs });
      if (error instanceof TextExtractionError || error instanceof FileAccessError || error instanceof EgressError) {
        return failed(error.message, "TextExtractionError", { inputs });
      }
      throw error;
    }
  },
});

async function extractFile(file: WorkflowFile, ports: NodePorts, signal: AbortSignal): Promise<string> {
  const { bytes, mimeType } = await readWorkflowFile(file, ports, { maxBytes: MAX_DOCUMENT_BYTES, signal });
  const extension = file.extension ?? extensionFromFilename(file.filename);
  return extractDocumentText(bytes, { extension, mimeType: file.mime_type ?? mimeType });
}
