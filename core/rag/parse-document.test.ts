import { describe, expect, it } from "vitest";
import { minimalDocx, minimalPdf } from "../nodes/document-extractor/fixtures";
import { csvText, htmlText, parseDocument } from "./parse-document";
import { DocumentParseError } from "./rag-errors";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("parseDocument", () => {
  it("reads Markdown and text as they are", async () => {
    expect(await parseDocument(bytes("# Title\n\nBody *text*"), "md")).toBe("# Title\n\nBody *text*");
    expect(await parseDocument(bytes("\uFEFFplain"), ".txt")).toBe("plain");
  });

  it("reads HTML through a parser: scripts and styles dropped, blocks on their own lines, entities decoded", async () => {
    const html = "<html><head><title>T</title><style>p{color:red}</style></head><body><h1>Title</h1><p>Hello <b>world</b> &amp; more</p><script>alert('x')</script><ul><li>a</li><li>b</li></ul><table><tr><td>1</td><td>2</td></tr></table></body></html>";
    expect(await parseDocument(bytes(html), "html")).toBe("Title\nHello world & more\na\nb\n1 2");
  });

  it("survives 20,000 nested elements", () => {
    const html = `${"<div>".repeat(20_000)}deep${"</div>".repeat(20_000)}`;
    expect(htmlText(html)).toBe("deep");
  });

  it("reads CSV as one `column: value` line per row", () => {
    expect(csvText('name,city\nAda,"London, UK"\nLin,Paris\n')).toBe("name: Ada;city: London, UK\nname: Lin;city: Paris");
  });

  it("pretty-prints JSON and refuses broken JSON with a reason", async () => {
    expect(await parseDocument(bytes('{"a":[1,2]}'), "json")).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
    await expect(parseDocument(bytes("{nope"), "json")).rejects.toThrow(/Failed to parse JSON/);
  });

  it("extracts text from PDF and DOCX", async () => {
    expect(await parseDocument(minimalPdf(["Quarterly revenue grew"]), "pdf")).toContain("Quarterly revenue grew");
    expect(await parseDocument(await minimalDocx(["First paragraph", "Second paragraph"]), "docx")).toBe("First paragraph\n\nSecond paragraph");
  });

  it("explains empty, corrupt and unsupported files", async () => {
    await expect(parseDocument(new Uint8Array(), "txt")).rejects.toThrow(/empty \(0 bytes\)/);
    await expect(parseDocument(bytes("   \n "), "txt")).rejects.toThrow(/contains no text/);
    const corrupt = parseDocument(bytes("%PDF-1.4\nthis is not really a pdf"), "pdf");
    await expect(corrupt).rejects.toBeInstanceOf(DocumentParseError);
    await expect(corrupt).rejects.toThrow(/PDF/);
    await expect(parseDocument(bytes("PK\u0003\u0004garbage"), "docx")).rejects.toThrow(/DOCX/);
    await expect(parseDocument(bytes("x"), "exe")).rejects.toThrow(/cannot be indexed/);
  });
});
