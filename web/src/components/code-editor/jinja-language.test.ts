import { StringStream } from "@codemirror/language";
import { describe, expect, it } from "vitest";
import { jinjaParser } from "./jinja-language";

/** Runs the parser over lines of text and returns `[text, style]` for every styled token. */
function tokens(...lines: string[]): [string, string][] {
  const state = jinjaParser.startState!(2);
  const found: [string, string][] = [];
  for (const line of lines) {
    const stream = new StringStream(line, 2, 2);
    while (!stream.eol()) {
      const style = jinjaParser.token(stream, state);
      if (style) found.push([stream.current(), style]);
      stream.start = stream.pos;
    }
  }
  return found;
}

describe("jinjaParser", () => {
  it("tells expressions, statements, filters and strings apart", () => {
    expect(tokens("Hi {{ name | upper }}! {% if n > 1 %}many{% endif %}")).toEqual([
      ["{{", "meta"],
      ["name", "variableName"],
      ["|", "operator"],
      ["upper", "variableName.function"],
      ["}}", "meta"],
      ["{%", "meta"],
      ["if", "keyword"],
      ["n", "variableName"],
      [">", "operator"],
      ["1", "number"],
      ["%}", "meta"],
      ["{%", "meta"],
      ["endif", "keyword"],
      ["%}", "meta"],
    ]);
  });

  it("marks Dify references in the text and leaves plain braces alone", () => {
    expect(tokens('Ask {{#start.query#}} about {"a": 1}')).toEqual([["{{#start.query#}}", "variableName.special"]]);
  });

  it("carries a comment and an open tag across lines", () => {
    expect(tokens("{# a note", "still a note #} {%- for x in items", "-%}")).toEqual([
      ["{#", "comment"],
      [" a note", "comment"],
      ["still a note #}", "comment"],
      ["{%-", "meta"],
      ["for", "keyword"],
      ["x", "variableName"],
      ["in", "keyword"],
      ["items", "variableName"],
      ["-%}", "meta"],
    ]);
  });

  it("reads strings with escapes and keeps true/none as atoms", () => {
    expect(tokens(`{{ "a \\" b" ~ 'c' if true else none }}`).map(([, style]) => style)).toEqual(["meta", "string", "operator", "string", "keyword", "atom", "keyword", "atom", "meta"]);
  });
});
