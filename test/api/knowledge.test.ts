import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { minimalDocx, minimalPdf } from "../../core/nodes/document-extractor/fixtures";
import worker from "../../workers/index";
import { call, createAppAs, createDatasetKeyAs, createKeyAs, parseSse, publishAs, seedTenant } from "./harness";
import { mockModelRequests, mockModelUrl, resetMockModel, scriptMockModel } from "./mock-model";

const ORIGIN = "http://waggle.test";

async function setup(label = "kb") {
  const t = await seedTenant(label);
  const key = await createDatasetKeyAs(t.tokens.owner);
  return { t, key: key.token };
}

async function createDataset(key: string, body: Record<string, unknown> = {}) {
  const res = await call("POST", "/v1/datasets", { token: key, body: { name: `KB ${crypto.randomUUID().slice(0, 8)}`, ...body } });
  expect(res.status, res.text).toBe(200);
  return res.json as { id: string; [key: string]: unknown };
}

async function upload(key: string, datasetId: string, name: string, bytes: Uint8Array | string, data?: unknown) {
  const form = new FormData();
  form.append("file", new File([bytes as BlobPart], name));
  if (data !== undefined) form.append("data", JSON.stringify(data));
  const { createApp } = await import("../../workers/app");
  const response = await createApp().request(`${ORIGIN}/v1/datasets/${datasetId}/document/create-by-file`, { method: "POST", headers: { Authorization: `Bearer ${key}` }, body: form }, env);
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined, text };
}

async function waitIndexed(key: string, datasetId: string, batch: string, status = "completed") {
  let last: any;
  await expect
    .poll(
      async () => {
        last = (await call("GET", `/v1/datasets/${datasetId}/documents/${batch}/indexing-status`, { token: key })).json;
        return last?.data?.every((d: any) => d.indexing_status === status || (status === "completed" && d.indexing_status === "error"));
      },
      { timeout: 25_000, interval: 200 },
    )
    .toBe(true);
  return last.data as Array<Record<string, any>>;
}

async function addText(key: string, datasetId: string, name: string, text: string, extra: Record<string, unknown> = {}) {
  const res = await call("POST", `/v1/datasets/${datasetId}/document/create-by-text`, { token: key, body: { name, text, indexing_technique: "high_quality", process_rule: { mode: "automatic" }, ...extra } });
  expect(res.status, res.text).toBe(200);
  return res.json as { document: Record<string, any>; batch: string };
}

/** A workspace with one indexed text document in a dataset, and the mock server as its chat model `model`. */
async function groundedWorkspace(label: string, dataset: Record<string, unknown>, file: { name: string; text: string }, model: string) {
  const { t, key } = await setup(label);
  const created = await createDataset(key, dataset);
  const { batch } = await addText(key, created.id, file.name, file.text);
  await waitIndexed(key, created.id, batch);
  const saved = await call("POST", "/console/api/workspaces/current/model-providers/openai_api_compatible/models", {
    token: t.tokens.admin,
    body: { model, model_type: "llm", credentials: { endpoint_url: `${mockModelUrl}/v1`, api_key: `sk-${label}`, mode: "chat", context_size: "4096" } },
  });
  expect(saved.status, saved.text).toBe(201);
  return { t, key, dataset: created };
}

describe("knowledge API: datasets", () => {
  it("creates, lists, reads, renames and deletes a dataset with a dataset- key; names are unique", async () => {
    const { key } = await setup();
    const created = await createDataset(key, { name: "Handbook", description: "Company handbook" });
    expect(created).toMatchObject({ name: "Handbook", indexing_technique: "high_quality", embedding_model: "hashing-lexical-v1", embedding_model_kind: "lexical", document_count: 0 });
    expect(created.embedding_model_label).toMatch(/lexical, not semantic/);

    const duplicate = await call("POST", "/v1/datasets", { token: key, body: { name: "Handbook" } });
    expect(duplicate.status).toBe(409);
    expect(duplicate.json.code).toBe("dataset_name_duplicate");
    expect((await call("POST", "/v1/datasets", { token: key, body: { name: "x".repeat(41) } })).status).toBe(400);

    const list = await call("GET", "/v1/datasets?page=1&limit=20", { token: key });
    expect(list.json).toMatchObject({ total: 1, page: 1, limit: 20, has_more: false });
    expect(list.json.data[0].id).toBe(created.id);

    const patched = await call("PATCH", `/v1/datasets/${created.id}`, { token: key, body: { name: "Staff handbook" } });
    expect(patched.json.name).toBe("Staff handbook");
    expect((await call("GET", `/v1/datasets/${created.id}`, { token: key })).json.name).toBe("Staff handbook");

    expect((await call("DELETE", `/v1/datasets/${created.id}`, { token: key })).status).toBe(204);
    expect((await call("GET", `/v1/datasets/${created.id}`, { token: key })).status).toBe(404);
  });

  it("another workspace's key sees none of it", async () => {
    const a = await setup("a");
    const b = await setup("b");
    const dataset = await createDataset(a.key);
    expect((await call("GET", `/v1/datasets/${dataset.id}`, { token: b.key })).status).toBe(404);
    expect((await call("GET", "/v1/datasets", { token: b.key })).json.total).toBe(0);
    expect((await call("POST", `/v1/datasets/${dataset.id}/document/create-by-text`, { token: b.key, body: { name: "x", text: "y" } })).status).toBe(404);
  });
});

