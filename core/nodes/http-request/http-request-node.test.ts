import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEgress } from "../../egress";
import { startLocalTestServer, type LocalTestServer } from "../../egress/testing";
import { buildGraph, runCollecting } from "../../engine/testing";
import { createNodeRegistry } from "..";
import { memoryBlobStore } from "../files/testing";
import { httpRequestNode } from "./http-request-node";

const registry = createNodeRegistry().register(httpRequestNode);
const realFetch = (input: Request | string | URL, init?: RequestInit) => globalThis.fetch(input, init);
const pdfBytes = new TextEncoder().encode("%PDF-1.4\n\u00ff\u00fe binary-ish");

let server: LocalTestServer;
beforeAll(async () => {
  server = await startLocalTestServer((request) => {
    const path = request.url.split("?")[0];
    if (path === "/report.pdf") {
      return { headers: { "content-type": "application/pdf", "content-disposition": 'attachment; filename="report.pdf"' }, body: pdfBytes };
    }
    if (path === "/image") return { headers: { "content-type": "image/png" }, body: new Uint8Array([137, 80, 78, 71, 0, 1, 2]) };
    if (path === "/big-text") return { headers: { "content-type": "text/plain" }, body: "x".repeat(1024 * 1024 + 10) };
    if (path === "/fail") return { status: 500, headers: { "content-type": "text/plain" }, body: "server broke" };
    if (path === "/to-metadata") return { status: 302, headers: { location: "http://169.254.169.254/latest/meta-data/" } };
    return {
      headers: { "content-type": "application/json", "x-echo": "yes" },
      body: JSON.stringify({
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: new TextDecoder().decode(request.body),
      }),
    };
  });
});
afterAll(() => server.close());

function ports(options: { allowLoopback?: boolean } = { allowLoopback: true }) {
  const blobs = memoryBlobStore();
  return { http: createEgress({ fetch: realFetch, allowLoopback: options.allowLoopback }), blobs };
}

async function runHttp(data: Record<string, unknown>, withPorts: Record<string, unknown> = ports(), inputs: Record<string, unknown> = { token: "sekret", name: "Ada Lovelace" }) {
  const graph = buildGraph(
    [
      { id: "start", type: "start", variables: [{ variable: "token", type: "text-input" }, { variable: "name", type: "text-input" }, { variable: "doc", type: "file" }] },
      { id: "http", type: "http-request", method: "get", url: `${server.origin}/echo`, headers: "", params: "", authorization: { type: "no-auth" }, body: { type: "none", data: [] }, ...data },
      { id: "end", type: "end", outputs: [{ variable: "status", value_selector: ["http", "status_code"] }] },
    ],
    [["start", "http"], ["http", "end"]],
  );
  const { result, events } = await runCollecting({ graph, registry, inputs, ports: withPorts });
  const finished = events.find((event) => event.type === "node_finished" && event.data.node_id === "http");
  const node = finished?.type === "node_finished" ? finished.data : undefined;
  const echoed = typeof node?.outputs?.body === "string" && node.outputs.body.startsWith("{") ? JSON.parse(node.outputs.body as string) : undefined;
  return { result, node, echoed };
}

