/**
 * Main module of the Python sandbox isolate (loaded through the Worker Loader binding, never run
 * in the host). It boots Pyodide from the modules the host hands over — the wasm as a compiled
 * module, the stdlib zip as data — on the first call, once per isolate, working around what stops
 * the stock package in workerd (see shared/reference/workers-facts.md): no `nodejs_compat`,
 * `setImmediate` on top of `setTimeout`, the precompiled wasm in place of `instantiateStreaming`,
 * the two boot-time URLs answered from the imports (anything else refused), `import js` bound to an
 * empty object. Each `run` arms an interrupt budget counted in checks: past the budget every check
 * raises KeyboardInterrupt, so `except BaseException: pass` cannot swallow it for long.
 */
export const pythonGuestSource = String.raw`
import { WorkerEntrypoint } from "cloudflare:workers";
import wasmModule from "./pyodide.asm.wasm";
import stdlib from "./python_stdlib.zip";
import lockFile from "./pyodide-lock.json";
import createPyodideModule from "./pyodide.asm.mjs";
import { loadPyodide } from "./pyodide.mjs";
import runnerSource from "./runner.py";

const INDEX_URL = "https://pyodide.invalid/";
const capture = { lines: null, chars: 0, maxLines: 0, maxChars: 0, dropped: 0 };
let booting;
let bootMs = 0;

function captureLine(line) {
  if (!capture.lines) return;
  if (capture.lines.length >= capture.maxLines || capture.chars + line.length > capture.maxChars) {
    capture.dropped++;
    return;
  }
  capture.lines.push(line);
  capture.chars += line.length;
}

async function bootPyodide() {
  const started = Date.now();
  globalThis.setImmediate ??= (callback, ...args) => setTimeout(callback, 0, ...args);
  globalThis.clearImmediate ??= (id) => clearTimeout(id);
  const originalFetch = globalThis.fetch;
  const originalStreaming = WebAssembly.instantiateStreaming;
  globalThis.location = INDEX_URL;
  globalThis.fetch = async (input) => {
    const url = String(input && input.url ? input.url : input);
    if (url === INDEX_URL + "python_stdlib.zip") return new Response(stdlib);
    if (url === INDEX_URL + "pyodide.asm.wasm") return new Response(null);
    throw new TypeError("The Python sandbox has no network access");
  };
  WebAssembly.instantiateStreaming = async (_response, imports) => ({
    module: wasmModule,
    instance: await WebAssembly.instantiate(wasmModule, imports),
  });
  let pyodide;
  try {
    pyodide = await loadPyodide({
      indexURL: INDEX_URL,
      packageBaseUrl: INDEX_URL,
      lockFileContents: lockFile,
      createPyodideModule,
      jsglobals: Object.create(null),
      stdout: captureLine,
      stderr: captureLine,
      stdin: () => null,
      env: { HOME: "/home/pyodide" },
    });
  } finally {
    globalThis.fetch = originalFetch;
    WebAssembly.instantiateStreaming = originalStreaming;
    delete globalThis.location;
  }
  // No bridge back to JavaScript from user code: not through import, importlib or sys.modules.
  pyodide.unregisterJsModule("js");
  pyodide.unregisterJsModule("pyodide_js");
  const namespace = pyodide.toPy({ __name__: "waggle_runner" });
  pyodide.runPython(runnerSource, { globals: namespace });
  const runStep = namespace.get("__waggle_run");
  const finishStep = namespace.get("__waggle_finish");
  const restoreStep = namespace.get("__waggle_restore");
  bootMs = Date.now() - started;
  return { pyodide, runStep, finishStep, restoreStep };
}

function boot() {
  if (!booting) {
    booting = bootPyodide();
    booting.catch(() => (booting = undefined));
  }
  return booting;
}

export default class PythonSandbox extends WorkerEntrypoint {
  async run(request) {
    // Timings measured inside the isolate, up to the answer (a restore still owed by the previous
    // execution, the code, serialisation). Local workerd advances the clock during synchronous
    // work; on Workers it moves only on I/O, so there they read ~0.
    const ready = Boolean(booting) && bootMs > 0;
    let runtime;
    try {
      runtime = await boot();
    } catch (error) {
      return { ok: false, kind: "runtime", error: "The Python runtime failed to start: " + String(error && error.message || error), logs: [], recycle: true };
    }
    const { pyodide, runStep, finishStep, restoreStep } = runtime;
    const entered = Date.now();
    // The previous execution's restore, if its deferred run has not happened yet; never armed.
    try {
      restoreStep();
    } catch (error) {
      booting = undefined;
      return { ok: false, kind: "runtime", error: "The Python interpreter could not restore its state after the previous execution; the next execution starts a fresh one", logs: [], recycle: true };
    }
    capture.lines = [];
    capture.chars = 0;
    capture.dropped = 0;
    capture.maxLines = request.maxLogLines;
    capture.maxChars = request.maxLogChars;
    let checks = 0;
    let armed = true;
    let fired = false;
    const budget = request.checkBudget;
    const interrupt = {
      get 0() {
        if (!armed) return 0;
        if (++checks <= budget) return 0;
        fired = true;
        return 2;
      },
      set 0(_value) {},
    };
    const started = Date.now();
    let thrown;
    try {
      pyodide.setInterruptBuffer(interrupt);
      runStep(request.code, request.inputsJson);
    } catch (error) {
      thrown = error;
    } finally {
      armed = false;
    }
    const runMs = Date.now() - started;
    let answer;
    let recycle = false;
    try {
      pyodide.setInterruptBuffer(undefined);
      answer = finishStep(request.maxOutputChars);
    } catch (error) {
      // The interpreter is broken (a fatal error, e.g. the JavaScript stack overflowed under deep
      // recursion) or could not restore itself: this isolate is done; the host starts a fresh one.
      booting = undefined;
      recycle = true;
      const cause = thrown || error;
      const reason = String(cause && cause.message || cause).split("\n").find((line) => /Error/.test(line) && !/fatal/i.test(line)) || "a fatal error, such as a stack overflow in deeply nested data";
      answer = "E" + JSON.stringify({ kind: "runtime", error: "The Python interpreter crashed (" + reason.trim() + "); the next execution starts a fresh one" });
      thrown = undefined;
    }
    const logs = capture.lines;
    if (capture.dropped) logs.push("… " + capture.dropped + " more line(s) of output dropped");
    capture.lines = null;
    const stats = { checks, runMs, elapsedMs: Date.now() - entered, bootMs: ready ? 0 : bootMs };
    if (fired) return { ok: false, kind: "timeout", error: "", logs, recycle, stats };
    if (thrown) {
      const message = String(thrown && thrown.message || thrown);
      const kind = /MemoryError/.test(message) ? "memory" : "runtime";
      return { ok: false, kind, error: message.slice(-2000), logs, recycle: true, stats };
    }
    if (answer.startsWith("R")) {
      // The rest of the restore, once the answer is on its way; the next execution does it first
      // if this has not run by then.
      const deferred = new Promise((resolve) =>
        setTimeout(() => {
          try {
            restoreStep();
          } catch {
            // Broken interpreter: the next execution's own restore fails and recycles the isolate.
          }
          resolve();
        }, 0),
      );
      this.ctx?.waitUntil?.(deferred);
      return { ok: true, resultJson: answer.slice(1), logs, recycle, stats };
    }
    const failure = JSON.parse(answer.slice(1));
    return { ok: false, kind: failure.kind, error: failure.error, logs, recycle, stats };
  }
}
`;
