import type { Context } from "hono";
import { AudioTooLargeError, BadRequestError, InvalidParamError, UnsupportedAudioTypeError, WaggleError } from "../../core/errors";
import { isModelError, splitSpeechText } from "../../core/models";
import { buildModelRuntime } from "../adapters/model-runtime";
import type { AppEnv } from "../http/app-env";
import { defaultModel } from "./default-model";

type Json = Record<string, unknown>;

const MB = 1024 * 1024;
/** Dify's `AudioService` limit for speech to text. */
export const AUDIO_SIZE_LIMIT = 30 * MB;
/** The formats Dify takes for speech to text (`audio/<extension>`). */
export const AUDIO_EXTENSIONS = ["mp3", "mp4", "mpeg", "mpga", "m4a", "wav", "webm"] as const;
const allowedTypes = new Set<string>(AUDIO_EXTENSIONS.map((extension) => `audio/${extension}`));
/** Other labels browsers and recorders give the same formats. */
const typeAliases: Record<string, string> = { "audio/x-wav": "audio/wav", "audio/wave": "audio/wav", "audio/vnd.wave": "audio/wav", "audio/x-m4a": "audio/m4a" };

/** The app's speech feature (`speech_to_text` or `text_to_speech`), or Dify's `app_unavailable` when it is off. */
export function requireSpeechFeature(features: Json, key: "speech_to_text" | "text_to_speech"): Json {
  const feature = features[key] as Json | undefined;
  if (feature && typeof feature === "object" && feature.enabled === true) return feature;
  const name = key === "speech_to_text" ? "Speech to text" : "Text to speech";
  throw new BadRequestError(`${name} is not enabled for this app. Turn it on in the app's features and publish the app.`, "app_unavailable");
}

/** The upload's audio type: its declared MIME type, or its file extension when it declared none. */
function audioTypeOf(file: File): string | undefined {
  const declared = file.type.split(";")[0]!.trim().toLowerCase();
  if (declared && declared !== "application/octet-stream") {
    const type = typeAliases[declared] ?? declared;
    return allowedTypes.has(type) ? type : undefined;
  }
  const extension = file.name.includes(".") ? file.name.slice(file.name.lastIndexOf(".") + 1).toLowerCase() : "";
  return (AUDIO_EXTENSIONS as readonly string[]).includes(extension) ? `audio/${extension}` : undefined;
}

/**
 * Reads Dify's speech-to-text upload: multipart with one audio `file` (and `user` for the service
 * API). `no_audio_uploaded` without one, 415 `unsupported_audio_type`, 413 `audio_too_large` over 30 MB.
 */
export async function readAudioUpload(c: Context<AppEnv>): Promise<{ audio: Uint8Array; user: string | undefined }> {
  if (!c.req.header("Content-Type")?.startsWith("multipart/form-data")) throw new BadRequestError("Please upload your audio as multipart/form-data in a `file` field.", "no_audio_uploaded");
  // Refuse an oversized body before reading it.
  if (Number(c.req.header("Content-Length") ?? 0) > AUDIO_SIZE_LIMIT + 64 * 1024) throw new AudioTooLargeError(`Audio size exceeded. Audio size larger than ${AUDIO_SIZE_LIMIT / MB} mb.`);
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch {
    throw new InvalidParamError("The multipart body could not be read.");
  }
  const file = form.get("file");
  if (!file || typeof file === "string" || file.size === 0) throw new BadRequestError("Please upload your audio.", "no_audio_uploaded");
  if (!audioTypeOf(file)) throw new UnsupportedAudioTypeError(`Audio type not allowed. Send one of: ${AUDIO_EXTENSIONS.join(", ")}.`);
  if (file.size > AUDIO_SIZE_LIMIT) throw new AudioTooLargeError(`Audio size exceeded. Audio size larger than ${AUDIO_SIZE_LIMIT / MB} mb.`);
  const user = form.get("user");
  return { audio: new Uint8Array(await file.arrayBuffer()), user: typeof user === "string" && user.trim() ? user.trim().slice(0, 255) : undefined };
}

/** A failed model call in Dify's words: `provider_not_initialize`, `model_currently_not_support`, else `completion_request_error`. */
function modelFailure(error: unknown): never {
  if (isModelError(error)) throw new WaggleError(error.code, error.message, 400, { cause: error });
  throw error;
}

async function workspaceModel(c: Context<AppEnv>, type: "speech2text" | "tts") {
  const model = await defaultModel(c.env, c.var.tenant, type);
  if (model) return model;
  if (type === "speech2text") {
    throw new BadRequestError("No speech-to-text model is set for this workspace. Add one in Settings › Model providers and choose it as the default Speech-to-Text model.", "provider_not_support_speech_to_text");
  }
  throw new BadRequestError("No text-to-speech model is set for this workspace. Add one in Settings › Model providers and choose it as the default Text-to-Speech model.", "provider_not_support_text_to_speech");
}

/** The voices of the workspace's default text-to-speech model, as Dify lists them (`{name, value}`). */
export async function defaultModelVoices(c: Context<AppEnv>): Promise<Array<{ name: string; value: string }>> {
  const model = await workspaceModel(c, "tts");
  const voices = await buildModelRuntime(c.env, c.var.tenant.tenantId).voices(model).catch(modelFailure);
  return voices.map((voice) => ({ name: voice.charAt(0).toUpperCase() + voice.slice(1), value: voice }));
}

/**
 * Dify's voice choice: the caller's `voice`, else the app's `text_to_speech.voice`, else (undefined)
 * the model's default voice.
 */
export function chooseVoice(requested: string | null | undefined, feature: Json): string | undefined {
  if (requested?.trim()) return requested.trim();
  return typeof feature.voice === "string" && feature.voice.trim() ? feature.voice.trim() : undefined;
}

/** Transcribes audio with the workspace's default speech-to-text model. */
export async function transcribeWithDefaultModel(c: Context<AppEnv>, audio: Uint8Array): Promise<string> {
  const model = await workspaceModel(c, "speech2text");
  const result = await buildModelRuntime(c.env, c.var.tenant.tenantId)
    .transcribe({ provider: model.provider, model: model.model, audio, signal: c.req.raw.signal })
    .catch(modelFailure);
  return result.text;
}

/**
 * Speaks text with the workspace's default text-to-speech model and answers the audio bytes
 * (`audio/mpeg` unless the model sent another type). Long text is spoken in pieces the model
 * accepts; the first is ready before the answer starts, so its failure is an error response,
 * and the rest stream after it.
 */
export async function speakWithDefaultModel(c: Context<AppEnv>, text: string, voice: string | undefined): Promise<Response> {
  const pieces = splitSpeechText(text);
  if (!pieces.length) throw new InvalidParamError("Text is required.");
  const model = await workspaceModel(c, "tts");
  const runtime = buildModelRuntime(c.env, c.var.tenant.tenantId);
  const speak = (piece: string) => runtime.speak({ provider: model.provider, model: model.model, text: piece, voice, signal: c.req.raw.signal }).catch(modelFailure);
  const first = await speak(pieces[0]!);
  const headers: Record<string, string> = { "Content-Type": first.mediaType, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };
  if (pieces.length === 1) return new Response(first.audio as Uint8Array<ArrayBuffer>, { headers: { ...headers, "Content-Length": String(first.audio.byteLength) } });
  const rest = pieces.slice(1);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(first.audio);
    },
    async pull(controller) {
      const piece = rest.shift();
      if (piece === undefined) return controller.close();
      controller.enqueue((await speak(piece)).audio);
    },
  });
  return new Response(body, { headers });
}
