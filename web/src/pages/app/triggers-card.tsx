import { useEffect, useState } from "preact/hooks";
import { accessApi, type Schedule, type Webhook } from "../../access-api";
import { errorMessage, type App } from "../../api";
import { confirmAction } from "../../components/confirm-dialog";
import { CopyButton } from "../../components/copy-button";
import { ErrorText } from "../../components/error-text";
import { showToast } from "../../components/toast";
import { formatDateTime } from "../../format";
import { parseJson } from "../../json-text";

/** A workflow's webhook and schedule: set up, switch on and off, renew the webhook's secret, remove. */
export function TriggersCard({ app }: { app: App }) {
  const [loaded, setLoaded] = useState<{ webhook: Webhook | null; schedule: Schedule | null } | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    accessApi
      .triggers(app.id)
      .then(setLoaded)
      .catch((caught) => setError(errorMessage(caught)));
  }, [app.id]);

  return (
    <div class="card" data-testid="triggers-card">
      <div class="card-header">
        <div>
          <h2>Triggers</h2>
          <p class="muted small">Start the published workflow from another system's webhook, or on a schedule.</p>
        </div>
      </div>
      <ErrorText message={error} testId="triggers-error" />
      {!loaded && !error && <p class="muted">Loading…</p>}
      {loaded && (
        <div class="stack">
          <WebhookSection app={app} webhook={loaded.webhook} onChange={(webhook) => setLoaded({ ...loaded, webhook })} />
          <ScheduleSection app={app} schedule={loaded.schedule} onChange={(schedule) => setLoaded({ ...loaded, schedule })} />
        </div>
      )}
    </div>
  );
}

