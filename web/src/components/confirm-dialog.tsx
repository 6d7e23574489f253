import { signal } from "@preact/signals";
import { useState } from "preact/hooks";
import { errorMessage } from "../api";
import { ErrorText } from "./error-text";
import { Modal } from "./modal";

interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel?: string;
  danger?: boolean;
  /** Runs when confirmed; if it throws, the dialog stays open and shows the message. */
  action: () => Promise<unknown>;
}

const pending = signal<ConfirmRequest | null>(null);

/**
 * Asks before a destructive action and runs it inside the dialog.
 * @example confirmAction({ title: "Delete app", message: "…", danger: true, action: () => api.deleteApp(id) })
 */
export function confirmAction(request: ConfirmRequest): void {
  pending.value = request;
}

/** Rendered once by the shell. */
export function ConfirmDialogHost() {
  const request = pending.value;
  if (!request) return null;
  return <ConfirmDialog key={request.title + request.message} request={request} onClose={() => (pending.value = null)} />;
}

function ConfirmDialog({ request, onClose }: { request: ConfirmRequest; onClose: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const run = async () => {
    setBusy(true);
    setError("");
    try {
      await request.action();
      onClose();
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };
  return (
    <Modal
      title={request.title}
      onClose={onClose}
      testId="confirm-dialog"
      footer={
        <>
          <button type="button" class="btn" data-testid="confirm-cancel" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button
            type="button"
            class={request.danger ? "btn btn-danger" : "btn btn-primary"}
            data-testid="confirm-ok"
            onClick={run}
            disabled={busy}
          >
            {busy ? "Working…" : (request.confirmLabel ?? "Confirm")}
          </button>
        </>
      }
    >
      <p class="confirm-message">{request.message}</p>
      <ErrorText message={error} />
    </Modal>
  );
}
