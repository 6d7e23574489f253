// A relative path ending in `.wasm`: wrangler bundles such imports as compiled modules, while the
// package's `./wasm` export name does not match its rule.
import quickjsWasm from "../../node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm";
import { createEgress } from "../../core/egress";
import type { NodePorts, NodeRegistry } from "../../core/engine";
import { createFullNodeRegistry } from "../../core/nodes/full-registry";
import { createCodeRunnerPort } from "../../core/nodes/code";
import { createQuickJsRunner, type CodeRunner } from "../../core/sandbox";
import type { Env } from "../env";
import { createKnowledgePort } from "./knowledge-retrieval";
import { buildModelRuntime, type CredentialSource } from "./model-runtime";
import { buildToolProvider } from "./tool-provider";
import { createPythonRunner } from "./python-runner";
import { createR2BlobStore } from "./r2-blob-store";

/** Every node type this runtime can execute. */
export function buildNodeRegistry(): NodeRegistry {
  return createFullNodeRegistry();
}

// Compiled once per isolate by the bundler (wasm imported as a module); each execution still gets
// a fresh QuickJS instance.
const javascript = createQuickJsRunner({ wasmModule: quickjsWasm });

/**
 * Python runs in a per-tenant isolate started through the Worker Loader binding, loading Pyodide
 * from the static assets. Without both bindings a Python node fails saying what to enable.
 */
function pythonRunner(env: Env, tenantId: string): CodeRunner {
  if (env.LOADER && env.ASSETS) return createPythonRunner({ loader: env.LOADER, assets: env.ASSETS, tenantId });
  return {
    language: "python3",
    run: async () => ({ ok: false, kind: "runtime", error: PYTHON_NEEDS_LOADER_MESSAGE }),
  };
}

export const PYTHON_NEEDS_LOADER_MESSAGE =
  "Python code nodes need the Worker Loader binding: add [[worker_loaders]] binding = \"LOADER\" to this deployment's wrangler configuration (static assets must be on too); JavaScript code nodes work without it";

/**
 * The effects nodes may use, built from bindings: the QuickJS sandbox for code nodes and the one
 * SSRF-guarded egress for user-configured HTTP. Loopback is reachable only when the local
 * configuration says so explicitly (tests with a server on 127.0.0.1).
 */
export function buildNodePorts(env: Env, tenantId: string, credentials?: CredentialSource): NodePorts {
  const egress = createEgress({ fetch: (input, init) => fetch(input, init), allowLoopback: env.WAGGLE_ALLOW_LOOPBACK_EGRESS === "true" });
  // Plugins granted `permissions.tools` may call built-in and workspace tools, never plugin ones.
  const models = buildModelRuntime(env, tenantId, credentials, { pluginTools: buildToolProvider(env, tenantId, undefined, { plugins: false }) });
  const knowledge = createKnowledgePort(env, tenantId, () => models);
  return {
    code: createCodeRunnerPort({ javascript, python3: pythonRunner(env, tenantId) }),
    blobs: createR2BlobStore(env.FILES, tenantId),
    http: { fetch: (input, init) => egress.fetch(input instanceof Request ? input.url : input, init) },
    // Credentials are read from D1 lazily, on a run's first call to each model.
    models,
    // Datasets of the run's tenant only; a dataset id from another workspace is "not found".
    knowledge,
    // Built-in tools, the workspace's API, MCP and workflow tools (read from D1 on first use), and
    // its datasets as retriever tools for agents.
    tools: buildToolProvider(env, tenantId, knowledge),
  };
}
