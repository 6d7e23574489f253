/**
 * HTML to readable text with a single forward scan (no regex backtracking, no recursion, so
 * hostile input such as 10,000 nested tags or unclosed `<script` runs in linear time). Script,
 * style and similar elements are dropped with their content; block elements become line breaks;
 * entities are decoded; whitespace is collapsed.
 */
const droppedElements = new Set(["script", "style", "noscript", "template", "svg", "math", "head", "iframe", "object"]);
// Line breaks come from markup, not from source newlines (which are just whitespace in HTML).
const LINE = "\u0001";
const PARAGRAPH = "\u0002";
const lineElements = new Set(["br", "dd", "div", "dt", "figcaption", "li", "tr", "title", "body", "html", "main", "nav", "form", "fieldset", "hr", "tbody", "thead", "tfoot"]);
const paragraphElements = new Set(["address", "article", "aside", "blockquote", "dl", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "ol", "p", "pre", "section", "table", "ul"]);
const cellElements = new Set(["td", "th"]);

export function htmlToText(source: string): string {
  const html = source.replace(/[\u0001\u0002]/g, "");
  const lower = html.toLowerCase();
  const parts: string[] = [];
  let position = 0;
  while (position < html.length) {
    const open = html.indexOf("<", position);
    if (open === -1) {
      parts.push(html.slice(position));
      break;
    }
    if (open > position) parts.push(html.slice(position, open));
    if (html.startsWith("<!--", open)) {
      const close = html.indexOf("-->", open + 4);
      position = close === -1 ? html.length : close + 3;
      continue;
    }
    const next = html[open + 1] ?? "";
    if (next === "!" || next === "?") {
      const close = html.indexOf(">", open + 2);
      position = close === -1 ? html.length : close + 1;
      continue;
    }
    const closing = next === "/";
    const nameStart = open + (closing ? 2 : 1);
    let nameEnd = nameStart;
    while (nameEnd < html.length && /[A-Za-z0-9:-]/.test(html[nameEnd])) nameEnd++;
    if (nameEnd === nameStart) {
      // A lone "<" in text.
      parts.push("<");
      position = open + 1;
      continue;
    }
    const name = lower.slice(nameStart, nameEnd);
    const tagEnd = endOfTag(html, nameEnd);
    position = tagEnd;
    if (!closing && droppedElements.has(name)) {
      const close = lower.indexOf(`</${name}`, position);
      if (close === -1) {
        position = html.length;
      } else {
        position = endOfTag(html, close + name.length + 2);
      }
      continue;
    }
    if (paragraphElements.has(name)) parts.push(PARAGRAPH);
    else if (lineElements.has(name)) parts.push(LINE);
    else if (cellElements.has(name)) parts.push(" ");
  }
  return decodeEntities(collapseWhitespace(parts.join("")));
}

/** Index just past the `>` that closes a tag, ignoring `>` inside quoted attribute values. */
function endOfTag(html: string, from: number): number {
  let quote = "";
  for (let i = from; i < html.length; i++) {
    const char = html[i];
    if (quote) {
      if (char === quote) quote = "";
    } else if (char === '"' || char === "'") {
      quote = char;
    } else if (char === ">") {
      return i + 1;
    }
  }
  return html.length;
}

const namedEntities: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", copy: "©", reg: "®", trade: "™", hellip: "…",
  mdash: "—", ndash: "–", lsquo: "‘", rsquo: "’", ldquo: "“", rdquo: "”", laquo: "«", raquo: "»", euro: "€",
  pound: "£", yen: "¥", cent: "¢", sect: "§", deg: "°", middot: "·", bull: "•", times: "×", divide: "÷",
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z][a-z0-9]{1,31});/gi, (match, body: string) => {
    if (body[0] === "#") {
      const code = body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : "\uFFFD";
    }
    return namedEntities[body.toLowerCase()] ?? match;
  });
}

function collapseWhitespace(text: string): string {
  return text
    .replace(/[ \t\r\n\f\v]+/g, " ")
    .replace(/ ?[\u0001\u0002][ \u0001\u0002]*/g, (run) => (run.includes(PARAGRAPH) ? "\n\n" : "\n"))
    .trim();
}
