/**
 * Dify's `headers` / `params` text: one `key:value` per line, split at the first colon, both
 * sides trimmed; a line without a colon is a key with an empty value; blank keys are skipped.
 * Each side is rendered separately so a value may contain `{{#node.var#}}` references.
 *
 * @example
 * parseKeyValueLines("Accept: application/json\nX-Id:{{#start.id#}}", render)
 * // [["Accept", "application/json"], ["X-Id", "42"]]
 */
export function parseKeyValueLines(text: string, render: (template: string) => string = (t) => t): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const colon = line.indexOf(":");
    const key = (colon === -1 ? line : line.slice(0, colon)).trim();
    if (!key) continue;
    const value = colon === -1 ? "" : line.slice(colon + 1).trim();
    pairs.push([render(key), render(value)]);
  }
  return pairs;
}
