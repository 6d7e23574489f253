import { z } from "zod";
import { BUILT_IN_METADATA_FIELDS, comparisonOperators } from "../dsl/metadata-conditions";
import { RagConfigError } from "./rag-errors";

export { BUILT_IN_METADATA_FIELDS, comparisonOperators };

export const metadataFieldTypes = ["string", "number", "time"] as const;
export type MetadataFieldType = (typeof metadataFieldTypes)[number];

export const metadataConditionSchema = z.looseObject({
  name: z.string().min(1),
  comparison_operator: z.enum(comparisonOperators),
  value: z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]).nullish(),
});

/** Dify's `metadata_filtering_conditions`. */
export const metadataConditionsSchema = z.looseObject({
  logical_operator: z.enum(["and", "or"]).default("and"),
  conditions: z.array(metadataConditionSchema).default([]),
});
export type MetadataConditions = z.infer<typeof metadataConditionsSchema>;
export type MetadataCondition = z.infer<typeof metadataConditionSchema>;

/**
 * Refuses conditions on fields the datasets do not define (built-ins always exist), so a typo
 * is an error instead of an empty result.
 */
export function assertKnownMetadataFields(conditions: MetadataConditions, knownFields: Iterable<string>): void {
  const known = new Set<string>([...BUILT_IN_METADATA_FIELDS.map((field) => field.name), ...knownFields]);
  for (const condition of conditions.conditions) {
    if (!known.has(condition.name)) {
      throw new RagConfigError(`Unknown metadata field "${condition.name}" in the filter. Known fields: ${[...known].sort().join(", ")}.`);
    }
  }
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0);
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function asList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "string") return value.split(",").map((item) => item.trim()).filter(Boolean);
  return value === undefined || value === null ? [] : [String(value)];
}

function matches(actual: unknown, condition: MetadataCondition): boolean {
  const expected = condition.value;
  switch (condition.comparison_operator) {
    case "empty":
      return isEmpty(actual);
    case "not empty":
      return !isEmpty(actual);
    case "contains":
      return !isEmpty(actual) && String(actual).includes(String(expected ?? ""));
    case "not contains":
      return isEmpty(actual) || !String(actual).includes(String(expected ?? ""));
    case "start with":
      return !isEmpty(actual) && String(actual).startsWith(String(expected ?? ""));
    case "end with":
      return !isEmpty(actual) && String(actual).endsWith(String(expected ?? ""));
    case "is":
      return !isEmpty(actual) && String(actual) === String(expected ?? "");
    case "is not":
      return isEmpty(actual) || String(actual) !== String(expected ?? "");
    case "in":
      return !isEmpty(actual) && asList(expected).includes(String(actual));
    case "not in":
      return isEmpty(actual) || !asList(expected).includes(String(actual));
  }
  const a = asNumber(actual);
  const b = asNumber(expected);
  if (a === undefined || b === undefined) return condition.comparison_operator === "≠" && a !== b;
  switch (condition.comparison_operator) {
    case "=":
      return a === b;
    case "≠":
      return a !== b;
    case ">":
    case "after":
      return a > b;
    case "<":
    case "before":
      return a < b;
    case "≥":
      return a >= b;
    case "≤":
      return a <= b;
  }
}

/**
 * Whether a document's metadata satisfies Dify's manual conditions (`and` / `or`). With no
 * conditions every document matches.
 *
 * @example
 * matchesMetadata({ year: 2024 }, { logical_operator: "and", conditions: [{ name: "year", comparison_operator: "≥", value: 2020 }] }) // true
 */
export function matchesMetadata(metadata: Record<string, unknown>, conditions: MetadataConditions | null | undefined): boolean {
  if (!conditions || conditions.conditions.length === 0) return true;
  const results = conditions.conditions.map((condition) => matches(metadata[condition.name], condition));
  return conditions.logical_operator === "or" ? results.some(Boolean) : results.every(Boolean);
}
