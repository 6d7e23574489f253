import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { silentWav } from "../../core/models";
import { createApp } from "../../workers/app";
import { call, createAppAs, createKeyAs, publishAs, seedTenant, type SeededTenant } from "./harness";
import { mockModelRequests, mockModelUrl, resetMockModel, scriptMockModel } from "./mock-model";

beforeEach(resetMockModel);

const app = createApp();
const PROVIDERS = "/console/api/workspaces/current/model-providers";
const CHAT_MODEL = { provider: "openai_api_compatible", name: "mock-chat", mode: "chat", completion_params: {} };
const SPEECH_FEATURES = { speech_to_text: { enabled: true }, text_to_speech: { enabled: true, voice: "echo", language: "en-US", autoPlay: "enabled" } };

/** A WAV the mock transcriber reads as `text`. */
function clip(text: string, name = "clip.wav", type = "audio/wav"): File {
  const wav = silentWav(0.1);
  const marker = new TextEncoder().encode(`say:${text}`);
  const bytes = new Uint8Array(wav.byteLength + marker.byteLength);
  bytes.set(wav);
  bytes.set(marker, wav.byteLength);
  return new File([bytes], name, { type });
}

function upload(file: File | undefined, user: string | null = "u-1"): FormData {
  const form = new FormData();
  if (file) form.append("file", file);
  if (user !== null) form.append("user", user);
  return form;
}

/** Calls the Worker and keeps the answer's bytes (the harness reads bodies as text). */
async function callAudio(path: string, options: { token: string; body: unknown }) {
  const response = await app.request(
    `http://waggle.test${path}`,
    { method: "POST", headers: { Authorization: `Bearer ${options.token}`, "Content-Type": "application/json" }, body: JSON.stringify(options.body) },
    env,
  );
  const bytes = new Uint8Array(await response.arrayBuffer());
  const json = response.headers.get("Content-Type")?.startsWith("application/json") ? JSON.parse(new TextDecoder().decode(bytes)) : undefined;
  return { status: response.status, headers: response.headers, bytes, json };
}

async function addModel(t: SeededTenant, model: string, modelType: string, credentials: Record<string, unknown> = {}) {
  const saved = await call("POST", `${PROVIDERS}/openai_api_compatible/models`, {
    token: t.tokens.admin,
    body: { model, model_type: modelType, credentials: { endpoint_url: `${mockModelUrl}/v1`, api_key: "sk-audio-secret", ...credentials } },
  });
  expect(saved.status, saved.text).toBe(201);
}

/** A chat model plus speech models, chosen as the workspace's defaults. */
async function configureSpeech(t: SeededTenant, which: Array<"speech2text" | "tts"> = ["speech2text", "tts"]) {
  await addModel(t, "mock-chat", "llm", { mode: "chat", context_size: "4096" });
  if (which.includes("speech2text")) await addModel(t, "mock-whisper", "speech2text");
  if (which.includes("tts")) await addModel(t, "mock-tts", "tts", { voices: "nova, echo" });
  const defaults = await call("POST", "/console/api/workspaces/current/default-model", {
    token: t.tokens.admin,
    body: {
      model_settings: [
        ...(which.includes("speech2text") ? [{ model_type: "speech2text", provider: "langgenius/openai_api_compatible/openai_api_compatible", model: "mock-whisper" }] : []),
        ...(which.includes("tts") ? [{ model_type: "tts", provider: "openai_api_compatible", model: "mock-tts" }] : []),
      ],
    },
  });
  expect(defaults.status, defaults.text).toBe(200);
  await resetMockModel();
}

