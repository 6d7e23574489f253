/**
 * Dify's CleanProcessor: invalid symbols are always removed; `remove_extra_spaces` and
 * `remove_urls_emails` apply when enabled. `remove_stopwords` is accepted and ignored, as in Dify
 * (it only matters for the economy keyword table).
 */
export interface PreProcessingRule {
  id: string;
  enabled: boolean;
}

// Control characters (except tab and newlines) and the U+FFFE non-character.
const INVALID_SYMBOLS = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\uFFFE]/g;
const EXTRA_NEWLINES = /\n{3,}/g;
const EXTRA_SPACES = /[\t\f\r\x20\u00a0\u1680\u180e\u2000-\u200a\u202f\u205f\u3000]{2,}/g;
const EMAIL = /[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\.[a-zA-Z0-9-.]+/g;
const MARKDOWN_LINK = /(!?\[[^\]\n]*\]\()(https?:\/\/[^\s)]+)(\))/g;
const URL = /https?:\/\/[^\s)]+/g;

/**
 * Cleans text before chunking.
 *
 * @example
 * cleanText("a  b\n\n\n\nc", [{ id: "remove_extra_spaces", enabled: true }]) // "a b\n\nc"
 */
export function cleanText(text: string, rules: PreProcessingRule[] = []): string {
  let out = text.replace(/<\|/g, "<").replace(/\|>/g, ">").replace(INVALID_SYMBOLS, "");
  const enabled = new Set(rules.filter((rule) => rule.enabled).map((rule) => rule.id));
  if (enabled.has("remove_extra_spaces")) {
    out = out.replace(EXTRA_NEWLINES, "\n\n").replace(EXTRA_SPACES, " ");
  }
  if (enabled.has("remove_urls_emails")) {
    out = out.replace(EMAIL, "");
    // Markdown links and images keep their URLs (Dify keeps them too); bare URLs go.
    const kept: string[] = [];
    out = out.replace(MARKDOWN_LINK, (_match, open: string, url: string, close: string) => {
      kept.push(url);
      return `${open}\u0000${kept.length - 1}\u0000${close}`;
    });
    out = out.replace(URL, "");
    out = out.replace(/\u0000(\d+)\u0000/g, (_match, index: string) => kept[Number(index)]!);
  }
  return out;
}
