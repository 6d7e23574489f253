/** Dify's conversation variable types, each with the empty value a new variable starts from. */
export const CONVERSATION_TYPES: Array<[string, unknown]> = [
  ["string", ""],
  ["number", 0],
  ["object", {}],
  ["array[string]", []],
  ["array[number]", []],
  ["array[object]", []],
];

/** A conversation variable's default typed in the panel, as its type wants it (text, number or JSON). */
export function conversationDefault(type: string, text: string): { value?: unknown; problem?: string } {
  if (type === "string") return { value: text };
  if (type === "number") return text.trim() === "" || Number.isNaN(Number(text)) ? { problem: "A number, e.g. 0." } : { value: Number(text) };
  try {
    const value: unknown = JSON.parse(text);
    if (type === "object") return value && typeof value === "object" && !Array.isArray(value) ? { value } : { problem: 'A JSON object, e.g. {"key": "value"}.' };
    const element = type.slice("array[".length, -1);
    if (!Array.isArray(value)) return { problem: "A JSON list, e.g. []." };
    const ok = value.every((item) => (element === "object" ? item !== null && typeof item === "object" && !Array.isArray(item) : typeof item === element));
    return ok ? { value } : { problem: `Every item must be a${element === "object" ? "n object" : ` ${element}`}.` };
  } catch {
    return { problem: "Not valid JSON." };
  }
}
