/**
 * A note's text. Dify's note nodes keep it as a serialized Lexical editor state (`data.text`, a
 * JSON string: root → paragraphs, headings, lists → text, line breaks, links); Waggle's notes are
 * plain text and are written back in that shape, one paragraph per line, so Dify reads them too.
 */
type LexicalNode = { type?: unknown; text?: unknown; children?: unknown };

const children = (node: LexicalNode): LexicalNode[] => (Array.isArray(node.children) ? (node.children as LexicalNode[]).filter((c) => c && typeof c === "object") : []);

/** A block's inline content: text runs (links and other wrappers included) and line breaks. */
function inline(node: LexicalNode): string {
  if (node.type === "text") return typeof node.text === "string" ? node.text : "";
  if (node.type === "linebreak") return "\n";
  return children(node).map(inline).join("");
}

/** The lines of a block: a paragraph, heading, quote or list item is one (with its line breaks); a list is its items. */
function blockLines(node: LexicalNode): string[] {
  if (node.type === "list") return children(node).flatMap(blockLines);
  return inline(node).split("\n");
}

/** The note's text as plain lines; text that is not a Lexical state is shown as it is. */
export function noteToText(text: unknown): string {
  if (typeof text !== "string" || text === "") return "";
  let state: { root?: LexicalNode };
  try {
    state = JSON.parse(text) as { root?: LexicalNode };
  } catch {
    return text;
  }
  if (!state || typeof state !== "object" || !state.root || typeof state.root !== "object") return text;
  return children(state.root).flatMap(blockLines).join("\n");
}

const textNode = (text: string) => ({ detail: 0, format: 0, mode: "normal", style: "", text, type: "text", version: 1 });

/** Plain text as Dify's note state: one paragraph per line. */
export function textToNote(text: string): string {
  const paragraphs = text.split("\n").map((line) => ({
    children: line ? [textNode(line)] : [],
    direction: line ? "ltr" : null,
    format: "",
    indent: 0,
    type: "paragraph",
    version: 1,
    textFormat: 0,
  }));
  return JSON.stringify({ root: { children: paragraphs, direction: "ltr", format: "", indent: 0, type: "root", version: 1 } });
}

/** Dify's note colours. */
export const NOTE_THEMES = ["blue", "cyan", "green", "yellow", "pink", "violet"] as const;
