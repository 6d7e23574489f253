import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readTranscriptionForm, sendSpeech, sendTranscription } from "./audio-endpoints";
import { handleToolEndpoint } from "./tool-endpoints";

/**
 * An OpenAI-compatible model server on 127.0.0.1 for tests: chat completions (SSE and JSON),
 * tool calls, usage, embeddings, a Jina/Cohere-style `/rerank` and OpenAI's audio API (`audio-endpoints.ts`:
 * transcriptions and speech); also Anthropic's `/v1/messages`,
 * Gemini's `/v1beta/models/{model}:generateContent` / `:streamGenerateContent` / `:batchEmbedContents`, and
 * the endpoints tools call (`tool-endpoints.ts`: MCP at `/mcp`, an OpenAPI-described API), and OpenAI's
 * `/moderations`, which flags any input containing a word in {@link MODERATION_FLAGGED_WORDS}. Replies are scripted per test;
 * with nothing scripted it echoes the last user message.
 */

/** Words the mock's `/v1/moderations` flags (case-insensitive, anywhere in the input). */
export const MODERATION_FLAGGED_WORDS = ["venom", "stinger"];

export interface MockUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

export type MockReply =
  | {
      kind?: "reply";
      /** Text of the answer; streamed in `chunks` pieces (default: split on spaces). */
      text?: string;
      chunks?: string[];
      reasoning?: string;
      toolCalls?: Array<{ id?: string; name: string; arguments: string }>;
      /** Null sends no usage at all (the client must estimate). */
      usage?: MockUsage | null;
      finishReason?: string;
      /** Stream: cut the connection after this many text chunks. */
      cutAfterChunks?: number;
      /** Stream: wait this long before each text chunk (a slow model). */
      chunkDelayMs?: number;
    }
  | { kind: "fail"; status: number; message?: string; retryAfter?: number };

export interface RecordedRequest {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown>;
  /** Set when the client closed the connection before the reply was complete. */
  aborted?: boolean;
}

export interface MockModelServer {
  url: string;
  /** `url` + `/v1`, what an OpenAI-compatible client takes as base URL. */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Queue replies for the next chat completions, in order. */
  script(...replies: MockReply[]): void;
  reset(): void;
  close(): Promise<void>;
}

function lastUserText(body: Record<string, unknown>): string {
  if (typeof body.prompt === "string") return body.prompt;
  const messages = Array.isArray(body.messages) ? (body.messages as Array<{ role: string; content: unknown }>) : [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.role !== "user") continue;
    if (typeof message.content === "string") return message.content;
    if (Array.isArray(message.content)) {
      return (message.content as Array<{ type: string; text?: string }>).filter((part) => part.type === "text").map((part) => part.text ?? "").join("");
    }
  }
  return "";
}

function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function splitChunks(text: string): string[] {
  const pieces = text.match(/\S+\s*|\s+/g) ?? [];
  return pieces.length ? pieces : [""];
}

async function readRaw(request: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

function parseJson(raw: Buffer): Record<string, unknown> {
  const text = raw.toString("utf8");
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

function embeddingOf(text: string): number[] {
  // Deterministic, cheap: character histogram over 8 buckets, normalised.
  const vector = new Array<number>(8).fill(0);
  for (const char of text) vector[char.charCodeAt(0) % 8]! += 1;
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0)) || 1;
  return vector.map((value) => value / norm);
}

