import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startMockModelServer, type MockModelServer } from "../../test/mock-model-server";
import { createModelRuntime, type ModelRuntimeOptions } from "./create-model-runtime";
import { collectStream, type ModelStreamPart } from "./model-runtime";
import { ModelError } from "./model-error";

let server: MockModelServer;
const sleeps: number[] = [];

beforeAll(async () => {
  server = await startMockModelServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  sleeps.length = 0;
});

function runtime(overrides: Partial<ModelRuntimeOptions> = {}) {
  return createModelRuntime({
    fetch: (input, init) => fetch(input, init),
    credentials: async (provider, model) =>
      provider === "openai_api_compatible"
        ? { endpoint_url: server.baseUrl, api_key: model === "bad-key" ? "invalid-key" : "sk-test", mode: "chat" }
        : provider === "openai"
          ? { openai_api_key: "sk-test", openai_api_base: server.url }
          : provider === "anthropic" && model === "claude-mock"
            ? { anthropic_api_key: "sk-ant-test", anthropic_api_url: server.url }
            : provider === "gemini"
              ? { google_api_key: model === "bad-key" ? "invalid-key" : "g-test", google_base_url: server.url }
              : undefined,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...overrides,
  });
}

async function collectParts(parts: AsyncIterable<ModelStreamPart>) {
  const out: ModelStreamPart[] = [];
  for await (const part of parts) out.push(part);
  return out;
}

const user = (content: string) => [{ role: "user" as const, content }];

