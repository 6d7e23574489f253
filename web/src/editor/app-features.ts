/**
 * A chatflow's `features`, read and written in Dify's DSL shape. Every function returns a new
 * object and keeps the fields it does not know about (a voice, a moderation config), so a Dify
 * export round-trips through the panel unchanged.
 */
import { object } from "./form-values";
export type Features = Record<string, unknown>;
type Json = Record<string, unknown>;

/** The features that are one `{enabled}` switch. */
export type Toggle = "suggested_questions_after_answer" | "retriever_resource" | "text_to_speech" | "speech_to_text" | "more_like_this";

export const FILE_TYPES = ["image", "document", "audio", "video", "custom"] as const;
export const TRANSFER_METHODS = ["local_file", "remote_url"] as const;
/** Dify's own cap on files per message (`workflow_file_upload_limit`). */
export const MAX_FILES = 10;

export interface FileUpload {
  enabled: boolean;
  allowed_file_types: string[];
  /** Only for the `custom` type, e.g. `[".csv", ".md"]`. */
  allowed_file_extensions: string[];
  allowed_file_upload_methods: string[];
  number_limits: number;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : []);

export const openingStatement = (features: Features): string => (typeof features.opening_statement === "string" ? features.opening_statement : "");

export const suggestedQuestions = (features: Features): string[] => strings(features.suggested_questions);

export const isEnabled = (features: Features, key: Toggle | "file_upload"): boolean =>
  key === "file_upload" ? readFileUpload(features).enabled : object(features[key]).enabled === true;

/**
 * Turns a switch on or off. Text to speech keeps Dify's companion fields (`language`, `voice`,
 * `autoPlay`), which `/v1/parameters` reports even while it is off.
 *
 * @example
 *   setEnabled({}, "retriever_resource", true) // → { retriever_resource: { enabled: true } }
 */
export function setEnabled(features: Features, key: Toggle, enabled: boolean): Features {
  const current = object(features[key]);
  const defaults = key === "text_to_speech" ? { language: "", voice: "", autoPlay: "disabled" } : {};
  return { ...features, [key]: { ...defaults, ...current, enabled } };
}

/** Text to speech's settings as the panel edits them (Dify's `voice`, `language`, `autoPlay`). */
export function readSpeech(features: Features): { voice: string; language: string; autoPlay: boolean } {
  const speech = object(features.text_to_speech);
  return { voice: typeof speech.voice === "string" ? speech.voice : "", language: typeof speech.language === "string" ? speech.language : "", autoPlay: speech.autoPlay === "enabled" };
}

/** Changes text to speech's settings, keeping whether it is on. */
export function writeSpeech(features: Features, change: Partial<{ voice: string; language: string; autoPlay: boolean }>): Features {
  const current = object(features.text_to_speech);
  const { autoPlay, ...rest } = change;
  return { ...features, text_to_speech: { language: "", voice: "", autoPlay: "disabled", ...current, ...rest, ...(autoPlay === undefined ? {} : { autoPlay: autoPlay ? "enabled" : "disabled" }) } };
}

export const setOpeningStatement = (features: Features, text: string): Features => ({ ...features, opening_statement: text });

export const setSuggestedQuestions = (features: Features, questions: string[]): Features => ({ ...features, suggested_questions: questions });

/**
 * `file_upload` as the panel edits it. Older Dify DSL only has `file_upload.image`
 * (`{enabled, number_limits, transfer_methods}`), which reads as an image-only upload.
 */
export function readFileUpload(features: Features): FileUpload {
  const upload = object(features.file_upload);
  const image = object(upload.image);
  const legacy = upload.enabled === undefined && upload.allowed_file_types === undefined;
  return {
    enabled: legacy ? image.enabled === true : upload.enabled === true,
    allowed_file_types: legacy ? ["image"] : strings(upload.allowed_file_types ?? ["image"]),
    allowed_file_extensions: strings(upload.allowed_file_extensions),
    allowed_file_upload_methods: strings(upload.allowed_file_upload_methods ?? image.transfer_methods ?? [...TRANSFER_METHODS]),
    number_limits: clampFiles(upload.number_limits ?? image.number_limits),
  };
}

