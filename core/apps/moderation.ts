/**
 * Content moderation at run time. Keywords (Dify's `KeywordsModeration`): a keyword matches
 * anywhere in a value, ignoring case. OpenAI Moderation: the text goes to the model runtime's
 * `moderate`. Inputs (and the query) are checked before a turn runs; the answer is checked as it
 * streams, so a flagged answer is replaced as soon as it is found.
 */
import type { ModerationSetting } from "../dsl/moderation";

const lowered = (keywords: string[]) => keywords.map((keyword) => keyword.toLowerCase()).filter(Boolean);

function text(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Whether any keyword occurs in any of the values (case-insensitive substring, as in Dify). */
export function containsKeyword(keywords: string[], values: unknown[]): boolean {
  const wanted = lowered(keywords);
  if (!wanted.length) return false;
  return values.some((value) => {
    const haystack = text(value).toLowerCase();
    return wanted.some((keyword) => haystack.includes(keyword));
  });
}

/**
 * The input check of a turn: flagged when a keyword is in an input value or the query; the turn
 * is then answered with the preset response instead of running.
 */
export function moderateInputs(setting: ModerationSetting, inputs: Record<string, unknown>, query: string): { flagged: false } | { flagged: true; presetResponse: string } {
  if (!setting.enabled || setting.type !== "keywords" || !setting.inputs.enabled) return { flagged: false };
  return containsKeyword(setting.keywords, [...Object.values(inputs), query]) ? { flagged: true, presetResponse: setting.inputs.presetResponse } : { flagged: false };
}

/** The text OpenAI Moderation is asked about for a turn's inputs: every input value, then the query. */
export function moderationText(inputs: Record<string, unknown>, query: string): string {
  return [...Object.values(inputs), query].map(text).filter(Boolean).join("\n");
}

/** How a chat turn's answer is moderated while it streams (carried to the run's Durable Object). */
export type OutputModeration = { type: "keywords"; keywords: string[]; presetResponse: string } | { type: "openai_moderation"; presetResponse: string };

/**
 * OpenAI Moderation is asked about a streaming answer each time this many characters have come
 * since the last check (Dify's `MODERATION_BUFFER_SIZE`), and once more about the whole answer.
 */
export const MODERATION_BUFFER_CHARS = 300;

/** The output side of a setting, when it checks outputs. */
export function outputModeration(setting: ModerationSetting): OutputModeration | null {
  if (!setting.enabled || setting.type === "unsupported" || !setting.outputs.enabled) return null;
  return setting.type === "keywords" ? { type: "keywords", keywords: setting.keywords, presetResponse: setting.outputs.presetResponse } : { type: "openai_moderation", presetResponse: setting.outputs.presetResponse };
}

/**
 * Checks an answer as it streams. Each piece is checked together with the end of what came
 * before (one character less than the longest keyword), so a keyword split across pieces is
 * found, and each check costs the size of the piece, not of the whole answer.
 */
export class StreamingKeywordCheck {
  private readonly keywords: string[];
  private readonly overlap: number;
  private tail = "";
  flagged = false;

  constructor(keywords: string[]) {
    this.keywords = lowered(keywords);
    this.overlap = Math.max(0, ...this.keywords.map((keyword) => keyword.length - 1));
  }

  /** Adds a piece of the answer; true when the answer so far contains a keyword. */
  push(piece: string): boolean {
    if (this.flagged) return true;
    if (!this.keywords.length) return false;
    const window = this.tail + piece.toLowerCase();
    this.flagged = this.keywords.some((keyword) => window.includes(keyword));
    this.tail = this.overlap ? window.slice(-this.overlap) : "";
    return this.flagged;
  }
}

/**
 * Moderates one streaming answer. Keywords are checked on every piece; OpenAI Moderation is asked
 * in the background each time {@link MODERATION_BUFFER_CHARS} new characters have come (a flag it
 * raises replaces the next piece) and, by {@link finish}, about the whole answer. A failed remote
 * check lets the answer through, as Dify's does; `onError` hears of it.
 */
export class AnswerModerator {
  /** The answer has been replaced by the preset reply; no more of it is sent. */
  replaced = false;
  private readonly keywords: StreamingKeywordCheck | undefined;
  private answer = "";
  private checkedUpTo = 0;
  private flagged = false;
  private inFlight: Promise<void> | undefined;

  constructor(
    readonly setting: OutputModeration,
    private readonly remote: (text: string) => Promise<boolean>,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.keywords = setting.type === "keywords" ? new StreamingKeywordCheck(setting.keywords) : undefined;
  }

  /** The next piece of the answer: send it, send the preset reply in its place, or drop it. */
  push(piece: string): "pass" | "replace" | "drop" {
    if (this.replaced) return "drop";
    if (this.keywords ? this.keywords.push(piece) : this.flagged) {
      this.replaced = true;
      return "replace";
    }
    if (!this.keywords) {
      this.answer += piece;
      if (!this.inFlight && this.answer.length - this.checkedUpTo >= MODERATION_BUFFER_CHARS) void this.check();
    }
    return "pass";
  }

  /** A piece sent before a restart: counted, not checked again (see {@link finish}). */
  replay(piece: string, replaced: boolean): void {
    if (replaced) this.replaced = true;
    else if (this.keywords) this.keywords.push(piece);
    else this.answer += piece;
  }

  /** At the end of the answer: true when it is flagged and not yet replaced (send the preset reply now). */
  async finish(): Promise<boolean> {
    if (this.replaced) return false;
    if (!this.keywords) {
      await this.inFlight;
      if (!this.flagged && this.checkedUpTo < this.answer.length) await this.check();
    }
    if (!this.flagged) return false;
    this.replaced = true;
    return true;
  }

  private check(): Promise<void> {
    const text = this.answer;
    const running = this.remote(text)
      .then((flagged) => {
        if (flagged) this.flagged = true;
        this.checkedUpTo = Math.max(this.checkedUpTo, text.length);
      })
      .catch(this.onError)
      .finally(() => {
        if (this.inFlight === running) this.inFlight = undefined;
      });
    this.inFlight = running;
    return running;
  }
}
