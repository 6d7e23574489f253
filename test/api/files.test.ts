import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../workers/app";
import { call, createAppAs, createKeyAs, publishAs, seedTenant, type SeededTenant } from "./harness";

const ORIGIN = "http://waggle.test";
const app = createApp();

async function upload(key: string, name: string, bytes: Uint8Array | string, options: { user?: string | null; type?: string; extraFile?: boolean } = {}) {
  const form = new FormData();
  form.append("file", new File([bytes as BlobPart], name, options.type ? { type: options.type } : undefined));
  if (options.extraFile) form.append("file", new File(["x"], "second.txt"));
  if (options.user !== null) form.append("user", options.user ?? "uploader");
  const response = await app.request(`${ORIGIN}/v1/files/upload`, { method: "POST", headers: { Authorization: `Bearer ${key}` }, body: form }, env);
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined, text, headers: response.headers };
}

/** A published workflow reading a file input with the document extractor. */
async function extractorApp(t: SeededTenant) {
  const appId = await createAppAs(t.tokens.owner, "workflow", "Extractor");
  const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.editor });
  const graph = {
    nodes: [
      { id: "start", data: { type: "start", title: "Start", variables: [{ variable: "doc", label: "Doc", type: "file", required: true, allowed_file_types: ["document"], allowed_file_upload_methods: ["local_file", "remote_url"] }] } },
      { id: "extract", data: { type: "document-extractor", title: "Extract", variable_selector: ["start", "doc"], is_array_file: false } },
      { id: "end", data: { type: "end", title: "End", outputs: [{ variable: "text", value_selector: ["extract", "text"] }, { variable: "name", value_selector: ["start", "doc", "name"] }, { variable: "files", value_selector: ["sys", "files"] }] } },
    ],
    edges: [
      { id: "e1", source: "start", target: "extract", sourceHandle: "source", targetHandle: "target" },
      { id: "e2", source: "extract", target: "end", sourceHandle: "source", targetHandle: "target" },
    ],
  };
  const saved = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.editor, body: { graph, hash: draft.json.hash } });
  expect(saved.status, saved.text).toBe(200);
  await publishAs(t.tokens.editor, appId);
  return { appId, key: (await createKeyAs(t.tokens.owner, appId)).token };
}

describe("/v1/files", () => {
  it("uploads with Dify's 201 body, previews the bytes safely, and a workflow reads the upload", async () => {
    const t = await seedTenant("files");
    const { key } = await extractorApp(t);
    const uploaded = await upload(key, "notes.txt", "Bees dance to share where flowers are.", { type: "text/plain" });
    expect(uploaded.status, uploaded.text).toBe(201);
    expect(uploaded.json).toMatchObject({ name: "notes.txt", size: 38, extension: "txt", mime_type: "text/plain", preview_url: `/v1/files/${uploaded.json.id}/preview`, source_url: null });
    expect(typeof uploaded.json.created_at).toBe("number");

    const preview = await app.request(`${ORIGIN}/v1/files/${uploaded.json.id}/preview?as_attachment=true`, { headers: { Authorization: `Bearer ${key}` } }, env);
    expect(preview.status).toBe(200);
    expect(await preview.text()).toBe("Bees dance to share where flowers are.");
    expect(preview.headers.get("content-type")).toBe("text/plain");
    expect(preview.headers.get("x-content-type-options")).toBe("nosniff");
    expect(preview.headers.get("content-disposition")).toContain("notes.txt");

    const reference = { type: "document", transfer_method: "local_file", upload_file_id: uploaded.json.id };
    const run = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: { doc: reference }, files: [reference], user: "uploader", response_mode: "blocking" } });
    expect(run.status, run.text).toBe(200);
    expect(run.json.data.status).toBe("succeeded");
    expect(run.json.data.outputs.text).toContain("Bees dance");
    expect(run.json.data.outputs.name).toBe("notes.txt");
    expect(run.json.data.outputs.files).toEqual([expect.objectContaining({ transfer_method: "local_file", related_id: uploaded.json.id, filename: "notes.txt" })]);
  });

  it("refuses another app's or tenant's upload, unknown ids and bad references with a clear 400", async () => {
    const t = await seedTenant("filesx");
    const { key } = await extractorApp(t);
    const other = await extractorApp(t);
    const foreignTenant = await seedTenant("filesy");
    const theirs = await extractorApp(foreignTenant);
    const otherApps = await upload(other.key, "a.txt", "other app");
    const otherTenants = await upload(theirs.key, "b.txt", "other tenant");
    for (const id of [otherApps.json.id, otherTenants.json.id, crypto.randomUUID()]) {
      const res = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: { doc: { type: "document", transfer_method: "local_file", upload_file_id: id } }, user: "u", response_mode: "blocking" } });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ code: "invalid_param", message: expect.stringContaining("does not exist for this app") });
    }
    const badUrl = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: { doc: { type: "document", transfer_method: "remote_url", url: "file:///etc/passwd" } }, user: "u", response_mode: "blocking" } });
    expect(badUrl.json).toMatchObject({ code: "invalid_param", message: "inputs.doc: url must be an absolute http(s) URL." });
    const preview = await app.request(`${ORIGIN}/v1/files/${otherApps.json.id}/preview`, { headers: { Authorization: `Bearer ${key}` } }, env);
    expect(preview.status).toBe(404);
    const crossTenant = await app.request(`${ORIGIN}/v1/files/${otherTenants.json.id}/preview`, { headers: { Authorization: `Bearer ${key}` } }, env);
    expect(crossTenant.status).toBe(404);
  });

  it("enforces Dify's size caps per type and refuses empty, missing, several and dangerous files", async () => {
    const t = await seedTenant("filesz");
    const { key } = await extractorApp(t);
    const bigImage = await upload(key, "huge.png", new Uint8Array(10 * 1024 * 1024 + 1), { type: "image/png" });
    expect(bigImage.status).toBe(413);
    expect(bigImage.json).toMatchObject({ code: "file_too_large", message: expect.stringContaining("10 MB") });
    const bigDoc = await upload(key, "huge.txt", new Uint8Array(15 * 1024 * 1024 + 1).fill(97), { type: "text/plain" });
    expect(bigDoc.status).toBe(413);
    const page = await upload(key, "page.html", "<script>alert(1)</script>", { type: "text/html" });
    expect(page.status).toBe(415);
    expect(page.json.code).toBe("unsupported_file_type");
    expect((await upload(key, "empty.txt", "")).status).toBe(400);
    expect((await upload(key, "two.txt", "one", { extraFile: true })).json.code).toBe("too_many_files");
    expect((await upload(key, "nouser.txt", "x", { user: null })).json).toMatchObject({ code: "invalid_param", message: "user is required" });
    const none = await app.request(`${ORIGIN}/v1/files/upload`, { method: "POST", headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" }, body: "{}" }, env);
    const noneBody = await none.json<any>();
    expect(noneBody.code, JSON.stringify(noneBody)).toBe("no_file_uploaded");
    // The platform keeps working for the same app after all of that.
    expect((await upload(key, "fine.txt", "fine")).status).toBe(201);
  });
});
