// bench:knowledge — ingestion and retrieval under local `wrangler dev` with the built-in hashing
// embedder: chunks/s end to end through the local queue (upload → split → index messages →
// completed; target ≥ 200 chunks/s), then hybrid-search latency over the indexed chunks in the
// VectorIndex stand-in and FTS5 (target p50 ≤ 30 ms at 10,000 chunks).
// Usage: npm run bench:knowledge [-- --chunks 10000 --documents 5 --queries 200]; `bench:ingest` is
// the ingestion part alone (`--queries 0`), `bench:retrieve` the same run as `bench:knowledge`.
import { buildWeb } from "../scripts/lib.mjs";
import { json, option, startPlatform } from "./http.mjs";

const totalChunks = option("chunks", 10_000);
const documentCount = option("documents", 5);
const queryCount = option("queries", 200);
const words = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu".split(" ");

function line(i) {
  // Deterministic, varied lines: a number plus six words chosen from it.
  const pick = (k) => words[(i * 7 + k * 13 + Math.floor(i / 26) * k) % words.length];
  return `Record ${i} mentions ${pick(1)} ${pick(2)} ${pick(3)} and ${pick(4)} ${pick(5)} ${pick(6)}.`;
}

const percentile = (values, p) => values.slice().sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];

/** Sequential hybrid retrieve calls over the indexed chunks: p50 and p95. */
async function measureRetrieval(base, datasetId, service, indexed, ingest) {
  const latencies = [];
  const retrieve = (i) =>
    fetch(`${base}/v1/datasets/${datasetId}/retrieve`, {
      method: "POST",
      headers: service,
      body: JSON.stringify({ query: `${words[i % words.length]} ${words[(i * 5) % words.length]} record`, retrieval_model: { search_method: "hybrid_search", top_k: 5 } }),
    });
  for (let i = 0; i < 5; i++) await (await retrieve(i)).text(); // warm: the index object loads its vectors
  for (let i = 0; i < queryCount; i++) {
    const t0 = performance.now();
    const res = await retrieve(i);
    await res.text();
    if (!res.ok) throw new Error(`retrieve → ${res.status}`);
    latencies.push(performance.now() - t0);
  }
  const p50 = percentile(latencies, 50);
  const p95 = percentile(latencies, 95);
  console.log(`retrieve (hybrid, top 5, ${indexed} chunks, sequential): p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (target p50 ≤ 30 ms)`);
  console.log(JSON.stringify({ chunks: indexed, ingest_seconds: Number(ingest.ingestSeconds.toFixed(1)), chunks_per_second: Math.round(ingest.chunksPerSecond), retrieve_p50_ms: Number(p50.toFixed(1)), retrieve_p95_ms: Number(p95.toFixed(1)) }));
}

buildWeb();
const platform = await startPlatform();
try {
  const base = platform.url;
  const headers = { "Content-Type": "application/json", Origin: base };
  await json(`${base}/console/api/setup`, { method: "POST", headers, body: JSON.stringify({ email: "bench@example.com", name: "Bench", password: "bench-pass-1" }) });
  const login = await json(`${base}/console/api/login`, { method: "POST", headers, body: JSON.stringify({ email: "bench@example.com", password: "bench-pass-1" }) });
  const auth = { ...headers, Authorization: `Bearer ${login.data.access_token}` };
  const key = (await json(`${base}/console/api/datasets/api-keys`, { method: "POST", headers: auth })).token;
  const service = { "Content-Type": "application/json", Authorization: `Bearer ${key}` };
  const dataset = await json(`${base}/v1/datasets`, { method: "POST", headers: service, body: JSON.stringify({ name: "Bench" }) });

  const perDocument = Math.ceil(totalChunks / documentCount);
  const started = performance.now();
  const batches = [];
  for (let d = 0; d < documentCount; d++) {
    const text = Array.from({ length: perDocument }, (_, i) => line(d * perDocument + i)).join("\n");
    const created = await json(`${base}/v1/datasets/${dataset.id}/document/create-by-text`, {
      method: "POST",
      headers: service,
      body: JSON.stringify({ name: `bench-${d}.txt`, text, process_rule: { mode: "custom", rules: { pre_processing_rules: [], segmentation: { separator: "\n", max_tokens: 100, chunk_overlap: 0 } } } }),
    });
    batches.push(created.batch);
  }
  let indexed = 0;
  for (;;) {
    const statuses = await Promise.all(batches.map((batch) => json(`${base}/v1/datasets/${dataset.id}/documents/${batch}/indexing-status`, { headers: service })));
    const docs = statuses.flatMap((s) => s.data);
    indexed = docs.reduce((sum, d) => sum + d.completed_segments, 0);
    if (docs.some((d) => d.indexing_status === "error")) throw new Error(`indexing failed: ${JSON.stringify(docs.find((d) => d.indexing_status === "error"))}`);
    if (docs.every((d) => d.indexing_status === "completed")) break;
    if (performance.now() - started > 15 * 60_000) throw new Error(`indexing did not finish in 15 minutes (${indexed} chunks)`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const ingestSeconds = (performance.now() - started) / 1000;
  const chunksPerSecond = indexed / ingestSeconds;

  console.log(`ingest: ${indexed} chunks in ${ingestSeconds.toFixed(1)} s = ${chunksPerSecond.toFixed(0)} chunks/s end to end through the local queue (target ≥ 200)`);
  if (queryCount <= 0) {
    console.log(JSON.stringify({ chunks: indexed, ingest_seconds: Number(ingestSeconds.toFixed(1)), chunks_per_second: Math.round(chunksPerSecond) }));
  } else {
    await measureRetrieval(base, dataset.id, service, indexed, { ingestSeconds, chunksPerSecond });
  }
} finally {
  platform.stop();
}
