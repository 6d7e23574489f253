import { exports, RpcTarget } from "cloudflare:workers";
import type { ChatMessage, ModelRuntime } from "../../core/models";
import { invokeTool, pluginIdOfReference, type ToolMessage, type ToolProvider } from "../../core/tools";
import { moduleTexts, readPackage } from "../../core/plugins";
import type { Db } from "../db/client";
import { UsageRepository } from "../db/repositories/usage-repository";
import { PLUGIN_STORAGE_MAX_KEYS, PLUGIN_STORAGE_MAX_VALUE_CHARS, PluginRepository, type PluginInstallationRow, type PluginStorageArea } from "../db/repositories/plugin-repository";
import type { PluginGateProps } from "../adapters/plugin-gate";
import { GUEST_MODULE, pluginGuestSource } from "./plugin-guest-source";
import { recordPluginLogs } from "./plugin-logs";

/** Wall-clock budget of one call (a tool, a whole model stream's start, an endpoint request). */
export const PLUGIN_CALL_TIMEOUT_MS = 30_000;
/** CPU budget of one call inside the isolate (enforced by Workers in production; not by local workerd). */
export const PLUGIN_CPU_MS = 10_000;
const PLUGIN_SUBREQUESTS = 50;
const COMPATIBILITY_DATE = "2026-04-01";

export interface PluginRuntimeOptions {
  loader: WorkerLoader;
  /** Where packages are kept (`package_key`). */
  files: R2Bucket;
  /** For the storage capability. */
  db: Db;
  installation: PluginInstallationRow;
  /** The workspace's opened credentials for the plugin (or a model provider's), passed per call. */
  credentials: Record<string, unknown>;
  timeoutMs?: number;
  /** Makes the `globalOutbound` gate; defaults to this Worker's `PluginGate` entrypoint. */
  gate?: (props: PluginGateProps) => Fetcher;
  /** The workspace's models, offered to plugins granted `permissions.models`. */
  models?: ModelRuntime;
  /** The workspace's built-in and workspace tools (no plugin tools), offered to plugins granted `permissions.tools`. */
  tools?: ToolProvider;
}

/** Who is calling a plugin: the end user and depth of the run that called it (tools pass them on). */
export interface PluginCaller {
  userId?: string;
  callDepth?: number;
}

/** A call's outcome: what the plugin returned, or why it did not. Only the call fails, never the caller. */
export type PluginCallResult<T> =
  | { ok: true; value: T; logs: string[] }
  | { ok: false; kind: "error" | "timeout" | "crashed"; error: string; logs: string[] };

interface GuestReply {
  ok: boolean;
  value?: unknown;
  error?: string;
  logs: string[];
}

interface PluginGuest {
  invokeTool(name: string, args: Record<string, unknown>, call: GuestCall): Promise<GuestReply>;
  chat(provider: string, request: unknown, call: GuestCall): Promise<ReadableStream<Uint8Array>>;
  endpoint(path: string, request: Request, call: GuestCall): Promise<Response>;
}

interface GuestCall {
  credentials: Record<string, unknown>;
  storage?: PluginStorageTarget;
  models?: PluginModelsTarget;
  tools?: PluginToolsTarget;
  /** Granted `permissions.tools`, but this call has no tools to offer (a model call outside a run). */
  toolsUnavailable?: boolean;
}

// Bumped per installation when its isolate must not be used again (it crashed or timed out):
// the next call asks the loader for a new id, hence a fresh isolate.
const generations = new Map<string, number>();

function defaultGate(props: PluginGateProps): Fetcher {
  return (exports as unknown as { PluginGate: (options: { props: PluginGateProps }) => Fetcher }).PluginGate({ props });
}

/** One isolate per workspace, installation and package (the digest changes on upgrade). */
function isolateKey(row: PluginInstallationRow): string {
  return `${row.tenantId}/${row.id}/${row.digest.slice(0, 16)}`;
}