/** A published chat app with the given features; its key. */
async function chatApp(t: SeededTenant, features: Record<string, unknown> = SPEECH_FEATURES) {
  const appId = await createAppAs(t.tokens.owner, "chat", "Talking app");
  const draft = await call("GET", `/console/api/apps/${appId}/model-config`, { token: t.tokens.editor });
  const saved = await call("POST", `/console/api/apps/${appId}/model-config`, {
    token: t.tokens.editor,
    body: { model_config: { ...draft.json.model_config, model: CHAT_MODEL, user_input_form: [], ...features }, hash: draft.json.hash },
  });
  expect(saved.status, saved.text).toBe(200);
  await publishAs(t.tokens.editor, appId);
  return { appId, key: (await createKeyAs(t.tokens.owner, appId)).token };
}

async function askChat(key: string, user: string, answer: string): Promise<string> {
  await scriptMockModel({ text: answer });
  const res = await call("POST", "/v1/chat-messages", { token: key, body: { query: "Say something", inputs: {}, user, response_mode: "blocking" } });
  expect(res.status, res.text).toBe(200);
  return res.json.message_id as string;
}

const speechRequests = async () => (await mockModelRequests()).filter((request) => request.path === "/v1/audio/speech");

describe("configuring speech models", () => {
  it("accepts speech2text and tts models after a real call to each, lists them and keeps them as defaults", async () => {
    const t = await seedTenant("audio-config");
    await addModel(t, "mock-whisper", "speech2text");
    await addModel(t, "mock-tts", "tts", { voices: "nova" });
    // Each was validated by calling the endpoint before it was stored.
    expect((await mockModelRequests()).map((request) => [request.path, request.body.model])).toEqual([
      ["/v1/audio/transcriptions", "mock-whisper"],
      ["/v1/audio/speech", "mock-tts"],
    ]);
    const models = await call("GET", `${PROVIDERS}/openai_api_compatible/models`, { token: t.tokens.normal });
    expect(models.json.data).toEqual(
      expect.arrayContaining([expect.objectContaining({ model: "mock-whisper", model_type: "speech2text" }), expect.objectContaining({ model: "mock-tts", model_type: "tts" })]),
    );
    const openai = await call("GET", `${PROVIDERS}/openai/models`, { token: t.tokens.normal });
    expect(openai.json.data).toEqual(expect.arrayContaining([expect.objectContaining({ model: "whisper-1", model_type: "speech2text" }), expect.objectContaining({ model: "tts-1", model_type: "tts", model_properties: expect.objectContaining({ default_voice: "alloy" }) })]));
    const listed = await call("GET", `${PROVIDERS}?model_type=tts`, { token: t.tokens.normal });
    expect(listed.json.data.map((provider: any) => provider.provider)).toEqual(["openai", "openai_api_compatible"]);

    const set = await call("POST", "/console/api/workspaces/current/default-model", { token: t.tokens.admin, body: { model_settings: [{ model_type: "speech2text", provider: "openai_api_compatible", model: "mock-whisper" }] } });
    expect(set.status).toBe(200);
    const got = await call("GET", "/console/api/workspaces/current/default-model?model_type=speech2text", { token: t.tokens.normal });
    expect(got.json.data).toMatchObject({ model: "mock-whisper", model_type: "speech2text", provider: { provider: "openai_api_compatible" } });
  });

  it("refuses a speech model its endpoint rejects or that names no endpoint", async () => {
    const t = await seedTenant("audio-bad");
    const rejected = await call("POST", `${PROVIDERS}/openai_api_compatible/models`, {
      token: t.tokens.admin,
      body: { model: "mock-whisper", model_type: "speech2text", credentials: { endpoint_url: `${mockModelUrl}/v1`, api_key: "invalid-key" } },
    });
    expect(rejected.status).toBe(400);
    expect(rejected.json.code).toBe("credentials_validate_failed");
    const noEndpoint = await call("POST", `${PROVIDERS}/openai_api_compatible/models`, { token: t.tokens.admin, body: { model: "mock-tts", model_type: "tts", credentials: {} } });
    expect(noEndpoint.json).toMatchObject({ code: "invalid_param", message: "endpoint_url is required." });
  });
});

