import { HTMLElement, Node as HtmlNode, NodeType, parse as parseHtml } from "node-html-parser";
import { decodeText, extractDocumentText, parseCsv, TextExtractionError, UnsupportedFileTypeError } from "../nodes/document-extractor";
import { DocumentParseError } from "./rag-errors";

/** File types a knowledge base accepts (Dify's default upload extensions for documents). */
export const KNOWLEDGE_FILE_EXTENSIONS = ["txt", "md", "markdown", "mdx", "html", "htm", "pdf", "docx", "csv", "json"] as const;

export function isKnowledgeFileExtension(extension: string): boolean {
  return (KNOWLEDGE_FILE_EXTENSIONS as readonly string[]).includes(extension.replace(/^\./, "").toLowerCase());
}

const droppedElements = new Set(["script", "style", "noscript", "template", "svg", "math", "head", "iframe", "object"]);
const blockElements = new Set([
  "address", "article", "aside", "blockquote", "body", "br", "dd", "div", "dl", "dt", "figcaption", "figure", "footer", "form",
  "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody",
  "thead", "tfoot", "tr", "title", "ul",
]);

/**
 * Readable text of an HTML document through a real HTML parser (`node-html-parser`, pure
 * JavaScript, runs in workerd). The tree is walked with an explicit stack, so 10,000 nested
 * elements cannot overflow the call stack. Scripts, styles and similar elements are dropped.
 *
 * @example
 * htmlText("<h1>Title</h1><p>Hello <b>world</b></p>") // "Title\nHello world"
 */
export function htmlText(html: string): string {
  const root = parseHtml(html, { comment: false, blockTextElements: { script: false, style: false, noscript: false, pre: true } });
  const lines: string[] = [];
  let current = "";
  const breakLine = () => {
    const line = current.replace(/\s+/g, " ").trim();
    if (line) lines.push(line);
    current = "";
  };
  // Each stack entry is a node to visit or a marker that closes a block element.
  const stack: Array<HtmlNode | "close"> = [root];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (item === "close") {
      breakLine();
      continue;
    }
    if (item.nodeType === NodeType.TEXT_NODE) {
      current += ` ${item.text}`;
      continue;
    }
    if (item.nodeType !== NodeType.ELEMENT_NODE) continue;
    const element = item as HTMLElement;
    const tag = element.rawTagName?.toLowerCase() ?? "";
    if (droppedElements.has(tag)) continue;
    if (tag === "td" || tag === "th") current += " ";
    const block = blockElements.has(tag);
    if (block) {
      breakLine();
      stack.push("close");
    }
    for (let i = element.childNodes.length - 1; i >= 0; i--) stack.push(element.childNodes[i]!);
  }
  breakLine();
  return lines.join("\n");
}

/**
 * CSV as Dify's knowledge extractor reads it: one line per row, `column: value` pairs joined by
 * `;`, so a row is the natural unit for the `\n` separator.
 */
export function csvText(csv: string): string {
  const rows = parseCsv(csv).filter((row) => row.length > 1 || (row[0] ?? "") !== "");
  if (rows.length === 0) return "";
  const [header, ...body] = rows;
  if (body.length === 0) return header!.join(";");
  return body.map((row) => header!.map((name, i) => `${name.trim()}: ${(row[i] ?? "").replace(/\r?\n/g, " ").trim()}`).join(";")).join("\n");
}

/**
 * The text of an uploaded document, chosen by its extension: txt/md as they are, HTML through a
 * parser, PDF (unpdf), DOCX (mammoth, zip-bomb guarded), CSV rows and pretty-printed JSON.
 * Throws `DocumentParseError` with a sentence a person can act on (corrupt file, no text, wrong type).
 *
 * @example
 * await parseDocument(bytes, "md") // the Markdown source
 */
export async function parseDocument(bytes: Uint8Array, extension: string): Promise<string> {
  const ext = extension.replace(/^\./, "").toLowerCase();
  if (bytes.byteLength === 0) throw new DocumentParseError("The file is empty (0 bytes). Upload a file with some text in it.");
  if (!isKnowledgeFileExtension(ext)) {
    throw new DocumentParseError(`Files of type .${ext} cannot be indexed. Supported types: ${KNOWLEDGE_FILE_EXTENSIONS.join(", ")}.`);
  }
  let text: string;
  try {
    if (ext === "html" || ext === "htm") text = htmlText(decodeText(bytes));
    else if (ext === "csv") text = csvText(decodeText(bytes));
    else if (ext === "txt" || ext === "md" || ext === "markdown" || ext === "mdx") text = decodeText(bytes);
    else text = await extractDocumentText(bytes, { extension: ext });
  } catch (error) {
    if (error instanceof TextExtractionError || error instanceof UnsupportedFileTypeError) {
      throw new DocumentParseError(`${error.message}. Check that the file opens in its usual application, or export it again and re-upload it.`, { cause: error });
    }
    if (error instanceof RangeError) throw new DocumentParseError("The document is nested too deeply to read.", { cause: error });
    throw error;
  }
  if (!text.trim()) {
    throw new DocumentParseError(
      ext === "pdf"
        ? "No text could be extracted from this PDF; it may be a scanned image. Run OCR on it or upload a text version."
        : "The document contains no text to index.",
    );
  }
  return text;
}
