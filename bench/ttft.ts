// bench:ttft — time to first token through POST /v1/chat-messages (streaming) under local
// `wrangler dev`, minus the time to first token calling the mock model server directly; p50 and p95
// over paired requests (target: p50 overhead ≤ 5 ms). Also streamed chat requests/s with the mock,
// as a ratio to GET /health measured in the same run.
// Usage: npm run bench:ttft [-- --requests 200 --seconds 10 --connections 10]
import { buildWeb } from "../scripts/lib.mjs";
import { startMockModelServer } from "../test/mock-model-server";
import { json, measure, option, startPlatform } from "./http.mjs";

const requests = Number(option("requests", 200));
const seconds = Number(option("seconds", 10));
const connections = Number(option("connections", 10));

/** Milliseconds from sending `init` to the first body chunk that contains `marker`. */
async function timeToFirst(url: string, init: RequestInit, marker: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, init);
  if (!response.ok || !response.body) throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  let first = Number.NaN;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += decoder.decode(value, { stream: true });
    if (Number.isNaN(first) && seen.includes(marker)) first = performance.now() - started;
  }
  if (Number.isNaN(first)) throw new Error(`no ${marker} in the stream from ${url}: ${seen.slice(0, 500)}`);
  return first;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const round = (value: number) => Math.round(value * 100) / 100;

async function publishedChatApp(base: string, mockUrl: string): Promise<string> {
  const headers = { "Content-Type": "application/json", Origin: base };
  await json(`${base}/console/api/setup`, { method: "POST", headers, body: JSON.stringify({ email: "bench@example.com", name: "Bench", password: "bench-pass-1" }) });
  const login = await json(`${base}/console/api/login`, { method: "POST", headers, body: JSON.stringify({ email: "bench@example.com", password: "bench-pass-1" }) });
  const auth = { ...headers, Authorization: `Bearer ${login.data.access_token}` };
  await json(`${base}/console/api/workspaces/current/model-providers/openai_api_compatible/models`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify({ model: "bench-chat", model_type: "llm", credentials: { endpoint_url: `${mockUrl}/v1`, api_key: "sk-bench", mode: "chat", context_size: "4096" } }),
  });
  const app = await json(`${base}/console/api/apps`, { method: "POST", headers: auth, body: JSON.stringify({ name: "TTFT", mode: "chat" }) });
  const draft = await json(`${base}/console/api/apps/${app.id}/model-config`, { headers: auth });
  const modelConfig = { ...draft.model_config, model: { provider: "openai_api_compatible", name: "bench-chat", mode: "chat", completion_params: {} }, pre_prompt: "Be brief." };
  await json(`${base}/console/api/apps/${app.id}/model-config`, { method: "POST", headers: auth, body: JSON.stringify({ model_config: modelConfig, hash: draft.hash }) });
  await json(`${base}/console/api/apps/${app.id}/workflows/publish`, { method: "POST", headers: auth, body: "{}" });
  const key = await json(`${base}/console/api/apps/${app.id}/api-keys`, { method: "POST", headers: auth });
  return key.token;
}

const mock = await startMockModelServer();
buildWeb();
const platform = await startPlatform({ WAGGLE_LOOPBACK_EGRESS_ORIGINS: mock.url });
try {
  const token = await publishedChatApp(platform.url, mock.url);
  const chat = {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: "one two three four", inputs: {}, user: "bench", response_mode: "streaming" }),
  };
  const direct = {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: "Bearer sk-bench" },
    body: JSON.stringify({ model: "bench-chat", stream: true, messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "one two three four" }] }),
  };
  // Warm both paths (isolates, connections, the DO class), then pair requests one after the other.
  for (let i = 0; i < 20; i++) {
    await timeToFirst(`${platform.url}/v1/chat-messages`, chat, '"event":"message"');
    await timeToFirst(`${mock.url}/v1/chat/completions`, direct, '"content"');
  }
  // The floor under `wrangler dev`: a request that does nothing (GET /health), sequential, through
  // the same local server and Worker as the chat request.
  const health: number[] = [];
  for (let i = 0; i < requests; i++) {
    const started = performance.now();
    await (await fetch(`${platform.url}/health`)).text();
    health.push(performance.now() - started);
  }
  const viaWaggle: number[] = [];
  const viaMock: number[] = [];
  const overhead: number[] = [];
  for (let i = 0; i < requests; i++) {
    const a = await timeToFirst(`${mock.url}/v1/chat/completions`, direct, '"content"');
    const b = await timeToFirst(`${platform.url}/v1/chat-messages`, chat, '"event":"message"');
    viaMock.push(a);
    viaWaggle.push(b);
    overhead.push(b - a);
    if (i % 50 === 49) mock.reset();
  }
  console.log(`time to first token, ${requests} paired requests (sequential):`);
  console.log(`  mock directly:            p50 ${round(percentile(viaMock, 50))} ms, p95 ${round(percentile(viaMock, 95))} ms`);
  console.log(`  via /v1/chat-messages:    p50 ${round(percentile(viaWaggle, 50))} ms, p95 ${round(percentile(viaWaggle, 95))} ms`);
  console.log(`  overhead (paired):        p50 ${round(percentile(overhead, 50))} ms, p95 ${round(percentile(overhead, 95))} ms (target p50 ≤ 5 ms)`);
  console.log(`  for scale, GET /health:   p50 ${round(percentile(health, 50))} ms, p95 ${round(percentile(health, 95))} ms (a request that does nothing, through the same local server)`);

  mock.reset();
  await measure(`${platform.url}/health`, { seconds: 2, connections });
  const http = await measure(`${platform.url}/health`, { seconds, connections });
  await measure(`${platform.url}/v1/chat-messages`, { seconds: 2, connections, ...chat });
  mock.reset();
  const streamed = await measure(`${platform.url}/v1/chat-messages`, { seconds, connections, ...chat });
  const ratio = streamed.requests_per_second / Math.max(1, http.requests_per_second);
  console.log(`GET /health: ${http.requests_per_second} req/s; streamed POST /v1/chat-messages: ${streamed.requests_per_second} req/s (p50 ${streamed.latency_p50_ms} ms, ${streamed.errors} errors); ratio ${ratio.toFixed(3)}`);
  console.log(
    JSON.stringify({
      ttft_direct_p50_ms: round(percentile(viaMock, 50)),
      ttft_waggle_p50_ms: round(percentile(viaWaggle, 50)),
      ttft_waggle_p95_ms: round(percentile(viaWaggle, 95)),
      ttft_overhead_p50_ms: round(percentile(overhead, 50)),
      ttft_overhead_p95_ms: round(percentile(overhead, 95)),
      health_p50_ms: round(percentile(health, 50)),
      http_requests_per_second: http.requests_per_second,
      chat_streams_per_second: streamed.requests_per_second,
      chat_to_http_ratio: Number(ratio.toFixed(3)),
    }),
  );
} finally {
  platform.stop();
  await mock.close();
}
