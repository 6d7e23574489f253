import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { BadRequestError, InvalidParamError, NotFoundError } from "../../../core/errors";
import type { AppVersion } from "../../db/repositories";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonBody, jsonResponse } from "../../http/route";
import { audioResponse, endUserField, textToAudioBody } from "../../http/service-schemas";
import { appFeatures } from "../../runs/chat-turn";
import { AUDIO_EXTENSIONS, chooseVoice, readAudioUpload, requireSpeechFeature, speakWithDefaultModel, transcribeWithDefaultModel } from "../../runs/speech";
import { publishedVersion } from "./published-version";

const TAGS = ["service: audio"];

const audioToText = defineRoute({
  method: "post",
  path: "/v1/audio-to-text",
  policy: { auth: "app-key" },
  tags: TAGS,
  // The multipart body is read by the handler: a declared form body would answer a JSON request
  // with a bare 415 instead of Dify's `no_audio_uploaded`.
  description: `multipart/form-data with \`file\` (${AUDIO_EXTENSIONS.join(", ")}; at most 30 MB) and \`user\`. Needs the app's speech_to_text feature and a default Speech-to-Text model.`,
  responses: { 200: jsonResponse("The transcript", z.object({ text: z.string() })) },
});

const textToAudio = defineRoute({
  method: "post",
  path: "/v1/text-to-audio",
  policy: { auth: "app-key" },
  tags: TAGS,
  description: "Speaks `text`, or the answer of the end user's message `message_id`. Needs the app's text_to_speech feature and a default Text-to-Speech model.",
  request: { body: jsonBody(textToAudioBody.extend({ user: endUserField })) },
  responses: { 200: audioResponse },
});

async function publishedFeatures(c: Context<AppEnv>) {
  const found = c.var.serviceApp;
  const version: AppVersion | undefined = await publishedVersion(c.var.tenant, found);
  if (!version) throw new BadRequestError("This app has not been published yet. Publish it in the console first.", "app_unavailable");
  return appFeatures(found, version);
}

/**
 * Dify's audio endpoints: `/v1/audio-to-text` transcribes an upload with the workspace's default
 * speech-to-text model, `/v1/text-to-audio` answers audio from the default text-to-speech model.
 * Both need the published app's matching feature.
 */
export function registerAudioRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(audioToText, async (c) => {
    const found = c.var.serviceApp;
    requireSpeechFeature(await publishedFeatures(c), "speech_to_text");
    const { audio, user } = await readAudioUpload(c);
    if (!user) throw new InvalidParamError("user is required");
    await c.var.tenant.runs.ensureEndUser(found.id, user);
    return c.json({ text: await transcribeWithDefaultModel(c, audio) }, 200);
  });

  app.openapi(textToAudio, async (c) => {
    const found = c.var.serviceApp;
    const body = c.req.valid("json");
    const feature = requireSpeechFeature(await publishedFeatures(c), "text_to_speech");
    const endUser = await c.var.tenant.runs.ensureEndUser(found.id, body.user);
    let text = body.text ?? "";
    if (body.message_id) {
      const message = await c.var.tenant.conversations.getMessage(found.id, body.message_id);
      if (!message || message.endUserId !== endUser.id) throw new NotFoundError("Message Not Exists.");
      if (!message.answer.trim()) throw new InvalidParamError("The message has no answer to speak yet.");
      text = message.answer;
    }
    if (!text.trim()) throw new InvalidParamError("Text is required.");
    return (await speakWithDefaultModel(c, text, chooseVoice(body.voice, feature))) as never;
  });
}
