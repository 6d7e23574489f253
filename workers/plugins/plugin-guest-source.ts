/** The guest's own module name inside the isolate (a package cannot ship a file by this name). */
export const GUEST_MODULE = "__waggle_plugin_guest__.js";

/**
 * The main module of a plugin's isolate: imports the plugin's entry module and serves the host's
 * RPC calls (`invokeTool`, `chat`, `endpoint`). Whatever the plugin throws comes back as data
 * (`{ ok: false, error }`), so only a crash or a timeout makes the RPC itself fail. Each call gets
 * its context: the workspace's credentials for the plugin, the storage and model capabilities when
 * granted (RPC stubs the host passes per call), and `log`, whose lines return with the result.
 *
 * @example
 * modules[GUEST_MODULE] = { js: pluginGuestSource("main.js") };
 */
export function pluginGuestSource(entry: string): string {
  return `import { WorkerEntrypoint } from "cloudflare:workers";
import plugin from ${JSON.stringify(`./${entry}`)};

const REFUSED = ${JSON.stringify("x-waggle-egress-refused")};
const MAX_LOG_LINES = 200;
const originalFetch = globalThis.fetch;
// The gate enforces the hosts; this only turns its refusal into an error that says why.
globalThis.fetch = async (...args) => {
  const response = await originalFetch(...args);
  if (response.headers.get(REFUSED)) throw new Error(await response.text());
  return response;
};

function describe(error) {
  if (error instanceof Error) return error.name && error.name !== "Error" ? error.name + ": " + error.message : error.message;
  return String(error);
}

const denied = (what, permission) => new Proxy({}, { get: () => async () => { throw new Error("This plugin was not granted " + what + " (permissions." + permission + " in its manifest)"); } });
const noStorage = denied("storage", "storage");
const noModels = denied("model access", "models");
const noTools = denied("tool invocation", "tools");

// A capability's methods answer { ok, value | error } (a throw across RPC is noisy); the plugin
// sees a plain object whose methods return the value or throw. It never holds the RPC stub
// itself, so it cannot keep one past its call (and the host refuses one kept anyway).
function capability(stub, methods) {
  const wrapped = {};
  for (const method of methods) {
    wrapped[method] = async (...args) => {
      const reply = await stub[method](...args);
      if (!reply.ok) throw new Error(reply.error);
      return reply.value;
    };
  }
  return Object.freeze(wrapped);
}

function context(call, logs) {
  return {
    credentials: Object.freeze({ ...(call?.credentials ?? {}) }),
    storage: call?.storage ? capability(call.storage, ["get", "put", "delete", "list"]) : noStorage,
    models: call?.models ? capability(call.models, ["chat"]) : noModels,
    tools: call?.tools
      ? capability(call.tools, ["invoke"])
      : call?.toolsUnavailable
        ? new Proxy({}, { get: () => async () => { throw new Error("Tool invocation is not available to this call (a model call made outside a workflow run)"); } })
        : noTools,
    log: (...parts) => {
      if (logs.length >= MAX_LOG_LINES) return;
      logs.push(parts.map((part) => (typeof part === "string" ? part : JSON.stringify(part))).join(" ").slice(0, 2000));
    },
  };
}

function section(name) {
  const value = plugin && typeof plugin === "object" ? plugin[name] : undefined;
  return value && typeof value === "object" ? value : {};
}

export default class PluginGuest extends WorkerEntrypoint {
  async invokeTool(name, args, call) {
    const logs = [];
    const tool = Object.hasOwn(section("tools"), name) ? section("tools")[name] : undefined;
    if (typeof tool !== "function") return { ok: false, error: "The plugin's module has no tool " + name, logs };
    try {
      const value = await tool(args, context(call, logs));
      return { ok: true, value: value === undefined ? null : JSON.parse(JSON.stringify(value)), logs };
    } catch (error) {
      return { ok: false, error: describe(error), logs };
    }
  }

  async chat(provider, request, call) {
    const logs = [];
    const models = Object.hasOwn(section("models"), provider) ? section("models")[provider] : undefined;
    const encoder = new TextEncoder();
    const line = (part) => encoder.encode(JSON.stringify(part) + "\\n");
    let iterator;
    try {
      if (!models || typeof models.chat !== "function") throw new Error("The plugin's module has no model provider " + provider);
      const result = models.chat(request, context(call, logs));
      iterator = result && typeof result[Symbol.asyncIterator] === "function"
        ? result[Symbol.asyncIterator]()
        : (async function* () {
            const answer = await result;
            if (answer?.text) yield { type: "text-delta", text: String(answer.text) };
            yield { type: "finish", finish_reason: answer?.finish_reason ?? "stop", usage: answer?.usage };
          })();
    } catch (error) {
      iterator = (async function* () { yield { type: "error", error: describe(error) }; })();
    }
    return new ReadableStream({
      async pull(controller) {
        try {
          const { value, done } = await iterator.next();
          if (done) {
            if (logs.length) controller.enqueue(line({ type: "logs", logs: logs.splice(0) }));
            controller.close();
            return;
          }
          controller.enqueue(line(value));
        } catch (error) {
          controller.enqueue(line({ type: "error", error: describe(error) }));
          controller.close();
        }
      },
    });
  }

  async endpoint(path, request, call) {
    const logs = [];
    const handler = Object.hasOwn(section("endpoints"), path) ? section("endpoints")[path] : undefined;
    if (typeof handler !== "function") return Response.json({ code: "not_found", message: "The plugin has no endpoint " + path, status: 404 }, { status: 404 });
    try {
      const response = await handler(request, context(call, logs));
      return response instanceof Response ? response : Response.json(response ?? null);
    } catch (error) {
      return Response.json({ code: "plugin_endpoint_error", message: describe(error), status: 500 }, { status: 500 });
    }
  }
}
`;
}
