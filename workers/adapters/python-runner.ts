import { resolveCodeRunLimits, type CodeRunFailureKind, type CodeRunLimits, type CodeRunner, type CodeRunRequest, type CodeRunResult } from "../../core/sandbox";
import { pythonRunnerSource } from "../../core/sandbox/python";
import { pythonGuestSource } from "./python-guest-source";

/** The Pyodide release the assets come from; part of every isolate id, so an upgrade never reuses an isolate. */
export const PYODIDE_VERSION = "314.0.7";
// Bump when the guest or the Python runner changes in a way a warm isolate must not keep.
const GUEST_REVISION = 4;
export const PYTHON_RUNTIME_VERSION = `pyodide-${PYODIDE_VERSION}.${GUEST_REVISION}`;

/** Where `buildWeb()` puts Pyodide's files in the static assets (see scripts/pyodide-assets.mjs). */
const ASSET_BASE = "https://assets.local/static/pyodide/";

export interface PythonRunnerOptions {
  /** The Worker Loader binding (`[[worker_loaders]]`). */
  loader: WorkerLoader;
  /** The static-assets binding holding `static/pyodide/*`. */
  assets: Fetcher;
  /** One isolate per tenant (and runtime version); tenants never share an interpreter. */
  tenantId: string;
  /** Defaults for every execution; a request's `limits` override them. */
  limits?: CodeRunLimits;
  /**
   * Interrupt checks allowed per millisecond of `timeoutMs`. Pyodide makes about 1.5–3 million
   * checks a second here; production clocks only move on I/O, so the budget is counted, not timed.
   */
  checksPerMs?: number;
  /**
   * CPU time the isolate may spend on one call, boot included (Pyodide's boot takes a few seconds
   * of CPU). The backstop for loops inside C (`sum(range(10**12))`) that no interrupt reaches.
   */
  isolateCpuMs?: number;
}

interface GuestRequest {
  code: string;
  inputsJson: string;
  checkBudget: number;
  maxOutputChars: number;
  maxLogLines: number;
  maxLogChars: number;
}

interface GuestStats {
  /** Interrupt checks the user code made. */
  checks: number;
  /** The user code alone. */
  runMs: number;
  /** The execution inside the isolate after boot, up to the answer: a restore still owed, user code, serialisation. */
  elapsedMs: number;
  /** Pyodide's boot, when this execution waited for it; else 0. */
  bootMs: number;
}

type GuestResponse =
  | { ok: true; resultJson: string; logs: string[]; recycle: boolean; stats: GuestStats }
  | { ok: false; kind: CodeRunFailureKind; error: string; logs: string[]; recycle: boolean; stats?: GuestStats };

interface PythonSandboxEntrypoint {
  run(request: GuestRequest): Promise<GuestResponse>;
}

// Bumped per tenant when an isolate must not be used again (CPU limit hit, interpreter broken):
// the next execution asks the loader for a new id, hence a fresh isolate.
const generations = new Map<string, number>();

/**
 * Runs Python code-node source (Dify semantics: `main(**inputs) -> dict`) in Pyodide inside a
 * dynamic isolate per tenant, created through the Worker Loader binding with no network
 * (`globalOutbound: null`) and no bindings. Pyodide's files come from static assets, so none of
 * them is in the Worker's bundle. The first execution in an isolate boots Pyodide (seconds);
 * later ones reuse it, with the interpreter's state restored after each execution.
 *
 * @example
 * const python3 = createPythonRunner({ loader: env.LOADER, assets: env.ASSETS, tenantId });
 * await python3.run({ code: "def main(a: int) -> dict:\n    return {'b': a + 1}", inputs: { a: 1 } });
 * // { ok: true, result: { b: 2 }, logs: [] }
 */
