import type { Tool } from "../tool";
import { ToolError } from "../tool-error";

type Segment =
  | { kind: "child"; names: Array<string | number> }
  | { kind: "wildcard" }
  | { kind: "slice"; start?: number; end?: number; step?: number }
  | { kind: "filter"; test: (value: unknown) => boolean }
  | { kind: "descend"; then: Segment };

const MAX_PATH_LENGTH = 1000;
const MAX_RESULTS = 10_000;

const invalid = (path: string, message: string) => new ToolError("tool_parameter_invalid", `Invalid JSONPath "${path}": ${message}`);

/** Reads `@.a.b[0]` (a relative path inside a filter) into segments. */
function relativeGet(value: unknown, path: Segment[]): unknown {
  const found = apply([value], path);
  return found.length ? found[0] : undefined;
}

function parseLiteral(text: string, path: string): unknown {
  const trimmed = text.trim();
  if (/^'.*'$/.test(trimmed)) return trimmed.slice(1, -1);
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    throw invalid(path, `cannot read the value ${trimmed}`);
  }
}

function compare(left: unknown, op: string, right: unknown): boolean {
  switch (op) {
    case "==":
      return JSON.stringify(left) === JSON.stringify(right);
    case "!=":
      return JSON.stringify(left) !== JSON.stringify(right);
  }
  if (typeof left !== typeof right || (typeof left !== "number" && typeof left !== "string")) return false;
  const a = left as number | string;
  const b = right as number | string;
  return op === "<" ? a < b : op === "<=" ? a <= b : op === ">" ? a > b : a >= b;
}

/** `@.price < 10 && @.tags`: comparisons and existence tests joined by `&&` / `||` (no parentheses). */
function parseFilter(source: string, path: string): (value: unknown) => boolean {
  const alternatives = source.split("||").map((alternative) =>
    alternative.split("&&").map((condition) => {
      const match = /^\s*(@[^=!<>]*?)\s*(?:(==|!=|<=|>=|<|>)\s*(.+?))?\s*$/.exec(condition);
      if (!match) throw invalid(path, `unsupported filter ${condition.trim()}`);
      const relative = parseSegments(`$${match[1]!.slice(1)}`, path);
      const op = match[2];
      const literal = op ? parseLiteral(match[3]!, path) : undefined;
      return (value: unknown) => {
        const found = relativeGet(value, relative);
        return op ? compare(found, op, literal) : found !== undefined && found !== null && found !== false;
      };
    }),
  );
  return (value) => alternatives.some((conditions) => conditions.every((test) => test(value)));
}

