import type { InputField } from "./types";

interface Props {
  fields: InputField[];
  values: Record<string, unknown>;
  onChange: (values: Record<string, unknown>) => void;
  disabled?: boolean;
}

/** The app's input form (Dify's `user_input_form`): text, paragraph, select, number and checkbox fields. */
export function InputForm({ fields, values, onChange, disabled }: Props) {
  const set = (variable: string, value: unknown) => onChange({ ...values, [variable]: value });
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
          return (
            <div class="wa-field" key={field.variable}>
              {label}
              <p class="wa-muted">File inputs are not offered in the web app yet; this app can be run through its API.</p>
            </div>
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
