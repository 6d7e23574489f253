// bench:http — requests/s of a trivial route (GET /health) under local `wrangler dev`, measured
// with autocannon against 127.0.0.1 for a bounded time. Later benchmarks report their throughput
// as a ratio to this figure measured in the same run (see bench/README.md).
// Usage: npm run bench:http [-- --seconds 10 --connections 20]
import autocannon from "autocannon";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { applyMigrations, buildWeb, startWranglerDev } from "../scripts/lib.mjs";

/** A numeric `--name value` command-line option. */
export function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

/** A JSON call that throws with the response body on any non-2xx answer. */
export async function json(url, init) {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) throw new Error(`${init?.method ?? "GET"} ${url} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** Runs autocannon against `url` and returns its summary figures. */
export async function measure(url, { seconds = 10, connections = 20, ...rest } = {}) {
  const result = await autocannon({ url, duration: seconds, connections, ...rest });
  return {
    requests_per_second: Math.round(result.requests.average),
    latency_p50_ms: result.latency.p50,
    latency_p99_ms: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

/**
 * Where benchmarks keep their throwaway local state (D1, Durable Objects, R2): `BENCH_STATE_DIR`,
 * else a memory-backed folder when the machine has one. Local D1 and Durable Object storage are
 * SQLite files, and on a virtual disk their syncs would dominate the figures; in production that
 * storage is Cloudflare's, not this disk. `BENCH_STATE_DIR=/tmp` measures with the disk.
 */
export function benchStateDir() {
  return process.env.BENCH_STATE_DIR || (existsSync("/dev/shm") ? "/dev/shm" : tmpdir());
}

/** Starts a throwaway platform for a benchmark; returns its URL and a stop function. */
export async function startPlatform(vars = {}) {
  const persistTo = mkdtempSync(join(benchStateDir(), "waggle-bench-"));
  console.log(`local state in ${benchStateDir()} (set BENCH_STATE_DIR to change)`);
  applyMigrations(persistTo);
  const server = await startWranglerDev({ persistTo, vars });
  // A benchmark stopped with Ctrl-C (or by a timeout) must not leave its server running.
  for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => process.exit(130));
  return {
    url: server.url,
    stop: () => {
      server.stop();
      // The server may still be writing while it shuts down; leaving a temp folder is harmless.
      try {
        rmSync(persistTo, { recursive: true, force: true, maxRetries: 10, retryDelay: 300 });
      } catch {
        // left for the OS to clean
      }
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const seconds = option("seconds", 10);
  const connections = option("connections", 20);
  buildWeb();
  const platform = await startPlatform();
  try {
    await measure(`${platform.url}/health`, { seconds: 2, connections }); // warm-up
    const figures = await measure(`${platform.url}/health`, { seconds, connections });
    console.log(`GET /health under wrangler dev: ${figures.requests_per_second} req/s, p50 ${figures.latency_p50_ms} ms, p99 ${figures.latency_p99_ms} ms, ${figures.errors} errors (${connections} connections, ${seconds} s)`);
    console.log(JSON.stringify({ http_requests_per_second: figures.requests_per_second, http_latency_p50_ms: figures.latency_p50_ms, http_latency_p99_ms: figures.latency_p99_ms, http_errors: figures.errors }));
  } finally {
    platform.stop();
  }
}