async function chatCompletion(response: ServerResponse, body: Record<string, unknown>, reply: Extract<MockReply, { kind?: "reply" }>, completionApi: boolean) {
  const model = String(body.model ?? "mock");
  const text = reply.text ?? (reply.toolCalls ? "" : lastUserText(body));
  const usage = reply.usage === undefined ? { prompt_tokens: Math.max(1, wordCount(lastUserText(body))), completion_tokens: Math.max(1, wordCount(text)) } : reply.usage;
  const usageJson = usage ? { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } : undefined;
  const finishReason = reply.finishReason ?? (reply.toolCalls?.length ? "tool_calls" : "stop");
  const toolCalls = (reply.toolCalls ?? []).map((call, index) => ({ id: call.id ?? `call_${index}`, type: "function", function: { name: call.name, arguments: call.arguments } }));
  const created = 1_700_000_000;
  const id = "chatcmpl-mock";

  if (!body.stream) {
    if (completionApi) {
      return sendJson(response, 200, { id, object: "text_completion", created, model, choices: [{ index: 0, text, finish_reason: finishReason }], ...(usageJson ? { usage: usageJson } : {}) });
    }
    const message: Record<string, unknown> = { role: "assistant", content: text || null };
    if (reply.reasoning) message.reasoning_content = reply.reasoning;
    if (toolCalls.length) message.tool_calls = toolCalls;
    return sendJson(response, 200, { id, object: "chat.completion", created, model, choices: [{ index: 0, message, finish_reason: finishReason }], ...(usageJson ? { usage: usageJson } : {}) });
  }

  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const send = (payload: unknown) => response.write(`data: ${JSON.stringify(payload)}\n\n`);
  const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
    completionApi
      ? send({ id, object: "text_completion", created, model, choices: [{ index: 0, text: delta.content ?? "", finish_reason: finish }] })
      : send({ id, object: "chat.completion.chunk", created, model, choices: [{ index: 0, delta, finish_reason: finish }] });

  if (!completionApi) chunk({ role: "assistant", content: "" });
  if (reply.reasoning) chunk({ reasoning_content: reply.reasoning });
  const pieces = text ? (reply.chunks ?? splitChunks(text)) : [];
  let sent = 0;
  for (const piece of pieces) {
    if (reply.cutAfterChunks !== undefined && sent >= reply.cutAfterChunks) {
      // End the socket without the chunked terminator: the client sees a stream cut mid-answer.
      response.socket?.end();
      return;
    }
    if (reply.chunkDelayMs) {
      await new Promise((resolve) => setTimeout(resolve, reply.chunkDelayMs));
      if (response.destroyed) return;
    }
    chunk({ content: piece });
    sent++;
  }
  toolCalls.forEach((call, index) => chunk({ tool_calls: [{ index, id: call.id, type: "function", function: { name: call.function.name, arguments: call.function.arguments } }] }));
  chunk({}, finishReason);
  const options = body.stream_options as { include_usage?: boolean } | undefined;
  if (usageJson && options?.include_usage !== false) {
    send({ id, object: completionApi ? "text_completion" : "chat.completion.chunk", created, model, choices: [], usage: usageJson });
  }
  response.write("data: [DONE]\n\n");
  response.end();
}

function anthropicMessages(response: ServerResponse, body: Record<string, unknown>, reply: Extract<MockReply, { kind?: "reply" }>) {
  const model = String(body.model ?? "mock");
  const text = reply.text ?? (reply.toolCalls ? "" : lastUserText(body));
  const usage = reply.usage === undefined ? { prompt_tokens: Math.max(1, wordCount(lastUserText(body))), completion_tokens: Math.max(1, wordCount(text)) } : reply.usage;
  const stopReason = reply.toolCalls?.length ? "tool_use" : "end_turn";
  const toolBlocks = (reply.toolCalls ?? []).map((call, index) => ({ type: "tool_use", id: call.id ?? `toolu_${index}`, name: call.name, input: JSON.parse(call.arguments) as unknown }));
  if (!body.stream) {
    return sendJson(response, 200, {
      id: "msg_mock",
      type: "message",
      role: "assistant",
      model,
      content: [...(text ? [{ type: "text", text }] : []), ...toolBlocks],
      stop_reason: stopReason,
      stop_sequence: null,
      usage: { input_tokens: usage?.prompt_tokens ?? 0, output_tokens: usage?.completion_tokens ?? 0 },
    });
  }
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const send = (payload: { type: string } & Record<string, unknown>) => response.write(`event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`);
  send({ type: "message_start", message: { id: "msg_mock", type: "message", role: "assistant", model, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: usage?.prompt_tokens ?? 0, output_tokens: 1 } } });
  let index = 0;
  if (text) {
    send({ type: "content_block_start", index, content_block: { type: "text", text: "" } });
    for (const piece of reply.chunks ?? splitChunks(text)) send({ type: "content_block_delta", index, delta: { type: "text_delta", text: piece } });
    send({ type: "content_block_stop", index });
    index++;
  }
  for (const block of toolBlocks) {
    send({ type: "content_block_start", index, content_block: { type: "tool_use", id: block.id, name: block.name, input: {} } });
    send({ type: "content_block_delta", index, delta: { type: "input_json_delta", partial_json: JSON.stringify(block.input) } });
    send({ type: "content_block_stop", index });
    index++;
  }
  send({ type: "message_delta", delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: usage?.completion_tokens ?? 0 } });
  send({ type: "message_stop" });
  response.end();
}

