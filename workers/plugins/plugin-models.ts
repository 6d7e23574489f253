import { buildUsage, collectStream, estimateTokens, ModelError, type ChatRequest, type FinishReason, type ModelRuntime, type ModelStreamPart } from "../../core/models";
import { createDb } from "../db/client";
import { PluginRepository, type PluginInstallationRow } from "../db/repositories/plugin-repository";
import { toBase64 } from "../../core/security";
import type { ToolProvider } from "../../core/tools";
import type { Env } from "../env";
import { pluginChat, type PluginRuntimeOptions } from "./plugin-runtime";
import { runtimeOptions } from "./plugin-service";

/** A provider id that names a plugin's model provider: `author/name/provider` (not Dify's own `langgenius/…`). */
export function pluginModelProviderOf(provider: string): { pluginId: string; provider: string } | undefined {
  const parts = provider.split("/");
  if (parts.length !== 3 || parts[0] === "langgenius" || parts.some((part) => !part)) return undefined;
  return { pluginId: `${parts[0]}/${parts[1]}`, provider: parts[2]! };
}

const finishReasons: Record<string, FinishReason> = { stop: "stop", length: "length", tool_calls: "tool-calls", content_filter: "content-filter" };

/**
 * What a plugin model receives (documented in docs/plugins.md): OpenAI-shaped messages — an
 * assistant's `tool_calls`, a tool result's `tool_call_id`, a user's `images` as base64 — plus the
 * request's `tools`, `tool_choice` and `json_schema` when it has them.
 */
export function pluginRequest(request: ChatRequest) {
  return {
    model: request.model,
    messages: request.messages.map((message) => {
      switch (message.role) {
        case "assistant":
          return { role: "assistant", content: message.content, ...(message.toolCalls?.length ? { tool_calls: message.toolCalls.map((call) => ({ id: call.id, name: call.name, arguments: call.arguments })) } : {}) };
        case "tool":
          return { role: "tool", content: message.content, tool_call_id: message.toolCallId, name: message.toolName };
        case "user":
          return {
            role: "user",
            content: message.content,
            ...(message.images?.length ? { images: message.images.map((image) => ({ media_type: image.mediaType ?? "image/png", data_base64: toBase64(image.data), ...(image.detail ? { detail: image.detail } : {}) })) } : {}),
          };
        default:
          return { role: message.role, content: message.content };
      }
    }),
    parameters: request.parameters ?? {},
    ...(request.tools?.length ? { tools: request.tools.map((tool) => ({ name: tool.name, description: tool.description ?? "", parameters: tool.parameters })) } : {}),
    ...(request.toolChoice ? { tool_choice: request.toolChoice } : {}),
    ...(request.jsonSchema ? { json_schema: request.jsonSchema } : {}),
  };
}

async function* streamFromPlugin(options: PluginRuntimeOptions, provider: string, request: ChatRequest): AsyncGenerator<ModelStreamPart> {
  const started = Date.now();
  let firstTokenAt: number | undefined;
  let text = "";
  const plugin = options.installation.pluginId;
  for await (const part of pluginChat(options, provider, pluginRequest(request))) {
    if (request.signal?.aborted) {
      yield { type: "error", error: new ModelError("cancelled", "The call was stopped") };
      return;
    }
    switch (part.type) {
      case "text-delta":
        if (!part.text) break;
        firstTokenAt ??= Date.now();
        text += part.text;
        yield { type: "text-delta", text: part.text };
        break;
      case "tool-call":
        if (typeof part.name !== "string" || !part.name) break;
        yield { type: "tool-call", toolCall: { id: typeof part.id === "string" && part.id ? part.id : `call_${crypto.randomUUID().slice(0, 8)}`, name: part.name, arguments: typeof part.arguments === "string" ? part.arguments : JSON.stringify(part.arguments ?? {}) } };
        break;
      case "finish": {
        const promptTokens = part.usage?.prompt_tokens;
        const completionTokens = part.usage?.completion_tokens;
        const estimated = typeof promptTokens !== "number" || typeof completionTokens !== "number";
        const usage = buildUsage({
          promptTokens: typeof promptTokens === "number" ? promptTokens : estimateTokens(request.messages.map((message) => message.content).join("\n")),
          completionTokens: typeof completionTokens === "number" ? completionTokens : estimateTokens(text),
          latencyMs: Date.now() - started,
          timeToFirstTokenMs: firstTokenAt === undefined ? undefined : firstTokenAt - started,
          estimated,
        });
        yield { type: "finish", finishReason: finishReasons[part.finish_reason ?? "stop"] ?? "other", usage };
        return;
      }
      case "error":
        yield { type: "error", error: new ModelError("server_unavailable", `${plugin} (${provider}) failed: ${part.error}`, { isRetryable: false }) };
        return;
      case "logs":
        break;
    }
  }
  yield { type: "error", error: new ModelError("server_unavailable", `${plugin} (${provider}) ended its answer without finishing it`, { isRetryable: false }) };
}

/**
 * The model runtime with installed plugins' model providers added: a chat request whose provider
 * is `author/name/provider` of an installed, enabled plugin streams from the plugin's isolate
 * (text deltas, then usage — the plugin's, or estimated); every other request goes to `base`.
 */
export function withPluginModels(env: Env, tenantId: string, base: ModelRuntime, tools?: ToolProvider): ModelRuntime {
  const db = createDb(env.DB);
  const installations = new Map<string, Promise<PluginInstallationRow | undefined>>();
  const installation = (pluginId: string) => {
    let found = installations.get(pluginId);
    if (!found) {
      found = new PluginRepository(db, tenantId).getByPluginId(pluginId);
      installations.set(pluginId, found);
    }
    return found;
  };

  async function* stream(request: ChatRequest): AsyncGenerator<ModelStreamPart> {
    const target = pluginModelProviderOf(request.provider);
    if (!target) {
      yield* base.stream(request);
      return;
    }
    const row = await installation(target.pluginId);
    if (!row || !row.enabled || !row.manifest.model_providers.some((provider) => provider.provider === target.provider)) {
      yield { type: "error", error: new ModelError("provider_not_initialize", `Model provider ${request.provider} is not available: the plugin ${target.pluginId} is not installed, is disabled, or has no provider ${target.provider}`) };
      return;
    }
    let options: PluginRuntimeOptions;
    try {
      // Plugin models may call the workspace's built-in providers, never plugin ones (no loops).
      options = await runtimeOptions(env, db, row, { models: base, tools });
    } catch (error) {
      yield { type: "error", error: new ModelError("provider_not_initialize", (error as Error).message) };
      return;
    }
    yield* streamFromPlugin(options, target.provider, request);
  }

  return {
    ...base,
    stream,
    generate: (request) => (pluginModelProviderOf(request.provider) ? collectStream(stream(request)) : base.generate(request)),
  } as ModelRuntime;
}
