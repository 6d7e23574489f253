// The OpenAI-compatible example plugin: one model provider whose `chat` streams. It yields
// `{ type: "text-delta", text }` parts, a `{ type: "tool-call", id, name, arguments }` part for
// each function the model calls, and ends with `{ type: "finish", finish_reason, usage }`.

/** Waggle's plugin request messages in OpenAI's chat format. */
function openAiMessages(messages) {
  return messages.map((message) => {
    if (message.role === "assistant" && message.tool_calls?.length) {
      return {
        role: "assistant",
        content: message.content || null,
        tool_calls: message.tool_calls.map((call) => ({ id: call.id, type: "function", function: { name: call.name, arguments: call.arguments } })),
      };
    }
    if (message.role === "tool") return { role: "tool", tool_call_id: message.tool_call_id, content: message.content };
    if (message.role === "user" && message.images?.length) {
      return {
        role: "user",
        content: [
          { type: "text", text: message.content },
          ...message.images.map((image) => ({ type: "image_url", image_url: { url: `data:${image.media_type};base64,${image.data_base64}`, ...(image.detail ? { detail: image.detail } : {}) } })),
        ],
      };
    }
    return { role: message.role, content: message.content };
  });
}

function toolChoice(choice) {
  if (!choice) return undefined;
  if (typeof choice === "object") return { type: "function", function: { name: choice.name } };
  return choice;
}

async function* chat(request, { credentials }) {
  const base = (credentials.api_base || "https://api.openai.com/v1").replace(/\/+$/, "");
  const response = await fetch(`${base}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${credentials.api_key ?? ""}` },
    body: JSON.stringify({
      model: request.model,
      messages: openAiMessages(request.messages),
      stream: true,
      stream_options: { include_usage: true },
      ...(request.tools?.length
        ? { tools: request.tools.map((tool) => ({ type: "function", function: { name: tool.name, description: tool.description, parameters: tool.parameters } })), tool_choice: toolChoice(request.tool_choice) }
        : {}),
      ...(request.json_schema ? { response_format: { type: "json_schema", json_schema: { name: "output", schema: request.json_schema } } } : {}),
      ...(request.parameters ?? {}),
    }),
  });
  if (!response.ok || !response.body) throw new Error(`The model API answered HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
  let usage;
  let finishReason = "stop";
  let buffer = "";
  // Tool calls arrive in pieces, by index: the id and name first, then the arguments.
  const calls = [];
  const decoder = new TextDecoder();
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (!line.startsWith("data:")) continue;
      const data = line.slice(5).trim();
      if (data === "[DONE]") continue;
      const event = JSON.parse(data);
      if (event.usage) usage = { prompt_tokens: event.usage.prompt_tokens, completion_tokens: event.usage.completion_tokens };
      const choice = event.choices?.[0];
      if (choice?.delta?.content) yield { type: "text-delta", text: choice.delta.content };
      for (const piece of choice?.delta?.tool_calls ?? []) {
        const call = (calls[piece.index ?? 0] ??= { id: "", name: "", arguments: "" });
        if (piece.id) call.id = piece.id;
        if (piece.function?.name) call.name += piece.function.name;
        if (piece.function?.arguments) call.arguments += piece.function.arguments;
      }
      if (choice?.finish_reason) finishReason = choice.finish_reason;
    }
  }
  for (const call of calls) if (call?.name) yield { type: "tool-call", id: call.id, name: call.name, arguments: call.arguments || "{}" };
  yield { type: "finish", finish_reason: finishReason, usage };
}

export default {
  models: { openai_compatible: { chat } },
};
