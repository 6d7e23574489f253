import type { CredentialFormSchema, Credentials } from "../../model-provider-api";

/** How a credential field is shown: secrets never appear in clear, choices become a select. */
export type FieldKind = "password" | "select" | "switch" | "text";

export interface FormField {
  name: string;
  label: string;
  kind: FieldKind;
  required: boolean;
  placeholder: string;
  help: string;
  defaultValue: string;
  options: Array<{ value: string; label: string }>;
}

const KINDS: Record<CredentialFormSchema["type"], FieldKind> = {
  "secret-input": "password",
  select: "select",
  radio: "select",
  switch: "switch",
  "text-input": "text",
};

/**
 * The form a provider's credential schema describes, in the schema's order.
 * @example fieldsFromSchema([{ variable: "api_key", type: "secret-input", required: true, label: { en_US: "API Key" } }])
 * // → [{ name: "api_key", kind: "password", required: true, label: "API Key", … }]
 */
export function fieldsFromSchema(schemas: CredentialFormSchema[]): FormField[] {
  return schemas.map((schema) => ({
    name: schema.variable,
    label: schema.label.en_US || schema.variable,
    kind: KINDS[schema.type] ?? "text",
    required: schema.required,
    placeholder: schema.placeholder?.en_US ?? "",
    help: schema.help?.en_US ?? "",
    defaultValue: schema.default ?? (schema.type === "switch" ? "false" : ""),
    options: (schema.options ?? []).map((option) => ({ value: option.value, label: option.label.en_US || option.value })),
  }));
}

/**
 * The values a form starts with: what is saved (secrets arrive masked and are sent back as they
 * are, which keeps the stored secret), else each field's default.
 */
export function initialValues(fields: FormField[], saved: Credentials | null | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of fields) {
    const stored = saved?.[field.name];
    if (stored !== undefined && stored !== null && stored !== "") values[field.name] = String(stored);
    else if (field.kind === "select" && !field.defaultValue && field.required && field.options[0]) values[field.name] = field.options[0].value;
    else values[field.name] = field.defaultValue;
  }
  return values;
}

/** The first required field left empty, as a sentence for the form; null when the form is complete. */
export function formProblem(fields: FormField[], values: Record<string, string>): string | null {
  const missing = fields.find((field) => field.required && !(values[field.name] ?? "").trim());
  return missing ? `${missing.label} is required.` : null;
}

/** What the API receives: trimmed values, with optional fields left empty omitted. */
export function credentialsFrom(fields: FormField[], values: Record<string, string>): Credentials {
  const credentials: Credentials = {};
  for (const field of fields) {
    const value = (values[field.name] ?? "").trim();
    if (value) credentials[field.name] = value;
  }
  return credentials;
}

/** Saved credentials for display: secrets are masked by the API already; empty values are left out. */
export function savedSummary(fields: FormField[], saved: Credentials | null | undefined): Array<{ label: string; value: string; secret: boolean }> {
  if (!saved) return [];
  return fields
    .filter((field) => saved[field.name] !== undefined && saved[field.name] !== null && saved[field.name] !== "")
    .map((field) => ({
      label: field.label,
      value: field.kind === "select" ? (field.options.find((o) => o.value === String(saved[field.name]))?.label ?? String(saved[field.name])) : String(saved[field.name]),
      secret: field.kind === "password",
    }));
}
