import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { errorMessage, keysApi, type ApiKey } from "../api";
import { formatDateTime, formatRelative } from "../format";
import { confirmAction } from "./confirm-dialog";
import { CopyButton } from "./copy-button";
import { ErrorText } from "./error-text";
import { Modal } from "./modal";
import { showToast } from "./toast";

interface Props {
  /** `/apps/{id}/api-keys` or `/datasets/api-keys`. */
  base: string;
  title: string;
  description: string;
  canManage: boolean;
}

/** Lists secret keys (masked), creates one and shows it once, and revokes. */
export function ApiKeysPanel({ base, title, description, canManage }: Props) {
  const keys = useSignal<ApiKey[]>([]);
  const loading = useSignal(true);
  const creating = useSignal(false);
  const error = useSignal("");
  const created = useSignal<ApiKey | null>(null);
  const client = keysApi(base);

  const load = async () => {
    loading.value = true;
    try {
      keys.value = (await client.list()).data;
      error.value = "";
    } catch (caught) {
      error.value = errorMessage(caught);
    } finally {
      loading.value = false;
    }
  };

  useEffect(() => {
    void load();
  }, [base]);

  const create = async () => {
    creating.value = true;
    error.value = "";
    try {
      created.value = await client.create();
      await load();
    } catch (caught) {
      error.value = errorMessage(caught);
    } finally {
      creating.value = false;
    }
  };

  const revoke = (key: ApiKey) =>
    confirmAction({
      title: "Revoke secret key",
      message: `Revoke ${key.token}? Anything still using it will stop working at once.`,
      confirmLabel: "Revoke",
      danger: true,
      action: async () => {
        await client.revoke(key.id);
        keys.value = keys.value.filter((k) => k.id !== key.id);
        showToast("Key revoked");
      },
    });

  return (
    <div class="card" data-testid="api-keys">
      <div class="card-header">
        <div>
          <h2>{title}</h2>
          <p class="muted small">{description}</p>
        </div>
        {canManage && (
          <button type="button" class="btn btn-primary" data-testid="create-key" disabled={creating.value} onClick={() => void create()}>
            {creating.value ? "Creating…" : "+ Create secret key"}
          </button>
        )}
      </div>
      <ErrorText message={error.value} testId="keys-error" />
      {!loading.value && keys.value.length === 0 ? (
        <p class="muted" data-testid="keys-empty">
          No secret keys yet.
        </p>
      ) : (
        <table class="table" data-testid="key-list">
          <thead>
            <tr>
              <th>Secret key</th>
              <th>Created</th>
              <th>Last used</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.value.map((key) => (
              <tr key={key.id} data-testid="key-row" data-key-id={key.id}>
                <td class="mono">{key.token}</td>
                <td>{formatDateTime(key.created_at)}</td>
                <td>{key.last_used_at ? formatRelative(key.last_used_at) : <span class="muted">Never</span>}</td>
                <td class="actions">
                  {canManage && (
                    <button type="button" class="btn btn-small btn-danger-outline" data-testid="revoke-key" onClick={() => revoke(key)}>
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {loading.value && <p class="muted">Loading…</p>}
      {created.value && (
        <Modal
          title="Your new secret key"
          testId="new-key-modal"
          onClose={() => (created.value = null)}
          footer={
            <button type="button" class="btn btn-primary" data-testid="new-key-done" onClick={() => (created.value = null)}>
              Done
            </button>
          }
        >
          <p class="muted">Copy it now and keep it somewhere safe: it is shown only once and cannot be retrieved later.</p>
          <div class="secret-box">
            <code data-testid="new-key-token">{created.value.token}</code>
            <CopyButton text={created.value.token} testId="copy-key" />
          </div>
          <p class="muted small">Created {formatDateTime(created.value.created_at)}.</p>
        </Modal>
      )}
    </div>
  );
}
