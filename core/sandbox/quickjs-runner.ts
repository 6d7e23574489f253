import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSContext,
  type QuickJSHandle,
  type QuickJSRuntime,
  type QuickJSSyncVariant,
} from "quickjs-emscripten-core";
import releaseSyncVariant from "@jitl/quickjs-wasmfile-release-sync";
import {
  resolveCodeRunLimits,
  type CodeRunFailureKind,
  type CodeRunLimits,
  type CodeRunner,
  type CodeRunRequest,
  type CodeRunResult,
  type ResolvedCodeRunLimits,
} from "./code-runner";
import { guestPrelude } from "./guest-prelude";
import { normalizeCode } from "./normalize-code";

/** A compiled module, or something that produces one once (e.g. `() => WebAssembly.compile(bytes)`). */
export type WasmModuleSource = WebAssembly.Module | (() => WebAssembly.Module | Promise<WebAssembly.Module>);

export interface QuickJsRunnerOptions {
  /**
   * The compiled QuickJS wasm (`@jitl/quickjs-wasmfile-release-sync/wasm`). In workerd, import
   * the `.wasm` file so the bundler hands over a `WebAssembly.Module` and pass it here. When
   * absent, the variant loads its own file on every execution (fine in Node, slower).
   */
  wasmModule?: WasmModuleSource;
  /** Another sync variant build (e.g. a DEBUG_SYNC one for leak checks in tests). */
  variant?: QuickJSSyncVariant;
  /** Defaults for every execution; a request's `limits` override them. */
  limits?: CodeRunLimits;
  /** Clock for the deadline; `Date.now` by default. */
  now?: () => number;
}

const WASM_PAGE = 64 * 1024;
// The release build's INITIAL_MEMORY (16 MiB); the imported memory must start at least this big.
const INITIAL_WASM_PAGES = 256;

type Failure = Extract<CodeRunResult, { ok: false }>;

class GuestFailure {
  constructor(readonly kind: CodeRunFailureKind, readonly error: string) {}
}

/**
 * Runs JavaScript code-node source in QuickJS: a fresh wasm instance, runtime and context per
 * execution, with heap, stack, linear-memory and time limits; JSON in, JSON out, no host functions.
 *
 * @example
 * const runner = createQuickJsRunner({ limits: { timeoutMs: 1000 } });
 * const out = await runner.run({ code: "function main({ a }) { return { b: a + 1 } }", inputs: { a: 1 } });
 * // out = { ok: true, result: { b: 2 }, logs: [] }
 */
export function createQuickJsRunner(options: QuickJsRunnerOptions = {}): CodeRunner {
  const baseVariant = options.variant ?? (releaseSyncVariant as QuickJSSyncVariant);
  const now = options.now ?? (() => Date.now());
  let modulePromise: Promise<WebAssembly.Module> | undefined;

  function compiledModule(): Promise<WebAssembly.Module> | undefined {
    const source = options.wasmModule;
    if (!source) return undefined;
    if (source instanceof WebAssembly.Module) return Promise.resolve(source);
    modulePromise ??= Promise.resolve().then(() => source());
    // A failed load is not cached, so a transient failure does not poison the runner.
    modulePromise.catch(() => (modulePromise = undefined));
    return modulePromise;
  }

  return {
    language: "javascript",
    async run(request: CodeRunRequest): Promise<CodeRunResult> {
      const limits = resolveCodeRunLimits(options.limits, request.limits);
      const input = encodeInputs(request.inputs, limits);
      if (typeof input !== "string") return input;

      const wasmModule = await compiledModule();
      const maxPages = Math.max(INITIAL_WASM_PAGES, Math.ceil(limits.wasmMemoryBytes / WASM_PAGE));
      const wasmMemory = new WebAssembly.Memory({ initial: INITIAL_WASM_PAGES, maximum: maxPages });
      const variant = newVariant(baseVariant, wasmModule ? { wasmModule, wasmMemory } : { wasmMemory });
      // Never shared: an instance that hit OOM or was interrupted mid-allocation is simply dropped.
      const quickjs = await newQuickJSWASMModuleFromVariant(variant);
      return execute(quickjs.newRuntime(), request.code, input, limits, now);
    },
  };
}

