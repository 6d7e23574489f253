/**
 * Splits text for a text-to-speech model that takes at most `maxChars` per call (OpenAI: 4096),
 * at sentence ends where it can, else at spaces, else anywhere. Pieces keep their order; empty
 * text gives no pieces.
 *
 * @example
 * splitSpeechText("One. Two.", 5) // ["One.", "Two."]
 */
export function splitSpeechText(text: string, maxChars = 4000): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > maxChars) {
    const window = rest.slice(0, maxChars + 1);
    const sentenceEnd = Math.max(...[". ", "! ", "? ", "。", "！", "？", "\n"].map((mark) => window.lastIndexOf(mark)));
    const space = window.lastIndexOf(" ");
    const cut = sentenceEnd > maxChars / 2 ? sentenceEnd + 1 : space > maxChars / 2 ? space : maxChars;
    pieces.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest) pieces.push(rest);
  return pieces.filter(Boolean);
}