describe("knowledge API: ingestion", () => {
  it("indexes a text document through the queue: status, progress, segments, keyword rows and vectors", async () => {
    const { key } = await setup();
    const dataset = await createDataset(key);
    const text = ["Refunds are issued within 30 days of purchase.", "Shipping takes two to five business days.", "Passwords can be reset from the Settings page."].join("\n");
    const { document, batch } = await addText(key, dataset.id, "policies.txt", text);
    expect(document).toMatchObject({ indexing_status: "waiting", name: "policies.txt", doc_form: "text_model" });

    const [status] = await waitIndexed(key, dataset.id, batch);
    expect(status).toMatchObject({ id: document.id, indexing_status: "completed", completed_segments: 3, total_segments: 3, error: null });

    const segments = await call("GET", `/v1/datasets/${dataset.id}/documents/${document.id}`, { token: key });
    expect(segments.json).toMatchObject({ indexing_status: "completed", display_status: "available", word_count: text.length - 2 });
    expect(await env.DB.prepare("SELECT count(*) AS n FROM segments WHERE document_id = ?").bind(document.id).first("n")).toBe(3);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM segments_fts WHERE dataset_id = ?").bind(dataset.id).first("n")).toBe(3);

    const listed = await call("GET", `/v1/datasets/${dataset.id}/documents`, { token: key });
    expect(listed.json.data.map((d: any) => d.id)).toEqual([document.id]);
  });

  it("uploads Markdown, HTML, PDF and DOCX files; refuses wrong types (415), oversized (413) and empty (400) uploads", async () => {
    const { key } = await setup();
    const dataset = await createDataset(key);
    const md = await upload(key, dataset.id, "guide.md", "# Guide\n\nThe **quarterly** report is due in March.\n");
    const html = await upload(key, dataset.id, "page.html", "<html><body><h1>Onboarding</h1><p>Badges are collected at reception.</p><script>evil()</script></body></html>");
    const pdf = await upload(key, dataset.id, "report.pdf", minimalPdf(["Revenue grew eleven percent"]));
    const docx = await upload(key, dataset.id, "memo.docx", await minimalDocx(["Parking is free on weekends"]));
    for (const res of [md, html, pdf, docx]) expect(res.status, res.text).toBe(200);
    for (const res of [md, html, pdf, docx]) await waitIndexed(key, dataset.id, res.json.batch);
    for (const res of [md, html, pdf, docx]) {
      const doc = await call("GET", `/v1/datasets/${dataset.id}/documents/${res.json.document.id}`, { token: key });
      expect(doc.json.indexing_status, `${res.json.document.name}: ${doc.json.error}`).toBe("completed");
    }
    const htmlSegments = await env.DB.prepare("SELECT content FROM segments WHERE document_id = ?").bind(html.json.document.id).all();
    expect(htmlSegments.results.map((r: any) => r.content).join("\n")).not.toContain("evil");

    const exe = await upload(key, dataset.id, "tool.exe", "MZ");
    expect(exe.status).toBe(415);
    expect(exe.json).toMatchObject({ code: "unsupported_file_type", status: 415 });
    const big = await upload(key, dataset.id, "big.txt", new Uint8Array(15 * 1024 * 1024 + 1).fill(97));
    expect(big.status).toBe(413);
    expect(big.json.code).toBe("file_too_large");
    const empty = await upload(key, dataset.id, "empty.txt", new Uint8Array());
    expect(empty.status).toBe(400);
    expect(empty.json.message).toMatch(/empty \(0 bytes\)/);
  });

  it("a corrupt PDF ends in error with a reason; the other documents still index", async () => {
    const { key } = await setup();
    const dataset = await createDataset(key);
    const broken = await upload(key, dataset.id, "broken.pdf", "%PDF-1.4\nnot really a pdf at all");
    const good = await addText(key, dataset.id, "good.txt", "Lunch is served at noon.");
    const [brokenStatus] = await waitIndexed(key, dataset.id, broken.json.batch, "error");
    expect(brokenStatus.error).toMatch(/PDF/);
    const [goodStatus] = await waitIndexed(key, dataset.id, good.batch);
    expect(goodStatus.indexing_status).toBe("completed");
  });

  it("refuses a wrong doc_form and an impossible chunking rule before queueing anything", async () => {
    const { key } = await setup();
    const dataset = await createDataset(key);
    const wrong = await call("POST", `/v1/datasets/${dataset.id}/document/create-by-text`, { token: key, body: { name: "a", text: "b", doc_form: "paragraph_model" } });
    expect(wrong.status).toBe(400);
    expect(wrong.json.message).toMatch(/doc_form must be one of text_model, hierarchical_model, qa_model/);
    const rule = await call("POST", `/v1/datasets/${dataset.id}/document/create-by-text`, {
      token: key,
      body: { name: "a", text: "b", process_rule: { mode: "custom", rules: { segmentation: { separator: "\n", max_tokens: 10 } } } },
    });
    expect(rule.status).toBe(400);
    expect(rule.json.message).toMatch(/between 50 and 4000/);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM documents WHERE dataset_id = ?").bind(dataset.id).first("n")).toBe(0);
  });

  it("splits a large document across several queue messages and counts progress to the end", async () => {
    const { key } = await setup();
    const dataset = await createDataset(key);
    const lines = Array.from({ length: 130 }, (_, i) => `Line ${i} talks about topic number ${i} in some detail.`);
    const { batch } = await addText(key, dataset.id, "long.txt", lines.join("\n"));
    const [status] = await waitIndexed(key, dataset.id, batch);
    expect(status).toMatchObject({ indexing_status: "completed", completed_segments: 130, total_segments: 130 });
  });
});

