import { variableSizeBytes } from "./variable-size";

/**
 * Dify truncates what events carry (`WORKFLOW_VARIABLE_TRUNCATION_*`) so one huge variable cannot
 * flood an SSE stream; the pool keeps the full values. Events say so with `*_truncated`.
 */
export interface EventTruncationLimits {
  maxStringLength: number;
  maxArrayLength: number;
  maxVariableBytes: number;
}

export const defaultEventTruncation: EventTruncationLimits = { maxStringLength: 100_000, maxArrayLength: 1000, maxVariableBytes: 1000 * 1024 };

/** Returns the same object when nothing needed cutting, so the common case allocates nothing. */
export function truncateForEvent(
  mapping: Record<string, unknown> | null,
  limits: EventTruncationLimits,
): { value: Record<string, unknown> | null; truncated: boolean } {
  if (!mapping) return { value: mapping, truncated: false };
  let out: Record<string, unknown> | undefined;
  for (const key in mapping) {
    const original = mapping[key];
    let value = truncateValue(original, limits, 0);
    // A cut string is small enough by construction; only objects and arrays need measuring.
    const oversized = value !== null && typeof value === "object" && variableSizeBytes(value, limits.maxVariableBytes) > limits.maxVariableBytes;
    if (value !== original || oversized) {
      if (oversized) {
        const json = typeof value === "string" ? value : JSON.stringify(value);
        value = `${json.slice(0, Math.floor(limits.maxVariableBytes / 4))}...`;
      }
      out ??= { ...mapping };
      out[key] = value;
    }
  }
  return out ? { value: out, truncated: true } : { value: mapping, truncated: false };
}

function truncateValue(value: unknown, limits: EventTruncationLimits, depth: number): unknown {
  if (typeof value === "string") return value.length > limits.maxStringLength ? `${value.slice(0, limits.maxStringLength)}...` : value;
  if (value === null || typeof value !== "object" || depth > 20) return value;
  if (Array.isArray(value)) {
    let changed = value.length > limits.maxArrayLength;
    const kept = changed ? value.slice(0, limits.maxArrayLength) : value;
    const mapped = kept.map((item) => {
      const next = truncateValue(item, limits, depth + 1);
      if (next !== item) changed = true;
      return next;
    });
    return changed ? mapped : value;
  }
  let out: Record<string, unknown> | undefined;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const next = truncateValue(record[key], limits, depth + 1);
    if (next !== record[key]) {
      out ??= { ...record };
      out[key] = next;
    }
  }
  return out ?? value;
}
