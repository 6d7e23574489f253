import { findSelectorReferences, type SelectorReference } from "../../dsl";
import type { NodeContext } from "../../engine";
import type { ToolProvider } from "../../tools";
import { ToolError } from "../../tools";

const isSelector = (value: unknown): value is string[] => Array.isArray(value) && value.length >= 2 && value.every((part) => typeof part === "string");

/**
 * The value of one input, Dify's way: `variable` reads the selector (null when unset), `mixed`
 * renders the template, `constant` keeps the value (strings are rendered too, as Dify does).
 */
export function resolveToolInput(ctx: Pick<NodeContext<unknown>, "render" | "resolve">, input: { type?: string; value?: unknown }): unknown {
  const { type = "constant", value } = input;
  if (type === "variable") {
    if (!isSelector(value)) return null;
    return ctx.resolve(value) ?? null;
  }
  if (typeof value === "string") return ctx.render(value);
  return value;
}

/** `{type, value}` (newer DSLs) or a bare value (older ones). */
export function isTypedInput(value: unknown): value is { type: string; value: unknown } {
  return Boolean(value) && typeof value === "object" && !Array.isArray(value) && typeof (value as { type?: unknown }).type === "string" && "value" in (value as object);
}

/** The tool-provider port of a run, or a failure message when the runtime has none. */
export function toolsPort(ctx: NodeContext<unknown>): ToolProvider {
  const tools = ctx.ports.tools as ToolProvider | undefined;
  if (!tools) throw new ToolError("tool_provider_not_found", "No tool providers are configured for this run");
  return tools;
}

/**
 * References of a node whose inputs use `{type: "variable", value: selector}`, which the generic
 * DSL scan does not recognise, plus everything the scan finds.
 */
export function typedInputReferences(data: unknown): SelectorReference[] {
  const found = findSelectorReferences(data);
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) return value.forEach((item, index) => walk(item, `${path}.${index}`));
    if (!value || typeof value !== "object") return;
    const record = value as Record<string, unknown>;
    if (record.type === "variable" && isSelector(record.value)) {
      found.push({ selector: record.value, field: `${path}.value` });
      return;
    }
    for (const [key, child] of Object.entries(record)) walk(child, `${path}.${key}`);
  };
  walk(data, "data");
  return found;
}
