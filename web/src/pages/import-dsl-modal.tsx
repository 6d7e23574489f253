import { useSignal } from "@preact/signals";
import { ApiError, apiErrorFrom, errorMessage, request } from "../api";
import { ErrorText } from "../components/error-text";
import { Modal } from "../components/modal";
import { showToast } from "../components/toast";
import { navigate } from "../router";

/** Dify's import answer (`POST /console/api/apps/imports`), with Waggle's named warnings. */
interface ImportResult {
  id: string;
  status: "completed" | "completed-with-warnings" | "pending" | "failed";
  app_id: string | null;
  app_mode: string | null;
  current_dsl_version: string;
  imported_dsl_version: string;
  error: string;
  warnings: Array<{ node_id?: string | null; field?: string | null; message: string }>;
}

/** The import answers its result with 400 when it failed, so the body is read whatever the status. */
async function postImport(path: string, body: unknown): Promise<ImportResult> {
  let response: Response;
  try {
    response = await fetch(`/console/api${path}`, { method: "POST", credentials: "same-origin", headers: { Accept: "application/json", "Content-Type": "application/json" }, body: JSON.stringify(body) });
  } catch {
    throw new ApiError("network_error", "Cannot reach the server. Check your connection and try again.", 0);
  }
  const payload = (await response.json().catch(() => undefined)) as (ImportResult & { code?: string; message?: string }) | undefined;
  if (payload && typeof payload.status === "string" && "imported_dsl_version" in payload) return payload;
  throw apiErrorFrom(response.status, response.statusText, payload);
}

type Source = "file" | "paste" | "url";