async function isolateCode(options: PluginRuntimeOptions): Promise<WorkerLoaderWorkerCode> {
  const row = options.installation;
  const object = await options.files.get(row.packageKey);
  if (!object) throw new Error(`The package of ${row.pluginId} ${row.version} is missing from storage; reinstall it`);
  const pkg = await readPackage(new Uint8Array(await object.arrayBuffer()));
  // The stored bytes must be the ones whose signature was checked at install.
  if (pkg.digest !== row.digest) throw new Error(`The stored package of ${row.pluginId} does not match the one installed (digest differs); reinstall it`);
  const modules: Record<string, WorkerLoaderModule> = {};
  for (const [path, text] of Object.entries(moduleTexts(pkg))) modules[path] = { js: text };
  modules[GUEST_MODULE] = { js: pluginGuestSource(pkg.manifest.entry) };
  return {
    compatibilityDate: COMPATIBILITY_DATE,
    mainModule: GUEST_MODULE,
    modules,
    env: {},
    globalOutbound: (options.gate ?? defaultGate)({ pluginId: row.pluginId, hosts: row.manifest.permissions.hosts }),
    limits: { cpuMs: PLUGIN_CPU_MS, subRequests: PLUGIN_SUBREQUESTS },
  };
}

function guest(options: PluginRuntimeOptions): { stub: PluginGuest; recycle: () => void } {
  const key = isolateKey(options.installation);
  const generation = generations.get(key) ?? 0;
  const id = `waggle-plugin/${key}/${generation}`;
  const worker = options.loader.get(id, () => isolateCode(options));
  return {
    stub: worker.getEntrypoint() as unknown as PluginGuest,
    recycle: () => {
      if ((generations.get(key) ?? 0) === generation) generations.set(key, generation + 1);
    },
  };
}

/**
 * The capabilities of one call work only while the call lasts: a stub the plugin kept for later
 * (`dup()`) is refused once the call has ended — after an uninstall, say.
 */
class CallLease {
  #open = true;

  constructor(private readonly pluginId: string) {}

  close(): void {
    this.#open = false;
  }

