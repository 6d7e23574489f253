import { statusLabel, statusTone } from "./log-format";

/** A run's or node's status as a coloured pill. */
export function StatusBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span class={`status-badge log-status status-${statusTone(status)}`} data-testid={testId} data-status={status}>
      {statusLabel(status)}
    </span>
  );
}
