import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { InvalidParamError, NotFoundError } from "../../../core/errors";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonBody, jsonResponse } from "../../http/route";
import { appFeatures } from "../../runs/chat-turn";
import { audioResponse, textToAudioBody } from "../../http/service-schemas";
import { AUDIO_EXTENSIONS, chooseVoice, defaultModelVoices, readAudioUpload, requireSpeechFeature, speakWithDefaultModel, transcribeWithDefaultModel } from "../../runs/speech";
import { appParam, requireApp } from "./app-routes";

const TAGS = ["console: debugging"];

const audioToText = defineRoute({
  method: "post",
  path: "/console/api/apps/{app_id}/audio-to-text",
  policy: { auth: "session", role: "editor" },
  tags: TAGS,
  description: `multipart/form-data with \`file\` (${AUDIO_EXTENSIONS.join(", ")}; at most 30 MB). Needs the draft's speech_to_text feature.`,
  request: { params: appParam },
  responses: { 200: jsonResponse("The transcript", z.object({ text: z.string() })) },
});

const textToAudio = defineRoute({
  method: "post",
  path: "/console/api/apps/{app_id}/text-to-audio",
  policy: { auth: "session", role: "editor" },
  tags: TAGS,
  description: "Speaks `text`, or the answer of the app's message `message_id`. Needs the draft's text_to_speech feature.",
  request: { params: appParam, body: jsonBody(textToAudioBody) },
  responses: { 200: audioResponse },
});

const voices = defineRoute({
  method: "get",
  path: "/console/api/apps/{app_id}/text-to-audio/voices",
  policy: { auth: "session" },
  tags: TAGS,
  request: { params: appParam, query: z.object({ language: z.string().max(20).optional() }) },
  responses: { 200: jsonResponse("The voices of the workspace's default Text-to-Speech model, its default first", z.array(z.object({ name: z.string(), value: z.string() }))) },
});

/** The features being edited: the editor previews speech before the app is published. */
async function draftFeatures(c: Context<AppEnv>, appId: string) {
  const found = await requireApp(c, appId);
  const draft = await c.var.tenant.versions.getDraft(appId);
  if (!draft) throw new NotFoundError("Draft not found.");
  return { found, features: appFeatures(found, draft) };
}

/**
 * The editor's speech preview (Dify's console `audio-to-text` and `text-to-audio`): the same
 * models and checks as the service API, against the app's draft features.
 */
export function registerAudioPreviewRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(audioToText, async (c) => {
    const { features } = await draftFeatures(c, c.req.valid("param").app_id);
    requireSpeechFeature(features, "speech_to_text");
    const { audio } = await readAudioUpload(c);
    return c.json({ text: await transcribeWithDefaultModel(c, audio) }, 200);
  });

  app.openapi(textToAudio, async (c) => {
    const body = c.req.valid("json");
    const { found, features } = await draftFeatures(c, c.req.valid("param").app_id);
    const feature = requireSpeechFeature(features, "text_to_speech");
    let text = body.text ?? "";
    if (body.message_id) {
      // Editors see every conversation of the app in its logs, so any of its messages may be read aloud.
      const message = await c.var.tenant.conversations.getMessage(found.id, body.message_id);
      if (!message) throw new NotFoundError("Message Not Exists.");
      text = message.answer;
      if (!text.trim()) throw new InvalidParamError("The message has no answer to speak yet.");
    }
    if (!text.trim()) throw new InvalidParamError("Text is required.");
    return (await speakWithDefaultModel(c, text, chooseVoice(body.voice, feature))) as never;
  });

  // `language` is accepted as Dify's editor sends it; OpenAI-style voices speak every language.
  app.openapi(voices, async (c) => {
    await requireApp(c, c.req.valid("param").app_id);
    return c.json(await defaultModelVoices(c), 200);
  });
}
