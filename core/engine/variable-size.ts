const encoder = new TextEncoder();

/** Size of a value as stored, in UTF-8 bytes of its JSON; cheap for the common small string. */
export function variableSizeBytes(value: unknown, limit: number): number {
  if (value === null || value === undefined || typeof value === "number" || typeof value === "boolean") return 8;
  if (typeof value === "string") {
    // Each UTF-16 unit is at most 3 UTF-8 bytes: skip encoding when it cannot exceed the limit.
    if (value.length * 3 <= limit) return value.length;
    return encoder.encode(value).length;
  }
  const json = JSON.stringify(value) ?? "";
  return json.length * 3 <= limit ? json.length : encoder.encode(json).length;
}
