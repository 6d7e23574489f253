import { Marked, type Tokens } from "marked";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);

/** Only web and mail links; anything else (`javascript:`, `data:`, …) is shown as text. */
function safeUrl(href: string): string | undefined {
  const trimmed = href.trim();
  if (/^(https?:|mailto:)/i.test(trimmed) || /^[/#?]/.test(trimmed)) return trimmed;
  return /^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? undefined : trimmed;
}

const marked = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    // Raw HTML in an answer is shown as text, never parsed: a model's answer may quote anything.
    html(token: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(token.text);
    },
    link(token: Tokens.Link) {
      const text = this.parser.parseInline(token.tokens);
      const href = safeUrl(token.href);
      if (!href) return text;
      const title = token.title ? ` title="${escapeHtml(token.title)}"` : "";
      return `<a href="${escapeHtml(href)}"${title} target="_blank" rel="noopener noreferrer">${text}</a>`;
    },
    image(token: Tokens.Image) {
      const href = safeUrl(token.href);
      if (!href || !/^https?:/i.test(href)) return escapeHtml(token.text);
      return `<img src="${escapeHtml(href)}" alt="${escapeHtml(token.text)}" loading="lazy">`;
    },
  },
});

/**
 * An answer's markdown as HTML that is safe to put in the page: raw HTML is escaped, and links and
 * images keep only web addresses.
 * @example renderMarkdown("**hi** <script>") // "<p><strong>hi</strong> &lt;script&gt;</p>\n"
 */
export function renderMarkdown(source: string): string {
  return marked.parse(source, { async: false });
}
