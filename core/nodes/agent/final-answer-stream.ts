/**
 * Streams a ReAct Final Answer while the model is still writing it: after
 * `"action": "Final Answer", "action_input": "` the JSON string is decoded as it arrives, and after
 * `Final Answer:` (or `Action: Final Answer` / `Action Input:`) the text is passed through. Output
 * in any other shape streams nothing here; the caller sends the parsed answer at the end.
 */
export class FinalAnswerStream {
  private buffer = "";
  private mode: "seeking" | "json" | "plain" | "done" = "seeking";
  private cursor = 0;
  /** Everything emitted so far. */
  streamed = "";

  constructor(private readonly emit: (text: string) => void) {}

  push(delta: string): void {
    this.buffer += delta;
    if (this.mode === "seeking") this.seek();
    if (this.mode === "json") this.readJsonString();
    else if (this.mode === "plain") this.readPlain();
  }

  private seek(): void {
    const json = /"action"\s*:\s*"final[ _-]?answer"\s*,\s*"action_input"\s*:\s*"/i.exec(this.buffer);
    if (json) {
      this.mode = "json";
      this.cursor = json.index + json[0].length;
      return;
    }
    // The plain form: not when the words only appear inside a JSON blob still being written.
    if (this.buffer.includes("{")) return;
    const plain = /(?:^|\n)\s*(?:Final Answer\s*:|Action\s*:\s*Final Answer\s*\n\s*Action Input\s*:)\s*(?=\S)/i.exec(this.buffer);
    if (plain) {
      this.mode = "plain";
      this.cursor = plain.index + plain[0].length;
    }
  }

  private out(text: string): void {
    if (!text) return;
    this.streamed += text;
    this.emit(text);
  }

  private readJsonString(): void {
    let text = "";
    while (this.cursor < this.buffer.length) {
      const char = this.buffer[this.cursor]!;
      if (char === '"') {
        this.mode = "done";
        break;
      }
      if (char !== "\\") {
        text += char;
        this.cursor++;
        continue;
      }
      const next = this.buffer[this.cursor + 1];
      if (next === undefined) break; // the escape is not complete yet
      if (next === "u") {
        const hex = this.buffer.slice(this.cursor + 2, this.cursor + 6);
        if (hex.length < 4) break;
        text += String.fromCharCode(parseInt(hex, 16) || 0xfffd);
        this.cursor += 6;
        continue;
      }
      text += ({ n: "\n", t: "\t", r: "\r", b: "\b", f: "\f" } as Record<string, string>)[next] ?? next;
      this.cursor += 2;
    }
    this.out(text);
  }

  private readPlain(): void {
    // Hold back a tail that could be the start of "\nObservation:" (the model running on).
    const stop = this.buffer.search(/\n\s*Observation\s*:/i);
    if (stop !== -1) {
      this.out(this.buffer.slice(this.cursor, stop).trimEnd());
      this.mode = "done";
      return;
    }
    const safeEnd = Math.max(this.cursor, this.buffer.length - 16);
    this.out(this.buffer.slice(this.cursor, safeEnd));
    this.cursor = safeEnd;
  }

  /** Flushes what was held back; returns the streamed text. */
  finish(): string {
    if (this.mode === "plain") this.out(this.buffer.slice(this.cursor).replace(/\s*```\s*$/, "").trimEnd());
    this.mode = "done";
    return this.streamed;
  }
}
