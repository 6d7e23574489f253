// bench:python — Python code nodes (Pyodide in the tenant's Worker Loader isolate) under local
// `wrangler dev`, through POST /v1/workflows/run (blocking), one request at a time:
// - cold: the first Python run of the tenant, which boots Pyodide in a new isolate;
// - warm: p50/p95 of later runs, next to the same workflow with a JavaScript (QuickJS) code node —
//   the difference is what the Python sandbox adds per execution (RPC to the isolate, run, restore);
// - inside the isolate: p50/p95 of the execution as the isolate measures it, up to its answer
//   (user code, restoring builtins and the json modules, serialisation; the rest of the state
//   restore runs after the answer is out), from the node's process_data.sandbox.execution_ms —
//   local workerd moves the clock during synchronous work, so this is real time at 1 ms resolution;
// - memory: growth of the workerd process's resident set across the first boot, and its net change
//   when the tenant's isolate is replaced by a fresh one (the first interpreter is crashed on
//   purpose; the old isolate's memory is released meanwhile, so that is not one isolate's size).
// Usage: npm run bench:python [-- --runs 40]
import { readdirSync, readFileSync } from "node:fs";
import { buildWeb } from "../scripts/lib.mjs";
import { json, option, startPlatform } from "./http.mjs";

function codeGraph(language, code) {
  return {
    nodes: [
      { id: "start", type: "custom", position: { x: 0, y: 0 }, data: { type: "start", title: "Start", variables: [{ variable: "query", label: "query", type: "paragraph", required: true, max_length: 4000, options: [] }] } },
      {
        id: "code",
        type: "custom",
        position: { x: 300, y: 0 },
        data: { type: "code", title: "Code", code_language: language, code, variables: [{ variable: "query", value_selector: ["start", "query"] }], outputs: { words: { type: "number", children: null }, upper: { type: "string", children: null } } },
      },
      { id: "end", type: "custom", position: { x: 600, y: 0 }, data: { type: "end", title: "End", outputs: [{ variable: "words", value_selector: ["code", "words"] }, { variable: "upper", value_selector: ["code", "upper"] }] } },
    ],
    edges: [
      { id: "e1", source: "start", sourceHandle: "source", target: "code", targetHandle: "target", type: "custom" },
      { id: "e2", source: "code", sourceHandle: "source", target: "end", targetHandle: "target", type: "custom" },
    ],
  };
}

const python = "import re\n\ndef main(query: str) -> dict:\n    return {'words': len(re.findall(r'\\w+', query)), 'upper': query.upper()}\n";
const javascript = "function main({ query }) { return { words: (query.match(/\\w+/g) || []).length, upper: query.toUpperCase() }; }";

async function publish(base, auth, name, graph) {
  const app = await json(`${base}/console/api/apps`, { method: "POST", headers: auth, body: JSON.stringify({ name, mode: "workflow" }) });
  const draft = await json(`${base}/console/api/apps/${app.id}/workflows/draft`, { headers: auth });
  await json(`${base}/console/api/apps/${app.id}/workflows/draft`, { method: "POST", headers: auth, body: JSON.stringify({ graph, hash: draft.hash }) });
  await json(`${base}/console/api/apps/${app.id}/workflows/publish`, { method: "POST", headers: auth, body: "{}" });
  return { appId: app.id, key: (await json(`${base}/console/api/apps/${app.id}/api-keys`, { method: "POST", headers: auth })).token };
}

