import type { ServerResponse } from "node:http";

/**
 * OpenAI's audio API for tests: `/v1/audio/transcriptions` (multipart) and `/v1/audio/speech`
 * (JSON in, real audio bytes out).
 */

/** What the transcriber says when the audio carries no `say:` marker. */
export const DEFAULT_TRANSCRIPT = "Hello from the mock transcriber.";

/**
 * The transcript a test chose: audio whose bytes contain `say:<text>` (ASCII, up to a NUL or the
 * end) transcribes to `<text>`; any other audio to `DEFAULT_TRANSCRIPT`.
 */
export function transcriptOf(audio: Uint8Array): string {
  const text = Buffer.from(audio).toString("latin1");
  const at = text.indexOf("say:");
  if (at < 0) return DEFAULT_TRANSCRIPT;
  const end = text.indexOf("\u0000", at);
  return text.slice(at + 4, end < 0 ? undefined : end).trim();
}

/** A valid 16-bit mono PCM WAV of `samples` samples of silence at 8 kHz. */
export function silentWav(samples = 800): Buffer {
  const data = samples * 2;
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + data, 4);
  header.write("WAVE", 8, "ascii");
  header.write("fmt ", 12, "ascii");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36, "ascii");
  header.writeUInt32LE(data, 40);
  return Buffer.concat([header, Buffer.alloc(data)]);
}

/** Valid MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz, 417 bytes each) of silence. */
export function silentMp3(frames = 4): Buffer {
  const frame = Buffer.alloc(417);
  frame.set([0xff, 0xfb, 0x90, 0x64]);
  return Buffer.concat(Array.from({ length: frames }, () => frame));
}

export interface AudioFailure {
  status: number;
  message?: string;
}

/** The multipart fields of a transcription request, for the request log (the file as name, type, size). */
export async function readTranscriptionForm(raw: Buffer, contentType: string): Promise<{ fields: Record<string, unknown>; audio: Uint8Array | undefined }> {
  const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
  const fields: Record<string, unknown> = {};
  let audio: Uint8Array | undefined;
  for (const [name, value] of form.entries()) {
    if (typeof value === "string") fields[name] = value;
    else {
      audio = new Uint8Array(await value.arrayBuffer());
      fields[name] = { name: value.name, type: value.type, size: value.size };
    }
  }
  return { fields, audio };
}

export function sendTranscription(response: ServerResponse, audio: Uint8Array | undefined, failure?: AudioFailure) {
  if (failure) return sendError(response, failure);
  if (!audio?.byteLength) return sendError(response, { status: 400, message: "No audio file in the request." });
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify({ text: transcriptOf(audio) }));
}

export function sendSpeech(response: ServerResponse, body: Record<string, unknown>, failure?: AudioFailure) {
  if (failure) return sendError(response, failure);
  if (typeof body.input !== "string" || !body.input) return sendError(response, { status: 400, message: "input is required" });
  const wav = body.response_format === "wav";
  const audio = wav ? silentWav() : silentMp3();
  response.writeHead(200, { "content-type": wav ? "audio/wav" : "audio/mpeg", "content-length": String(audio.byteLength) });
  response.end(audio);
}

function sendError(response: ServerResponse, failure: AudioFailure) {
  response.writeHead(failure.status, { "content-type": "application/json" });
  response.end(JSON.stringify({ error: { message: failure.message ?? `mock failure ${failure.status}`, type: "server_error" } }));
}