function parseBracket(inner: string, path: string): Segment {
  const content = inner.trim();
  if (content === "*") return { kind: "wildcard" };
  if (content.startsWith("?")) {
    const body = content.slice(1).trim();
    return { kind: "filter", test: parseFilter(body.startsWith("(") && body.endsWith(")") ? body.slice(1, -1) : body, path) };
  }
  if (/^-?\d*\s*:\s*-?\d*(\s*:\s*-?\d*)?$/.test(content)) {
    const [start, end, step] = content.split(":").map((part) => (part.trim() === "" ? undefined : Number(part)));
    if (step === 0) throw invalid(path, "a slice step cannot be 0");
    return { kind: "slice", start, end, step };
  }
  const names: Array<string | number> = [];
  for (const part of content.match(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^,]+/g) ?? []) {
    const item = part.trim();
    if (!item || item === ",") continue;
    if (/^-?\d+$/.test(item)) names.push(Number(item));
    else if (/^(['"]).*\1$/.test(item)) names.push(item.slice(1, -1).replace(/\\(.)/g, "$1"));
    else throw invalid(path, `cannot read [${content}]`);
  }
  if (!names.length) throw invalid(path, "empty brackets");
  return { kind: "child", names };
}

function parseSegments(path: string, original = path): Segment[] {
  let source = path.trim();
  if (source.startsWith("$")) source = source.slice(1);
  else if (source && !source.startsWith(".") && !source.startsWith("[")) source = `.${source}`; // "a.b" means "$.a.b"
  const segments: Segment[] = [];
  let i = 0;
  while (i < source.length) {
    let descend = false;
    if (source.startsWith("..", i)) {
      descend = true;
      i += 2;
    } else if (source[i] === ".") {
      i += 1;
    }
    let segment: Segment;
    if (source[i] === "[") {
      let depth = 0;
      let quote: string | null = null;
      let end = i;
      for (; end < source.length; end++) {
        const char = source[end];
        if (quote) {
          if (char === "\\") end++;
          else if (char === quote) quote = null;
        } else if (char === "'" || char === '"') quote = char;
        else if (char === "[") depth++;
        else if (char === "]" && --depth === 0) break;
      }
      if (end >= source.length) throw invalid(original, "unclosed [");
      segment = parseBracket(source.slice(i + 1, end), original);
      i = end + 1;
    } else if (source[i] === "*") {
      segment = { kind: "wildcard" };
      i += 1;
    } else {
      const name = /^[^.[\]\s]+/.exec(source.slice(i));
      if (!name) throw invalid(original, `unexpected "${source[i] ?? ""}"`);
      segment = { kind: "child", names: [name[0]] };
      i += name[0].length;
    }
    segments.push(descend ? { kind: "descend", then: segment } : segment);
  }
  return segments;
}

function children(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (value && typeof value === "object") return Object.values(value);
  return [];
}

function descendants(value: unknown, into: unknown[]): void {
  into.push(value);
  for (const child of children(value)) {
    if (into.length > MAX_RESULTS) return;
    descendants(child, into);
  }
}

function step(value: unknown, segment: Segment): unknown[] {
  switch (segment.kind) {
    case "wildcard":
      return children(value);
    case "child":
      return segment.names.flatMap((name) => {
        if (Array.isArray(value) && typeof name === "number") {
          const index = name < 0 ? value.length + name : name;
          return index >= 0 && index < value.length ? [value[index]] : [];
        }
        if (value && typeof value === "object" && !Array.isArray(value) && Object.hasOwn(value, String(name))) return [(value as Record<string, unknown>)[String(name)]];
        return [];
      });
    case "slice": {
      if (!Array.isArray(value)) return [];
      const length = value.length;
      const stepBy = segment.step ?? 1;
      const clamp = (index: number) => (index < 0 ? Math.max(length + index, 0) : Math.min(index, length));
      const out: unknown[] = [];
      if (stepBy > 0) for (let k = clamp(segment.start ?? 0); k < clamp(segment.end ?? length); k += stepBy) out.push(value[k]);
      else for (let k = segment.start === undefined ? length - 1 : clamp(segment.start); k > (segment.end === undefined ? -1 : clamp(segment.end)); k += stepBy) out.push(value[k]);
      return out;
    }
    case "filter":
      return children(value).filter((child) => segment.test(child));
    case "descend": {
      const all: unknown[] = [];
      descendants(value, all);
      return all.flatMap((node) => step(node, segment.then));
    }
  }
}

function apply(values: unknown[], segments: Segment[]): unknown[] {
  let current = values;
  for (const segment of segments) {
    current = current.flatMap((value) => step(value, segment));
    if (current.length > MAX_RESULTS) throw new ToolError("tool_parameter_invalid", `The JSONPath matches more than ${MAX_RESULTS} values`);
  }
  return current;
}

/**
 * Every value a JSONPath selects: `$`, `.name`, `['name']`, `[0]`, `[-1]`, `[*]`, `.*`, `..name`,
 * `[1:3]`, `[0,2]` and filters like `[?(@.price < 10 && @.inStock)]`. A path without `$` is
 * read from the root (`a.b` = `$.a.b`).
 *
 * @example
 * queryJsonPath({ items: [{ id: 1 }, { id: 2 }] }, "$.items[*].id") // [1, 2]
 */
export function queryJsonPath(data: unknown, path: string): unknown[] {
  if (path.length > MAX_PATH_LENGTH) throw new ToolError("tool_parameter_invalid", `The JSONPath is longer than ${MAX_PATH_LENGTH} characters`);
  return apply([data], parseSegments(path));
}

/** Dify's built-in `json_process` / `json_parse`: extract values from JSON text with a JSONPath. */
export const jsonParseTool: Tool = {
  name: "json_parse",
  label: "JSON Parse",
  description: "Extract values from a JSON document with a JSONPath expression such as $.items[0].name or $..id.",
  parameters: {
    type: "object",
    properties: {
      content: { type: "string", description: "The JSON text to read" },
      json_filter: { type: "string", description: "The JSONPath, e.g. $.data[*].name" },
    },
    required: ["content", "json_filter"],
  },
  async invoke(args) {
    let data: unknown;
    try {
      data = typeof args.content === "string" ? (JSON.parse(args.content) as unknown) : args.content;
    } catch (error) {
      throw new ToolError("tool_parameter_invalid", `content is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
    }
    const found = queryJsonPath(data, String(args.json_filter));
    const result = found.length === 1 ? found[0] : found;
    return [
      { type: "text", text: typeof result === "string" ? result : JSON.stringify(result) },
      { type: "json", json: found.length === 1 && result && typeof result === "object" && !Array.isArray(result) ? result : { result } },
    ];
  },
};