/** Create an app from a Dify DSL file (file, pasted YAML or a URL), showing Dify's import status and every warning. */
export function ImportDslModal({ onClose }: { onClose: () => void }) {
  const source = useSignal<Source>("file");
  const yaml = useSignal("");
  const fileName = useSignal("");
  const url = useSignal("");
  const name = useSignal("");
  const busy = useSignal(false);
  const error = useSignal("");
  const result = useSignal<ImportResult | null>(null);

  const readFile = async (file: File | undefined) => {
    error.value = "";
    if (!file) return;
    if (file.size > 10 * 1024 * 1024) {
      error.value = "The file is larger than 10 MB, the most a DSL import takes.";
      return;
    }
    yaml.value = await file.text();
    fileName.value = file.name;
  };

  const finish = (outcome: ImportResult) => {
    result.value = outcome;
    if (outcome.status === "failed") error.value = outcome.error || "The import failed.";
    // A confirmed import answers `completed` even when parts need attention: those are shown too.
    if (outcome.status === "completed" && outcome.app_id && !outcome.warnings.length) {
      showToast("App imported");
      navigate(`/app/${outcome.app_id}/overview`);
      onClose();
    }
  };

  const submit = async () => {
    error.value = "";
    result.value = null;
    const body =
      source.value === "url"
        ? { mode: "yaml-url", yaml_url: url.value.trim() }
        : { mode: "yaml-content", yaml_content: yaml.value };
    if (source.value === "url" ? !url.value.trim() : !yaml.value.trim()) {
      error.value = source.value === "url" ? "Enter the URL of a DSL file." : "Choose a DSL file or paste its YAML first.";
      return;
    }
    busy.value = true;
    try {
      finish(await postImport("/apps/imports", { ...body, ...(name.value.trim() ? { name: name.value.trim() } : {}) }));
    } catch (caught) {
      error.value = errorMessage(caught);
    } finally {
      busy.value = false;
    }
  };

  const confirm = async () => {
    const pending = result.value;
    if (!pending) return;
    busy.value = true;
    try {
      finish(await postImport(`/apps/imports/${encodeURIComponent(pending.id)}/confirm`, {}));
    } catch (caught) {
      error.value = errorMessage(caught);
    } finally {
      busy.value = false;
    }
  };

  const outcome = result.value;
  const footer =
    (outcome?.status === "completed-with-warnings" || outcome?.status === "completed") && outcome.app_id ? (
      <button type="button" class="btn btn-primary" data-testid="import-open-app" onClick={() => (navigate(`/app/${outcome.app_id}/overview`), onClose())}>
        Open the app
      </button>
    ) : outcome?.status === "pending" ? (
      <>
        <button type="button" class="btn" onClick={onClose}>
          Cancel
        </button>
        <button type="button" class="btn btn-primary" data-testid="import-confirm" disabled={busy.value} onClick={() => void confirm()}>
          Import anyway
        </button>
      </>
    ) : (
      <>
        <button type="button" class="btn" onClick={onClose}>
          Cancel
        </button>
        <button type="button" class="btn btn-primary" data-testid="import-submit" disabled={busy.value} onClick={() => void submit()}>
          {busy.value ? "Importing…" : "Import"}
        </button>
      </>
    );

  return (
    <Modal title="Import a Dify DSL file" onClose={onClose} testId="import-dsl-modal" footer={footer} wide>
      {!outcome || outcome.status === "failed" ? (
        <div class="stack">
          <div class="segmented" role="tablist">
            {(
              [
                ["file", "File"],
                ["paste", "Paste YAML"],
                ["url", "From URL"],
              ] as const
            ).map(([value, label]) => (
              <button type="button" key={value} role="tab" aria-selected={source.value === value} class={source.value === value ? "segment active" : "segment"} data-testid={`import-source-${value}`} onClick={() => (source.value = value)}>
                {label}
              </button>
            ))}
          </div>
          {source.value === "file" && (
            <label class="field">
              <span class="field-label">DSL file (.yml or .yaml, exported from Dify or Waggle)</span>
              <input type="file" accept=".yml,.yaml,text/yaml,application/x-yaml" data-testid="import-file" onChange={(event) => void readFile(event.currentTarget.files?.[0])} />
              {fileName.value && <span class="muted small">{fileName.value}</span>}
            </label>
          )}
          {source.value === "paste" && (
            <label class="field">
              <span class="field-label">YAML</span>
              <textarea rows={12} class="mono" data-testid="import-yaml" value={yaml.value} onInput={(event) => (yaml.value = event.currentTarget.value)} placeholder={"version: 0.3.0\nkind: app\napp:\n  name: …"} />
            </label>
          )}
          {source.value === "url" && (
            <label class="field">
              <span class="field-label">URL of the DSL file</span>
              <input type="url" class="input" data-testid="import-url" value={url.value} onInput={(event) => (url.value = event.currentTarget.value)} placeholder="https://example.com/app.yml" />
            </label>
          )}
          <label class="field">
            <span class="field-label">Name (optional; the file's name otherwise)</span>
            <input type="text" class="input" data-testid="import-name" value={name.value} onInput={(event) => (name.value = event.currentTarget.value)} />
          </label>
          <p class="muted small">Importing never runs code or fetches anything but the URL above. Nodes or plugins Waggle does not support are listed after the import; the app stays editable.</p>
          <ErrorText message={error.value} testId="import-error" />
        </div>
      ) : outcome.status === "pending" ? (
        <div class="stack" data-testid="import-pending">
          <p>
            This file is DSL version <strong>{outcome.imported_dsl_version}</strong>; Waggle reads version <strong>{outcome.current_dsl_version}</strong>. Some fields may not
            import as they were meant. Import it anyway?
          </p>
          <ErrorText message={error.value} testId="import-error" />
        </div>
      ) : (
        <div class="stack" data-testid="import-warnings">
          <p>
            <strong>Imported with warnings.</strong> The app was created and can be edited; these parts need attention:
          </p>
          <ul>
            {outcome.warnings.map((warning, index) => (
              <li key={index} data-testid="import-warning">
                {warning.node_id ? <code>{warning.node_id}</code> : warning.field ? <code>{warning.field}</code> : null} {warning.message}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Modal>
  );
}

/** Downloads an app's DSL (`GET /console/api/apps/{id}/export`, secrets left out) as `<name>.yml`. */
export async function exportAppDsl(app: { id: string; name: string }): Promise<void> {
  const { data } = await request<{ data: string }>("GET", `/apps/${encodeURIComponent(app.id)}/export?include_secret=false`);
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([data], { type: "application/x-yaml" }));
  link.download = `${app.name.replace(/[\\/:*?"<>|]+/g, "_") || "app"}.yml`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
