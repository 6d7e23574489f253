import type { WorkflowEvent } from "../../core/engine";

/** Reads a run's NDJSON event stream (as the Durable Object sends it) to the end. */
export async function readRunEvents(source: ReadableStream<Uint8Array>, onEvent: (event: WorkflowEvent) => void): Promise<void> {
  const reader = source.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
    const lines = buffer.split("\n");
    buffer = done ? "" : (lines.pop() ?? "");
    for (const line of lines) if (line.trim()) onEvent(JSON.parse(line) as WorkflowEvent);
    if (done) return;
  }
}