describe("http-request node", () => {
  it("sends any-case methods with templated headers and params", async () => {
    const { node, echoed } = await runHttp({
      method: "Post",
      url: `${server.origin}/echo?fixed=1`,
      headers: "X-Name: {{#start.name#}}\nAccept:application/json\n\nX-Empty",
      params: "q:{{#start.name#}}\nflag",
      body: { type: "raw-text", data: [{ key: "", type: "text", value: "hello {{#start.name#}}" }] },
    });
    expect(node?.status).toBe("succeeded");
    expect(node?.outputs).toMatchObject({ status_code: 200, files: [], headers: expect.objectContaining({ "x-echo": "yes" }) });
    expect(echoed.method).toBe("POST");
    expect(echoed.url).toBe("/echo?fixed=1&q=Ada+Lovelace&flag=");
    expect(echoed.headers).toMatchObject({ "x-name": "Ada Lovelace", accept: "application/json", "x-empty": "", "content-type": "text/plain" });
    expect(echoed.body).toBe("hello Ada Lovelace");
  });

  it("applies bearer, basic and custom api-key authorization and masks it in the log", async () => {
    const bearer = await runHttp({ authorization: { type: "api-key", config: { type: "bearer", api_key: "{{#start.token#}}" } } });
    expect(bearer.echoed.headers.authorization).toBe("Bearer sekret");
    expect(bearer.node?.process_data?.request).not.toContain("sekret");
    const basic = await runHttp({ authorization: { type: "api-key", config: { type: "basic", api_key: "user:pass" } } });
    expect(basic.echoed.headers.authorization).toBe(`Basic ${btoa("user:pass")}`);
    const custom = await runHttp({ authorization: { type: "api-key", config: { type: "custom", api_key: "k-1", header: "X-Api-Key" } } });
    expect(custom.echoed.headers["x-api-key"]).toBe("k-1");
    const missing = await runHttp({ authorization: { type: "api-key", config: { type: "bearer", api_key: "" } } });
    expect(missing.node).toMatchObject({ status: "failed", error: "API key is required for api-key authorization" });
  });

  it("sends JSON, urlencoded and multipart bodies", async () => {
    const json = await runHttp({ method: "post", body: { type: "json", data: [{ key: "", type: "text", value: '{"name": "{{#start.name#}}", "n": 1}' }] } });
    expect(json.echoed.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(json.echoed.body)).toEqual({ name: "Ada Lovelace", n: 1 });

    const badJson = await runHttp({ method: "post", body: { type: "json", data: [{ key: "", type: "text", value: "{nope" }] } });
    expect(badJson.node).toMatchObject({ status: "failed", error: expect.stringMatching(/not valid JSON/) });

    const form = await runHttp({ method: "put", body: { type: "x-www-form-urlencoded", data: [{ key: "a", type: "text", value: "1 2" }, { key: "who", type: "text", value: "{{#start.name#}}" }] } });
    expect(form.echoed.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(form.echoed.body).toBe("a=1+2&who=Ada+Lovelace");

    const multipart = await runHttp({ method: "post", headers: "Content-Type: multipart/form-data", body: { type: "form-data", data: [{ key: "field", type: "text", value: "v" }] } });
    expect(multipart.echoed.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(multipart.echoed.body).toContain('name="field"');
  });

  it("uploads a file variable as a binary or multipart body", async () => {
    const withPorts = ports();
    await withPorts.blobs.put("files/upload-1", new TextEncoder().encode("file-content"), { contentType: "text/plain" });
    const doc = { dify_model_identity: "__dify__file__", type: "document", transfer_method: "local_file", related_id: "upload-1", filename: "notes.txt", mime_type: "text/plain", size: 12 };
    const binary = await runHttp({ method: "post", body: { type: "binary", data: [{ key: "", type: "file", file: ["start", "doc"] }] } }, withPorts, { doc });
    expect(binary.echoed.body).toBe("file-content");
    expect(binary.echoed.headers["content-type"]).toBe("text/plain");
    const multipart = await runHttp({ method: "post", body: { type: "form-data", data: [{ key: "upload", type: "file", file: ["start", "doc"] }] } }, withPorts, { doc });
    expect(multipart.echoed.body).toContain('filename="notes.txt"');
    expect(multipart.echoed.body).toContain("file-content");
  });

  it("turns a binary response into a stored file entry", async () => {
    const withPorts = ports();
    const { node } = await runHttp({ url: `${server.origin}/report.pdf` }, withPorts);
    expect(node?.status).toBe("succeeded");
    expect(node?.outputs?.body).toBe("");
    const [file] = node?.outputs?.files as Array<Record<string, unknown>>;
    expect(file).toMatchObject({ transfer_method: "tool_file", filename: "report.pdf", mime_type: "application/pdf", type: "document", size: pdfBytes.byteLength, extension: ".pdf" });
    const stored = await withPorts.blobs.get(file.storage_key as string);
    expect(new Uint8Array(stored!.body)).toEqual(pdfBytes);

    const image = await runHttp({ url: `${server.origin}/image` }, withPorts);
    expect((image.node?.outputs?.files as Array<Record<string, unknown>>)[0]).toMatchObject({ type: "image", mime_type: "image/png" });
  });

  it("refuses text bodies over 1 MiB", async () => {
    const { node } = await runHttp({ url: `${server.origin}/big-text` });
    expect(node).toMatchObject({ status: "failed" });
    expect(node?.error).toMatch(/max size is 1.00 MB/);
  });

  it("returns non-2xx responses as outputs unless an error strategy is set", async () => {
    const plain = await runHttp({ url: `${server.origin}/fail` });
    expect(plain.node?.outputs).toMatchObject({ status_code: 500, body: "server broke" });
    const strict = await runHttp({ url: `${server.origin}/fail`, error_strategy: "fail-branch" });
    expect(strict.node?.error).toBe("Request failed with status code 500");
  });

  it("goes through the SSRF guard: loopback refused without the flag, and redirects re-checked", async () => {
    const before = server.requests.length;
    const blocked = await runHttp({ url: `${server.origin}/echo` }, ports({ allowLoopback: false }));
    expect(blocked.node).toMatchObject({ status: "failed", error: "Requests to private or loopback addresses are not allowed: 127.0.0.1" });
    expect(server.requests.length).toBe(before);
    const hop = await runHttp({ url: `${server.origin}/to-metadata` });
    expect(hop.node).toMatchObject({ status: "failed", error: "Requests to private or loopback addresses are not allowed: 169.254.169.254" });
  });

  it("validates the URL and method", async () => {
    expect((await runHttp({ url: "ftp://example.com/x" })).node?.error).toMatch(/must start with http/);
    expect((await runHttp({ method: "trace" })).node?.error).toBe("Invalid HTTP method: trace");
  });

  it("fails clearly when no HTTP port is wired", async () => {
    expect((await runHttp({}, {})).node?.error).toBe("Outbound HTTP is not configured for this runtime");
  });
});
