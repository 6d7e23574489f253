/** Dify sends a bare `event: ping` every 10 s so proxies and clients keep long streams open. */
export const PING_INTERVAL_MS = 10_000;

const encoder = new TextEncoder();

export const sseHeaders = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache",
  Connection: "keep-alive",
  "X-Accel-Buffering": "no",
} as const;

/**
 * Turns an NDJSON stream of run events into Dify's SSE framing: `data: <json>\n\n` per event
 * (with an `id:` line carrying the sequence number, for `Last-Event-ID` reconnects) and
 * `event: ping\n\n` every 10 s. `toFrame` maps an engine event to its wire payload, or null to drop it.
 */
export function sseFromEvents<E extends { seq: number }>(
  source: ReadableStream<Uint8Array>,
  toFrame: (event: E) => object | object[] | null,
  pingMs = PING_INTERVAL_MS,
  /** Called when the client goes away before the stream ended. */
  onCancel?: () => void,
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  const decoder = new TextDecoder();
  let ping: ReturnType<typeof setInterval> | undefined;
  let buffer = "";
  return new ReadableStream<Uint8Array>({
    start(controller) {
      ping = setInterval(() => {
        try {
          controller.enqueue(encoder.encode("event: ping\n\n"));
        } catch {
          clearInterval(ping);
        }
      }, pingMs);
    },
    // Reads until at least one frame is enqueued: a pull that enqueues nothing (every event of
    // the chunk dropped by `toFrame`) would not be called again until the next ping.
    async pull(controller) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          clearInterval(ping);
          controller.close();
          return;
        }
        buffer += decoder.decode(value, { stream: true });
        const lines = buffer.split("\n");
        buffer = lines.pop() ?? "";
        let enqueued = false;
        for (const line of lines) {
          if (!line.trim()) continue;
          const event = JSON.parse(line) as E;
          const frame = toFrame(event);
          if (!frame) continue;
          for (const payload of Array.isArray(frame) ? frame : [frame]) {
            controller.enqueue(encoder.encode(`id: ${event.seq}\ndata: ${JSON.stringify(payload)}\n\n`));
            enqueued = true;
          }
        }
        if (enqueued) return;
      }
    },
    async cancel(reason) {
      clearInterval(ping);
      onCancel?.();
      await reader.cancel(reason);
    },
  });
}
