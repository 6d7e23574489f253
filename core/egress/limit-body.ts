import { EgressError } from "./egress-error";

const tooLarge = (maxBytes: number) =>
  new EgressError("RESPONSE_TOO_LARGE", `The response body exceeds the limit of ${maxBytes} bytes`);

/**
 * Wraps a response body so that reading stops at `maxBytes`: the upstream is cancelled and the
 * stream errors with `RESPONSE_TOO_LARGE`. `onSettled` runs once when the body ends either way.
 */
export function limitBody(
  body: ReadableStream<Uint8Array>,
  maxBytes: number,
  onSettled: () => void,
  mapError: (error: unknown) => unknown,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let total = 0;
  let settled = false;
  const settle = () => {
    if (!settled) {
      settled = true;
      onSettled();
    }
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) {
          settle();
          controller.close();
          return;
        }
        total += value.byteLength;
        if (total > maxBytes) {
          settle();
          reader.cancel().catch(() => {});
          controller.error(tooLarge(maxBytes));
          return;
        }
        controller.enqueue(value);
      } catch (error) {
        settle();
        controller.error(mapError(error));
      }
    },
    cancel(reason) {
      settle();
      return reader.cancel(reason);
    },
  });
}

/**
 * Reads a whole body into memory, refusing more than `maxBytes`. Use this rather than
 * `response.arrayBuffer()` so the error is always an `EgressError`, whatever the runtime does with
 * a stream's error reason.
 *
 * @example
 * const bytes = await readBodyBytes(response, 1024 * 1024);
 */
export async function readBodyBytes(response: Response, maxBytes: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array(0);
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body.cancel().catch(() => {});
    throw tooLarge(maxBytes);
  }
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch (error) {
      if (error instanceof EgressError) throw error;
      throw new EgressError("EGRESS_FAILED", `Reading the response failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    if (chunk.done) break;
    total += chunk.value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(chunk.value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
