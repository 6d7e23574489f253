import type { Selector, VariableReader } from "./variable-pool";

/** Dify's `{{#node.var#}}` reference pattern. */
export const VARIABLE_REFERENCE_PATTERN = /\{\{#([a-zA-Z0-9_]{1,50}(?:\.[a-zA-Z_][a-zA-Z0-9_]{0,29}){1,10})#\}\}/g;

export type TemplateSegment = { kind: "text"; text: string } | { kind: "variable"; selector: string[]; raw: string };

const parsed = new Map<string, TemplateSegment[]>();

/** Splits a template into text and variable segments. Cached: templates are immutable config. */
export function parseTemplate(template: string): TemplateSegment[] {
  const cached = parsed.get(template);
  if (cached) return cached;
  const segments: TemplateSegment[] = [];
  let last = 0;
  for (const match of template.matchAll(VARIABLE_REFERENCE_PATTERN)) {
    const start = match.index ?? 0;
    if (start > last) segments.push({ kind: "text", text: template.slice(last, start) });
    segments.push({ kind: "variable", selector: match[1].split("."), raw: match[0] });
    last = start + match[0].length;
  }
  if (last < template.length) segments.push({ kind: "text", text: template.slice(last) });
  if (parsed.size > 5000) parsed.clear();
  parsed.set(template, segments);
  return segments;
}

/** Dify's marker on a file in the variable pool (`File.to_dict()`). */
const FILE_IDENTITY = "__dify__file__";

const isFile = (value: unknown): boolean => typeof value === "object" && value !== null && (value as { dify_model_identity?: unknown }).dify_model_identity === FILE_IDENTITY;

/**
 * How a value reads inside text, as Dify's segments' `text`: strings as-is, null and empty arrays
 * as empty, files and file lists as empty (they reach a model as attachments, never as their
 * storage record), other objects and arrays as JSON. Dify's default chatflow query template is
 * `{{#sys.query#}}\n\n{{#sys.files#}}`, so "[]" here would end every user turn.
 */
export function valueToText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (Array.isArray(value) && value.every(isFile)) return "";
  if (isFile(value)) return "";
  return JSON.stringify(value);
}

/**
 * Renders `{{#node.var#}}` references; a reference that does not resolve stays as literal text.
 *
 * @example
 * renderTemplate("Hello {{#start.name#}}", pool) // "Hello Ada"
 */
export function renderTemplate(template: string, pool: VariableReader): string {
  if (!template.includes("{{#")) return template;
  let out = "";
  for (const segment of parseTemplate(template)) {
    if (segment.kind === "text") out += segment.text;
    else {
      const value = pool.get(segment.selector as Selector);
      out += value === undefined ? segment.raw : valueToText(value);
    }
  }
  return out;
}
