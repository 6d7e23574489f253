/**
 * Highlighting for Jinja templates (template-transform, jinja2 prompts) and for Dify's variable
 * references `{{#node.var#}}` in any text. A small stream parser rather than a grammar package:
 * the editor only needs to tell text, tags, expressions and references apart.
 */
import { StreamLanguage, type StreamParser, type StringStream } from "@codemirror/language";

interface JinjaState {
  /** What the parser is inside: plain text, `{{ … }}`, `{% … %}` or `{# … #}`. */
  inside: "text" | "expression" | "statement" | "comment";
}

const KEYWORDS = new Set(["if", "elif", "else", "endif", "for", "endfor", "in", "not", "and", "or", "is", "set", "endset", "macro", "endmacro", "call", "endcall", "filter", "endfilter", "block", "endblock", "extends", "include", "import", "from", "as", "with", "without", "recursive", "raw", "endraw", "break", "continue"]);
const ATOMS = new Set(["true", "false", "none", "True", "False", "None"]);

/** Dify's reference syntax: `{{#node_id.variable#}}` (also `sys.`, `env.`, `conversation.`). */
export const REFERENCE = /\{\{#[A-Za-z0-9_.-]+#\}\}/;

function text(stream: StringStream, state: JinjaState): string | null {
  if (stream.match(REFERENCE)) return "variableName.special";
  if (stream.match(/^\{\{-?/)) return ((state.inside = "expression"), "meta");
  if (stream.match(/^\{%-?/)) return ((state.inside = "statement"), "meta");
  if (stream.match("{#")) return ((state.inside = "comment"), "comment");
  // Up to the next brace, where a tag may start.
  if (!stream.eatWhile(/[^{]/)) stream.next();
  return null;
}

function code(stream: StringStream, state: JinjaState): string | null {
  const close = state.inside === "expression" ? /^-?\}\}/ : /^-?%\}/;
  if (stream.eatSpace()) return null;
  if (stream.match(close)) {
    state.inside = "text";
    return "meta";
  }
  if (stream.match(/^"(?:[^"\\]|\\.)*"?/) || stream.match(/^'(?:[^'\\]|\\.)*'?/)) return "string";
  if (stream.match(/^\d+(\.\d+)?/)) return "number";
  if (stream.match(/^[A-Za-z_][A-Za-z0-9_]*/)) {
    const word = stream.current();
    if (KEYWORDS.has(word)) return "keyword";
    if (ATOMS.has(word)) return "atom";
    // A filter: the name after `|`.
    const before = stream.string.slice(0, stream.start).trimEnd();
    if (before.endsWith("|")) return "variableName.function";
    return stream.peek() === "(" ? "variableName.function" : "variableName";
  }
  if (stream.match(/^(==|!=|<=|>=|\*\*|\/\/|[-+*/%<>=~|])/)) return "operator";
  if (stream.match(/^[()[\]{}.,:]/)) return "punctuation";
  stream.next();
  return null;
}

export const jinjaParser: StreamParser<JinjaState> = {
  name: "jinja",
  startState: () => ({ inside: "text" }),
  copyState: (state) => ({ ...state }),
  token(stream, state) {
    if (state.inside === "text") return text(stream, state);
    if (state.inside === "comment") {
      if (stream.skipTo("#}")) {
        stream.match("#}");
        state.inside = "text";
      } else stream.skipToEnd();
      return "comment";
    }
    return code(stream, state);
  },
  languageData: { commentTokens: { block: { open: "{#", close: "#}" } } },
};

/** Jinja templates; `{{#…#}}` references inside them are highlighted too. */
export const jinja = () => StreamLanguage.define(jinjaParser);
