import { z } from "zod";

/** One thing wrong with a graph. `node_id` is null for graph-wide problems. */
export const problemSchema = z.object({
  node_id: z.string().nullable(),
  field: z.string(),
  message: z.string(),
});
export type Problem = z.infer<typeof problemSchema>;

/** A field's name for people: the last named step of its path, `iterator_selector` → "Iterator selector". */
function fieldLabel(path: ReadonlyArray<PropertyKey>): string {
  const name = [...path].reverse().find((step) => typeof step === "string");
  if (typeof name !== "string" || !name) return "This value";
  const words = name.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A field path of node data for people: its top-level field, numbered when the path goes into one
 * item of a list — `data.iterator_selector` → "Iterator selector", `data.prompt_template.0.text`
 * → "Prompt template 1".
 */
export function fieldName(field: string): string {
  const steps = field.split(".");
  if (steps[0] === "data") steps.shift();
  const [name, index] = steps;
  if (!name) return "This value";
  const words = name.replace(/_/g, " ");
  const label = words.charAt(0).toUpperCase() + words.slice(1);
  return index !== undefined && /^\d+$/.test(index) ? `${label} ${Number(index) + 1}` : label;
}

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = input;
  for (const step of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[step];
  }
  return value;
}

const isEmpty = (value: unknown) => value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0);
const article = (type: string) => (/^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`);
const unitOf = (origin: unknown) => (origin === "string" ? " characters" : origin === "array" || origin === "set" ? " items" : "");

/** One zod issue as a sentence a person can act on ("Iterator selector is required"), not zod's own wording. */
function describeIssue(issue: z.core.$ZodIssue, value: unknown, knowsValue: boolean): string {
  const name = fieldLabel(issue.path);
  if (knowsValue && isEmpty(value) && (issue.code === "too_small" || issue.code === "invalid_type")) return `${name} is required`;
  switch (issue.code) {
    case "too_small":
      return issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint"
        ? `${name} must be at least ${String(issue.minimum)}`
        : `${name} needs at least ${String(issue.minimum)}${unitOf(issue.origin)}`;
    case "too_big":
      return issue.origin === "number" || issue.origin === "int" || issue.origin === "bigint"
        ? `${name} must be at most ${String(issue.maximum)}`
        : `${name} allows at most ${String(issue.maximum)}${unitOf(issue.origin)}`;
    case "invalid_type":
      return `${name} should be ${article(issue.expected)}`;
    case "invalid_value":
      return `${name} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "custom":
      // Written for people already (refinements).
      return issue.message;
    default:
      return `${name}: ${issue.message}`;
  }
}

/**
 * Turns zod issues into problems whose `field` is the dotted path inside the node. With the value
 * that was checked (`input`), an empty or missing field reads "… is required".
 */
export function problemsFromZod(nodeId: string | null, prefix: string, error: z.ZodError, ...input: [unknown?]): Problem[] {
  const knowsValue = input.length > 0;
  return error.issues.map((issue) => ({
    node_id: nodeId,
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join("."),
    message: describeIssue(issue, knowsValue ? valueAt(input[0], issue.path) : undefined, knowsValue),
  }));
}
