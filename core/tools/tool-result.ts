import type { ToolFile, ToolMessage } from "./tool";

export interface ToolOutputs {
  /** Text messages joined; links as text lines, as Dify's tool node does. */
  text: string;
  /** JSON messages, in order (Dify's `json` output is a list). */
  json: unknown[];
  files: ToolFile[];
}

/** Folds a tool's messages into the tool node's `text` / `json` / `files` outputs. */
export function toolOutputs(messages: ToolMessage[]): ToolOutputs {
  let text = "";
  const json: unknown[] = [];
  const files: ToolFile[] = [];
  for (const message of messages) {
    switch (message.type) {
      case "text":
        text += message.text;
        break;
      case "link":
        text += `Link: ${message.url}\n`;
        break;
      case "json":
        json.push(message.json);
        break;
      case "file":
        files.push(message.file);
        break;
    }
  }
  return { text, json, files };
}

/**
 * What an agent shows the model after a call: the text, else the JSON, else a note about the
 * files; capped so one large page cannot fill the context window.
 */
export function observationText(messages: ToolMessage[], maxChars = 16_000): string {
  const { text, json, files } = toolOutputs(messages);
  let observation = text || (json.length ? json.map((value) => JSON.stringify(value)).join("\n") : "");
  if (files.length) observation += `${observation ? "\n" : ""}Files: ${files.map((file) => `${file.filename} (${file.mime_type}) ${file.url.startsWith("data:") ? "" : file.url}`.trim()).join(", ")}`;
  if (!observation) observation = "The tool returned no output.";
  return observation.length > maxChars ? `${observation.slice(0, maxChars)}\n[truncated: ${observation.length - maxChars} more characters]` : observation;
}
