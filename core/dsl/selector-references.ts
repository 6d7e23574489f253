/**
 * Finds the variable references a node's `data` makes, without knowing the node type: Dify names
 * selector fields consistently (`*_selector`, `variable`, `variables`, `value` next to
 * `value_type: variable`) and embeds `{{#node.var#}}` references in free text.
 */

/** Dify's template reference pattern (VariablePool's `VARIABLE_PATTERN`). */
export const TEMPLATE_REFERENCE_PATTERN = /\{\{#([a-zA-Z0-9_]{1,50}(?:\.[a-zA-Z_][a-zA-Z0-9_]{0,29}){1,10})#\}\}/g;

export interface SelectorReference {
  selector: string[];
  /** Dotted path of the field inside `data` that holds the reference. */
  field: string;
}

const isSelector = (value: unknown): value is string[] =>
  Array.isArray(value) && value.length >= 2 && value.every((part) => typeof part === "string");

export function findSelectorReferences(data: unknown): SelectorReference[] {
  const found: SelectorReference[] = [];
  walk(data, "data", found, undefined);
  return found;
}

function walk(value: unknown, path: string, found: SelectorReference[], key: string | undefined): void {
  if (typeof value === "string") {
    for (const match of value.matchAll(TEMPLATE_REFERENCE_PATTERN)) {
      found.push({ selector: match[1].split("."), field: path });
    }
    return;
  }
  if (Array.isArray(value)) {
    if (key !== undefined && isSelectorKey(key) && isSelector(value)) {
      found.push({ selector: value, field: path });
      return;
    }
    if (key === "variables" && value.every(isSelector)) {
      value.forEach((selector, index) => found.push({ selector, field: `${path}.${index}` }));
      return;
    }
    value.forEach((item, index) => walk(item, `${path}.${index}`, found, undefined));
    return;
  }
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const valueIsReference = record.value_type === "variable" || record.input_type === "variable";
    for (const [childKey, child] of Object.entries(record)) {
      if (childKey === "value" && valueIsReference && isSelector(child)) {
        found.push({ selector: child, field: `${path}.value` });
        continue;
      }
      walk(child, `${path}.${childKey}`, found, childKey);
    }
  }
}

function isSelectorKey(key: string): boolean {
  return key.endsWith("selector") || key === "variable" || key === "query";
}
