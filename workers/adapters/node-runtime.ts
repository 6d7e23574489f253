// A relative path ending in `.wasm`: wrangler bundles such imports as compiled modules, while the
// package's `./wasm` export name does not match its rule.
import quickjsWasm from "../../node_modules/@jitl/quickjs-wasmfile-release-sync/dist/emscripten-module.wasm";
import { createEgress } from "../../core/egress";
import type { NodePorts, NodeRegistry } from "../../core/engine";
import { createNodeRegistry } from "../../core/nodes";
import { codeNode, createCodeRunnerPort } from "../../core/nodes/code";
import { documentExtractorNode } from "../../core/nodes/document-extractor";
import { httpRequestNode } from "../../core/nodes/http-request";
import { llmNode } from "../../core/nodes/llm";
import { parameterExtractorNode } from "../../core/nodes/parameter-extractor";
import { questionClassifierNode } from "../../core/nodes/question-classifier";
import { createQuickJsRunner } from "../../core/sandbox";
import type { Env } from "../env";
import { buildModelRuntime } from "./model-runtime";
import { createR2BlobStore } from "./r2-blob-store";

/** Every node type this runtime can execute. */
export function buildNodeRegistry(): NodeRegistry {
  return createNodeRegistry()
    .register(codeNode)
    .register(httpRequestNode)
    .register(documentExtractorNode)
    .register(llmNode)
    .register(questionClassifierNode)
    .register(parameterExtractorNode);
}

// Compiled once per isolate by the bundler (wasm imported as a module); each execution still gets
// a fresh QuickJS instance.
const javascript = createQuickJsRunner({ wasmModule: quickjsWasm });

/**
 * The effects nodes may use, built from bindings: the QuickJS sandbox for code nodes and the one
 * SSRF-guarded egress for user-configured HTTP. Loopback is reachable only when the local
 * configuration says so explicitly (tests with a server on 127.0.0.1).
 */
export function buildNodePorts(env: Env, tenantId: string): NodePorts {
  const egress = createEgress({ fetch: (input, init) => fetch(input, init), allowLoopback: env.WAGGLE_ALLOW_LOOPBACK_EGRESS === "true" });
  return {
    code: createCodeRunnerPort({ javascript }),
    blobs: createR2BlobStore(env.FILES, tenantId),
    http: { fetch: (input, init) => egress.fetch(input instanceof Request ? input.url : input, init) },
    // Credentials are read from D1 lazily, on a run's first call to each model.
    models: buildModelRuntime(env, tenantId),
  };
}