describe("knowledge API: queue semantics", () => {
  it("a duplicated message indexes once, and the dead-letter consumer marks the document error with the last failure", async () => {
    const { t, key } = await setup();
    const dataset = await createDataset(key);
    const { document, batch } = await addText(key, dataset.id, "dup.txt", "Alpha line.\nBeta line.");
    await waitIndexed(key, dataset.id, batch);
    const row: any = await env.DB.prepare("SELECT content_hash, upload_file_id FROM documents WHERE id = ?").bind(document.id).first();
    const file: any = await env.DB.prepare("SELECT storage_key FROM upload_files WHERE id = ?").bind(row.upload_file_id).first();
    const split = { type: "document.split", tenantId: t.tenantId, datasetId: dataset.id, documentId: document.id, key: file.storage_key, contentHash: row.content_hash };
    const indexMessage = { type: "document.index", tenantId: t.tenantId, datasetId: dataset.id, documentId: document.id, contentHash: row.content_hash, from: 1, to: 51 };
    const batchOf = (bodies: unknown[]) => createMessageBatch("waggle-ingest", bodies.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 2, body })));
    const redelivered = batchOf([split, split, indexMessage, indexMessage]);
    const ctx = createExecutionContext();
    await worker.queue(redelivered, env);
    expect((await getQueueResult(redelivered, ctx)).explicitAcks).toEqual(["m0", "m1", "m2", "m3"]);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM segments WHERE document_id = ?").bind(document.id).first("n")).toBe(2);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM segments_fts WHERE dataset_id = ?").bind(dataset.id).first("n")).toBe(2);
    expect((await call("GET", `/v1/datasets/${dataset.id}/documents/${document.id}`, { token: key })).json).toMatchObject({ indexing_status: "completed", completed_segments: 2 });

    // A document whose messages kept failing: the dead-letter queue consumer explains it.
    await env.DB.prepare("UPDATE documents SET indexing_status = 'indexing', error = 'Retrying after: embedding provider answered 503' WHERE id = ?").bind(document.id).run();
    const dead = createMessageBatch("waggle-ingest-dlq", [{ id: "d1", timestamp: new Date(), attempts: 1, body: indexMessage }]);
    await worker.queue(dead, env);
    const after = (await call("GET", `/v1/datasets/${dataset.id}/documents/${document.id}`, { token: key })).json;
    expect(after.indexing_status).toBe("error");
    expect(after.error).toMatch(/Indexing stopped after 4 attempts\. Last error: embedding provider answered 503/);
  });

  it("a split redelivered after its segments were written queues the index messages again, so the document still completes", async () => {
    const { t, key } = await setup();
    const dataset = await createDataset(key);
    const { document, batch } = await addText(key, dataset.id, "again.txt", "One line.\nTwo lines.");
    await waitIndexed(key, dataset.id, batch);
    const row: any = await env.DB.prepare("SELECT content_hash, upload_file_id FROM documents WHERE id = ?").bind(document.id).first();
    const file: any = await env.DB.prepare("SELECT storage_key FROM upload_files WHERE id = ?").bind(row.upload_file_id).first();
    // As if the first attempt died after writing segments and before queueing their indexing.
    await env.DB.prepare("UPDATE documents SET indexing_status = 'indexing', indexed_hash = NULL, completed_segments = 0 WHERE id = ?").bind(document.id).run();
    await env.DB.prepare("UPDATE segments SET status = 'waiting' WHERE document_id = ?").bind(document.id).run();
    const split = { type: "document.split", tenantId: t.tenantId, datasetId: dataset.id, documentId: document.id, key: file.storage_key, contentHash: row.content_hash };
    await worker.queue(createMessageBatch("waggle-ingest", [{ id: "again", timestamp: new Date(), attempts: 2, body: split }]), env);
    const [status] = await waitIndexed(key, dataset.id, batch);
    expect(status).toMatchObject({ indexing_status: "completed", completed_segments: 2, total_segments: 2 });
  });

  it("a transient failure is retried with backoff without holding up the others in its batch", async () => {
    const { t, key } = await setup();
    const dataset = await createDataset(key);
    const { document } = await addText(key, dataset.id, "x.txt", "Some text.");
    const row: any = await env.DB.prepare("SELECT content_hash FROM documents WHERE id = ?").bind(document.id).first();
    await env.DB.prepare("UPDATE documents SET indexing_status = 'waiting', total_segments = 0 WHERE id = ?").bind(document.id).run();
    const split = { type: "document.split", tenantId: t.tenantId, datasetId: dataset.id, documentId: document.id, key: "any", contentHash: row.content_hash };
    const messages = createMessageBatch("waggle-ingest", [
      { id: "other", timestamp: new Date(), attempts: 1, body: { type: "unknown" } },
      { id: "flaky", timestamp: new Date(), attempts: 3, body: split },
    ]);
    const retry = vi.spyOn(messages.messages[1]!, "retry");
    const ctx = createExecutionContext();
    // Storage that is down for this delivery.
    const brokenFiles = { get: async () => { throw new Error("R2 is unavailable"); } } as unknown as R2Bucket;
    await worker.queue(messages, { ...env, FILES: brokenFiles });
    const result = await getQueueResult(messages, ctx);
    expect(result.explicitAcks).toEqual(["other"]);
    expect(result.retryMessages.map((m: { msgId: string }) => m.msgId)).toEqual(["flaky"]);
    expect(retry).toHaveBeenCalledWith({ delaySeconds: 8 });
    expect(await env.DB.prepare("SELECT error FROM documents WHERE id = ?").bind(document.id).first("error")).toBe("Retrying after: R2 is unavailable");
  });

  it("an embedding model without credentials fails the document at once with what to do", async () => {
    const { key } = await setup();
    const dataset = await createDataset(key, { embedding_model: "text-embedding-3-small", embedding_model_provider: "openai" });
    const { batch } = await addText(key, dataset.id, "x.txt", "Some text.");
    const [status] = await waitIndexed(key, dataset.id, batch, "error");
    expect(status.error).toMatch(/The embedding model failed: .*credentials.*retry the document/);
  });
});

