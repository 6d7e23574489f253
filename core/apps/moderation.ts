/**
 * Keyword moderation at run time (Dify's `KeywordsModeration`): a keyword matches anywhere in a
 * value, ignoring case. Inputs (and the query) are checked before a turn runs; the answer is
 * checked as it streams, so a flagged answer is replaced as soon as the keyword appears.
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

/** The output side of a setting, when it checks outputs. */
export function outputModeration(setting: ModerationSetting): { keywords: string[]; presetResponse: string } | null {
  return setting.enabled && setting.type === "keywords" && setting.outputs.enabled ? { keywords: setting.keywords, presetResponse: setting.outputs.presetResponse } : null;
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
