/** What a code node keeps of its printed output in `process_data.logs`, whatever the sandbox. */
export const MAX_LOG_CHARS = 64 * 1024;
export const MAX_LOG_LINES = 1_000;

/**
 * Caps printed lines at {@link MAX_LOG_CHARS} characters and {@link MAX_LOG_LINES} lines in all.
 * The sandboxes cap their capture already; this keeps the node's record bounded for any runner,
 * and says so with a last line when something was cut.
 *
 * @example
 * boundedLogs(["a".repeat(70_000)]) // ["aaa…(65,536 characters)", "… output cut at 64 KiB"]
 */
export function boundedLogs(lines: readonly string[] | undefined): string[] {
  if (!lines?.length) return [];
  const kept: string[] = [];
  let chars = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = String(lines[i]);
    if (kept.length >= MAX_LOG_LINES) {
      kept.push(`… ${lines.length - i} more line(s) of output cut`);
      break;
    }
    if (chars + line.length > MAX_LOG_CHARS) {
      const room = MAX_LOG_CHARS - chars;
      if (room > 0) kept.push(line.slice(0, room));
      kept.push(`… output cut at ${MAX_LOG_CHARS / 1024} KiB`);
      break;
    }
    kept.push(line);
    chars += line.length;
  }
  return kept;
}
