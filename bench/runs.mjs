// bench:runs — an empty workflow (start → end) through POST /v1/workflows/run (blocking) under
// local `wrangler dev`: each run is a new WorkflowRun Durable Object and one D1 batch. Prints
// runs/s and its ratio to GET /health measured in the same run (target ≥ 0.12).
// Usage: npm run bench:runs [-- --seconds 10 --connections 20]
import { buildWeb } from "../scripts/lib.mjs";
import { json, measure, option, startPlatform } from "./http.mjs";

/** Sets up an owner, a published start → end workflow and an app key; returns the key. */
async function publishedEmptyWorkflow(base) {
  const headers = { "Content-Type": "application/json", Origin: base };
  await json(`${base}/console/api/setup`, { method: "POST", headers, body: JSON.stringify({ email: "bench@example.com", name: "Bench", password: "bench-pass-1" }) });
  const login = await json(`${base}/console/api/login`, { method: "POST", headers, body: JSON.stringify({ email: "bench@example.com", password: "bench-pass-1" }) });
  const auth = { ...headers, Authorization: `Bearer ${login.data.access_token}` };
  const app = await json(`${base}/console/api/apps`, { method: "POST", headers: auth, body: JSON.stringify({ name: "Empty", mode: "workflow" }) });
  await json(`${base}/console/api/apps/${app.id}/workflows/publish`, { method: "POST", headers: auth, body: "{}" });
  const key = await json(`${base}/console/api/apps/${app.id}/api-keys`, { method: "POST", headers: auth });
  return key.token;
}

const seconds = option("seconds", 10);
const connections = option("connections", 20);
buildWeb();
const platform = await startPlatform();
try {
  const token = await publishedEmptyWorkflow(platform.url);
  const runRequest = {
    url: `${platform.url}/v1/workflows/run`,
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify({ inputs: {}, user: "bench", response_mode: "blocking" }),
  };
  const check = await json(runRequest.url, runRequest);
  if (check.data.status !== "succeeded") throw new Error(`the benchmark workflow did not succeed: ${JSON.stringify(check)}`);

  await measure(`${platform.url}/health`, { seconds: 2, connections });
  const http = await measure(`${platform.url}/health`, { seconds, connections });
  await measure(runRequest.url, { seconds: 2, connections, method: runRequest.method, headers: runRequest.headers, body: runRequest.body });
  const runs = await measure(runRequest.url, { seconds, connections, method: runRequest.method, headers: runRequest.headers, body: runRequest.body });
  const ratio = runs.requests_per_second / Math.max(1, http.requests_per_second);
  console.log(`GET /health: ${http.requests_per_second} req/s (p50 ${http.latency_p50_ms} ms)`);
  console.log(`POST /v1/workflows/run (start → end, blocking): ${runs.requests_per_second} runs/s (p50 ${runs.latency_p50_ms} ms, p99 ${runs.latency_p99_ms} ms, ${runs.errors} errors)`);
  console.log(`ratio to the plain route: ${ratio.toFixed(3)} (target ≥ 0.12)`);
  console.log(JSON.stringify({ http_requests_per_second: http.requests_per_second, runs_per_second: runs.requests_per_second, runs_latency_p50_ms: runs.latency_p50_ms, runs_errors: runs.errors, runs_to_http_ratio: Number(ratio.toFixed(3)) }));
} finally {
  platform.stop();
}
