import { describe, expect, it } from "vitest";
import { noteToText, textToNote } from "./note-text";

// As Dify's note editor saves it: a paragraph with a bold run and a link, a line break, an empty paragraph, a list.
const difyNote = JSON.stringify({
  root: {
    type: "root",
    children: [
      { type: "paragraph", children: [{ type: "text", text: "Check the " }, { type: "text", format: 1, text: "refund" }, { type: "text", text: " rules" }, { type: "linebreak" }, { type: "link", url: "https://x.example", children: [{ type: "text", text: "policy page" }] }] },
      { type: "paragraph", children: [] },
      { type: "list", listType: "bullet", children: [{ type: "listitem", children: [{ type: "text", text: "one" }] }, { type: "listitem", children: [{ type: "text", text: "two" }] }] },
    ],
  },
});

describe("note text", () => {
  it("reads Dify's Lexical state as plain lines", () => {
    expect(noteToText(difyNote)).toBe("Check the refund rules\npolicy page\n\none\ntwo");
    expect(noteToText("")).toBe("");
    expect(noteToText(undefined)).toBe("");
    expect(noteToText("just words")).toBe("just words");
    expect(noteToText('{"not":"lexical"}')).toBe('{"not":"lexical"}');
  });

  it("writes plain text back as paragraphs that read the same", () => {
    for (const text of ["one line", "two\nlines", "gap\n\nbetween", ""]) expect(noteToText(textToNote(text))).toBe(text);
    const state = JSON.parse(textToNote("a\nb"));
    expect(state.root.type).toBe("root");
    expect(state.root.children.map((p: { type: string; children: { text: string }[] }) => [p.type, p.children[0]?.text])).toEqual([["paragraph", "a"], ["paragraph", "b"]]);
  });
});
