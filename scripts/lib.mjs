// Shared helpers for the project's scripts (start, test, benchmarks). Node built-ins only, so they
// run before dependencies are installed.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync, cpSync, mkdirSync, copyFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { copyPyodideAssets } from "./pyodide-assets.mjs";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);

/**
 * Environment for every wrangler call: no telemetry, and no download of the `Request.cf` sample
 * from workers.cloudflare.com at start (nothing is fetched at run time; the local server uses its
 * built-in placeholder).
 */
export const wranglerEnv = { CLOUDFLARE_CF_FETCH_ENABLED: "false", ...process.env, WRANGLER_SEND_METRICS: "false" };

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: wranglerEnv, ...options });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(" ")} failed with exit code ${result.status ?? result.signal}`);
  }
  return result;
}

/** Installs dependencies when they are missing (first run after `git clone`). */
export function ensureDependencies() {
  if (existsSync(bin("wrangler")) && existsSync(bin("vite")) && existsSync(bin("vitest"))) return;
  console.log("› Installing dependencies (first run)…");
  run("npm", [existsSync(join(root, "package-lock.json")) ? "ci" : "install"]);
}

/** Creates `.dev.vars` with a random local secret if there is none. */
export function ensureDevVars() {
  const path = join(root, ".dev.vars");
  if (existsSync(path) && /WAGGLE_SECRET_KEY=\S{16,}/.test(readFileSync(path, "utf8"))) return;
  const secret = randomBytes(32).toString("base64url");
  const existing = existsSync(path) ? readFileSync(path, "utf8").replace(/^WAGGLE_SECRET_KEY=.*$/m, "").trim() : "";
  writeFileSync(path, `${existing ? `${existing}\n` : ""}WAGGLE_SECRET_KEY=${secret}\n`, { mode: 0o600 });
  console.log("› Created .dev.vars with a random WAGGLE_SECRET_KEY");
}

/**
 * Builds the editor into web/dist and adds Swagger UI's files (served at /docs, no CDN) and the
 * Pyodide runtime that the Python code runner's isolate loads (never bundled into the Worker).
 */
export function buildWeb() {
  console.log("› Building the web app…");
  run(bin("vite"), ["build", "--config", "web/vite.config.ts", "--logLevel", "warn"]);
  const target = join(root, "web", "dist", "static", "swagger-ui-dist");
  mkdirSync(target, { recursive: true });
  for (const file of ["swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"]) {
    copyFileSync(join(root, "node_modules", "swagger-ui-dist", file), join(target, file));
  }
  copyPyodideAssets(join(root, "node_modules", "pyodide"), join(root, "web", "dist", "static", "pyodide"));
}

/** Applies D1 migrations to the local database (in `persistTo` when given). */
export function applyMigrations(persistTo) {
  console.log("› Applying D1 migrations (local)…");
  const args = ["d1", "migrations", "apply", "DB", "--local"];
  if (persistTo) args.push("--persist-to", persistTo);
  run(bin("wrangler"), args, { stdio: ["ignore", "inherit", "inherit"] });
}

/**
 * Starts the platform under wrangler's local dev server (`scripts/dev-server.mjs`: `wrangler dev`
 * without its DevTools inspector) in the background on 127.0.0.1 and resolves once `/health`
 * answers. Used by the browser tests and the benchmarks. Without `port`, the Worker's own workerd
 * answers on a port it picks (no forwarder in between: nothing reloads here), read from the
 * server's "Ready on" line.
 */
export async function startWranglerDev({ port, persistTo, timeoutMs = 90_000, vars = {} }) {
  // Tests and benchmarks start from fresh state, so a throwaway credential key is enough; a fresh
  // clone has no `.dev.vars` (only `npm start` writes one).
  const allVars = { WAGGLE_SECRET_KEY: randomBytes(24).toString("hex"), ...vars };
  const options = { port, persistTo, vars: allVars };
  const child = spawn(process.execPath, [join(root, "scripts", "dev-server.mjs"), JSON.stringify(options)], { cwd: root, env: wranglerEnv, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const announced = () => /Ready on (http:\/\/\S+)/.exec(output)?.[1];
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  // workerd sometimes ignores SIGTERM; a left-over server would eat CPU for every later run.
  const stop = () => {
    signalGroup("SIGTERM");
    setTimeout(() => signalGroup("SIGKILL"), 2_000).unref();
  };
  process.once("exit", () => signalGroup("SIGKILL"));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${output}`);
    const url = port === undefined ? announced() : `http://127.0.0.1:${port}`;
    try {
      if (!url) throw new Error("not ready");
      const res = await fetch(`${url}/health`);
      if (res.ok) return { url, stop, output: () => output };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  stop();
  throw new Error(`wrangler dev did not become ready in ${timeoutMs} ms:\n${output}`);
}

export { cpSync };
