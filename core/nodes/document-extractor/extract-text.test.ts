import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { csvToMarkdown } from "./csv-to-markdown";
import { extractDocumentText } from "./extract-text";
import { minimalDocx, minimalPdf } from "./fixtures";
import { htmlToText } from "./html-to-text";
import JSZip from "jszip";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("extractDocumentText", () => {
  it("reads plain text and markdown, dropping a BOM", async () => {
    expect(await extractDocumentText(bytes("\uFEFFhello\nworld"), { extension: ".txt" })).toBe("hello\nworld");
    expect(await extractDocumentText(bytes("# Title\n\n- a"), { extension: "md" })).toBe("# Title\n\n- a");
    expect(await extractDocumentText(bytes("plain"), { mimeType: "text/plain; charset=utf-8" })).toBe("plain");
  });

  it("pretty-prints JSON and refuses invalid JSON", async () => {
    expect(await extractDocumentText(bytes('{"a":[1,2]}'), { extension: ".json" })).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
    await expect(extractDocumentText(bytes("{nope"), { extension: ".json" })).rejects.toThrow(/Failed to parse JSON/);
  });

  it("turns CSV into a Markdown table", async () => {
    const csv = 'name,quote\nAda,"Hello, ""world"""\nBob,"multi\nline | pipe"\n';
    expect(await extractDocumentText(bytes(csv), { extension: ".csv" })).toBe(
      ["| name | quote |", "| ---- | ----- |", '| Ada | Hello, "world" |', "| Bob | multi line \\| pipe |"].join("\n"),
    );
    expect(csvToMarkdown("")).toBe("");
  });

  it("extracts the text of HTML without scripts, styles or comments", async () => {
    const html = `<!doctype html><html><head><title>T</title><style>p{color:red}</style></head>
      <body><h1>Heading</h1><!-- hidden --><p>Fish &amp; chips &lt;3 &#8364;5 &#x1F600;</p>
      <script type="text/javascript">alert("x > y")</script><ul><li>one</li><li>two</li></ul>
      <a href="x" title="a > b">link</a><br>after</body></html>`;
    expect(await extractDocumentText(bytes(html), { extension: ".html" })).toBe("Heading\n\nFish & chips <3 €5 😀\n\none\ntwo\n\nlink\nafter");
  });

  it("extracts text from a PDF with unpdf", async () => {
    const text = await extractDocumentText(minimalPdf(["Hello from page one", "Second (page)"]), { extension: ".pdf" });
    expect(text).toContain("Hello from page one");
    expect(text).toContain("Second (page)");
  });

  it("extracts text from a DOCX with mammoth", async () => {
    const text = await extractDocumentText(await minimalDocx(["First paragraph", "Second & last"]), { mimeType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" });
    expect(text).toBe("First paragraph\n\nSecond & last");
  });

  it("refuses a DOCX that would unpack to more than the limit, before unzipping it", async () => {
    const zip = new JSZip();
    zip.file("word/document.xml", "a".repeat(70 * 1024 * 1024));
    const bomb = await zip.generateAsync({ type: "uint8array", compression: "DEFLATE" });
    expect(bomb.byteLength).toBeLessThan(1024 * 1024);
    await expect(extractDocumentText(bomb, { extension: ".docx" })).rejects.toThrow(/unpack to 73400320 bytes/);
  });

  it("reports corrupt PDFs and DOCX files and unsupported types", async () => {
    await expect(extractDocumentText(bytes("not a pdf"), { extension: ".pdf" })).rejects.toThrow(/Failed to extract text from PDF/);
    await expect(extractDocumentText(bytes("not a zip"), { extension: ".docx" })).rejects.toThrow(/Failed to extract text from DOCX/);
    await expect(extractDocumentText(bytes("x"), { extension: ".exe" })).rejects.toThrow("Unsupported file type: .exe");
    await expect(extractDocumentText(bytes("x"), {})).rejects.toThrow(/MIME type or file extension is missing/);
  });
});

describe("htmlToText on hostile input", () => {
  it("handles deep nesting and unclosed raw-text tags in linear time", () => {
    const deep = "<div>".repeat(10_000) + "core" + "</div>".repeat(10_000);
    expect(htmlToText(deep)).toBe("core");
    const unclosed = "<script>".repeat(50_000) + "x".repeat(100_000);
    const started = Date.now();
    expect(htmlToText(unclosed)).toBe("");
    expect(htmlToText("a <b c='>'>bold</b> < not a tag")).toBe("a bold < not a tag");
    // Quadratic work on this input would take minutes; the bound only catches that, not slowness.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("never throws", () => {
    fc.assert(fc.property(fc.string(), (html) => typeof htmlToText(html) === "string"));
  });
});