describe("POST /v1/audio-to-text", () => {
  it("transcribes the upload with the workspace's default speech-to-text model", async () => {
    const t = await seedTenant("stt");
    await configureSpeech(t);
    const { key } = await chatApp(t);
    const res = await call("POST", "/v1/audio-to-text", { token: key, body: upload(clip("Turn on the kitchen lights")) });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ text: "Turn on the kitchen lights" });
    const [request] = await mockModelRequests();
    expect(request).toMatchObject({ path: "/v1/audio/transcriptions", body: { model: "mock-whisper", file: { type: "audio/wav" } } });
    expect(request!.headers.authorization).toBe("Bearer sk-audio-secret");

    // Recorders label the same formats differently; a file without a type is judged by its name.
    const webm = await call("POST", "/v1/audio-to-text", { token: key, body: upload(clip("From a browser", "rec.webm", "audio/webm;codecs=opus")) });
    expect(webm.json).toEqual({ text: "From a browser" });
    const untyped = await call("POST", "/v1/audio-to-text", { token: key, body: upload(clip("No type", "memo.m4a", "")) });
    expect(untyped.json).toEqual({ text: "No type" });
  });

  it("answers Dify's error codes for a missing, foreign-typed or oversized file and a missing user", async () => {
    const t = await seedTenant("stt-errors");
    await configureSpeech(t);
    const { key } = await chatApp(t);
    const asJson = await call("POST", "/v1/audio-to-text", { token: key, body: { user: "u-1" } });
    expect(asJson.json).toMatchObject({ code: "no_audio_uploaded", status: 400 });
    const noFile = await call("POST", "/v1/audio-to-text", { token: key, body: upload(undefined) });
    expect(noFile.json).toMatchObject({ code: "no_audio_uploaded", status: 400 });
    const text = await call("POST", "/v1/audio-to-text", { token: key, body: upload(new File(["just words"], "notes.txt", { type: "text/plain" })) });
    expect(text.status).toBe(415);
    expect(text.json).toMatchObject({ code: "unsupported_audio_type", status: 415 });
    const big = new File([new Uint8Array(30 * 1024 * 1024 + 1)], "long.mp3", { type: "audio/mpeg" });
    const tooLarge = await call("POST", "/v1/audio-to-text", { token: key, body: upload(big) });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.json).toMatchObject({ code: "audio_too_large", status: 413 });
    const noUser = await call("POST", "/v1/audio-to-text", { token: key, body: upload(clip("hi"), null) });
    expect(noUser.json).toMatchObject({ code: "invalid_param", message: "user is required" });
    // None of these reached the model.
    expect(await mockModelRequests()).toEqual([]);
  });

  it("says what to configure when the workspace has no speech-to-text model, and reports model failures", async () => {
    const t = await seedTenant("stt-nomodel");
    await configureSpeech(t, ["tts"]);
    const { key } = await chatApp(t);
    const res = await call("POST", "/v1/audio-to-text", { token: key, body: upload(clip("hi")) });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe("provider_not_support_speech_to_text");
    expect(res.json.message).toContain("Speech-to-Text model");

    await configureSpeech(t, ["speech2text"]);
    await scriptMockModel({ kind: "fail", status: 400, message: "Audio file is corrupt" });
    const failed = await call("POST", "/v1/audio-to-text", { token: key, body: upload(clip("hi")) });
    expect(failed.status).toBe(400);
    expect(failed.json.code).toBe("completion_request_error");
    expect(failed.json.message).toContain("Audio file is corrupt");
  });

  it("is unavailable while the app's speech_to_text feature is off", async () => {
    const t = await seedTenant("stt-off");
    await configureSpeech(t);
    const { key } = await chatApp(t, { speech_to_text: { enabled: false }, text_to_speech: { enabled: false } });
    const res = await call("POST", "/v1/audio-to-text", { token: key, body: upload(clip("hi")) });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe("app_unavailable");
    const tts = await callAudio("/v1/text-to-audio", { token: key, body: { text: "hi", user: "u-1" } });
    expect(tts.json).toMatchObject({ code: "app_unavailable", status: 400 });
    expect(await mockModelRequests()).toEqual([]);
  });
});

