import { useRef, useState } from "preact/hooks";
import { acceptFor, fileReference, type FileReference, type InputField } from "./types";

/** What `/api/files/upload` answers (the fields the form uses). */
export interface UploadedFile {
  id: string;
  name: string;
  mime_type: string;
}

interface Props {
  fields: InputField[];
  values: Record<string, unknown>;
  onChange: (values: Record<string, unknown>) => void;
  disabled?: boolean;
  /** Uploads a chosen file (`/api/files/upload`); without it, file fields say they cannot be filled here. */
  upload?: (file: File) => Promise<UploadedFile>;
  /** Told how many uploads are under way, so the page can hold Run until they finish. */
  onUploading?: (count: number) => void;
}

const referencesOf = (value: unknown): FileReference[] => (Array.isArray(value) ? (value as FileReference[]) : value && typeof value === "object" ? [value as FileReference] : []);

/**
 * A `file` or `file-list` input: each chosen file is uploaded at once and the field's value becomes
 * Dify's `{type, transfer_method: "local_file", upload_file_id}` (a list of them for `file-list`,
 * at most `max_length`).
 */
function FileField({ field, value, onChange, disabled, upload, onUploading }: { field: InputField; value: unknown; onChange: (value: unknown) => void; disabled?: boolean; upload: (file: File) => Promise<UploadedFile>; onUploading?: (delta: number) => void }) {
  const id = `wa-input-${field.variable}`;
  const [names, setNames] = useState<Record<string, string>>({});
  const [uploading, setUploading] = useState(0);
  const [error, setError] = useState("");
  const input = useRef<HTMLInputElement>(null);
  const many = field.kind === "file-list";
  const limit = many ? (field.maxLength ?? 5) : 1;
  const current = referencesOf(value);
  // The latest value, for uploads that finish one after another.
  const latest = useRef(current);
  latest.current = current;

  const choose = async (list: FileList | null) => {
    const chosen = Array.from(list ?? []);
    if (input.current) input.current.value = "";
    if (!chosen.length) return;
    setError("");
    const room = many ? limit - latest.current.length : 1;
    if (chosen.length > room) {
      setError(many ? `At most ${limit} files.` : "Choose one file.");
      return;
    }
    for (const file of chosen) {
      setUploading((count) => count + 1);
      onUploading?.(1);
      try {
        const uploaded = await upload(file);
        setNames((known) => ({ ...known, [uploaded.id]: uploaded.name }));
        const reference = fileReference(uploaded, field.fileTypes);
        const next = many ? [...latest.current, reference] : [reference];
        latest.current = next;
        onChange(many ? next : reference);
      } catch (failure) {
        setError(`${file.name}: ${(failure as Error).message}`);
      } finally {
        setUploading((count) => count - 1);
        onUploading?.(-1);
      }
    }
  };

  const remove = (uploadFileId: string) => {
    const next = latest.current.filter((reference) => reference.upload_file_id !== uploadFileId);
    latest.current = next;
    onChange(many ? (next.length ? next : undefined) : undefined);
  };

  return (
    <div class="wa-field wa-file-field">
      <label for={id}>
        {field.label}
        {field.required ? null : <span class="wa-optional"> (optional)</span>}
      </label>
      {current.length ? (
        <ul class="wa-file-list" aria-label={`${field.label} files`}>
          {current.map((reference) => (
            <li key={reference.upload_file_id}>
              <span>📎 {names[reference.upload_file_id] ?? "file"}</span>
              <button type="button" class="wa-icon" disabled={disabled} aria-label={`Remove ${names[reference.upload_file_id] ?? "file"}`} onClick={() => remove(reference.upload_file_id)}>
                ✕
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {current.length < limit ? (
        <input
          id={id}
          ref={input}
          type="file"
          multiple={many}
          accept={acceptFor(field.fileTypes, field.fileExtensions) || undefined}
          disabled={disabled}
          onChange={(e) => void choose((e.target as HTMLInputElement).files)}
        />
      ) : null}
      {uploading ? (
        <p class="wa-muted" role="status">
          Uploading…
        </p>
      ) : null}
      {error ? (
        <p class="wa-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** The app's input form (Dify's `user_input_form`): text, paragraph, select, number, checkbox and file fields. */
export function InputForm({ fields, values, onChange, disabled, upload, onUploading }: Props) {
  // Uploads finish after other edits: always change the latest values.
  const latest = useRef(values);
  latest.current = values;
  const uploadingCount = useRef(0);
  const set = (variable: string, value: unknown) => {
    latest.current = { ...latest.current, [variable]: value };
    onChange(latest.current);
  };
  return (
    <div class="wa-form">
      {fields.map((field) => {
        const id = `wa-input-${field.variable}`;
        const value = values[field.variable];
        const label = (
          <label for={id}>
            {field.label}
            {field.required ? null : <span class="wa-optional"> (optional)</span>}
          </label>
        );
        if (field.kind === "checkbox") {
          return (
            <div class="wa-field wa-check" key={field.variable}>
              <input id={id} type="checkbox" checked={value === true} disabled={disabled} onChange={(e) => set(field.variable, (e.target as HTMLInputElement).checked)} />
              {label}
            </div>
          );
        }
        if (field.kind === "file" || field.kind === "file-list") {
          if (!upload) {
            return (
              <div class="wa-field" key={field.variable}>
                {label}
                <p class="wa-muted">Files cannot be chosen here; this app can be run through its API.</p>
              </div>
            );
          }
          return (
            <FileField
              key={field.variable}
              field={field}
              value={value}
              disabled={disabled}
              upload={upload}
              onChange={(next) => set(field.variable, next)}
              onUploading={(delta) => {
                uploadingCount.current += delta;
                onUploading?.(uploadingCount.current);
              }}
            />
          );
        }
        return (
          <div class="wa-field" key={field.variable}>
            {label}
            {field.kind === "paragraph" ? (
              <textarea id={id} rows={4} maxLength={field.maxLength} disabled={disabled} value={String(value ?? "")} onInput={(e) => set(field.variable, (e.target as HTMLTextAreaElement).value)} />
            ) : field.kind === "select" ? (
              <select id={id} disabled={disabled} value={String(value ?? "")} onChange={(e) => set(field.variable, (e.target as HTMLSelectElement).value)}>
                <option value="">Choose…</option>
                {field.options.map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </select>
            ) : (
              field.kind === "number" ? (
                <input id={id} type="number" disabled={disabled} value={String(value ?? "")} onInput={(e) => set(field.variable, (e.target as HTMLInputElement).value)} />
              ) : (
                <input id={id} type="text" maxLength={field.maxLength} disabled={disabled} value={String(value ?? "")} onInput={(e) => set(field.variable, (e.target as HTMLInputElement).value)} />
              )
            )}
          </div>
        );
      })}
    </div>
  );
}

/** Initial values: each field's default, if it has one. */
export function defaultValues(fields: InputField[]): Record<string, unknown> {
  return Object.fromEntries(fields.filter((f) => f.defaultValue !== undefined && f.defaultValue !== null && f.defaultValue !== "").map((f) => [f.variable, f.defaultValue]));
}