/** Gemini's text parts of a reply: its thoughts (`thought: true`) first, then the answer. */
function geminiParts(reply: Extract<MockReply, { kind?: "reply" }>, text: string, pieces: string[]) {
  const calls = (reply.toolCalls ?? []).map((call) => ({ functionCall: { name: call.name, args: JSON.parse(call.arguments) as unknown } }));
  return { thought: reply.reasoning ? [{ text: reply.reasoning, thought: true }] : [], text: text ? pieces.map((piece) => ({ text: piece })) : [], calls };
}

function geminiGenerate(response: ServerResponse, body: Record<string, unknown>, reply: Extract<MockReply, { kind?: "reply" }>, stream: boolean) {
  const contents = (body.contents as Array<{ role: string; parts: Array<{ text?: string }> }> | undefined) ?? [];
  const prompt = contents.filter((content) => content.role === "user").at(-1)?.parts.map((part) => part.text ?? "").join("") ?? "";
  const text = reply.text ?? (reply.toolCalls ? "" : prompt);
  const usage = reply.usage === undefined ? { prompt_tokens: Math.max(1, wordCount(prompt)), completion_tokens: Math.max(1, wordCount(text)) } : reply.usage;
  const usageMetadata = usage ? { promptTokenCount: usage.prompt_tokens, candidatesTokenCount: usage.completion_tokens, totalTokenCount: usage.prompt_tokens + usage.completion_tokens } : undefined;
  const parts = geminiParts(reply, text, stream ? (reply.chunks ?? splitChunks(text)) : [text]);
  const candidate = (content: unknown[], finishReason?: string) => ({ content: { parts: content, role: "model" }, index: 0, ...(finishReason ? { finishReason } : {}) });
  if (!stream) {
    return sendJson(response, 200, { candidates: [candidate([...parts.thought, ...parts.text, ...parts.calls], "STOP")], usageMetadata, modelVersion: "mock" });
  }
  response.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const send = (payload: unknown) => response.write(`data: ${JSON.stringify(payload)}\r\n\r\n`);
  for (const part of [...parts.thought, ...parts.text, ...parts.calls]) send({ candidates: [candidate([part])], modelVersion: "mock" });
  send({ candidates: [candidate([], "STOP")], usageMetadata, modelVersion: "mock" });
  response.end();
}

/**
 * Starts the server on a random port.
 *
 * @example
 * const server = await startMockModelServer();
 * server.script({ text: "Hello there" }, { kind: "fail", status: 429 });
 */