describe("knowledge API: retrieval", () => {
  async function indexedDataset(body: Record<string, unknown> = {}) {
    const { key } = await setup();
    const dataset = await createDataset(key, body);
    const texts = {
      "refunds.txt": "Refunds are issued within 30 days of purchase when the receipt is shown.",
      "shipping.txt": "Shipping takes two to five business days inside the country.",
      "passwords.txt": "Passwords can be reset from the Settings page by choosing Forgot password.",
    };
    const batches = [];
    for (const [name, text] of Object.entries(texts)) batches.push((await addText(key, dataset.id, name, text)).batch);
    for (const batch of batches) await waitIndexed(key, dataset.id, batch);
    return { key, dataset };
  }

  it("semantic, full-text and hybrid search each rank the matching document first", async () => {
    const { key, dataset } = await indexedDataset();
    for (const search_method of ["semantic_search", "full_text_search", "hybrid_search"]) {
      const res = await call("POST", `/v1/datasets/${dataset.id}/retrieve`, { token: key, body: { query: "how do I reset my password", retrieval_model: { search_method, top_k: 2 } } });
      expect(res.status, res.text).toBe(200);
      expect(res.json.query).toEqual({ content: "how do I reset my password" });
      expect(res.json.records[0].segment.document.name, search_method).toBe("passwords.txt");
      expect(res.json.records[0].score).toBeGreaterThan(0);
      expect(res.json.records.length).toBeLessThanOrEqual(2);
    }
  });

  it("applies the score threshold and refuses an over-long query", async () => {
    const { key, dataset } = await indexedDataset();
    const res = await call("POST", `/v1/datasets/${dataset.id}/retrieve`, { token: key, body: { query: "refund receipt", retrieval_model: { search_method: "semantic_search", top_k: 5, score_threshold_enabled: true, score_threshold: 0.2 } } });
    expect(res.json.records.map((r: any) => r.segment.document.name)).toEqual(["refunds.txt"]);
    expect((await call("POST", `/v1/datasets/${dataset.id}/retrieve`, { token: key, body: { query: "x".repeat(251) } })).status).toBe(400);
  });

  it("disabled documents are not retrieved; a filter on an unknown metadata field is a clear error", async () => {
    const { key, dataset } = await indexedDataset();
    const docs = (await call("GET", `/v1/datasets/${dataset.id}/documents`, { token: key })).json.data;
    const passwords = docs.find((d: any) => d.name === "passwords.txt");
    expect((await call("PATCH", `/v1/datasets/${dataset.id}/documents/status/disable`, { token: key, body: { document_ids: [passwords.id] } })).status).toBe(200);
    const res = await call("POST", `/v1/datasets/${dataset.id}/retrieve`, { token: key, body: { query: "reset password", retrieval_model: { search_method: "hybrid_search", top_k: 3 } } });
    expect(res.json.records.map((r: any) => r.segment.document.name)).not.toContain("passwords.txt");

    const filtered = await call("POST", `/v1/datasets/${dataset.id}/retrieve`, {
      token: key,
      body: { query: "refund", retrieval_model: { search_method: "semantic_search", top_k: 3, metadata_filtering_conditions: { logical_operator: "and", conditions: [{ name: "departmnt", comparison_operator: "is", value: "x" }] } } },
    });
    expect(filtered.status).toBe(400);
    expect(filtered.json.message).toMatch(/Unknown metadata field "departmnt"/);
    const builtIn = await call("POST", `/v1/datasets/${dataset.id}/retrieve`, {
      token: key,
      body: { query: "days", retrieval_model: { search_method: "full_text_search", top_k: 3, metadata_filtering_conditions: { logical_operator: "and", conditions: [{ name: "document_name", comparison_operator: "is", value: "shipping.txt" }] } } },
    });
    expect(builtIn.json.records.map((r: any) => r.segment.document.name)).toEqual(["shipping.txt"]);
  });

  it("embeds with a provider model and reranks with a /rerank model (mock server)", async () => {
    const { t, key } = await setup();
    for (const [model, model_type] of [["mock-embed", "text-embedding"], ["mock-rerank", "rerank"]]) {
      const res = await call("POST", "/console/api/workspaces/current/model-providers/openai_api_compatible/models", {
        token: t.tokens.owner,
        body: { model, model_type, credentials: { endpoint_url: `${mockModelUrl}/v1`, api_key: "sk-test", context_size: "8192" } },
      });
      expect(res.status, res.text).toBeLessThan(300);
    }
    const dataset = await createDataset(key, { embedding_model: "mock-embed", embedding_model_provider: "openai_api_compatible" });
    expect(dataset).toMatchObject({ embedding_model: "mock-embed", embedding_model_kind: "semantic" });
    await resetMockModel();
    const { batch } = await addText(key, dataset.id, "faq.txt", "Shipping takes five days.\nRefunds need a receipt.\nPasswords reset in Settings.");
    const [status] = await waitIndexed(key, dataset.id, batch);
    expect(status.indexing_status, status.error).toBe("completed");
    const embedCalls = (await mockModelRequests()).filter((r) => r.path.endsWith("/embeddings"));
    // The three chunks went in one batch.
    expect(embedCalls.some((r) => Array.isArray(r.body.input) && r.body.input.length === 3)).toBe(true);

    const res = await call("POST", `/v1/datasets/${dataset.id}/retrieve`, {
      token: key,
      body: { query: "refunds receipt", retrieval_model: { search_method: "hybrid_search", top_k: 2, reranking_enable: true, reranking_mode: "reranking_model", reranking_model: { reranking_provider_name: "openai_api_compatible", reranking_model_name: "mock-rerank" } } },
    });
    expect(res.status, res.text).toBe(200);
    // The mock scores the share of query words a text contains: 1 for the refunds line.
    expect(res.json.records[0]).toMatchObject({ score: 1, segment: { content: "Refunds need a receipt." } });
    expect((await mockModelRequests()).some((r) => r.path.endsWith("/rerank"))).toBe(true);

    const missing = await call("POST", `/v1/datasets/${dataset.id}/retrieve`, {
      token: key,
      body: { query: "x", retrieval_model: { search_method: "semantic_search", top_k: 2, reranking_enable: true, reranking_mode: "reranking_model", reranking_model: { reranking_provider_name: "openai_api_compatible", reranking_model_name: "not-configured" } } },
    });
    expect(missing.status).toBe(400);
    expect(missing.json.code).toBe("provider_not_initialize");
  });

  it("parent-child: children are searched and the parent is returned with them", async () => {
    const { key } = await setup();
    const dataset = await createDataset(key);
    const { batch } = await addText(key, dataset.id, "faq.txt", "Refunds\nWithin 30 days with a receipt.\n\nShipping\nTwo to five business days.", {
      doc_form: "hierarchical_model",
      process_rule: { mode: "hierarchical", rules: { parent_mode: "paragraph", segmentation: { separator: "\n\n", max_tokens: 500 }, subchunk_segmentation: { separator: "\n", max_tokens: 100 } } },
    });
    const [status] = await waitIndexed(key, dataset.id, batch);
    expect(status).toMatchObject({ indexing_status: "completed", total_segments: 2, completed_segments: 2 });
    const res = await call("POST", `/v1/datasets/${dataset.id}/retrieve`, { token: key, body: { query: "business days", retrieval_model: { search_method: "semantic_search", top_k: 3 } } });
    expect(res.json.records[0].segment.content).toBe("Shipping\nTwo to five business days.");
    expect(res.json.records[0].child_chunks[0]).toMatchObject({ content: "Two to five business days." });
  });
});