describe("POST /v1/text-to-audio", () => {
  it("answers the spoken text as audio bytes, in the app's voice unless the caller names one", async () => {
    const t = await seedTenant("tts");
    await configureSpeech(t);
    const { key } = await chatApp(t);
    const res = await callAudio("/v1/text-to-audio", { token: key, body: { text: "Good morning, bees.", user: "u-1", streaming: false } });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("audio/mpeg");
    expect(Number(res.headers.get("Content-Length"))).toBe(res.bytes.byteLength);
    // An MPEG audio frame header.
    expect([...res.bytes.slice(0, 2)]).toEqual([0xff, 0xfb]);
    const named = await callAudio("/v1/text-to-audio", { token: key, body: { text: "Again.", user: "u-1", voice: "nova" } });
    expect(named.status).toBe(200);
    expect((await speechRequests()).map((request) => [request.body.model, request.body.input, request.body.voice])).toEqual([
      ["mock-tts", "Good morning, bees.", "echo"],
      ["mock-tts", "Again.", "nova"],
    ]);
  });

  it("speaks long text in pieces the model accepts and streams them as one audio answer", async () => {
    const t = await seedTenant("tts-long");
    await configureSpeech(t);
    const { key } = await chatApp(t);
    const sentence = "Bees visit flowers to gather nectar and pollen for the colony. ";
    const text = sentence.repeat(100).trim();
    const whole = await callAudio("/v1/text-to-audio", { token: key, body: { text, user: "u-1", streaming: true } });
    expect(whole.status).toBe(200);
    expect(whole.headers.get("Content-Type")).toBe("audio/mpeg");
    const pieces = (await speechRequests()).map((request) => String(request.body.input));
    expect(pieces.length).toBe(2);
    expect(pieces.every((piece) => piece.length <= 4000)).toBe(true);
    expect(pieces.join(" ")).toBe(text);
    expect(whole.bytes.byteLength).toBe(2 * 4 * 417);
  });

  it("uses the model's default voice when neither the app nor the caller names one", async () => {
    const t = await seedTenant("tts-default-voice");
    await configureSpeech(t);
    const { key } = await chatApp(t, { text_to_speech: { enabled: true } });
    const res = await callAudio("/v1/text-to-audio", { token: key, body: { text: "Hello.", user: "u-1" } });
    expect(res.status).toBe(200);
    expect((await speechRequests())[0]!.body.voice).toBe("nova");
  });

  it("speaks a message's answer, only for the end user and app it belongs to", async () => {
    const t = await seedTenant("tts-message");
    await configureSpeech(t);
    const { key } = await chatApp(t);
    const messageId = await askChat(key, "u-1", "The hive is calm today.");
    await resetMockModel();
    const res = await callAudio("/v1/text-to-audio", { token: key, body: { message_id: messageId, user: "u-1" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("audio/mpeg");
    expect((await speechRequests()).map((request) => request.body.input)).toEqual(["The hive is calm today."]);

    // Another end user of the app, another app of the workspace, another workspace: not found.
    expect((await callAudio("/v1/text-to-audio", { token: key, body: { message_id: messageId, user: "u-2" } })).json).toMatchObject({ code: "not_found", status: 404 });
    const sibling = await chatApp(t);
    expect((await callAudio("/v1/text-to-audio", { token: sibling.key, body: { message_id: messageId, user: "u-1" } })).status).toBe(404);
    expect((await speechRequests()).length).toBe(1);
    const other = await seedTenant("tts-other");
    await configureSpeech(other);
    const foreign = await chatApp(other);
    const stolen = await callAudio("/v1/text-to-audio", { token: foreign.key, body: { message_id: messageId, user: "u-1" } });
    expect(stolen.status).toBe(404);
    expect(new TextDecoder().decode(stolen.bytes)).not.toContain("hive");
    expect(await speechRequests()).toEqual([]);
  });

  it("needs text or a message, and a default text-to-speech model", async () => {
    const t = await seedTenant("tts-errors");
    await configureSpeech(t, ["speech2text"]);
    const { key } = await chatApp(t);
    expect((await callAudio("/v1/text-to-audio", { token: key, body: { user: "u-1" } })).json).toMatchObject({ code: "invalid_param", status: 400 });
    expect((await callAudio("/v1/text-to-audio", { token: key, body: { text: "hi" } })).json).toMatchObject({ code: "invalid_param", status: 400 });
    const noModel = await callAudio("/v1/text-to-audio", { token: key, body: { text: "hi", user: "u-1" } });
    expect(noModel.json).toMatchObject({ code: "provider_not_support_text_to_speech", status: 400 });
    expect(noModel.json.message).toContain("Text-to-Speech model");
  });

  it("reports the feature's voice, language and autoplay in /v1/parameters", async () => {
    const t = await seedTenant("tts-params");
    await configureSpeech(t);
    const { key } = await chatApp(t);
    const params = await call("GET", "/v1/parameters", { token: key });
    expect(params.json.speech_to_text).toEqual({ enabled: true });
    expect(params.json.text_to_speech).toEqual({ enabled: true, voice: "echo", language: "en-US", autoPlay: "enabled" });
    const plain = await chatApp(t, {});
    expect((await call("GET", "/v1/parameters", { token: plain.key })).json.text_to_speech).toEqual({ enabled: false, voice: "", language: "", autoPlay: "disabled" });
  });
});

describe("the editor's speech preview", () => {
  it("transcribes and speaks against the draft's features, for editors only", async () => {
    const t = await seedTenant("preview");
    await configureSpeech(t);
    const appId = await createAppAs(t.tokens.owner, "advanced-chat", "Preview flow");
    const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.editor });
    const off = await call("POST", `/console/api/apps/${appId}/audio-to-text`, { token: t.tokens.editor, body: upload(clip("hi"), null) });
    expect(off.json).toMatchObject({ code: "app_unavailable" });
    const saved = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.editor, body: { graph: draft.json.graph, features: SPEECH_FEATURES, hash: draft.json.hash } });
    expect(saved.status, saved.text).toBe(200);

    const heard = await call("POST", `/console/api/apps/${appId}/audio-to-text`, { token: t.tokens.editor, body: upload(clip("Preview this"), null) });
    expect(heard.status, heard.text).toBe(200);
    expect(heard.json).toEqual({ text: "Preview this" });
    const spoken = await app.request(
      `http://waggle.test/console/api/apps/${appId}/text-to-audio`,
      { method: "POST", headers: { Authorization: `Bearer ${t.tokens.editor}`, "Content-Type": "application/json" }, body: JSON.stringify({ text: "Preview voice" }) },
      env,
    );
    expect(spoken.status).toBe(200);
    expect(spoken.headers.get("Content-Type")).toBe("audio/mpeg");
    expect((await spoken.arrayBuffer()).byteLength).toBeGreaterThan(0);
    expect((await speechRequests()).map((request) => [request.body.input, request.body.voice])).toEqual([["Preview voice", "echo"]]);

    const voices = await call("GET", `/console/api/apps/${appId}/text-to-audio/voices?language=en-US`, { token: t.tokens.normal });
    expect(voices.json).toEqual([
      { name: "Nova", value: "nova" },
      { name: "Echo", value: "echo" },
    ]);

    const member = await call("POST", `/console/api/apps/${appId}/text-to-audio`, { token: t.tokens.normal, body: { text: "hi" } });
    expect(member.status).toBe(403);
    const stranger = await seedTenant("preview-other");
    expect((await call("POST", `/console/api/apps/${appId}/text-to-audio`, { token: stranger.tokens.owner, body: { text: "hi" } })).status).toBe(404);
  });
});
