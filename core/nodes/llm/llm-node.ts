import { defineNode, failed, succeeded, type NodeContext } from "../../engine";
import type { ChatImage, ChatMessage } from "../../models";
import { isWorkflowFile, readWorkflowFile } from "../files";
import { buildChatMessages, contextText, historyText, memoryMessages, renderPromptText } from "./build-prompt";
import { invokeWithFallbacks, modelsPort, requestBase, usageMetadata } from "./invoke-model";
import { parseJsonOutput } from "./parse-json-output";
import { llmNodeDataSchema, type PromptMessageData } from "./schema";

/**
 * Dify's LLM node: renders the prompt (basic or jinja2, with `{{#context#}}` and the memory query),
 * streams the answer through `ctx.streamChunk("text", …)` so downstream answers stream live, and
 * outputs `text`, `reasoning_content`, `usage`, `finish_reason` and, when enabled,
 * `structured_output`. Usage goes to `execution_metadata`, which feeds the run's total tokens.
 */
export const llmNode = defineNode({
  type: "llm",
  schema: llmNodeDataSchema,
  async run(ctx) {
    const { config } = ctx;
    const models = modelsPort(ctx);
    if ("status" in models) return models;

    const jinjaVariables: Record<string, unknown> = {};
    for (const binding of config.prompt_config?.jinja2_variables ?? []) jinjaVariables[binding.variable] = ctx.resolve(binding.value_selector) ?? null;
    const context = config.context?.enabled && config.context.variable_selector?.length ? contextText(ctx.resolve(config.context.variable_selector)) : "";
    const inputs: Record<string, unknown> = { ...jinjaVariables };
    if (context) inputs["#context#"] = context;

    const completion = config.model.mode === "completion";
    let messages: ChatMessage[];
    try {
      if (Array.isArray(config.prompt_template)) {
        messages = buildChatMessages(ctx, config.prompt_template, jinjaVariables, context);
        if (!completion) messages.push(...memoryMessages(ctx, config.memory));
      } else {
        messages = [{ role: "user", content: renderPromptText(ctx, config.prompt_template as PromptMessageData, jinjaVariables, context, historyText(ctx, config.memory)) }];
      }
    } catch (error) {
      return failed(`Prompt rendering failed: ${error instanceof Error ? error.message : String(error)}`, "TemplateRenderError", { inputs });
    }
    if (messages.length === 0) return failed("The prompt is empty", "LLMNodeError", { inputs });
    if (config.vision?.enabled && !completion) {
      try {
        attachImages(messages, await visionImages(ctx, config.vision.configs?.variable_selector ?? ["sys", "files"], config.vision.configs?.detail));
      } catch (error) {
        return failed(`Reading an image for the model failed: ${error instanceof Error ? error.message : String(error)}`, "FileAccessError", { inputs });
      }
    }

    const structured = config.structured_output_enabled && config.structured_output?.schema ? config.structured_output.schema : undefined;
    const separated = config.reasoning_format === "separated";
    const process_data: Record<string, unknown> = {
      model_mode: config.model.mode,
      prompts: messages.map((message) => ({ role: message.role, text: message.content, files: message.role === "user" ? (message.images ?? []).map((image) => ({ type: "image", mime_type: image.mediaType ?? null, size: image.data.byteLength })) : [] })),
      model_provider: config.model.provider,
      model_name: config.model.name,
    };

    // In `tagged` format (Dify's default) reasoning streams inside <think> tags ahead of the answer;
    // in `separated` format it streams as `reasoning_chunk` events, closed by one with `is_final`.
    let thinking = false;
    const reasoningChunk = (reasoning: string, isFinal: boolean) => ctx.emit({ type: "reasoning_chunk", data: { reasoning, node_id: ctx.nodeId, is_final: isFinal } });
    const requests = [config.model, ...(config.fallback_models ?? [])].map((model) => ({
      ...requestBase(model, ctx.signal),
      mode: completion ? ("completion" as const) : ("chat" as const),
      messages,
      jsonSchema: structured,
    }));
    const outcome = await invokeWithFallbacks(
      models,
      requests,
      { inputs, process_data },
      (part) => {
        if (part.type === "reasoning-delta") {
          if (separated) reasoningChunk(part.text, false);
          else ctx.streamChunk("text", thinking ? part.text : `<think>\n${part.text}`);
          thinking = true;
        } else if (part.type === "text-delta" || part.type === "finish") {
          if (thinking) {
            if (separated) reasoningChunk("", true);
            else ctx.streamChunk("text", "\n</think>\n");
            thinking = false;
          }
          if (part.type === "text-delta") ctx.streamChunk("text", part.text);
        }
      },
    );
    if (!outcome.ok) return outcome.failure;
    const { result } = outcome;

    const text = result.reasoning && !separated ? `<think>\n${result.reasoning}\n</think>\n${result.text}` : result.text;
    const outputs: Record<string, unknown> = {
      text,
      reasoning_content: separated ? result.reasoning : "",
      usage: result.usage,
      finish_reason: result.finishReason,
    };
    process_data.usage = result.usage;
    process_data.finish_reason = result.finishReason;
    const metadata = usageMetadata(result.usage);

    if (structured) {
      const parsed = parseJsonOutput(result.text);
      if (parsed === undefined || typeof parsed !== "object") {
        return failed("Failed to parse structured output: the model did not return a JSON object", "LLMNodeError", { inputs, process_data, metadata });
      }
      outputs.structured_output = parsed;
    }
    return succeeded(outputs, { inputs, process_data, metadata });
  },
});

/** Largest image passed to a model (Dify's image upload limit). */
const MAX_IMAGE_BYTES = 10 * 1024 * 1024;

/** The image files at `selector` (a file or a list), read for the model: uploads from storage, links through the egress guard. */
async function visionImages(ctx: NodeContext<unknown>, selector: string[], detail: string | null | undefined): Promise<ChatImage[]> {
  const value = ctx.resolve(selector);
  const files = (Array.isArray(value) ? value : value ? [value] : []).filter(isWorkflowFile);
  const images: ChatImage[] = [];
  for (const file of files) {
    const mime = file.mime_type ?? "";
    if (file.type !== "image" && !mime.startsWith("image/")) continue;
    const level = detail === "low" || detail === "high" ? detail : undefined;
    const { bytes, mimeType } = await readWorkflowFile(file, ctx.ports, { maxBytes: MAX_IMAGE_BYTES, signal: ctx.signal });
    images.push({ data: bytes, mediaType: mimeType ?? (mime || "image/png"), ...(level ? { detail: level } : {}) });
  }
  return images;
}

/** Dify puts the images on the last user message (adding one when the prompt has none). */
function attachImages(messages: ChatMessage[], images: ChatImage[]): void {
  if (images.length === 0) return;
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index]!;
    if (message.role === "user") {
      messages[index] = { ...message, images: [...(message.images ?? []), ...images] };
      return;
    }
  }
  messages.push({ role: "user", content: "", images });
}
