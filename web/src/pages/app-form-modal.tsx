import { useState } from "preact/hooks";
import { api, errorMessage, type App, type AppMode } from "../api";
import { AppIcon } from "../components/app-icon";
import { ErrorText } from "../components/error-text";
import { Field } from "../components/field";
import { Modal } from "../components/modal";
import { MODES } from "../format";

const ICONS = ["🤖", "📝", "🧭", "💬", "🔀", "🐝", "📚", "🔎", "✉️", "📊", "🧪", "⚡"];
const BACKGROUNDS = ["#FFEAD5", "#E0F2FE", "#D1FADF", "#FCE7F6", "#EBE9FE", "#FEF7C3", "#F2F4F7"];

interface Props {
  /** Present when editing; absent when creating. */
  app?: App;
  onClose: () => void;
  onSaved: (app: App) => void;
}

/** Create an app (name, description, mode, icon) or edit an existing one's name, description and icon. */
export function AppFormModal({ app, onClose, onSaved }: Props) {
  const editing = Boolean(app);
  const [name, setName] = useState(app?.name ?? "");
  const [description, setDescription] = useState(app?.description ?? "");
  const [mode, setMode] = useState<AppMode>(app?.mode ?? "chat");
  const [icon, setIcon] = useState(app?.icon && app.icon_type !== "image" ? app.icon : "");
  const [background, setBackground] = useState(app?.icon_background ?? BACKGROUNDS[0]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const prefix = editing ? "edit-app" : "app";

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!name.trim()) return setError("Give the app a name.");
    setBusy(true);
    setError("");
    const chosenIcon = icon || MODES.find((m) => m.value === mode)?.icon;
    try {
      const saved = app
        ? await api.updateApp(app.id, { name: name.trim(), description, icon: chosenIcon, icon_background: background })
        : await api.createApp({ name: name.trim(), mode, description, icon: chosenIcon, icon_background: background });
      onSaved(saved);
    } catch (caught) {
      setError(errorMessage(caught));
      setBusy(false);
    }
  };

  const selectedMode = MODES.find((m) => m.value === mode);
  return (
    <Modal
      title={editing ? "Edit app" : "Create app"}
      onClose={onClose}
      testId={editing ? "edit-app-modal" : "create-app-modal"}
      footer={
        <>
          <button type="button" class="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="app-form" class="btn btn-primary" data-testid={editing ? "edit-app-submit" : "create-app-submit"} disabled={busy}>
            {busy ? "Saving…" : editing ? "Save" : "Create"}
          </button>
        </>
      }
    >
      <form id="app-form" class="form" onSubmit={submit}>
        {!editing && (
          <Field label="App type" hint={selectedMode?.description}>
            <select data-testid="app-mode" value={mode} onChange={(e) => setMode(e.currentTarget.value as AppMode)}>
              {MODES.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
          </Field>
        )}
        <div class="icon-name-row">
          <AppIcon icon={icon || null} background={background} mode={mode} size={44} />
          <Field label="Name">
            <input
              type="text"
              required
              maxLength={100}
              placeholder="Give your app a name"
              data-testid={`${prefix}-name`}
              value={name}
              onInput={(e) => setName(e.currentTarget.value)}
            />
          </Field>
        </div>
        <div class="icon-picker" data-testid={`${prefix}-icon-picker`}>
          {ICONS.map((choice) => (
            <button type="button" key={choice} class={choice === icon ? "icon-choice selected" : "icon-choice"} onClick={() => setIcon(choice)} aria-label={`Icon ${choice}`}>
              {choice}
            </button>
          ))}
        </div>
        <div class="icon-picker" data-testid={`${prefix}-background-picker`}>
          {BACKGROUNDS.map((color) => (
            <button
              type="button"
              key={color}
              class={color === background ? "swatch selected" : "swatch"}
              style={{ background: color }}
              onClick={() => setBackground(color)}
              aria-label={`Background ${color}`}
            />
          ))}
        </div>
        <Field label="Description" hint="Optional.">
          <textarea
            rows={3}
            maxLength={400}
            placeholder="What does this app do?"
            data-testid={`${prefix}-description`}
            value={description}
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
        </Field>
        <ErrorText message={error} testId={`${prefix}-error`} />
      </form>
    </Modal>
  );
}