function encodeInputs(inputs: Record<string, unknown> | undefined, limits: ResolvedCodeRunLimits): string | Failure {
  let json: string;
  try {
    json = JSON.stringify(inputs ?? {});
  } catch (error) {
    return { ok: false, kind: "runtime", error: `The code node's inputs are not JSON-serialisable: ${(error as Error).message}` };
  }
  const bytes = json.length * 3 <= limits.maxInputBytes ? json.length : new TextEncoder().encode(json).byteLength;
  if (bytes > limits.maxInputBytes) {
    return {
      ok: false,
      kind: "input_too_large",
      error: `The code node's inputs are ${bytes} bytes as JSON; the limit is ${limits.maxInputBytes} bytes`,
    };
  }
  return json;
}

function execute(
  runtime: QuickJSRuntime,
  code: string,
  inputJson: string,
  limits: ResolvedCodeRunLimits,
  now: () => number,
): CodeRunResult {
  const handles: QuickJSHandle[] = [];
  const keep = (handle: QuickJSHandle) => (handles.push(handle), handle);
  let context: QuickJSContext | undefined;
  let poisoned = false;
  let interrupted = false;
  let describeError: QuickJSHandle | undefined;
  let finishLogs: QuickJSHandle | undefined;

  const deadline = now() + limits.timeoutMs;
  const maxPolls = limits.timeoutMs * limits.interruptPollsPerMs;
  let polls = 0;

  const timeoutFailure = () =>
    new GuestFailure("timeout", `Code execution timed out after ${limits.timeoutMs} ms`);

  function classify(error: QuickJSHandle, phase: "compile" | "run"): GuestFailure {
    if (interrupted) return timeoutFailure();
    let name = "Error";
    let message = "unknown error";
    const described = describeError && context?.callFunction(describeError, context.undefined, error);
    if (described && !described.error && context!.typeof(described.value) === "string") {
      const text = context!.getString(described.value);
      const cut = text.indexOf("\n");
      name = text.slice(0, cut);
      message = text.slice(cut + 1);
    }
    if (described) (described.error ?? described.value).dispose();
    if (interrupted) return timeoutFailure();
    if (/out of memory/i.test(message)) {
      return new GuestFailure("memory", `Code exceeded the memory limit of ${mib(limits.memoryBytes)}`);
    }
    // When even the error object cannot be allocated, QuickJS reports a bare `null` exception.
    if (name === "Thrown" && message === "null") {
      return new GuestFailure("memory", `Code exceeded the memory limit of ${mib(limits.memoryBytes)} (or threw null)`);
    }
    if (name === "InternalError" && /stack overflow/i.test(message)) {
      return new GuestFailure("memory", `Maximum call stack size exceeded (stack limit ${kib(limits.stackBytes)})`);
    }
    if (name === "InternalError" && /interrupted/i.test(message)) return timeoutFailure();
    if (name === "ResourceLimitError") return new GuestFailure("memory", message);
    if (name === "SyntaxError" && phase === "compile") return new GuestFailure("syntax", `SyntaxError: ${message}`);
    return new GuestFailure("runtime", name === "Thrown" ? `Uncaught ${message}` : `${name}: ${message}`);
  }

  function collectLogs(): string[] | undefined {
    if (!finishLogs || !context || interrupted || poisoned) return undefined;
    const result = context.callFunction(finishLogs, context.undefined);
    if (result.error) return void result.error.dispose();
    const text = context.typeof(result.value) === "string" ? context.getString(result.value) : "[]";
    result.value.dispose();
    return JSON.parse(text) as string[];
  }

  try {
    runtime.setMemoryLimit(limits.memoryBytes);
    runtime.setMaxStackSize(limits.stackBytes);
    runtime.setInterruptHandler(() => {
      polls += 1;
      if (interrupted || polls > maxPolls || now() > deadline) interrupted = true;
      return interrupted;
    });
    context = runtime.newContext();
    const ctx = context;

    const guestLimits = {
      maxOutputChars: limits.maxOutputChars,
      maxOutputDepth: limits.maxOutputDepth,
      maxArrayIteration: limits.maxArrayIteration,
      maxLogLines: limits.maxLogLines,
      maxLogChars: limits.maxLogChars,
    };
    const prelude = ctx.evalCode(`${guestPrelude}(${JSON.stringify(guestLimits)})`, "prelude.js");
    if (prelude.error) {
      const failure = classify(keep(prelude.error), "run");
      throw new GuestFailure(failure.kind, `The sandbox failed to start: ${failure.error}`);
    }
    const tools = keep(prelude.value);
    const invoke = keep(ctx.getProp(tools, 0));
    const finish = keep(ctx.getProp(tools, 1));
    describeError = keep(ctx.getProp(tools, 2));
    finishLogs = keep(ctx.getProp(tools, 3));

    const evaluated = ctx.evalCode(normalizeCode(code), "main.js", { type: "global" });
    if (evaluated.error) throw classify(keep(evaluated.error), "compile");
    keep(evaluated.value);

    const lookup = ctx.evalCode("typeof main === 'undefined' ? undefined : main", "lookup.js");
    if (lookup.error) throw classify(keep(lookup.error), "run");
    const main = keep(lookup.value);

    const called = ctx.callFunction(invoke, ctx.undefined, main, keep(ctx.newString(inputJson)));
    if (called.error) throw classify(keep(called.error), "run");
    const returned = keep(called.value);

    let state = ctx.getPromiseState(returned);
    while (state.type === "pending" && runtime.hasPendingJob()) {
      // Promise jobs run under the same interrupt handler, so a loop after an `await` still times out.
      const jobs = runtime.executePendingJobs();
      if (jobs.error) throw classify(keep(jobs.error), "run");
      state = ctx.getPromiseState(returned);
    }
    if (interrupted) throw timeoutFailure();
    if (state.type === "pending") {
      throw new GuestFailure("runtime", "main returned a promise that never settled (timers and I/O are not available)");
    }
    if (state.type === "rejected") throw classify(keep(state.error), "run");
    const value = state.notAPromise ? state.value : keep(state.value);

    const finished = ctx.callFunction(finish, ctx.undefined, value);
    if (finished.error) throw classify(keep(finished.error), "run");
    const serialised = keep(finished.value);
    if (ctx.typeof(serialised) !== "string") throw new GuestFailure("invalid_output", "The result could not be serialised");
    // Read the length (an own, non-configurable property of string primitives) before copying.
    const lengthHandle = keep(ctx.getProp(serialised, "length"));
    const length = ctx.getNumber(lengthHandle);
    if (length > limits.maxOutputChars + limits.maxLogChars * 2 + 16) {
      throw new GuestFailure("output_too_large", `The result exceeds ${limits.maxOutputChars} characters when serialised`);
    }
    const text = ctx.getString(serialised);
    if (text.startsWith("!")) {
      const colon = text.indexOf(":");
      const kind = text.slice(1, colon) === "output_too_large" ? "output_too_large" : "invalid_output";
      throw new GuestFailure(kind, text.slice(colon + 1));
    }
    const newline = text.indexOf("\n");
    const logs = JSON.parse(text.slice(0, newline)) as string[];
    const result = JSON.parse(text.slice(newline + 1)) as unknown;
    if (result === null || typeof result !== "object" || Array.isArray(result)) {
      throw new GuestFailure("invalid_output", "main must return an object (a dict of output variables)");
    }
    return { ok: true, result: result as Record<string, unknown>, logs };
  } catch (error) {
    if (error instanceof GuestFailure) {
      const logs = safely(collectLogs);
      return { ok: false, kind: error.kind, error: error.error, ...(logs?.length ? { logs } : {}) };
    }
    // The host threw while wasm was on the stack (V8 stack overflow in deep native recursion, a wasm
    // trap after memory exhaustion). The instance is in an unknown state: never touch it again.
    poisoned = true;
    if (interrupted) return { ok: false, kind: "timeout", error: timeoutFailure().error };
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      return { ok: false, kind: "memory", error: "Maximum call stack size exceeded" };
    }
    if (error instanceof WebAssembly.RuntimeError) {
      return { ok: false, kind: "memory", error: `The sandbox aborted (${error.message}); it likely ran out of memory` };
    }
    return { ok: false, kind: "runtime", error: `The sandbox failed: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    if (!poisoned) {
      // Disposal after an OOM can abort the instance (quickjs-emscripten #257); the instance is
      // per-execution and discarded either way, so a failure here is ignored.
      safely(() => {
        for (const handle of handles.reverse()) if (handle.alive) handle.dispose();
        context?.dispose();
        runtime.dispose();
      });
    }
  }
}

function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

const mib = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;
const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;
