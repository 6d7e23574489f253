/**
 * Reads a JSON value out of model text: plain JSON, a fenced ```json block, or the first balanced
 * `{...}` / `[...]` in the text. Returns undefined when there is none.
 */
export function parseJsonOutput(text: string): unknown {
  const trimmed = text.trim();
  const attempts = [trimmed];
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(trimmed);
  if (fenced?.[1]) attempts.push(fenced[1].trim());
  const start = trimmed.search(/[[{]/);
  if (start >= 0) {
    const open = trimmed[start]!;
    const close = open === "{" ? "}" : "]";
    const end = trimmed.lastIndexOf(close);
    if (end > start) attempts.push(trimmed.slice(start, end + 1));
  }
  for (const attempt of attempts) {
    try {
      return JSON.parse(attempt);
    } catch {
      // try the next shape
    }
  }
  return undefined;
}