  check(): void {
    if (!this.#open) throw new Error(`This capability was handed to a call of ${this.pluginId} that has ended; use the one passed to the current call`);
  }
}

/** What a capability method answers over RPC; the guest turns an error back into a throw. */
export type CapabilityReply<T> = { ok: true; value: T } | { ok: false; error: string };

async function reply<T>(lease: CallLease, work: () => Promise<T>): Promise<CapabilityReply<T>> {
  try {
    lease.check();
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

function call(options: PluginRuntimeOptions, caller: PluginCaller = {}): { guestCall: GuestCall; close: () => void } {
  const row = options.installation;
  const lease = new CallLease(row.pluginId);
  const guestCall: GuestCall = {
    credentials: options.credentials,
    ...(row.manifest.permissions.storage && { storage: new PluginStorageTarget(new PluginRepository(options.db, row.tenantId).storage(row.pluginId), lease) }),
    ...(row.manifest.permissions.models &&
      options.models && { models: new PluginModelsTarget(options.models, { usage: new UsageRepository(options.db, row.tenantId), installationId: row.id, pluginId: row.pluginId }, lease) }),
    ...(row.manifest.permissions.tools &&
      (options.tools ? { tools: new PluginToolsTarget(options.tools, row.pluginId, caller, options.timeoutMs ?? PLUGIN_CALL_TIMEOUT_MS, lease) } : { toolsUnavailable: true })),
  };
  return { guestCall, close: () => lease.close() };
}

class PluginTimeout extends Error {}

async function withDeadline<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new PluginTimeout()), timeoutMs);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function failure(options: PluginRuntimeOptions, error: unknown, recycle: () => void, what: string): Extract<PluginCallResult<never>, { ok: false }> {
  // The isolate timed out, crashed or could not start: whatever it was, the next call gets a new one.
  recycle();
  const timeoutMs = options.timeoutMs ?? PLUGIN_CALL_TIMEOUT_MS;
  const plugin = options.installation.pluginId;
  if (error instanceof PluginTimeout) return { ok: false, kind: "timeout", error: `${plugin} did not answer ${what} within ${timeoutMs} ms and was stopped`, logs: [] };
  return { ok: false, kind: "crashed", error: `${plugin} crashed during ${what}: ${(error as Error)?.message ?? String(error)}`, logs: [] };
}

/**
 * Runs one of a plugin's tools in its isolate. A throw inside the plugin, a crash, or a call
 * that outlives `timeoutMs` fails this call only.
 *
 * @example
 * const result = await invokePluginTool(options, "current_weather", { city: "Berlin" });
 * if (!result.ok) throw new ToolError("tool_invoke_error", result.error);
 */
export async function invokePluginTool(options: PluginRuntimeOptions, name: string, args: Record<string, unknown>, caller: PluginCaller = {}): Promise<PluginCallResult<unknown>> {
  const { stub, recycle } = guest(options);
  let result: PluginCallResult<unknown>;
  const { guestCall, close } = call(options, caller);
  try {
    const answer = await withDeadline(stub.invokeTool(name, args, guestCall), options.timeoutMs ?? PLUGIN_CALL_TIMEOUT_MS);
    result = answer.ok ? { ok: true, value: answer.value, logs: answer.logs } : { ok: false, kind: "error", error: answer.error ?? "The plugin failed", logs: answer.logs };
  } catch (error) {
    result = failure(options, error, recycle, `the tool ${name}`);
  } finally {
    close();
  }
  recordPluginLogs(options.installation.id, [...result.logs.map((line) => `[tool ${name}] ${line}`), ...(result.ok ? [] : [`[tool ${name}] failed: ${result.error}`])]);
  return result;
}

/** One part of a plugin model's answer, as the guest streams it (NDJSON). */
export type PluginChatPart =
  | { type: "text-delta"; text: string }
  /** A call of one of the request's `tools`; `arguments` is a JSON object as a string. */
  | { type: "tool-call"; id: string; name: string; arguments: string }
  | { type: "finish"; finish_reason?: string; usage?: { prompt_tokens?: number; completion_tokens?: number } }
  | { type: "error"; error: string }
  | { type: "logs"; logs: string[] };

/**
 * Streams a plugin model provider's answer. Never throws: a failure ends the stream with an
 * `error` part. The deadline covers the start of the answer; the isolate's CPU limit the rest.
 */
export async function* pluginChat(options: PluginRuntimeOptions, provider: string, request: unknown): AsyncGenerator<PluginChatPart> {
  const { stub, recycle } = guest(options);
  let stream: ReadableStream<Uint8Array>;
  const { guestCall, close } = call(options);
  try {
    stream = await withDeadline(stub.chat(provider, request, guestCall), options.timeoutMs ?? PLUGIN_CALL_TIMEOUT_MS);
  } catch (error) {
    close();
    yield { type: "error", error: failure(options, error, recycle, "a model call").error };
    return;
  }
  const decoder = new TextDecoder();
  let buffer = "";
  try {
    for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (!line.trim()) continue;
        const part = JSON.parse(line) as PluginChatPart;
        if (part.type === "logs") recordPluginLogs(options.installation.id, part.logs.map((text) => `[model ${provider}] ${text}`));
        if (part.type === "error") recordPluginLogs(options.installation.id, [`[model ${provider}] failed: ${part.error}`]);
        yield part;
      }
    }
  } catch (error) {
    yield { type: "error", error: failure(options, error, recycle, "a model call").error };
  } finally {
    // The answer has ended (or its reader went away): so has the call's access.
    close();
  }
}

/** Serves a request to one of the plugin's endpoints (`/e/{hook_id}{path}`); a crash is a 502. */
export async function pluginEndpoint(options: PluginRuntimeOptions, path: string, request: Request): Promise<Response> {
  const { stub, recycle } = guest(options);
  const { guestCall, close } = call(options);
  try {
    const response = await withDeadline(stub.endpoint(path, request, guestCall), options.timeoutMs ?? PLUGIN_CALL_TIMEOUT_MS);
    if (!response.body) {
      close();
      return response;
    }
    // The plugin may still be writing the body: its access ends with the body.
    const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
    void response.body.pipeTo(writable).catch(() => undefined).finally(close);
    return new Response(readable, response);
  } catch (error) {
    close();
    const { error: message, kind } = failure(options, error, recycle, `the endpoint ${path}`);
    return Response.json({ code: kind === "timeout" ? "plugin_timeout" : "plugin_crashed", message, status: 502 }, { status: 502 });
  }
}