describe("model runtime over an OpenAI-compatible server", () => {
  it("streams text deltas then a finish with the provider's usage", async () => {
    server.script({ text: "Hello brave new world", usage: { prompt_tokens: 12, completion_tokens: 4 } });
    const parts = await collectParts(runtime().stream({ provider: "langgenius/openai_api_compatible/openai_api_compatible", model: "mock", messages: user("hi") }));
    const deltas = parts.filter((part) => part.type === "text-delta").map((part) => part.text);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join("")).toBe("Hello brave new world");
    const finish = parts.at(-1);
    expect(finish?.type).toBe("finish");
    if (finish?.type !== "finish") return;
    expect(finish.finishReason).toBe("stop");
    expect(finish.usage).toMatchObject({ prompt_tokens: 12, completion_tokens: 4, total_tokens: 16, total_price: "0", currency: "USD" });
    expect(finish.usage.estimated).toBeUndefined();
    expect(server.requests[0]?.body).toMatchObject({ model: "mock", stream: true, messages: [{ role: "user", content: "hi" }] });
    expect(server.requests[0]?.headers.authorization).toBe("Bearer sk-test");
  });

  it("prices usage from the price table with Dify's decimal strings", async () => {
    server.script({ text: "ok", usage: { prompt_tokens: 1000, completion_tokens: 500 } });
    const result = await runtime().generate({ provider: "openai", model: "gpt-4o", messages: user("price me") });
    expect(result.usage).toMatchObject({
      prompt_unit_price: "2.50",
      prompt_price_unit: "0.000001",
      prompt_price: "0.0025000",
      completion_unit_price: "10.00",
      completion_price: "0.0050000",
      total_price: "0.0075000",
      currency: "USD",
    });
    expect(typeof result.usage.latency).toBe("number");
    // openai_api_base is a host root; /v1 is appended as Dify does.
    expect(server.requests[0]?.path).toBe("/v1/chat/completions");
  });

  it("estimates tokens with the GPT tokenizer when the provider sends no usage, and says so", async () => {
    server.script({ text: "Estimated answer here", usage: null });
    const result = await runtime().generate({ provider: "openai_api_compatible", model: "mock", messages: user("count my tokens please") });
    expect(result.usage.estimated).toBe(true);
    expect(result.usage.prompt_tokens).toBeGreaterThan(0);
    expect(result.usage.completion_tokens).toBe(3);
  });

  it("returns tool calls with their JSON arguments", async () => {
    server.script({ toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }] });
    const result = await runtime().generate({
      provider: "openai_api_compatible",
      model: "mock",
      messages: user("weather in Paris?"),
      tools: [{ name: "get_weather", description: "Weather by city", parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] } }],
    });
    expect(result.finishReason).toBe("tool-calls");
    expect(result.toolCalls).toEqual([{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }]);
    const sent = server.requests[0]?.body as { tools?: Array<{ function: { name: string } }> };
    expect(sent.tools?.[0]?.function.name).toBe("get_weather");
  });

  it("separates reasoning from text", async () => {
    server.script({ reasoning: "thinking hard", text: "42" });
    const result = await runtime().generate({ provider: "openai_api_compatible", model: "mock", messages: user("meaning?") });
    expect(result.reasoning).toBe("thinking hard");
    expect(result.text).toBe("42");
  });

  it("retries a 429 with backoff, honouring Retry-After, then succeeds", async () => {
    server.script({ kind: "fail", status: 429, retryAfter: 2 }, { kind: "fail", status: 503 }, { text: "finally" });
    const parts = await collectParts(runtime().stream({ provider: "openai_api_compatible", model: "mock", messages: user("x") }));
    expect(parts.filter((part) => part.type === "retry").map((part) => part.type === "retry" && part.error.kind)).toEqual(["rate_limit", "server_unavailable"]);
    expect(sleeps).toEqual([2000, 1000]);
    expect(parts.at(-1)?.type).toBe("finish");
    expect(server.requests.length).toBe(3);
  });

  it("gives up after the retry budget with a retryable error", async () => {
    server.script({ kind: "fail", status: 500 }, { kind: "fail", status: 500 }, { kind: "fail", status: 500 });
    const error = await runtime().generate({ provider: "openai_api_compatible", model: "mock", messages: user("x") }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).isRetryable).toBe(true);
    expect((error as ModelError).code).toBe("completion_request_error");
    expect(server.requests.length).toBe(3);
  });

  it("never retries once output has started streaming", async () => {
    server.script({ text: "one two three four", cutAfterChunks: 2 }, { text: "should not be requested" });
    const parts = await collectParts(runtime().stream({ provider: "openai_api_compatible", model: "mock", messages: user("x") }));
    expect(parts.filter((part) => part.type === "text-delta").map((part) => part.type === "text-delta" && part.text).join("")).toBe("one two ");
    expect(parts.at(-1)?.type).toBe("error");
    expect(parts.some((part) => part.type === "retry")).toBe(false);
    expect(server.requests.length).toBe(1);
  });

  it("does not retry a bad request or bad credentials, and maps them", async () => {
    server.script({ kind: "fail", status: 400, message: "bad prompt" });
    const bad = await runtime().generate({ provider: "openai_api_compatible", model: "mock", messages: user("x") }).catch((caught: unknown) => caught as ModelError);
    expect(bad).toMatchObject({ kind: "bad_request", isRetryable: false, status: 400 });
    const auth = await runtime().generate({ provider: "openai_api_compatible", model: "bad-key", messages: user("x") }).catch((caught: unknown) => caught as ModelError);
    expect(auth).toMatchObject({ kind: "authorization", isRetryable: false, status: 401 });
    expect(server.requests.length).toBe(2);
  });

  it("reports missing credentials and unknown providers as provider_not_initialize", async () => {
    const missing = await runtime().generate({ provider: "anthropic", model: "claude-sonnet-4-0", messages: user("x") }).catch((caught: unknown) => caught as ModelError);
    expect(missing.code).toBe("provider_not_initialize");
    const unknown = await runtime().generate({ provider: "nope", model: "m", messages: user("x") }).catch((caught: unknown) => caught as ModelError);
    expect(unknown.code).toBe("provider_not_initialize");
    const workersAi = await runtime().generate({ provider: "workers_ai", model: "@cf/meta/llama-3.1-8b-instruct", messages: user("x") }).catch((caught: unknown) => caught as ModelError);
    expect(workersAi.message).toMatch(/AI binding/);
  });

  it("maps a refused connection to a retryable connection error", async () => {
    const refused = createModelRuntime({ fetch: (input, init) => fetch(input, init), credentials: async () => ({ endpoint_url: "http://127.0.0.1:1/v1" }), sleep: async () => {} });
    const error = await refused.generate({ provider: "openai_api_compatible", model: "m", messages: user("x") }).catch((caught: unknown) => caught as ModelError);
    expect(error).toMatchObject({ kind: "connection", isRetryable: true });
  });

  it("passes Dify completion params and asks for JSON when a schema is given", async () => {
    server.script({ text: '{"name":"Ada"}' });
    const result = await runtime().generate({
      provider: "openai_api_compatible",
      model: "mock",
      messages: user("x"),
      parameters: { temperature: 0.2, max_tokens: 64, top_p: 0.9, stop: ["\n\n"] },
      jsonSchema: { type: "object", properties: { name: { type: "string" } } },
    });
    expect(JSON.parse(result.text)).toEqual({ name: "Ada" });
    expect(server.requests[0]?.body).toMatchObject({ temperature: 0.2, max_tokens: 64, top_p: 0.9, stop: ["\n\n"] });
    expect(server.requests[0]?.body.response_format).toBeDefined();
  });

  it("embeds texts and reranks documents", async () => {
    const models = runtime();
    const embedded = await models.embed({ provider: "openai_api_compatible", model: "embed", texts: ["alpha", "beta gamma"] });
    expect(embedded.embeddings).toHaveLength(2);
    expect(embedded.embeddings[0]).toHaveLength(8);
    expect(embedded.usage.prompt_tokens).toBe(3);
    const reranked = await models.rerank({ provider: "openai_api_compatible", model: "rerank", query: "red apple", documents: ["a blue car", "a red apple", "red wine"], topN: 2 });
    expect(reranked.results.map((result) => result.text)).toEqual(["a red apple", "red wine"]);
  });

  it("asks OpenAI Moderation through the workspace's OpenAI provider", async () => {
    const models = runtime();
    expect(await models.moderate({ text: "bees make honey" })).toEqual({ flagged: false });
    expect(await models.moderate({ text: "a Stinger in the hive" })).toEqual({ flagged: true });
    expect(server.requests[0]?.path).toBe("/v1/moderations");
    expect(server.requests[0]?.body).toEqual({ model: "omni-moderation-latest", input: "bees make honey" });
    expect(server.requests[0]?.headers.authorization).toBe("Bearer sk-test");
    // Without the provider's key it says where to add it.
    const none = runtime({ credentials: async () => undefined });
    await expect(none.moderate({ text: "x" })).rejects.toMatchObject({ kind: "provider_not_initialize", message: expect.stringContaining("OpenAI provider's API key") });
  });

  it("streams from Anthropic's Messages API with usage and tool calls", async () => {
    server.script(
      { text: "Bonjour le monde", usage: { prompt_tokens: 9, completion_tokens: 3 } },
      { toolCalls: [{ id: "toolu_1", name: "lookup", arguments: '{"q":"bees"}' }] },
      { kind: "fail", status: 429 },
      { text: "after retry" },
    );
    const models = runtime();
    const parts = await collectParts(models.stream({ provider: "langgenius/anthropic/anthropic", model: "claude-mock", messages: [{ role: "system", content: "Be French." }, ...user("hello")] }));
    expect(parts.filter((part) => part.type === "text-delta").length).toBeGreaterThan(1);
    const finish = parts.at(-1);
    expect(finish).toMatchObject({ type: "finish", finishReason: "stop", usage: { prompt_tokens: 9, completion_tokens: 3, total_tokens: 12 } });
    expect(server.requests[0]?.path).toBe("/v1/messages");
    expect(server.requests[0]?.headers["x-api-key"]).toBe("sk-ant-test");
    expect(server.requests[0]?.body).toMatchObject({ model: "claude-mock", system: [{ type: "text", text: "Be French." }], stream: true });

    const tools = await models.generate({ provider: "anthropic", model: "claude-mock", messages: user("x"), tools: [{ name: "lookup", parameters: { type: "object", properties: { q: { type: "string" } } } }] });
    expect(tools.toolCalls).toEqual([{ id: "toolu_1", name: "lookup", arguments: '{"q":"bees"}' }]);
    expect(tools.finishReason).toBe("tool-calls");

    const retried = await models.generate({ provider: "anthropic", model: "claude-mock", messages: user("x") });
    expect(retried.text).toBe("after retry");
  });

  it("streams from Gemini's API with usage, thoughts and function calls, and embeds", async () => {
    server.script(
      { text: "Hallo Welt heute", reasoning: "Greeting in German.", usage: { prompt_tokens: 7, completion_tokens: 3 } },
      { toolCalls: [{ name: "lookup", arguments: '{"q":"bees"}' }] },
      { kind: "fail", status: 503 },
      { text: "after retry" },
    );
    const models = runtime();
    const parts = await collectParts(models.stream({ provider: "langgenius/gemini/google", model: "gemini-mock", messages: [{ role: "system", content: "Be German." }, ...user("hello")] }));
    expect(parts.filter((part) => part.type === "text-delta").map((part) => part.text).join("")).toBe("Hallo Welt heute");
    expect(parts.filter((part) => part.type === "reasoning-delta").map((part) => part.text).join("")).toBe("Greeting in German.");
    expect(parts.at(-1)).toMatchObject({ type: "finish", finishReason: "stop", usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 } });
    expect(server.requests[0]?.path).toBe("/v1beta/models/gemini-mock:streamGenerateContent");
    expect(server.requests[0]?.headers["x-goog-api-key"]).toBe("g-test");
    expect(server.requests[0]?.body).toMatchObject({ systemInstruction: { parts: [{ text: "Be German." }] }, contents: [{ role: "user", parts: [{ text: "hello" }] }] });

    const tools = await models.generate({ provider: "google", model: "gemini-mock", messages: user("x"), tools: [{ name: "lookup", parameters: { type: "object", properties: { q: { type: "string" } } } }] });
    expect(tools.toolCalls).toEqual([expect.objectContaining({ name: "lookup", arguments: '{"q":"bees"}' })]);
    expect(server.requests[1]?.body.tools).toBeDefined();

    const retried = await models.generate({ provider: "gemini", model: "gemini-mock", messages: user("x") });
    expect(retried.text).toBe("after retry");
    expect(sleeps.length).toBe(1);

    const refused = await collectParts(models.stream({ provider: "gemini", model: "bad-key", messages: user("x") }));
    expect(refused.at(-1)).toMatchObject({ type: "error", error: { message: expect.stringContaining("API key not valid") } });

    const embedded = await models.embed({ provider: "gemini", model: "text-embedding-004", texts: ["alpha", "beta gamma"] });
    expect(embedded.embeddings).toHaveLength(2);
    expect(embedded.embeddings[0]).toHaveLength(8);
    expect(server.requests.at(-1)?.path).toBe("/v1beta/models/text-embedding-004:batchEmbedContents");
  });

  it("runs Workers AI models through the AI binding (streaming, usage, embeddings), and says why without it", async () => {
    const calls: Array<{ model: string; inputs: Record<string, unknown> }> = [];
    const encoder = new TextEncoder();
    // What the AI binding's run() answers: SSE bytes when streaming, JSON otherwise.
    const binding = {
      run: async (model: string, inputs: Record<string, unknown>) => {
        calls.push({ model, inputs });
        if (Array.isArray(inputs.text)) return { shape: [inputs.text.length, 3], data: (inputs.text as string[]).map((text) => [text.length, 1, 0]) };
        if (!inputs.stream) return { response: "Plain answer", usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 } };
        return new ReadableStream<Uint8Array>({
          start(controller) {
            for (const piece of ["Edge ", "says ", "hi"]) controller.enqueue(encoder.encode(`data: ${JSON.stringify({ response: piece })}\n\n`));
            controller.enqueue(encoder.encode(`data: ${JSON.stringify({ response: "", usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } })}\n\n`));
            controller.enqueue(encoder.encode("data: [DONE]\n\n"));
            controller.close();
          },
        });
      },
    };
    const models = runtime({ workersAi: binding as never });
    const parts = await collectParts(models.stream({ provider: "workers_ai", model: "@cf/meta/llama-3.1-8b-instruct", messages: [{ role: "system", content: "Be brief." }, ...user("hello")] }));
    expect(parts.filter((part) => part.type === "text-delta").map((part) => part.text).join("")).toBe("Edge says hi");
    expect(parts.at(-1)).toMatchObject({ type: "finish", usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 } });
    expect(calls[0]).toMatchObject({ model: "@cf/meta/llama-3.1-8b-instruct", inputs: { stream: true, messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "hello" }] } });

    const plain = await models.generate({ provider: "cloudflare-workers-ai", model: "@cf/meta/llama-3.1-8b-instruct", messages: user("x") });
    expect(plain.text).toBe("Edge says hi");

    const embedded = await models.embed({ provider: "workers_ai", model: "@cf/baai/bge-base-en-v1.5", texts: ["ab", "abcd"] });
    expect(embedded.embeddings).toEqual([[2, 1, 0], [4, 1, 0]]);

    const unavailable = await collectParts(runtime().stream({ provider: "workers_ai", model: "@cf/meta/llama-3.1-8b-instruct", messages: user("x") }));
    expect(unavailable.at(-1)).toMatchObject({ type: "error", error: { kind: "provider_not_initialize", message: expect.stringContaining("AI binding") } });
  });

  it("stops when the caller aborts and does not retry", async () => {
    server.script({ text: Array.from({ length: 200 }, (_, i) => `w${i}`).join(" ") }, { text: "must not be requested" });
    const controller = new AbortController();
    const parts: ModelStreamPart[] = [];
    for await (const part of runtime().stream({ provider: "openai_api_compatible", model: "mock", messages: user("x"), signal: controller.signal })) {
      parts.push(part);
      if (part.type === "text-delta") controller.abort();
    }
    expect(parts.at(-1)).toMatchObject({ type: "error", error: { kind: "cancelled" } });
    expect(parts.filter((part) => part.type === "text-delta").length).toBeLessThan(200);
    expect(server.requests.length).toBe(1);
  });

  it("collectStream hands every part to a listener", async () => {
    server.script({ text: "a b" });
    const seen: string[] = [];
    await collectStream(runtime().stream({ provider: "openai_api_compatible", model: "mock", messages: user("x") }), (part) => seen.push(part.type));
    expect(seen).toEqual(["text-delta", "text-delta", "finish"]);
  });
});
