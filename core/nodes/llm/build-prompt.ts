import { Template } from "@huggingface/jinja";
import type { NodeContext } from "../../engine";
import { estimateTokens, type ChatMessage } from "../../models";
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
const HISTORIES_REFERENCE = "{{#histories#}}";

/**
 * Renders one prompt message's text: `jinja2` edition with the node's `jinja2_variables`, else
 * Dify's basic `{{#node.var#}}` references plus the special `{{#context#}}` (and, in completion
 * prompts, `{{#histories#}}`). Those are inserted after rendering so text retrieved from documents
 * or said earlier in the conversation is never itself treated as a template.
 */
export function renderPromptText(ctx: NodeContext<unknown>, message: PromptMessageData, jinjaVariables: Record<string, unknown>, context: string, histories = ""): string {
  if (message.edition_type === "jinja2") return renderJinja(message.jinja2_text ?? message.text, jinjaVariables);
  return message.text
    .split(HISTORIES_REFERENCE)
    .map((chunk) =>
      chunk
        .split(CONTEXT_REFERENCE)
        .map((part) => ctx.render(part))
        .join(context),
    )
    .join(histories);
}

const roles = new Set(["system", "user", "assistant"]);

export function buildChatMessages(ctx: NodeContext<unknown>, template: PromptMessageData[], jinjaVariables: Record<string, unknown>, context: string): ChatMessage[] {
  return template
    .map((message) => ({ role: roles.has(message.role) ? message.role : "user", content: renderPromptText(ctx, message, jinjaVariables, context) }) as ChatMessage)
    .filter((message) => message.content !== "" || message.role !== "system");
}

/** Without a window, history is cut to roughly this many tokens (newest turns kept). */
export const MEMORY_TOKEN_BUDGET = 8000;
/** Dify's TokenBufferMemory never reads more than this many earlier messages. */
const MAX_MEMORY_TURNS = 500;

/**
 * The conversation's earlier turns as chat messages, newest kept: at most `window.size` turns when
 * the window is enabled, else as many as fit in {@link MEMORY_TOKEN_BUDGET} tokens.
 */
export function historyMessages(ctx: NodeContext<unknown>, memory: MemoryConfig | null | undefined): ChatMessage[] {
  if (!memory) return [];
  const turns = ctx.ports.memory?.turns ?? [];
  const limit = memory.window?.enabled && memory.window.size ? Math.max(0, memory.window.size) : MAX_MEMORY_TURNS;
  const kept: ChatMessage[] = [];
  let tokens = 0;
  for (let index = turns.length - 1; index >= 0 && kept.length / 2 < limit; index--) {
    const turn = turns[index]!;
    if (!memory.window?.enabled) {
      tokens += estimateTokens(turn.query) + estimateTokens(turn.answer);
      if (tokens > MEMORY_TOKEN_BUDGET && kept.length > 0) break;
    }
    kept.unshift({ role: "user", content: turn.query }, { role: "assistant", content: turn.answer });
  }
  return kept;
}

/**
 * Dify's memory block in a chat prompt: the conversation's earlier turns (see
 * {@link historyMessages}) followed by the user's query through `query_prompt_template`
 * (default `{{#sys.query#}}`).
 */
export function memoryMessages(ctx: NodeContext<unknown>, memory: MemoryConfig | null | undefined): ChatMessage[] {
  if (!memory) return [];
  const messages = historyMessages(ctx, memory);
  const query = ctx.resolve(["sys", "query"]);
  if (typeof query !== "string" || !query) return messages;
  const template = memory.query_prompt_template || "{{#sys.query#}}";
  return [...messages, { role: "user", content: ctx.render(template) }];
}

/**
 * The history as text for completion-model prompts (`{{#histories#}}`), with the memory's role
 * prefixes (Dify's defaults: `Human` / `Assistant`).
 */
export function historyText(ctx: NodeContext<unknown>, memory: MemoryConfig | null | undefined): string {
  const user = memory?.role_prefix?.user || "Human";
  const assistant = memory?.role_prefix?.assistant || "Assistant";
  return historyMessages(ctx, memory ?? {})
    .map((message) => `${message.role === "user" ? user : assistant}: ${message.content}`)
    .join("\n");
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