export function createPythonRunner(options: PythonRunnerOptions): CodeRunner {
  const checksPerMs = options.checksPerMs ?? 1_000;
  return {
    language: "python3",
    async run(request: CodeRunRequest): Promise<CodeRunResult> {
      const limits = resolveCodeRunLimits(options.limits, request.limits);
      const inputsJson = encodeInputs(request.inputs, limits.maxInputBytes);
      if (typeof inputsJson !== "string") return inputsJson;

      const generation = generations.get(options.tenantId) ?? 0;
      const id = `waggle-python/${PYTHON_RUNTIME_VERSION}/${options.tenantId}/${generation}`;
      const recycle = () => {
        if ((generations.get(options.tenantId) ?? 0) === generation) generations.set(options.tenantId, generation + 1);
      };
      const sandbox = options.loader.get(id, () => isolateCode(options.assets, options.isolateCpuMs ?? 30_000)).getEntrypoint() as unknown as PythonSandboxEntrypoint;
      let response: GuestResponse;
      try {
        response = await sandbox.run({
          code: request.code,
          inputsJson,
          checkBudget: Math.round(limits.timeoutMs * checksPerMs),
          maxOutputChars: limits.maxOutputChars,
          maxLogLines: limits.maxLogLines,
          maxLogChars: limits.maxLogChars,
        });
      } catch (error) {
        // The isolate is gone or unusable: hit its CPU limit (a loop inside C that no interrupt
        // reaches), crashed, or was evicted. Whatever it was, the next execution gets a new one.
        recycle();
        const message = String((error as Error)?.message ?? error);
        if (CPU_LIMIT_PATTERN.test(message)) return { ok: false, kind: "timeout", error: CPU_LIMIT_MESSAGE };
        return { ok: false, kind: "runtime", error: `The Python sandbox stopped (${message}); the next execution starts a fresh one` };
      }
      if (response.recycle) recycle();
      const stats = response.stats ? { stats: { executionMs: response.stats.elapsedMs, ...(response.stats.bootMs > 0 && { bootMs: response.stats.bootMs }) } } : {};
      if (response.ok) return { ok: true, result: JSON.parse(response.resultJson) as Record<string, unknown>, logs: response.logs, ...stats };
      return { ok: false, kind: response.kind, error: describeFailure(response.kind, response.error, limits.timeoutMs), logs: response.logs, ...stats };
    },
  };
}

// Workers report "Worker exceeded CPU time limit." (error 1102: "exceeded resource limits").
const CPU_LIMIT_PATTERN = /\bCPU\b|exceeded resource limits/i;

/** Said when the isolate's CPU limit, the backstop for loops inside C, stopped the code. */
export const CPU_LIMIT_MESSAGE =
  "Python code used more CPU time than its sandbox allows and was stopped (a loop inside a built-in, such as sum(range(10**12)) or a catastrophic regular expression, cannot be interrupted any other way); the next execution starts a fresh sandbox";

function describeFailure(kind: CodeRunFailureKind, error: string, timeoutMs: number): string {
  if (kind === "timeout") return `Python code ran past its time budget (about ${timeoutMs} ms) and was stopped`;
  if (kind === "memory") return "Python code ran out of memory (MemoryError): the sandbox allows 64 MiB in all";
  return error;
}

function encodeInputs(inputs: Record<string, unknown> | undefined, maxInputBytes: number): string | Extract<CodeRunResult, { ok: false }> {
  let json: string;
  try {
    json = JSON.stringify(inputs ?? {});
  } catch (error) {
    return { ok: false, kind: "runtime", error: `The code node's inputs are not JSON-serialisable: ${(error as Error).message}` };
  }
  const bytes = new TextEncoder().encode(json).byteLength;
  if (bytes > maxInputBytes) {
    return { ok: false, kind: "input_too_large", error: `The code node's inputs are ${bytes} bytes as JSON; the limit is ${maxInputBytes} bytes` };
  }
  return json;
}

async function isolateCode(assets: Fetcher, cpuMs: number): Promise<WorkerLoaderWorkerCode> {
  const [pyodideModule, emscriptenModule, wasm, stdlib, lockFile] = await Promise.all([
    asset(assets, "pyodide.mjs").then((r) => r.text()),
    asset(assets, "pyodide.asm.mjs").then((r) => r.text()),
    asset(assets, "pyodide.asm.wasm").then((r) => r.arrayBuffer()),
    asset(assets, "python_stdlib.zip").then((r) => r.arrayBuffer()),
    asset(assets, "pyodide-lock.json").then((r) => r.json()),
  ]);
  if (new Uint32Array(wasm, 0, 1)[0] !== 0x6d736100) throw new Error("static/pyodide/pyodide.asm.wasm is not a wasm binary; run the web build");
  return {
    compatibilityDate: "2026-04-01",
    mainModule: "guest.js",
    modules: {
      "guest.js": { js: pythonGuestSource },
      "pyodide.mjs": { js: pyodideModule },
      "pyodide.asm.mjs": { js: emscriptenModule },
      "pyodide.asm.wasm": { wasm },
      "python_stdlib.zip": { data: stdlib },
      "pyodide-lock.json": { json: lockFile },
      "runner.py": { text: pythonRunnerSource },
    },
    env: {},
    globalOutbound: null,
    limits: { cpuMs },
  };
}

async function asset(assets: Fetcher, file: string): Promise<Response> {
  const response = await assets.fetch(`${ASSET_BASE}${file}`);
  // The SPA fallback answers unknown paths with index.html, so check the type as well.
  if (!response.ok || (response.headers.get("content-type") ?? "").includes("text/html")) {
    throw new Error(`Python runtime file static/pyodide/${file} is missing from the static assets; run the web build (npm run build:web)`);
  }
  return response;
}
