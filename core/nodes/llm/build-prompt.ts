import { Template } from "@huggingface/jinja";
import type { NodeContext } from "../../engine";
import type { ChatMessage } from "../../models";
import type { MemoryConfig, PromptMessageData } from "./schema";

// Jinja templates are immutable config: parse each source once per isolate.
const compiled = new Map<string, Template>();

export function renderJinja(source: string, variables: Record<string, unknown>): string {
  let template = compiled.get(source);
  if (!template) {
    if (compiled.size > 500) compiled.clear();
    template = new Template(source);
    compiled.set(source, template);
  }
  return template.render(variables);
}

const CONTEXT_REFERENCE = "{{#context#}}";

/**
 * Renders one prompt message's text: `jinja2` edition with the node's `jinja2_variables`, else
 * Dify's basic `{{#node.var#}}` references plus the special `{{#context#}}`. Context is inserted
 * after rendering so text retrieved from documents is never itself treated as a template.
 */
export function renderPromptText(ctx: NodeContext<unknown>, message: PromptMessageData, jinjaVariables: Record<string, unknown>, context: string): string {
  if (message.edition_type === "jinja2") return renderJinja(message.jinja2_text ?? message.text, jinjaVariables);
  return message.text
    .split(CONTEXT_REFERENCE)
    .map((part) => ctx.render(part))
    .join(context);
}

const roles = new Set(["system", "user", "assistant"]);

export function buildChatMessages(ctx: NodeContext<unknown>, template: PromptMessageData[], jinjaVariables: Record<string, unknown>, context: string): ChatMessage[] {
  return template
    .map((message) => ({ role: roles.has(message.role) ? message.role : "user", content: renderPromptText(ctx, message, jinjaVariables, context) }) as ChatMessage)
    .filter((message) => message.content !== "" || message.role !== "system");
}

/**
 * Dify's memory block in a chat prompt: the conversation's recent turns (window) followed by the
 * user's query through `query_prompt_template` (default `{{#sys.query#}}`). Waggle has no
 * conversation-history port yet, so the window adds nothing; the query message is added.
 */
export function memoryMessages(ctx: NodeContext<unknown>, memory: MemoryConfig | null | undefined): ChatMessage[] {
  if (!memory) return [];
  const query = ctx.resolve(["sys", "query"]);
  if (typeof query !== "string" || !query) return [];
  const template = memory.query_prompt_template || "{{#sys.query#}}";
  return [{ role: "user", content: ctx.render(template) }];
}

/** The `context` variable as text: a string as is, retrieval results as their contents joined. */
export function contextText(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (Array.isArray(value)) {
    return value
      .map((item) => (typeof item === "string" ? item : typeof item === "object" && item && "content" in item ? String((item as { content: unknown }).content ?? "") : JSON.stringify(item)))
      .filter(Boolean)
      .join("\n");
  }
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}