/** The code node's in-isolate timing of a finished run, read back from the recorded node execution. */
async function sandboxTiming(base, auth, appId, runId) {
  for (let attempt = 0; attempt < 50; attempt++) {
    // Under wrangler dev the first console request after Pyodide's boot was seen to hang (local
    // only; later requests answer at once), so each try has its own deadline.
    const res = await fetch(`${base}/console/api/apps/${appId}/workflow-runs/${runId}/node-executions`, { headers: auth, signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    const code = res?.ok ? (await res.json()).data.find((node) => node.node_id === "code") : undefined;
    if (code) return code.process_data?.sandbox;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`run ${runId} was not recorded`);
}

// repr() of 100,000 nested lists recurses in C until the interpreter dies: the tenant's next
// execution gets a new isolate, whose boot the bench measures.
const crash = "def main(query: str) -> dict:\n    x = []\n    for i in range(10**5):\n        x = [x]\n    return {'words': len(repr(x)), 'upper': ''}\n";

async function timedRun(base, key, { expectFailure = false } = {}) {
  const started = performance.now();
  const body = await json(`${base}/v1/workflows/run`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
    body: JSON.stringify({ inputs: { query: "the quick brown fox" }, user: "bench", response_mode: "blocking" }),
  });
  const ms = performance.now() - started;
  if (expectFailure) return { ms, runId: body.workflow_run_id };
  if (body.data.status !== "succeeded" || body.data.outputs.words !== 4) throw new Error(`run did not succeed: ${JSON.stringify(body)}`);
  return { ms, runId: body.workflow_run_id };
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Resident set (MiB) of the workerd processes serving `port`. */
function workerdRssMiB(port) {
  let kib = 0;
  for (const pid of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (!cmdline.includes("workerd") || !cmdline.includes(`:${port}`)) continue;
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // the process went away
    }
  }
  return kib / 1024;
}

const runs = option("runs", 40);
buildWeb();
const platform = await startPlatform();
const port = new URL(platform.url).port;
try {
  const base = platform.url;
  const headers = { "Content-Type": "application/json", Origin: base };
  await json(`${base}/console/api/setup`, { method: "POST", headers, body: JSON.stringify({ email: "bench@example.com", name: "Bench", password: "bench-pass-1" }) });
  const login = await json(`${base}/console/api/login`, { method: "POST", headers, body: JSON.stringify({ email: "bench@example.com", password: "bench-pass-1" }) });
  const auth = { ...headers, Authorization: `Bearer ${login.data.access_token}` };
  const pythonApp = await publish(base, auth, "Python", codeGraph("python3", python));
  const javascriptApp = await publish(base, auth, "JavaScript", codeGraph("javascript", javascript));
  const crashApp = await publish(base, auth, "Crash", codeGraph("python3", crash));

  for (let i = 0; i < 5; i++) await timedRun(base, javascriptApp.key); // warms the Worker and the DO class
  const rssBefore = workerdRssMiB(port);
  const cold = await timedRun(base, pythonApp.key);
  const coldSandbox = await sandboxTiming(base, auth, pythonApp.appId, cold.runId);
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const rssAfter = workerdRssMiB(port);

  const warmPython = [];
  const warmJavascript = [];
  const pythonRuns = [];
  for (let i = 0; i < runs; i++) {
    const run = await timedRun(base, pythonApp.key);
    warmPython.push(run.ms);
    pythonRuns.push(run.runId);
    warmJavascript.push((await timedRun(base, javascriptApp.key)).ms);
  }
  const inside = [];
  for (const runId of pythonRuns) inside.push((await sandboxTiming(base, auth, pythonApp.appId, runId)).execution_ms);

  // A second isolate for the same tenant: crash the interpreter, then boot a fresh one.
  await timedRun(base, crashApp.key, { expectFailure: true });
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const rssBeforeSecond = workerdRssMiB(port);
  const second = await timedRun(base, pythonApp.key);
  const secondSandbox = await sandboxTiming(base, auth, pythonApp.appId, second.runId);
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const rssAfterSecond = workerdRssMiB(port);

  const figures = {
    python_cold_run_ms: Math.round(cold.ms),
    python_cold_boot_in_isolate_ms: coldSandbox?.boot_ms ?? null,
    python_warm_run_p50_ms: Number(percentile(warmPython, 50).toFixed(1)),
    python_warm_run_p95_ms: Number(percentile(warmPython, 95).toFixed(1)),
    javascript_warm_run_p50_ms: Number(percentile(warmJavascript, 50).toFixed(1)),
    javascript_warm_run_p95_ms: Number(percentile(warmJavascript, 95).toFixed(1)),
    python_added_p50_ms: Number((percentile(warmPython, 50) - percentile(warmJavascript, 50)).toFixed(1)),
    python_in_isolate_p50_ms: percentile(inside, 50),
    python_in_isolate_p95_ms: percentile(inside, 95),
    python_in_isolate_mean_ms: Number((inside.reduce((a, b) => a + b, 0) / inside.length).toFixed(2)),
    workerd_rss_growth_on_boot_mib: Math.round(rssAfter - rssBefore),
    second_isolate_boot_ms: secondSandbox?.boot_ms ?? null,
    workerd_rss_growth_second_isolate_mib: Math.round(rssAfterSecond - rssBeforeSecond),
  };
  console.log(`cold: first Python run of the tenant (boots Pyodide in its isolate): ${figures.python_cold_run_ms} ms end to end, boot ${figures.python_cold_boot_in_isolate_ms} ms inside the isolate`);
  console.log(`warm, whole run (start → code → end, new DO each): Python p50 ${figures.python_warm_run_p50_ms} ms / p95 ${figures.python_warm_run_p95_ms} ms; JavaScript p50 ${figures.javascript_warm_run_p50_ms} ms / p95 ${figures.javascript_warm_run_p95_ms} ms (${runs} runs each)`);
  console.log(`Python sandbox adds ≈ ${figures.python_added_p50_ms} ms per execution at p50`);
  console.log(`warm execution inside the isolate, up to its answer (code + serialisation; 1 ms clock): p50 ${figures.python_in_isolate_p50_ms} ms / p95 ${figures.python_in_isolate_p95_ms} ms, mean ${figures.python_in_isolate_mean_ms} ms (target ≤ 5 ms p50)`);
  console.log(`workerd resident set grew ${figures.workerd_rss_growth_on_boot_mib} MiB across the first boot (≈ one tenant isolate plus one-time costs); replacing the isolate with a fresh one (boot ${figures.second_isolate_boot_ms} ms) changed it by ${figures.workerd_rss_growth_second_isolate_mib} MiB net`);
  console.log(JSON.stringify(figures));
} finally {
  platform.stop();
}
