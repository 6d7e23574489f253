/** Lines kept per installation; older ones are dropped. */
const KEEP = 500;

interface LogBuffer {
  next: number;
  lines: Array<{ seq: number; at: number; text: string }>;
}

// Per Worker isolate, so this is a debugging aid: under `wrangler dev` the Worker and the run
// objects share one isolate and every line is here; deployed, a reader sees only its own isolate's.
const buffers = new Map<string, LogBuffer>();

/** Keeps a plugin call's `log()` lines (and failures) for `npm run plugin -- dev`. */
export function recordPluginLogs(installationId: string, lines: readonly string[]): void {
  if (!lines.length) return;
  let buffer = buffers.get(installationId);
  if (!buffer) {
    buffer = { next: 1, lines: [] };
    buffers.set(installationId, buffer);
  }
  const at = Math.floor(Date.now() / 1000);
  for (const text of lines) buffer.lines.push({ seq: buffer.next++, at, text });
  if (buffer.lines.length > KEEP) buffer.lines.splice(0, buffer.lines.length - KEEP);
}

/** Lines after `after` (a sequence number the caller saw last), oldest first. */
export function readPluginLogs(installationId: string, after = 0): { lines: Array<{ seq: number; at: number; text: string }>; last: number } {
  const buffer = buffers.get(installationId);
  const lines = buffer ? buffer.lines.filter((line) => line.seq > after) : [];
  return { lines, last: buffer ? buffer.next - 1 : 0 };
}
