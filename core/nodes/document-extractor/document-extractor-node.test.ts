import { describe, expect, it } from "vitest";
import { createEgress } from "../../egress";
import { startLocalTestServer } from "../../egress/testing";
import { buildGraph, runCollecting } from "../../engine/testing";
import { createNodeRegistry } from "..";
import { memoryBlobStore } from "../files/testing";
import { documentExtractorNode } from "./document-extractor-node";
import { minimalPdf } from "./fixtures";

const registry = createNodeRegistry().register(documentExtractorNode);
const upload = (id: string, filename: string, mime_type: string) => ({
  dify_model_identity: "__dify__file__",
  type: "document",
  transfer_method: "local_file",
  related_id: id,
  filename,
  extension: filename.slice(filename.lastIndexOf(".")),
  mime_type,
  size: -1,
});

async function extract(inputs: Record<string, unknown>, ports: Record<string, unknown>, selector = ["start", "doc"]) {
  const graph = buildGraph(
    [
      { id: "start", type: "start", variables: [{ variable: "doc", type: "file" }, { variable: "docs", type: "file-list" }] },
      { id: "extract", type: "document-extractor", variable_selector: selector },
      { id: "end", type: "end", outputs: [{ variable: "text", value_selector: ["extract", "text"] }] },
    ],
    [["start", "extract"], ["extract", "end"]],
  );
  const { result, events } = await runCollecting({ graph, registry, inputs, ports });
  const finished = events.find((event) => event.type === "node_finished" && event.data.node_id === "extract");
  return { result, node: finished?.type === "node_finished" ? finished.data : undefined };
}

describe("document-extractor node", () => {
  it("extracts the text of one uploaded file", async () => {
    const blobs = memoryBlobStore();
    await blobs.put("files/f1", "<p>Hello <b>there</b></p>", { contentType: "text/html" });
    const { result } = await extract({ doc: upload("f1", "page.html", "text/html") }, { blobs });
    expect(result.outputs).toEqual({ text: "Hello there" });
  });

  it("returns a list of texts for a file list", async () => {
    const blobs = memoryBlobStore();
    await blobs.put("files/a", "a,b\n1,2\n");
    await blobs.put("files/b", minimalPdf(["Quarterly report"]));
    const { result } = await extract({ docs: [upload("a", "t.csv", "text/csv"), upload("b", "r.pdf", "application/pdf")] }, { blobs }, ["start", "docs"]);
    expect(result.status).toBe("succeeded");
    const [csv, pdf] = result.outputs?.text as string[];
    expect(csv).toBe("| a | b |\n| --- | --- |\n| 1 | 2 |");
    expect(pdf).toContain("Quarterly report");
  });

  it("reads remote_url files through the egress port", async () => {
    const server = await startLocalTestServer(() => ({ headers: { "content-type": "text/plain" }, body: "remote text" }));
    try {
      const file = { dify_model_identity: "__dify__file__", type: "document", transfer_method: "remote_url", remote_url: `${server.origin}/notes.txt`, filename: "notes.txt", extension: ".txt", mime_type: "text/plain", size: -1 };
      const allowed = await extract({ doc: file }, { http: createEgress({ fetch: (i, init) => globalThis.fetch(i, init), allowLoopback: true }) });
      expect(allowed.result.outputs).toEqual({ text: "remote text" });
      const guarded = await extract({ doc: file }, { http: createEgress({ fetch: (i, init) => globalThis.fetch(i, init) }) });
      expect(guarded.node?.error).toMatch(/private or loopback/);
      expect(server.requests).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it("fails clearly for unsupported types, missing files and non-file variables", async () => {
    const blobs = memoryBlobStore();
    await blobs.put("files/x", "MZ");
    expect((await extract({ doc: upload("x", "tool.exe", "application/x-msdownload") }, { blobs })).node?.error).toBe("Unsupported file type: .exe");
    expect((await extract({ doc: upload("missing", "a.txt", "text/plain") }, { blobs })).node?.error).toBe("File a.txt was not found in storage");
    expect((await extract({ doc: upload("x", "a.txt", "text/plain") }, {})).node?.error).toBe("File storage is not configured for this runtime");
    expect((await extract({}, { blobs }, ["start", "nothing"])).node?.error).toBe("File variable not found for selector: start.nothing");
  });
});
