import { streamText } from "ai";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMockModelServer, type MockModelServer } from "../../test/mock-model-server";
import { createModelRuntime } from "./create-model-runtime";
import type { ChatMessage } from "./model-runtime";
import { languageModelFor, resolveCredentials } from "./resolve-provider-model";

// A plain text call goes to the provider's own stream rather than through `streamText`
// (`providerStream` in create-model-runtime.ts). Whatever path it takes, the provider must be
// sent the same request: here each provider's request from the runtime is compared with the one
// `streamText` makes for the same conversation and settings.

let server: MockModelServer;
beforeAll(async () => {
  server = await startMockModelServer();
});
afterAll(() => server.close());
beforeEach(() => server.reset());

const context = () => ({
  fetch: (input: Request | string | URL, init?: RequestInit) => fetch(input, init),
  credentials: async (provider: string, model: string) =>
    provider === "openai_api_compatible"
      ? { endpoint_url: server.baseUrl, api_key: "sk-test", mode: model === "mock-completion" ? "completion" : "chat" }
      : provider === "openai"
        ? { openai_api_key: "sk-test", openai_api_base: server.url }
        : provider === "anthropic"
          ? { anthropic_api_key: "sk-ant-test", anthropic_api_url: server.url }
          : provider === "gemini"
            ? { google_api_key: "g-test", google_base_url: server.url }
            : undefined,
});

const conversation: ChatMessage[] = [
  { role: "system", content: "Be brief." },
  { role: "user", content: "Name a colour." },
  { role: "assistant", content: "Blue." },
  { role: "user", content: "Another one." },
];
const parameters = { temperature: 0.3, top_p: 0.9, max_tokens: 64, stop: ["END"], presence_penalty: 0.1, frequency_penalty: 0.2, seed: 7 };
/** `parameters` as `streamText` takes them. */
const sameSettings = { maxRetries: 0, temperature: 0.3, topP: 0.9, maxOutputTokens: 64, stopSequences: ["END"], presencePenalty: 0.1, frequencyPenalty: 0.2, seed: 7 };

describe("a plain text call", () => {
  for (const [provider, model] of [
    ["openai_api_compatible", "mock"],
    ["openai", "gpt-4o-mini"],
    ["anthropic", "claude-mock"],
    ["gemini", "gemini-2.0-flash"],
  ] as const) {
    it(`sends ${provider} the request streamText would`, async () => {
      server.script({ text: "Green." }, { text: "Green." });
      const runtime = createModelRuntime({ ...context(), sleep: async () => undefined });
      const parts = [];
      for await (const part of runtime.stream({ provider, model, messages: conversation, parameters })) parts.push(part);
      expect(parts.at(-1)).toMatchObject({ type: "finish" });
      expect(parts.filter((part) => part.type === "text-delta").map((part) => (part as { text: string }).text).join("")).toBe("Green.");

      const resolved = await resolveCredentials(context(), provider, model, "llm");
      const result = streamText({
        model: languageModelFor(context(), resolved, "chat"),
        messages: conversation.map((message) => ({ role: message.role, content: message.content }) as never),
        allowSystemInMessages: true,
        ...sameSettings,
      });
      expect(await result.text).toBe("Green.");
      expect(server.requests).toHaveLength(2);
      const [viaRuntime, viaStreamText] = server.requests;
      expect(viaRuntime!.path).toBe(viaStreamText!.path);
      expect(viaRuntime!.body).toEqual(viaStreamText!.body);
    });
  }

  it("in completion mode sends the completions endpoint the request streamText would", async () => {
    server.script({ text: "Green." }, { text: "Green." });
    const runtime = createModelRuntime({ ...context(), sleep: async () => undefined });
    for await (const part of runtime.stream({ provider: "openai_api_compatible", model: "mock-completion", mode: "completion", messages: conversation, parameters })) expect(part.type).not.toBe("error");
    const resolved = await resolveCredentials(context(), "openai_api_compatible", "mock-completion", "llm");
    const result = streamText({
      model: languageModelFor(context(), resolved, "completion"),
      prompt: conversation.map((message) => message.content).join("\n"),
      ...sameSettings,
    });
    expect(await result.text).toBe("Green.");
    const [viaRuntime, viaStreamText] = server.requests;
    expect(viaRuntime!.path).toBe("/v1/completions");
    expect(viaRuntime!.path).toBe(viaStreamText!.path);
    expect(viaRuntime!.body).toEqual(viaStreamText!.body);
  });
});
