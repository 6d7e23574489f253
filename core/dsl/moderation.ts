/**
 * Content moderation, Dify's `sensitive_word_avoidance` feature: read from an app's features (a
 * chatflow's `features`, an easy-mode app's model config) and checked as Dify checks it on save.
 * Waggle runs the `keywords` and `openai_moderation` types; Dify's `api` type (an API extension)
 * is recognised and reported as not available here. The editor reads the limits; the runtime reads
 * the setting (core/apps/moderation.ts matches the keywords).
 */

/** Dify's limits for the keywords type. */
export const MODERATION_LIMITS = { keywordChars: 10_000, keywordRows: 100, presetResponseChars: 100 } as const;

/** The moderation types Dify has, with the names its settings page gives them. */
export const MODERATION_TYPES = { keywords: "Keywords", openai_moderation: "OpenAI Moderation", api: "API extension" } as const;

export interface ModerationSide {
  enabled: boolean;
  presetResponse: string;
}

export type ModerationSetting =
  | { enabled: false }
  | { enabled: true; type: "keywords"; keywords: string[]; inputs: ModerationSide; outputs: ModerationSide }
  /** The workspace's OpenAI provider decides (`omni-moderation-latest`). */
  | { enabled: true; type: "openai_moderation"; inputs: ModerationSide; outputs: ModerationSide }
  /** A type Waggle cannot run; `label` names it for a person. */
  | { enabled: true; type: "unsupported"; name: string; label: string };

type Json = Record<string, unknown>;
const object = (value: unknown): Json => (value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {});

function side(value: unknown): ModerationSide {
  const config = object(value);
  return { enabled: config.enabled === true, presetResponse: typeof config.preset_response === "string" ? config.preset_response : "" };
}

/** The keywords of a `keywords` setting: one per line, blank lines dropped (as Dify splits them). */
export function keywordList(keywords: unknown): string[] {
  return typeof keywords === "string" ? keywords.split("\n").filter((keyword) => keyword !== "") : [];
}

/** The moderation an app's features ask for (`sensitive_word_avoidance`). */
export function readModeration(features: Json | null | undefined): ModerationSetting {
  const feature = object(features?.sensitive_word_avoidance);
  if (feature.enabled !== true) return { enabled: false };
  const type = typeof feature.type === "string" ? feature.type : "";
  const config = object(feature.config);
  if (type === "keywords") return { enabled: true, type: "keywords", keywords: keywordList(config.keywords), inputs: side(config.inputs_config), outputs: side(config.outputs_config) };
  if (type === "openai_moderation") return { enabled: true, type: "openai_moderation", inputs: side(config.inputs_config), outputs: side(config.outputs_config) };
  return { enabled: true, type: "unsupported", name: type, label: MODERATION_TYPES[type as keyof typeof MODERATION_TYPES] ?? (type ? `"${type}"` : "(no type)") };
}

/** Why a moderation setting Waggle cannot run is refused, for a person. */
export function unsupportedModerationMessage(label: string): string {
  return `This app's content moderation uses ${label}, which Waggle does not run. Switch the moderation to keywords or OpenAI Moderation, or turn it off, under the app's features.`;
}

/**
 * What is wrong with a `sensitive_word_avoidance` value, in Dify's words (empty when it is fine or
 * turned off): keywords are required and bounded (keywords type), at least one of inputs and
 * outputs is checked, and each checked side has a preset response of at most 100 characters.
 */
export function moderationProblems(value: unknown): string[] {
  const feature = object(value);
  if (feature.enabled !== true) return [];
  const type = typeof feature.type === "string" ? feature.type : "";
  if (!type) return ["Content moderation needs a type."];
  const setting = readModeration({ sensitive_word_avoidance: feature });
  if (setting.enabled && setting.type === "unsupported") return [unsupportedModerationMessage(setting.label)];
  const config = object(feature.config);
  const problems: string[] = [];
  if (type === "keywords") {
    const keywords = typeof config.keywords === "string" ? config.keywords : "";
    if (!keywordList(keywords).length) problems.push("Content moderation: keywords are required.");
    if (keywords.length > MODERATION_LIMITS.keywordChars) problems.push(`Content moderation: the keywords must be less than ${MODERATION_LIMITS.keywordChars} characters.`);
    if (keywords.split("\n").length > MODERATION_LIMITS.keywordRows) problems.push(`Content moderation: at most ${MODERATION_LIMITS.keywordRows} keyword lines.`);
  }
  const inputs = side(config.inputs_config);
  const outputs = side(config.outputs_config);
  if (!inputs.enabled && !outputs.enabled) problems.push("Content moderation: check the inputs, the outputs or both.");
  for (const [name, checked] of [["inputs", inputs], ["outputs", outputs]] as const) {
    if (!checked.enabled) continue;
    if (!checked.presetResponse.trim()) problems.push(`Content moderation: the preset reply for flagged ${name} is required.`);
    else if (checked.presetResponse.length > MODERATION_LIMITS.presetResponseChars) problems.push(`Content moderation: the preset reply for flagged ${name} must be at most ${MODERATION_LIMITS.presetResponseChars} characters.`);
  }
  return problems;
}