describe("knowledge-retrieval node in a published workflow", () => {
  it("retrieves from the workspace's dataset and outputs Dify's result items; another workspace's dataset is not found", async () => {
    const { t, key } = await setup("node");
    const dataset = await createDataset(key, { name: "Policies" });
    const { batch } = await addText(key, dataset.id, "policies.txt", "Refunds are issued within 30 days.\nShipping takes five business days.");
    await waitIndexed(key, dataset.id, batch);
    const other = await setup("other");
    const foreign = await createDataset(other.key);

    const appId = await createAppAs(t.tokens.owner, "workflow", "KB flow");
    const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner });
    const node = (id: string, data: Record<string, unknown>) => ({ id, type: "custom", position: { x: 0, y: 0 }, data: { title: id, ...data } });
    const graph = {
      nodes: [
        node("start", { type: "start", variables: [{ variable: "q", label: "q", type: "text-input", required: true }, { variable: "ds", label: "ds", type: "text-input", required: false }] }),
        node("kr", { type: "knowledge-retrieval", query_variable_selector: ["start", "q"], dataset_ids: [dataset.id], retrieval_mode: "multiple", multiple_retrieval_config: { top_k: 1 } }),
        node("end", { type: "end", outputs: [{ variable: "result", value_selector: ["kr", "result"] }] }),
      ],
      edges: [
        { id: "e1", source: "start", target: "kr", sourceHandle: "source", targetHandle: "target" },
        { id: "e2", source: "kr", target: "end", sourceHandle: "source", targetHandle: "target" },
      ],
    };
    const saved = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner, body: { graph, hash: draft.json.hash } });
    expect(saved.status, saved.text).toBe(200);
    await publishAs(t.tokens.owner, appId);
    const appKey = await createKeyAs(t.tokens.owner, appId);

    const run = await call("POST", "/v1/workflows/run", { token: appKey.token, body: { inputs: { q: "shipping days" }, user: "u1", response_mode: "blocking" } });
    expect(run.status, run.text).toBe(200);
    expect(run.json.data.status, JSON.stringify(run.json.data)).toBe("succeeded");
    const [first] = run.json.data.outputs.result;
    expect(first).toMatchObject({
      title: "policies.txt",
      content: "Shipping takes five business days.",
      metadata: { _source: "knowledge", dataset_id: dataset.id, dataset_name: "Policies", document_name: "policies.txt", retriever_from: "workflow", position: 1 },
    });
    expect(first.metadata.score).toBeGreaterThan(0);
    expect(run.json.data.outputs.result).toHaveLength(1);

    // The same graph pointed at another workspace's dataset fails at the node, naming it.
    const draft2 = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner });
    (graph.nodes[1]!.data as Record<string, unknown>).dataset_ids = [foreign.id];
    await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner, body: { graph, hash: draft2.json.hash } });
    await publishAs(t.tokens.owner, appId);
    const denied = await call("POST", "/v1/workflows/run", { token: appKey.token, body: { inputs: { q: "shipping" }, user: "u1", response_mode: "blocking" } });
    expect(denied.json.data.status).toBe("failed");
    expect(denied.json.data.error).toMatch(/not found in this workspace/);
  });
});

describe("knowledge-retrieval node: single mode and per-dataset search methods", () => {
  it("single mode lets the model pick one dataset by its description; multiple mode searches each dataset its own way", async () => {
    const { t, key } = await setup("single");
    const policies = await createDataset(key, { name: "Policies", description: "Refunds and shipping of the shop.", retrieval_model: { search_method: "semantic_search", top_k: 2 } });
    const recipes = await createDataset(key, { name: "Recipes", description: "Cooking recipes.", retrieval_model: { search_method: "full_text_search", top_k: 2 } });
    await waitIndexed(key, policies.id, (await addText(key, policies.id, "policies.txt", "Shipping takes five business days.\nRefunds are issued within 30 days.")).batch);
    await waitIndexed(key, recipes.id, (await addText(key, recipes.id, "recipes.txt", "Pancakes need flour, eggs and milk.\nShipping biscuits: pack them in tins.")).batch);
    const saved = await call("POST", "/console/api/workspaces/current/model-providers/openai_api_compatible/models", {
      token: t.tokens.admin,
      body: { model: "mock-router", model_type: "llm", credentials: { endpoint_url: `${mockModelUrl}/v1`, api_key: "sk-router", mode: "chat", context_size: "4096" } },
    });
    expect(saved.status, saved.text).toBe(201);

    const appId = await createAppAs(t.tokens.owner, "workflow", "Router flow");
    const node = (id: string, data: Record<string, unknown>) => ({ id, type: "custom", position: { x: 0, y: 0 }, data: { title: id, ...data } });
    const publishWith = async (retrieval: Record<string, unknown>) => {
      const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner });
      const graph = {
        nodes: [
          node("start", { type: "start", variables: [{ variable: "q", label: "q", type: "text-input", required: true }] }),
          node("kr", { type: "knowledge-retrieval", query_variable_selector: ["start", "q"], dataset_ids: [policies.id, recipes.id], ...retrieval }),
          node("end", { type: "end", outputs: [{ variable: "result", value_selector: ["kr", "result"] }] }),
        ],
        edges: [
          { id: "e1", source: "start", target: "kr", sourceHandle: "source", targetHandle: "target" },
          { id: "e2", source: "kr", target: "end", sourceHandle: "source", targetHandle: "target" },
        ],
      };
      expect((await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner, body: { graph, hash: draft.json.hash } })).status).toBe(200);
      await publishAs(t.tokens.owner, appId);
    };
    const appKey = (await createKeyAs(t.tokens.owner, appId)).token;
    const run = async (q: string) => {
      const res = await call("POST", "/v1/workflows/run", { token: appKey, body: { inputs: { q }, user: "u", response_mode: "blocking" } });
      expect(res.status, res.text).toBe(200);
      return res.json.data;
    };

    await publishWith({ retrieval_mode: "single", single_retrieval_config: { model: { provider: "openai_api_compatible", name: "mock-router", mode: "chat", completion_params: {} } } });
    await resetMockModel();
    await scriptMockModel({ toolCalls: [{ id: "r1", name: "dataset_2", arguments: '{"query":"shipping biscuits"}' }] }, { text: "None of them." });
    const routed = await run("shipping biscuits");
    expect(routed.status, JSON.stringify(routed)).toBe("succeeded");
    expect(routed.outputs.result.map((item: any) => item.metadata.dataset_name)).toEqual(["Recipes"]);
    expect(routed.outputs.result[0].content).toBe("Shipping biscuits: pack them in tins.");
    const routerCall = (await mockModelRequests()).find((request) => request.path.endsWith("/chat/completions"));
    expect((routerCall?.body.tools as any[]).map((tool) => tool.function.description)).toEqual(["Refunds and shipping of the shop.", "Cooking recipes."]);
    // The model chose nothing: nothing is retrieved.
    const none = await run("what is the weather");
    expect(none.outputs.result).toEqual([]);

    // Multiple mode: the semantic dataset and the full-text dataset both contribute.
    await publishWith({ retrieval_mode: "multiple", multiple_retrieval_config: { top_k: 4 } });
    const both = await run("shipping");
    expect(new Set(both.outputs.result.map((item: any) => item.metadata.dataset_name))).toEqual(new Set(["Policies", "Recipes"]));
  });
});

