// The OpenAI-compatible example plugin: one model provider whose `chat` streams. It yields
// `{ type: "text-delta", text }` parts and ends with `{ type: "finish", finish_reason, usage }`.

async function* chat(request, { credentials }) {
  const base = (credentials.api_base || "https://api.openai.com/v1").replace(/\/+$/, "");
  const response = await fetch(`${base}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${credentials.api_key ?? ""}` },
    body: JSON.stringify({
      model: request.model,
      messages: request.messages,
      stream: true,
      stream_options: { include_usage: true },
      ...(request.parameters ?? {}),
    }),
  });
  if (!response.ok || !response.body) throw new Error(`The model API answered HTTP ${response.status}: ${(await response.text()).slice(0, 300)}`);
  let usage;
  let finishReason = "stop";
  let buffer = "";
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
      if (choice?.finish_reason) finishReason = choice.finish_reason;
    }
  }
  yield { type: "finish", finish_reason: finishReason, usage };
}

export default {
  models: { openai_compatible: { chat } },
};
