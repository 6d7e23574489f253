/**
 * The vocabulary of Dify's metadata filter conditions (a knowledge-retrieval node's
 * `metadata_filtering_conditions`, the knowledge API's `metadata_condition`): the comparison
 * operators and the built-in document fields every document has. The editor offers them; `core/rag`
 * checks and applies them.
 */

/** Dify's built-in document metadata fields (`BuiltInField`). */
export const BUILT_IN_METADATA_FIELDS = [
  { name: "document_name", type: "string" },
  { name: "uploader", type: "string" },
  { name: "upload_date", type: "time" },
  { name: "last_update_date", type: "time" },
  { name: "source", type: "string" },
] as const;

/** For strings, lists of values, numbers and times. */
export const comparisonOperators = [
  "contains", "not contains", "start with", "end with", "is", "is not", "empty", "not empty", "in", "not in",
  "=", "≠", ">", "<", "≥", "≤", "before", "after",
] as const;

/** Operators that take no value. */
export const valuelessOperators: ReadonlySet<string> = new Set(["empty", "not empty"]);