describe("knowledge in an agent-chat app", () => {
  it("reaches the agent as a retriever tool per dataset, with the app's top_k fixed; another workspace's dataset is not found", async () => {
    const { t, dataset } = await groundedWorkspace(
      "agentkb",
      { name: "Policies", description: "Shop policies: refunds and shipping." },
      { name: "policies.txt", text: "Refunds are issued within 30 days.\nShipping takes five business days." },
      "mock-agent",
    );

    const appId = await createAppAs(t.tokens.owner, "agent-chat", "Policy agent");
    const draft = await call("GET", `/console/api/apps/${appId}/model-config`, { token: t.tokens.owner });
    const modelConfig = (datasetId: string) => ({
      ...draft.json.model_config,
      model: { provider: "openai_api_compatible", name: "mock-agent", mode: "chat", completion_params: {} },
      pre_prompt: "Answer from the knowledge base.",
      agent_mode: { enabled: true, strategy: "function_call", max_iteration: 3, tools: [] },
      dataset_configs: { retrieval_model: "multiple", top_k: 1, datasets: { datasets: [{ dataset: { enabled: true, id: datasetId } }] } },
    });
    const put = await call("POST", `/console/api/apps/${appId}/model-config`, { token: t.tokens.owner, body: { model_config: modelConfig(dataset.id), hash: draft.json.hash } });
    expect(put.status, put.text).toBe(200);
    await publishAs(t.tokens.owner, appId);
    const appKey = (await createKeyAs(t.tokens.owner, appId)).token;
    const toolName = `dataset_${dataset.id.replace(/-/g, "_")}`;
    await resetMockModel();
    await scriptMockModel({ toolCalls: [{ id: "k1", name: toolName, arguments: '{"query": "how long does shipping take"}' }] }, { text: "Five business days." });

    const res = await call("POST", "/v1/chat-messages", { token: appKey, body: { query: "How long is shipping?", inputs: {}, user: "u", response_mode: "streaming" } });
    expect(res.status, res.text).toBe(200);
    const events = res.text.split("\n\n").map((frame) => frame.split("\n").find((line) => line.startsWith("data: "))).filter(Boolean).map((line) => JSON.parse(line!.slice(6)));
    const thought = events.find((event) => event.event === "agent_thought" && event.tool);
    expect(thought).toMatchObject({ tool: toolName });
    expect(JSON.parse(thought.observation)[toolName]).toBe("Shipping takes five business days.");
    expect(events.filter((event) => event.event === "agent_message").map((event) => event.answer).join("")).toBe("Five business days.");
    const modelCalls = (await mockModelRequests()).filter((request) => request.path.endsWith("/chat/completions"));
    // The model saw the dataset as a tool described by the dataset, asking only for a query.
    const offered = (modelCalls[0]?.body.tools as Array<{ function: { name: string; description: string; parameters: { properties: Record<string, unknown> } } }>)[0]!.function;
    expect(offered).toMatchObject({ name: toolName, description: "Shop policies: refunds and shipping." });
    expect(Object.keys(offered.parameters.properties)).toEqual(["query"]);

    // Pointed at another workspace's dataset, the agent fails with a clear error.
    const other = await setup("agentkb-other");
    const foreign = await createDataset(other.key);
    const draft2 = await call("GET", `/console/api/apps/${appId}/model-config`, { token: t.tokens.owner });
    expect((await call("POST", `/console/api/apps/${appId}/model-config`, { token: t.tokens.owner, body: { model_config: modelConfig(foreign.id), hash: draft2.json.hash } })).status).toBe(200);
    await publishAs(t.tokens.owner, appId);
    const denied = await call("POST", "/v1/chat-messages", { token: appKey, body: { query: "Shipping?", inputs: {}, user: "u", response_mode: "streaming" } });
    expect(denied.status).toBe(200);
    expect(denied.text).toContain('"event":"error"');
    expect(denied.text).toMatch(/knowledge base [0-9a-f-]+ does not exist in this workspace/);
  });
});