function WebhookSection({ app, webhook, onChange }: { app: App; webhook: Webhook | null; onChange: (webhook: Webhook | null) => void }) {
  const [mode, setMode] = useState<"sync" | "async">(webhook?.response_mode ?? "async");
  const [secret, setSecret] = useState<string | null>(null);
  // The switch shows where it was flipped to while the server catches up.
  const [switching, setSwitching] = useState<boolean | null>(null);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  const put = async (body: { enabled: boolean; response_mode: "sync" | "async"; regenerate_secret?: boolean }, done: string) => {
    setBusy(true);
    setError("");
    try {
      const next = await accessApi.putWebhook(app.id, body);
      onChange(next);
      if (next.secret) setSecret(next.secret);
      showToast(done);
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="access-section" data-testid="webhook-section" data-enabled={webhook ? String(webhook.enabled) : "none"}>
      <div class="row gap access-section-head">
        <h3>Webhook</h3>
        {webhook && (
          <label class="row gap small">
            <input
              type="checkbox"
              data-testid="webhook-enabled"
              checked={switching ?? webhook.enabled}
              disabled={busy}
              onChange={(event) => {
                const on = event.currentTarget.checked;
                setSwitching(on);
                void put({ enabled: on, response_mode: webhook.response_mode }, on ? "Webhook on" : "Webhook off").finally(() => setSwitching(null));
              }}
            />
            On
          </label>
        )}
      </div>
      <label class="field">
        <span class="field-label">Response</span>
        <select data-testid="webhook-mode" value={mode} disabled={busy} onChange={(event) => setMode(event.currentTarget.value as "sync" | "async")}>
          <option value="async">Answer at once (202) with the run id</option>
          <option value="sync">Wait for the run and answer with its outputs</option>
        </select>
      </label>
      {webhook && (
        <div class="secret-box">
          <code data-testid="webhook-url">{webhook.url}</code>
          <CopyButton text={webhook.url} testId="copy-webhook-url" />
        </div>
      )}
      {secret && (
        <div data-testid="webhook-secret-once">
          <p class="small">Secret — shown only now. Send it in <code>X-Webhook-Secret</code>, or sign the body with it (<code>X-Webhook-Signature: sha256=…</code>):</p>
          <div class="secret-box">
            <code data-testid="webhook-secret">{secret}</code>
            <CopyButton text={secret} testId="copy-webhook-secret" />
          </div>
        </div>
      )}
      <ErrorText message={error} testId="webhook-error" />
      <div class="row gap">
        {webhook ? (
          <>
            <button type="button" class="btn" data-testid="webhook-save" disabled={busy || mode === webhook.response_mode} onClick={() => void put({ enabled: webhook.enabled, response_mode: mode }, "Webhook saved")}>
              Save
            </button>
            <button type="button" class="btn" data-testid="webhook-renew" disabled={busy} onClick={() => void put({ enabled: webhook.enabled, response_mode: webhook.response_mode, regenerate_secret: true }, "New secret made")}>
              Renew secret
            </button>
            <button
              type="button"
              class="btn btn-danger-outline"
              data-testid="webhook-remove"
              disabled={busy}
              onClick={() =>
                confirmAction({
                  title: "Remove the webhook",
                  message: "Calls to its URL will be refused.",
                  confirmLabel: "Remove",
                  danger: true,
                  action: async () => {
                    await accessApi.deleteTrigger(app.id, "webhook");
                    setSecret(null);
                    onChange(null);
                    showToast("Webhook removed");
                  },
                })
              }
            >
              Remove
            </button>
          </>
        ) : (
          <button type="button" class="btn btn-primary" data-testid="webhook-create" disabled={busy} onClick={() => void put({ enabled: true, response_mode: mode }, "Webhook made")}>
            Make a webhook
          </button>
        )}
      </div>
    </section>
  );
}

function ScheduleSection({ app, schedule, onChange }: { app: App; schedule: Schedule | null; onChange: (schedule: Schedule | null) => void }) {
  const [cron, setCron] = useState(schedule?.cron ?? "0 9 * * 1-5");
  const [timezone, setTimezone] = useState(schedule?.timezone ?? (Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC"));
  const [inputs, setInputs] = useState(JSON.stringify(schedule?.inputs ?? {}, null, 2));
  const [enabled, setEnabled] = useState(schedule?.enabled ?? true);
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  const save = async () => {
    const parsed = parseJson(inputs.trim() || "{}");
    if (!parsed.ok) return setError(`Inputs: ${parsed.error}`);
    if (!parsed.value || typeof parsed.value !== "object" || Array.isArray(parsed.value)) return setError("Inputs: write an object, such as {\"topic\": \"bees\"}.");
    setBusy(true);
    setError("");
    try {
      onChange(await accessApi.putSchedule(app.id, { enabled, cron: cron.trim(), timezone: timezone.trim() || "UTC", inputs: parsed.value as Record<string, unknown> }));
      showToast("Schedule saved");
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="access-section" data-testid="schedule-section" data-enabled={schedule ? String(schedule.enabled) : "none"}>
      <div class="row gap access-section-head">
        <h3>Schedule</h3>
        <label class="row gap small">
          <input type="checkbox" data-testid="schedule-enabled" checked={enabled} onChange={(event) => setEnabled(event.currentTarget.checked)} />
          On
        </label>
      </div>
      <div class="row gap wrap" style={{ alignItems: "flex-start" }}>
        <label class="field">
          <span class="field-label">Cron</span>
          <input type="text" class="mono" data-testid="schedule-cron" value={cron} onInput={(event) => setCron(event.currentTarget.value)} />
          <span class="field-hint">minute hour day month weekday, e.g. 0 9 * * 1-5</span>
        </label>
        <label class="field">
          <span class="field-label">Time zone</span>
          <input type="text" data-testid="schedule-timezone" value={timezone} onInput={(event) => setTimezone(event.currentTarget.value)} />
        </label>
      </div>
      <label class="field">
        <span class="field-label">Inputs (JSON)</span>
        <textarea class="mono" rows={3} data-testid="schedule-inputs" value={inputs} onInput={(event) => setInputs(event.currentTarget.value)} />
      </label>
      {schedule && (
        <p class="muted small" data-testid="schedule-next">
          {schedule.enabled && schedule.next_run_at ? `Next run ${formatDateTime(schedule.next_run_at)}` : "Off: no runs planned"}
          {schedule.last_run_at ? ` · last run ${formatDateTime(schedule.last_run_at)}` : ""}
        </p>
      )}
      <ErrorText message={error} testId="schedule-error" />
      <div class="row gap">
        <button type="button" class="btn btn-primary" data-testid="schedule-save" disabled={busy} onClick={() => void save()}>
          {schedule ? "Save schedule" : "Schedule runs"}
        </button>
        {schedule && (
          <button
            type="button"
            class="btn btn-danger-outline"
            data-testid="schedule-remove"
            disabled={busy}
            onClick={() =>
              confirmAction({
                title: "Remove the schedule",
                message: "No more runs will start on it.",
                confirmLabel: "Remove",
                danger: true,
                action: async () => {
                  await accessApi.deleteTrigger(app.id, "schedule");
                  onChange(null);
                  showToast("Schedule removed");
                },
              })
            }
          >
            Remove
          </button>
        )}
      </div>
    </section>
  );
}
