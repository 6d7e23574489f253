import mammoth from "mammoth";
import { extractText as extractPdfText } from "unpdf";
import { csvToMarkdown } from "./csv-to-markdown";
import { htmlToText } from "./html-to-text";
import { zipUncompressedSize } from "./zip-guard";

/** A DOCX whose entries inflate to more than this is refused before it is unzipped. */
export const MAX_DOCX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024;

export class UnsupportedFileTypeError extends Error {
  override name = "UnsupportedFileTypeError";
}

export class TextExtractionError extends Error {
  override name = "TextExtractionError";
}

type Extractor = (bytes: Uint8Array) => Promise<string> | string;

const plainText: Extractor = (bytes) => decodeText(bytes);
const html: Extractor = (bytes) => htmlToText(decodeText(bytes));
const csv: Extractor = (bytes) => csvToMarkdown(decodeText(bytes));
const json: Extractor = (bytes) => {
  const text = decodeText(bytes);
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch (error) {
    throw new TextExtractionError(`Failed to parse JSON: ${(error as Error).message}`);
  }
};
const pdf: Extractor = async (bytes) => {
  try {
    // unpdf may transfer the buffer to its worker; hand it a copy.
    const { text } = await extractPdfText(new Uint8Array(bytes), { mergePages: true });
    return text.trim();
  } catch (error) {
    throw new TextExtractionError(`Failed to extract text from PDF: ${(error as Error).message}`);
  }
};
const docx: Extractor = async (bytes) => {
  const inflated = zipUncompressedSize(bytes);
  if (inflated === undefined) throw new TextExtractionError("Failed to extract text from DOCX: the file is not a readable ZIP archive");
  if (inflated > MAX_DOCX_UNCOMPRESSED_BYTES) {
    throw new TextExtractionError(`Failed to extract text from DOCX: its contents unpack to ${inflated} bytes; the limit is ${MAX_DOCX_UNCOMPRESSED_BYTES} bytes`);
  }
  try {
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    // Node's build of mammoth reads `buffer`, the browser/workerd build reads `arrayBuffer`.
    const result = await mammoth.extractRawText({ arrayBuffer: buffer, buffer: bytes } as unknown as { arrayBuffer: ArrayBuffer });
    return result.value.replace(/\n{3,}/g, "\n\n").trim();
  } catch (error) {
    throw new TextExtractionError(`Failed to extract text from DOCX: ${(error as Error).message}`);
  }
};

const byExtension: Record<string, Extractor> = {
  ".txt": plainText,
  ".text": plainText,
  ".md": plainText,
  ".markdown": plainText,
  ".mdx": plainText,
  ".log": plainText,
  ".xml": plainText,
  ".yaml": plainText,
  ".yml": plainText,
  ".vtt": plainText,
  ".properties": plainText,
  ".html": html,
  ".htm": html,
  ".csv": csv,
  ".json": json,
  ".pdf": pdf,
  ".docx": docx,
};

const byMimeType: Record<string, Extractor> = {
  "text/plain": plainText,
  "text/markdown": plainText,
  "text/x-markdown": plainText,
  "text/xml": plainText,
  "application/xml": plainText,
  "application/x-yaml": plainText,
  "application/yaml": plainText,
  "text/yaml": plainText,
  "text/vtt": plainText,
  "text/html": html,
  "application/xhtml+xml": html,
  "text/csv": csv,
  "application/csv": csv,
  "application/json": json,
  "application/pdf": pdf,
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": docx,
};

/**
 * Text of a document, chosen by extension first and MIME type second (Dify's order).
 *
 * @example
 * await extractDocumentText(bytes, { extension: ".csv" }) // "| a | b |\n| --- | --- |\n| 1 | 2 |"
 */
export async function extractDocumentText(bytes: Uint8Array, type: { extension?: string | null; mimeType?: string | null }): Promise<string> {
  const extension = type.extension ? (type.extension.startsWith(".") ? type.extension : `.${type.extension}`).toLowerCase() : undefined;
  const mimeType = type.mimeType?.split(";")[0].trim().toLowerCase();
  if (!extension && !mimeType) throw new UnsupportedFileTypeError("Unable to determine file type: MIME type or file extension is missing");
  const extractor = (extension && byExtension[extension]) ?? (mimeType && byMimeType[mimeType]) ?? (mimeType?.startsWith("text/") ? plainText : undefined);
  if (!extractor) throw new UnsupportedFileTypeError(`Unsupported file type: ${extension ?? mimeType}`);
  return extractor(bytes);
}

export function decodeText(bytes: Uint8Array): string {
  const text = new TextDecoder("utf-8").decode(bytes);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