describe("knowledge API: segments and child chunks", () => {
  it("lists, adds, edits, disables and deletes segments; edits are searchable at once", async () => {
    const { key } = await setup("seg");
    const dataset = await createDataset(key);
    const { document, batch } = await addText(key, dataset.id, "notes.txt", "Alpha is the first letter.\nBeta is the second letter.");
    await waitIndexed(key, dataset.id, batch);
    const base = `/v1/datasets/${dataset.id}/documents/${document.id}/segments`;
    const listed = await call("GET", base, { token: key });
    expect(listed.json).toMatchObject({ total: 2, doc_form: "text_model" });
    expect(listed.json.data.map((s: any) => s.content)).toEqual(["Alpha is the first letter.", "Beta is the second letter."]);

    const added = await call("POST", base, { token: key, body: { segments: [{ content: "Gamma is the third letter.", keywords: ["gamma"] }] } });
    expect(added.status, added.text).toBe(200);
    expect(added.json.data[0]).toMatchObject({ content: "Gamma is the third letter.", position: 3, status: "completed", keywords: ["gamma"] });
    const gammaId = added.json.data[0].id;
    const search = async (query: string) =>
      (await call("POST", `/v1/datasets/${dataset.id}/retrieve`, { token: key, body: { query, retrieval_model: { search_method: "hybrid_search", top_k: 1 } } })).json.records.map((r: any) => r.segment.content);
    expect(await search("gamma")).toEqual(["Gamma is the third letter."]);

    const edited = await call("POST", `${base}/${gammaId}`, { token: key, body: { segment: { content: "Delta is the fourth letter." } } });
    expect(edited.json.data).toMatchObject({ content: "Delta is the fourth letter.", word_count: "Delta is the fourth letter.".length });
    expect(await search("delta fourth")).toEqual(["Delta is the fourth letter."]);

    await call("POST", `${base}/${gammaId}`, { token: key, body: { segment: { enabled: false } } });
    expect(await search("delta fourth")).not.toContain("Delta is the fourth letter.");

    expect((await call("DELETE", `${base}/${gammaId}`, { token: key })).status).toBe(204);
    expect((await call("GET", `${base}/${gammaId}`, { token: key })).status).toBe(404);
    expect((await call("GET", `/v1/datasets/${dataset.id}/documents/${document.id}`, { token: key })).json).toMatchObject({ total_segments: 2, completed_segments: 2 });
  });

  it("child chunks of a parent-child document: list, add, edit, delete", async () => {
    const { key } = await setup("child");
    const dataset = await createDataset(key);
    const { document, batch } = await addText(key, dataset.id, "faq.txt", "Refunds\nWithin 30 days.", {
      doc_form: "hierarchical_model",
      process_rule: { mode: "hierarchical", rules: { parent_mode: "paragraph", segmentation: { separator: "\n\n", max_tokens: 500 }, subchunk_segmentation: { separator: "\n", max_tokens: 100 } } },
    });
    await waitIndexed(key, dataset.id, batch);
    const segments = await call("GET", `/v1/datasets/${dataset.id}/documents/${document.id}/segments`, { token: key });
    const parent = segments.json.data[0];
    expect(parent.child_chunks.map((c: any) => c.content)).toEqual(["Refunds", "Within 30 days."]);
    const base = `/v1/datasets/${dataset.id}/documents/${document.id}/segments/${parent.id}/child_chunks`;
    const added = await call("POST", base, { token: key, body: { content: "Keep the receipt." } });
    expect(added.json.data).toMatchObject({ content: "Keep the receipt.", position: 3, segment_id: parent.id });
    const childId = added.json.data.id;
    expect((await call("PATCH", `${base}/${childId}`, { token: key, body: { content: "Keep the original receipt." } })).json.data.content).toBe("Keep the original receipt.");
    const retrieved = await call("POST", `/v1/datasets/${dataset.id}/retrieve`, { token: key, body: { query: "original receipt", retrieval_model: { search_method: "semantic_search", top_k: 1 } } });
    expect(retrieved.json.records[0].child_chunks[0].content).toBe("Keep the original receipt.");
    expect((await call("DELETE", `${base}/${childId}`, { token: key })).status).toBe(204);
    expect((await call("GET", base, { token: key })).json.data.map((c: any) => c.content)).toEqual(["Refunds", "Within 30 days."]);
  });
});

describe("knowledge API: metadata and tags", () => {
  it("defines metadata fields, sets document values, filters retrieval by them, renames and deletes them", async () => {
    const { key } = await setup("meta");
    const dataset = await createDataset(key);
    const one = await addText(key, dataset.id, "2023.txt", "Holiday policy for staff.");
    const two = await addText(key, dataset.id, "2024.txt", "Holiday policy for staff, revised.");
    await waitIndexed(key, dataset.id, one.batch);
    await waitIndexed(key, dataset.id, two.batch);
    const base = `/v1/datasets/${dataset.id}/metadata`;
    const year = (await call("POST", base, { token: key, body: { name: "year", type: "number" } })).json;
    expect(year).toMatchObject({ name: "year", type: "number" });
    expect((await call("POST", base, { token: key, body: { name: "year", type: "number" } })).status).toBe(409);
    const set = await call("POST", `/v1/datasets/${dataset.id}/documents/metadata`, {
      token: key,
      body: { operation_data: [{ document_id: one.document.id, metadata_list: [{ id: year.id, name: "year", value: 2023 }] }, { document_id: two.document.id, metadata_list: [{ id: year.id, name: "year", value: "2024" }] }] },
    });
    expect(set.status, set.text).toBe(200);
    expect((await call("GET", base, { token: key })).json.doc_metadata).toEqual([{ id: year.id, name: "year", type: "number", count: 2 }]);
    const bad = await call("POST", `/v1/datasets/${dataset.id}/documents/metadata`, { token: key, body: { operation_data: [{ document_id: one.document.id, metadata_list: [{ name: "year", value: "soon" }] }] } });
    expect(bad.status).toBe(400);

    const filtered = async (conditions: unknown[]) =>
      (await call("POST", `/v1/datasets/${dataset.id}/retrieve`, { token: key, body: { query: "holiday policy", retrieval_model: { search_method: "hybrid_search", top_k: 5, metadata_filtering_conditions: { logical_operator: "and", conditions } } } })).json.records.map(
        (r: any) => r.segment.document.name,
      );
    expect(await filtered([{ name: "year", comparison_operator: "≥", value: 2024 }])).toEqual(["2024.txt"]);
    expect((await filtered([{ name: "year", comparison_operator: "<", value: 2030 }])).sort()).toEqual(["2023.txt", "2024.txt"]);

    const renamed = await call("PATCH", `${base}/${year.id}`, { token: key, body: { name: "fiscal_year" } });
    expect(renamed.json.name).toBe("fiscal_year");
    expect(await filtered([{ name: "fiscal_year", comparison_operator: "=", value: 2023 }])).toEqual(["2023.txt"]);
    expect((await call("DELETE", `${base}/${year.id}`, { token: key })).status).toBe(204);
    expect((await call("GET", `/v1/datasets/${dataset.id}/documents/${one.document.id}`, { token: key })).json.doc_metadata).toEqual([]);
    expect((await call("POST", `${base}/built-in/enable`, { token: key })).status).toBe(200);
    expect((await call("GET", base, { token: key })).json.built_in_field_enabled).toBe(true);
  });

  it("creates tags, binds them to datasets and filters the dataset list by tag", async () => {
    const { key } = await setup("tags");
    const first = await createDataset(key, { name: "First" });
    await createDataset(key, { name: "Second" });
    const tag = (await call("POST", "/v1/datasets/tags", { token: key, body: { name: "hr" } })).json;
    expect(tag).toMatchObject({ name: "hr", type: "knowledge", binding_count: "0" });
    expect((await call("POST", "/v1/datasets/tags/binding", { token: key, body: { tag_ids: [tag.id], target_id: first.id } })).status).toBe(204);
    expect((await call("GET", "/v1/datasets/tags", { token: key })).json).toEqual([{ id: tag.id, name: "hr", type: "knowledge", binding_count: "1" }]);
    expect((await call("GET", `/v1/datasets/${first.id}/tags`, { token: key })).json.data.map((t: any) => t.name)).toEqual(["hr"]);
    const listed = await call("GET", `/v1/datasets?tag_ids=${tag.id}`, { token: key });
    expect(listed.json.data.map((d: any) => d.name)).toEqual(["First"]);
    expect(listed.json.data[0].tags).toEqual([{ id: tag.id, name: "hr", type: "knowledge" }]);
    expect((await call("PATCH", "/v1/datasets/tags", { token: key, body: { tag_id: tag.id, name: "people" } })).json.name).toBe("people");
    expect((await call("POST", "/v1/datasets/tags/unbinding", { token: key, body: { tag_id: tag.id, target_id: first.id } })).status).toBe(204);
    expect((await call("DELETE", "/v1/datasets/tags", { token: key, body: { tag_id: tag.id } })).status).toBe(204);
    expect((await call("GET", "/v1/datasets/tags", { token: key })).json).toEqual([]);
  });
});