function checkKey(key: unknown): string {
  if (typeof key !== "string" || !key || key.length > 512) throw new Error("Storage keys are strings of 1 to 512 characters");
  return key;
}

/**
 * The storage capability handed to a plugin per call (an RPC stub inside the isolate): JSON
 * values under string keys, in this workspace and for this plugin only.
 */
export class PluginStorageTarget extends RpcTarget {
  readonly #area: PluginStorageArea;
  readonly #lease: CallLease;

  constructor(area: PluginStorageArea, lease: CallLease) {
    super();
    this.#area = area;
    this.#lease = lease;
  }

  get(key: unknown): Promise<CapabilityReply<unknown>> {
    return reply(this.#lease, async () => {
      const value = await this.#area.get(checkKey(key));
      return value === undefined ? undefined : JSON.parse(value);
    });
  }

  put(key: unknown, value: unknown): Promise<CapabilityReply<void>> {
    return reply(this.#lease, async () => {
      const text = JSON.stringify(value);
      if (text === undefined) throw new Error("Storage values must be JSON");
      if (text.length > PLUGIN_STORAGE_MAX_VALUE_CHARS) throw new Error(`Storage values are at most ${PLUGIN_STORAGE_MAX_VALUE_CHARS} characters as JSON`);
      const name = checkKey(key);
      if ((await this.#area.get(name)) === undefined && (await this.#area.count()) >= PLUGIN_STORAGE_MAX_KEYS) throw new Error(`A plugin may keep at most ${PLUGIN_STORAGE_MAX_KEYS} keys per workspace`);
      await this.#area.put(name, text);
    });
  }

  delete(key: unknown): Promise<CapabilityReply<void>> {
    return reply(this.#lease, () => this.#area.delete(checkKey(key)));
  }

  list(prefix?: unknown): Promise<CapabilityReply<string[]>> {
    return reply(this.#lease, () => this.#area.list(typeof prefix === "string" ? prefix : ""));
  }
}

const MAX_MODEL_MESSAGES = 200;

interface PluginChatAnswer {
  text: string;
  finish_reason: string;
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
}

/** Where a plugin's model calls are counted: the workspace's usage, under the installation. */
export interface PluginModelAccounting {
  usage: UsageRepository;
  installationId: string;
  pluginId: string;
}

/**
 * The model capability handed to a plugin granted `permissions.models`: a chat call to one of
 * the workspace's configured models, with the workspace's credentials (which the plugin never
 * sees). Answers `{ text, usage }`. Each call counts against the workspace's monthly token quota
 * (refused once it is used up) and is recorded in its usage (`source: "plugin"`).
 */
export class PluginModelsTarget extends RpcTarget {
  readonly #runtime: ModelRuntime;
  readonly #accounting: PluginModelAccounting;
  readonly #lease: CallLease;

  constructor(runtime: ModelRuntime, accounting: PluginModelAccounting, lease: CallLease) {
    super();
    this.#runtime = runtime;
    this.#accounting = accounting;
    this.#lease = lease;
  }

  chat(request: unknown): Promise<CapabilityReply<PluginChatAnswer>> {
    return reply(this.#lease, () => this.#chat(request));
  }

  async #chat(request: unknown): Promise<PluginChatAnswer> {
    const { provider, model, messages, parameters } = (request ?? {}) as { provider?: unknown; model?: unknown; messages?: unknown; parameters?: unknown };
    if (typeof provider !== "string" || typeof model !== "string") throw new Error("models.chat needs { provider, model, messages }");
    if (!Array.isArray(messages) || messages.length === 0 || messages.length > MAX_MODEL_MESSAGES) throw new Error(`models.chat needs 1 to ${MAX_MODEL_MESSAGES} messages`);
    const checked: ChatMessage[] = messages.map((message: { role?: unknown; content?: unknown }) => {
      if ((message?.role !== "system" && message?.role !== "user" && message?.role !== "assistant") || typeof message.content !== "string") throw new Error("Each message is { role: system | user | assistant, content: string }");
      return { role: message.role, content: message.content } as ChatMessage;
    });
    const { usage, installationId, pluginId } = this.#accounting;
    const quota = await usage.quota();
    if (quota !== null && quota > 0) {
      const used = await usage.tokensThisMonth();
      if (used >= quota) throw new Error(`This workspace has used its monthly token quota (${used} of ${quota} tokens), so ${pluginId} may not call a model until it renews or an owner raises it`);
    }
    const result = await this.#runtime.generate({ provider, model, messages: checked, parameters: parameters && typeof parameters === "object" ? (parameters as Record<string, unknown>) : {} });
    if (result.usage.total_tokens > 0) {
      await usage.record({
        source: "plugin",
        sourceId: installationId,
        provider,
        model,
        promptTokens: result.usage.prompt_tokens,
        completionTokens: result.usage.completion_tokens,
        totalTokens: result.usage.total_tokens,
        totalPrice: result.usage.total_price,
        currency: result.usage.currency,
        estimated: Boolean(result.usage.estimated),
      });
    }
    return { text: result.text, finish_reason: result.finishReason, usage: { prompt_tokens: result.usage.prompt_tokens, completion_tokens: result.usage.completion_tokens, total_tokens: result.usage.total_tokens } };
  }
}

const MAX_TOOL_ARGUMENT_CHARS = 256 * 1024;

/**
 * The tool capability handed to a plugin granted `permissions.tools`: calls one of the
 * workspace's built-in or workspace (OpenAPI, workflow, MCP) tools by Dify's reference, with the
 * usual argument validation, and answers its messages. Plugin tools are not offered (a plugin
 * cannot reach another plugin's sandbox, or loop into itself); a workflow tool runs one level
 * deeper than the run that called the plugin, so loops through workflows end at the depth limit.
 */
export class PluginToolsTarget extends RpcTarget {
  readonly #tools: ToolProvider;
  readonly #pluginId: string;
  readonly #caller: PluginCaller;
  readonly #timeoutMs: number;
  readonly #lease: CallLease;

  constructor(tools: ToolProvider, pluginId: string, caller: PluginCaller, timeoutMs: number, lease: CallLease) {
    super();
    this.#tools = tools;
    this.#pluginId = pluginId;
    this.#caller = caller;
    this.#timeoutMs = timeoutMs;
    this.#lease = lease;
  }

  invoke(request: unknown): Promise<CapabilityReply<ToolMessage[]>> {
    return reply(this.#lease, () => this.#invoke(request));
  }

  async #invoke(request: unknown): Promise<ToolMessage[]> {
    const { provider_type, provider_id, tool_name, arguments: args } = (request ?? {}) as Record<string, unknown>;
    if (typeof provider_id !== "string" || !provider_id || typeof tool_name !== "string" || !tool_name) {
      throw new Error("tools.invoke needs { provider_type, provider_id, tool_name, arguments }");
    }
    const type = typeof provider_type === "string" && provider_type ? provider_type : "builtin";
    if (!["builtin", "api", "workflow", "mcp"].includes(type)) throw new Error(`tools.invoke reaches builtin, api, workflow and mcp tools, not ${type}`);
    const reference = { provider_type: type, provider_id, tool_name };
    if (pluginIdOfReference(reference)) throw new Error(`${this.#pluginId} may not invoke plugin tools (${provider_id}); only built-in and workspace tools`);
    if (args !== undefined && (typeof args !== "object" || args === null || Array.isArray(args))) throw new Error("tools.invoke arguments must be an object");
    if (JSON.stringify(args ?? {}).length > MAX_TOOL_ARGUMENT_CHARS) throw new Error(`tools.invoke arguments are at most ${MAX_TOOL_ARGUMENT_CHARS} characters as JSON`);
    const signal = AbortSignal.timeout(this.#timeoutMs);
    const tool = await this.#tools.resolve(reference, signal);
    return invokeTool(tool, args ?? {}, { signal, userId: this.#caller.userId, callDepth: this.#caller.callDepth ?? 0 });
  }
}