function clampFiles(value: unknown): number {
  const limit = Number(value ?? 3);
  return Number.isFinite(limit) ? Math.min(MAX_FILES, Math.max(1, Math.round(limit))) : 3;
}

/**
 * Writes `file_upload` in the current Dify shape and mirrors it into `file_upload.image`, which
 * Dify's clients (and easy-mode vision) still read to decide whether images may be attached.
 */
export function writeFileUpload(features: Features, change: Partial<FileUpload>): Features {
  const current = object(features.file_upload);
  const next = { ...readFileUpload(features), ...change };
  next.number_limits = clampFiles(next.number_limits);
  return {
    ...features,
    file_upload: {
      ...current,
      enabled: next.enabled,
      allowed_file_types: next.allowed_file_types,
      allowed_file_extensions: next.allowed_file_extensions,
      allowed_file_upload_methods: next.allowed_file_upload_methods,
      number_limits: next.number_limits,
      image: {
        ...object(current.image),
        enabled: next.enabled && next.allowed_file_types.includes("image"),
        number_limits: next.number_limits,
        transfer_methods: next.allowed_file_upload_methods,
      },
    },
  };
}

/** Adds or removes one entry of a list, keeping the canonical order of `all`. */
export function toggleIn(list: string[], item: string, on: boolean, all: readonly string[]): string[] {
  const set = new Set(list);
  if (on) set.add(item);
  else set.delete(item);
  return [...all.filter((x) => set.has(x)), ...[...set].filter((x) => !all.includes(x))];
}

/** `".csv, md"` → `[".csv", ".md"]`: Dify stores extensions with their dot. */
export function parseExtensions(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((e) => e.trim())
    .filter(Boolean)
    .map((e) => (e.startsWith(".") ? e : `.${e}`));
}

/** The keywords form of content moderation (`sensitive_word_avoidance`), in the fields it edits. */
export interface ModerationForm {
  enabled: boolean;
  /** Dify's type: `keywords` and `openai_moderation` run in Waggle, `api` does not. */
  type: string;
  keywords: string;
  inputs: { enabled: boolean; presetResponse: string };
  outputs: { enabled: boolean; presetResponse: string };
}

function moderationSide(value: unknown): { enabled: boolean; presetResponse: string } {
  const side = object(value);
  return { enabled: side.enabled === true, presetResponse: typeof side.preset_response === "string" ? side.preset_response : "" };
}

export function readModerationForm(features: Features): ModerationForm {
  const feature = object(features.sensitive_word_avoidance);
  const config = object(feature.config);
  return {
    enabled: feature.enabled === true,
    type: typeof feature.type === "string" && feature.type ? feature.type : "keywords",
    keywords: typeof config.keywords === "string" ? config.keywords : "",
    inputs: moderationSide(config.inputs_config),
    outputs: moderationSide(config.outputs_config),
  };
}

/**
 * Writes moderation in Dify's shape. Turning it on for the first time checks the inputs (Dify's
 * default); changing the type keeps what is checked and the replies, and drops the other type's
 * own fields (an API extension's id, the keywords).
 */
export function writeModeration(features: Features, change: Partial<ModerationForm>): Features {
  const current = readModerationForm(features);
  const fresh = !object(features.sensitive_word_avoidance).type;
  const next = { ...current, ...(fresh && change.enabled ? { inputs: { enabled: true, presetResponse: current.inputs.presetResponse } } : {}), ...change };
  const keep = next.type === current.type ? object(object(features.sensitive_word_avoidance).config) : {};
  return {
    ...features,
    sensitive_word_avoidance: {
      ...object(features.sensitive_word_avoidance),
      enabled: next.enabled,
      type: next.type,
      config: {
        ...keep,
        ...(next.type === "keywords" ? { keywords: next.keywords } : {}),
        inputs_config: { enabled: next.inputs.enabled, preset_response: next.inputs.presetResponse },
        outputs_config: { enabled: next.outputs.enabled, preset_response: next.outputs.presetResponse },
      },
    },
  };
}