describe("a chatflow grounded in a dataset", () => {
  it("answers with the retrieved chunk in the model's prompt and Dify's retriever_resources in message_end, blocking and streaming", async () => {
    const { t, dataset } = await groundedWorkspace(
      "cite",
      { name: "Handbook" },
      { name: "hive-guide.md", text: "The queen lays up to two thousand eggs a day in spring.\n\nDrones exist to mate with a queen from another colony." },
      "mock-chat",
    );

    const appId = await createAppAs(t.tokens.owner, "advanced-chat", "Hive helper");
    const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner });
    const node = (id: string, data: Record<string, unknown>) => ({ id, type: "custom", position: { x: 0, y: 0 }, data: { title: id, ...data } });
    const graph = {
      nodes: [
        node("start", { type: "start", variables: [] }),
        node("kr", { type: "knowledge-retrieval", query_variable_selector: ["sys", "query"], dataset_ids: [dataset.id], retrieval_mode: "multiple", multiple_retrieval_config: { top_k: 1 } }),
        node("llm", {
          type: "llm",
          model: { provider: "openai_api_compatible", name: "mock-chat", mode: "chat", completion_params: {} },
          prompt_template: [
            { role: "system", text: "Answer from this context only:\n{{#context#}}" },
            { role: "user", text: "{{#sys.query#}}" },
          ],
          context: { enabled: true, variable_selector: ["kr", "result"] },
        }),
        node("answer", { type: "answer", answer: "{{#llm.text#}}" }),
      ],
      edges: [
        { id: "e1", source: "start", target: "kr", sourceHandle: "source", targetHandle: "target" },
        { id: "e2", source: "kr", target: "llm", sourceHandle: "source", targetHandle: "target" },
        { id: "e3", source: "llm", target: "answer", sourceHandle: "source", targetHandle: "target" },
      ],
    };
    const put = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner, body: { graph, features: { retriever_resource: { enabled: true } }, hash: draft.json.hash } });
    expect(put.status, put.text).toBe(200);
    await publishAs(t.tokens.owner, appId);
    const appKey = (await createKeyAs(t.tokens.owner, appId)).token;

    await resetMockModel();
    await scriptMockModel({ text: "Up to two thousand a day." }, { text: "Two thousand, in spring." });
    const blocking = await call("POST", "/v1/chat-messages", { token: appKey, body: { query: "How many eggs does the queen lay?", inputs: {}, user: "u1", response_mode: "blocking" } });
    expect(blocking.status, blocking.text).toBe(200);
    expect(blocking.json.answer).toBe("Up to two thousand a day.");
    const [resource] = blocking.json.metadata.retriever_resources;
    expect(resource).toMatchObject({
      position: 1,
      dataset_id: dataset.id,
      dataset_name: "Handbook",
      document_name: "hive-guide.md",
      content: "The queen lays up to two thousand eggs a day in spring.",
    });
    expect(resource.score).toBeGreaterThan(0);
    expect(typeof resource.segment_id).toBe("string");
    const [request] = await mockModelRequests();
    expect(request!.body.messages[0].content).toContain("The queen lays up to two thousand eggs a day in spring.");

    const streamed = await call("POST", "/v1/chat-messages", { token: appKey, body: { query: "How many eggs does the queen lay?", inputs: {}, user: "u1", response_mode: "streaming" } });
    const events = parseSse(streamed.text);
    const end = events.find((event) => event.event === "message_end");
    expect(end.metadata.retriever_resources[0]).toMatchObject({ dataset_name: "Handbook", document_name: "hive-guide.md" });
    // The citation is kept with the message.
    const messages = await call("GET", `/v1/messages?conversation_id=${end.conversation_id}&user=u1`, { token: appKey });
    expect(messages.json.data[0].retriever_resources[0]).toMatchObject({ document_name: "hive-guide.md", content: "The queen lays up to two thousand eggs a day in spring." });
  });
});

describe("retrieval's dataset cache", () => {
  it("forgets a cached dataset as soon as it is written", async () => {
    const { key } = await setup("cache");
    const dataset = await createDataset(key, { name: "Cached" });
    const { batch } = await addText(key, dataset.id, "a.txt", "Bees make honey from nectar.");
    await waitIndexed(key, dataset.id, batch);
    const ask = () => call("POST", `/v1/datasets/${dataset.id}/retrieve`, { token: key, body: { query: "honey" } });
    expect((await ask()).status).toBe(200);
    // Cached now; deleting through the API forgets it at once.
    expect((await call("DELETE", `/v1/datasets/${dataset.id}`, { token: key })).status).toBe(204);
    const gone = await ask();
    expect(gone.status).toBe(404);
    expect(gone.json.message).toBe("Dataset not found.");
  });
});
