import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMockModelServer, type MockModelServer } from "../../test/mock-model-server";
import { DEFAULT_TRANSCRIPT, silentWav } from "../../test/mock-model-server/audio-endpoints";
import { createModelRuntime } from "./create-model-runtime";
import { ModelError } from "./model-error";

let server: MockModelServer;

beforeAll(async () => {
  server = await startMockModelServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

function runtime(voices?: string) {
  return createModelRuntime({
    fetch: (input, init) => fetch(input, init),
    credentials: async (provider, model, type) =>
      provider === "openai_api_compatible"
        ? { endpoint_url: server.baseUrl, api_key: model === "bad-key" ? "invalid-key" : "sk-test", ...(type === "tts" && voices ? { voices } : {}) }
        : provider === "openai"
          ? { openai_api_key: "sk-test", openai_api_base: server.url }
          : undefined,
    sleep: async () => {},
  });
}

const saying = (text: string) => new Uint8Array(Buffer.concat([silentWav(), Buffer.from(`say:${text}`)]));

describe("speech to text", () => {
  it("sends the audio as multipart to /audio/transcriptions and returns the transcript", async () => {
    const result = await runtime().transcribe({ provider: "openai_api_compatible", model: "mock-whisper", audio: saying("Turn on the lights") });
    expect(result.text).toBe("Turn on the lights");
    const [request] = server.requests;
    expect(request).toMatchObject({ path: "/v1/audio/transcriptions", body: { model: "mock-whisper", file: { name: "audio.wav", type: "audio/wav" } } });
    expect(request!.headers.authorization).toBe("Bearer sk-test");
  });

  it("works for OpenAI with its API base, and reads silence as an empty transcript", async () => {
    expect((await runtime().transcribe({ provider: "langgenius/openai/openai", model: "whisper-1", audio: new Uint8Array(silentWav()) })).text).toBe(DEFAULT_TRANSCRIPT);
    expect((await runtime().transcribe({ provider: "openai", model: "whisper-1", audio: saying("") })).text).toBe("");
  });

  it("retries a 5xx and reports a bad key as an authorization error", async () => {
    server.script({ kind: "fail", status: 503 });
    expect((await runtime().transcribe({ provider: "openai_api_compatible", model: "mock-whisper", audio: saying("again") })).text).toBe("again");
    const failure = await runtime().transcribe({ provider: "openai_api_compatible", model: "bad-key", audio: saying("x") }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ModelError);
    expect(failure).toMatchObject({ kind: "authorization", status: 401 });
  });
});

describe("text to speech", () => {
  it("returns the audio bytes with the provider's media type and the model's default voice", async () => {
    const result = await runtime().speak({ provider: "openai_api_compatible", model: "mock-tts", text: "Good morning" });
    expect(result.mediaType).toBe("audio/mpeg");
    expect(result.voice).toBe("alloy");
    expect([...result.audio.slice(0, 2)]).toEqual([0xff, 0xfb]);
    expect(server.requests[0]).toMatchObject({ path: "/v1/audio/speech", body: { model: "mock-tts", input: "Good morning", voice: "alloy", response_format: "mp3" } });
  });

  it("uses the first configured voice of a compatible model, or the voice asked for; wav on request", async () => {
    expect((await runtime("nova, echo").speak({ provider: "openai_api_compatible", model: "mock-tts", text: "Hi" })).voice).toBe("nova");
    const wav = await runtime("nova").speak({ provider: "openai", model: "tts-1", text: "Hi", voice: "shimmer", format: "wav" });
    expect(wav).toMatchObject({ voice: "shimmer", mediaType: "audio/wav" });
    expect(Buffer.from(wav.audio.slice(0, 4)).toString("ascii")).toBe("RIFF");
  });

  it("lists a model's voices, default first", async () => {
    expect(await runtime("nova, echo").voices({ provider: "openai_api_compatible", model: "mock-tts" })).toEqual(["nova", "echo"]);
    expect((await runtime().voices({ provider: "openai", model: "tts-1" }))[0]).toBe("alloy");
  });

  it("refuses providers without speech models", async () => {
    await expect(runtime().speak({ provider: "anthropic", model: "claude", text: "Hi" })).rejects.toMatchObject({ kind: "model_currently_not_support" });
  });
});