export async function startMockModelServer(): Promise<MockModelServer> {
  const queue: MockReply[] = [];
  const requests: RecordedRequest[] = [];

  const server: Server = createServer((request, response) => {
    void (async () => {
      const path = (request.url ?? "/").split("?")[0]!;
      const raw = await readRaw(request);
      const contentType = String(request.headers["content-type"] ?? "");
      const multipart = contentType.startsWith("multipart/form-data") ? await readTranscriptionForm(raw, contentType).catch(() => undefined) : undefined;
      const body = multipart?.fields ?? parseJson(raw);
      const recorded: RecordedRequest = { path, headers: request.headers, body };
      requests.push(recorded);
      response.on("close", () => {
        if (!response.writableFinished) recorded.aborted = true;
      });
      // Control endpoints, for tests that cannot hold the server object (workerd).
      if (path === "/__script") {
        queue.push(...((body.replies as MockReply[] | undefined) ?? []));
        return sendJson(response, 200, { queued: queue.length });
      }
      if (path === "/__reset") {
        queue.length = 0;
        requests.length = 0;
        return sendJson(response, 200, {});
      }
      if (path === "/__requests") return sendJson(response, 200, { requests: requests.filter((entry) => !entry.path.startsWith("/__")) });
      if (await handleToolEndpoint(request, response, path, body, `http://127.0.0.1:${(server.address() as AddressInfo).port}`)) return;
      const auth = request.headers.authorization;
      if (auth === "Bearer invalid-key") {
        return sendJson(response, 401, { error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" } });
      }
      const gemini = /^\/v1beta\/models\/([^/:]+):(generateContent|streamGenerateContent|batchEmbedContents)$/.exec(path);
      if (gemini) {
        if (request.headers["x-goog-api-key"] === "invalid-key") {
          return sendJson(response, 400, { error: { code: 400, message: "API key not valid. Please pass a valid API key.", status: "INVALID_ARGUMENT" } });
        }
        if (gemini[2] === "batchEmbedContents") {
          const requestsIn = (body.requests as Array<{ content: { parts: Array<{ text: string }> } }> | undefined) ?? [];
          return sendJson(response, 200, { embeddings: requestsIn.map((entry) => ({ values: embeddingOf(entry.content.parts.map((part) => part.text).join("")) })) });
        }
        const reply = queue.shift() ?? {};
        if (reply.kind === "fail") {
          return sendJson(response, reply.status, { error: { code: reply.status, message: reply.message ?? `mock failure ${reply.status}`, status: reply.status === 429 ? "RESOURCE_EXHAUSTED" : "INTERNAL" } });
        }
        return geminiGenerate(response, body, reply, gemini[2] === "streamGenerateContent");
      }
      if (path.endsWith("/audio/transcriptions") || path.endsWith("/audio/speech")) {
        // A scripted failure applies to the next audio call too; text replies are for chat.
        const failure = queue[0]?.kind === "fail" ? (queue.shift() as Extract<MockReply, { kind: "fail" }>) : undefined;
        return path.endsWith("/speech") ? sendSpeech(response, body, failure) : sendTranscription(response, multipart?.audio, failure);
      }
      if (path.endsWith("/messages")) {
        // Anthropic's Messages API.
        const reply = queue.shift() ?? {};
        if (reply.kind === "fail") {
          return sendJson(response, reply.status, { type: "error", error: { type: reply.status === 429 ? "rate_limit_error" : "api_error", message: reply.message ?? `mock failure ${reply.status}` } });
        }
        return anthropicMessages(response, body, reply);
      }
      if (path.endsWith("/chat/completions") || path.endsWith("/completions")) {
        const reply = queue.shift() ?? {};
        if (reply.kind === "fail") {
          const headers: Record<string, string> = reply.retryAfter !== undefined ? { "retry-after": String(reply.retryAfter) } : {};
          return sendJson(response, reply.status, { error: { message: reply.message ?? `mock failure ${reply.status}`, type: "server_error" } }, headers);
        }
        return chatCompletion(response, body, reply, !path.endsWith("/chat/completions"));
      }
      if (path.endsWith("/embeddings")) {
        const input = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input ?? "")];
        const tokens = input.reduce((sum, text) => sum + Math.max(1, wordCount(text)), 0);
        return sendJson(response, 200, {
          object: "list",
          model: body.model,
          data: input.map((text, index) => ({ object: "embedding", index, embedding: embeddingOf(text) })),
          usage: { prompt_tokens: tokens, total_tokens: tokens },
        });
      }
      if (path.endsWith("/moderations")) {
        const inputs = Array.isArray(body.input) ? (body.input as unknown[]).map(String) : [String(body.input ?? "")];
        const results = inputs.map((input) => {
          const flagged = MODERATION_FLAGGED_WORDS.some((word) => input.toLowerCase().includes(word));
          return { flagged, categories: { violence: flagged }, category_scores: { violence: flagged ? 0.97 : 0.01 } };
        });
        return sendJson(response, 200, { id: "modr-mock", model: body.model, results });
      }
      if (path.endsWith("/rerank")) {
        const query = String(body.query ?? "").toLowerCase();
        const documents = (body.documents as unknown[] | undefined) ?? [];
        const texts = documents.map((document) => (typeof document === "string" ? document : String((document as { text?: string }).text ?? "")));
        const words = query.split(/\s+/).filter(Boolean);
        const scored = texts
          .map((text, index) => ({ index, relevance_score: words.length ? words.filter((word) => text.toLowerCase().includes(word)).length / words.length : 0, document: { text } }))
          .sort((a, b) => b.relevance_score - a.relevance_score);
        const topN = typeof body.top_n === "number" ? body.top_n : scored.length;
        return sendJson(response, 200, { model: body.model, results: scored.slice(0, topN), usage: { total_tokens: texts.length } });
      }
      if (path.endsWith("/models")) return sendJson(response, 200, { object: "list", data: [{ id: "mock-model", object: "model" }] });
      sendJson(response, 404, { error: { message: `no route ${path}` } });
    })().catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: { message: String(error) } });
      else response.destroy();
    });
  });

  // Keep idle connections open longer than a client's pool does: Node's 5 s default lets the server
  // close a socket just as workerd reuses it, and that request fails with "Network connection lost".
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseUrl: `${url}/v1`,
    requests,
    script: (...replies) => queue.push(...replies),
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
