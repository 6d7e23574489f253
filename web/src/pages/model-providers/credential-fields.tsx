import type { FormField } from "./credential-form";

interface Props {
  fields: FormField[];
  values: Record<string, string>;
  onChange: (name: string, value: string) => void;
  /** Prefixes each control's data-testid, e.g. `model-field` → `model-field-endpoint_url`. */
  testPrefix: string;
}

/** The controls of a credential form built from a provider's schema. */
export function CredentialFields({ fields, values, onChange, testPrefix }: Props) {
  return (
    <>
      {fields.map((field) => {
        const id = `${testPrefix}-${field.name}`;
        const value = values[field.name] ?? "";
        return (
          <div class="field" key={field.name}>
            <label class="field-label" for={id}>
              {field.label}
              {field.required && (
                <span class="required-mark" aria-hidden="true">
                  {" "}
                  *
                </span>
              )}
            </label>
            {field.kind === "select" ? (
              <select id={id} data-testid={id} value={value} required={field.required} onChange={(e) => onChange(field.name, e.currentTarget.value)}>
                {!field.required && !field.defaultValue && <option value="">—</option>}
                {field.options.map((option) => (
                  <option key={option.value} value={option.value}>
                    {option.label}
                  </option>
                ))}
              </select>
            ) : field.kind === "switch" ? (
              <input id={id} type="checkbox" data-testid={id} checked={value === "true"} onChange={(e) => onChange(field.name, e.currentTarget.checked ? "true" : "false")} />
            ) : field.kind === "password" ? (
              <input
                id={id}
                type="password"
                autocomplete="new-password"
                data-testid={id}
                required={field.required}
                placeholder={field.placeholder || "Paste the key"}
                value={value}
                onInput={(e) => onChange(field.name, e.currentTarget.value)}
              />
            ) : (
              <input
                id={id}
                type="text"
                autocomplete="off"
                data-testid={id}
                required={field.required}
                placeholder={field.placeholder}
                value={value}
                onInput={(e) => onChange(field.name, e.currentTarget.value)}
              />
            )}
            {field.help && <span class="field-hint">{field.help}</span>}
          </div>
        );
      })}
    </>
  );
}
