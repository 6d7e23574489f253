/** Small form controls the node panels are built from. */
import type { ComponentChildren } from "preact";
import { useRef } from "preact/hooks";
import type { VariableOption } from "./available-variables";

export function Labelled({ label, children, hint }: { label: string; children: ComponentChildren; hint?: string }) {
  return (
    <label class="field wf-field">
      <span class="field-label">{label}</span>
      {children}
      {hint && <span class="field-hint">{hint}</span>}
    </label>
  );
}

export function TextInput({ value, onInput, testId, placeholder, readOnly }: { value: string; onInput: (text: string) => void; testId?: string; placeholder?: string; readOnly?: boolean }) {
  return <input type="text" value={value} placeholder={placeholder} readOnly={readOnly} data-testid={testId} onInput={(e) => onInput(e.currentTarget.value)} />;
}

export function Select({ value, options, onChange, testId, readOnly }: { value: string; options: (string | [string, string])[]; onChange: (value: string) => void; testId?: string; readOnly?: boolean }) {
  return (
    <select value={value} disabled={readOnly} data-testid={testId} onChange={(e) => onChange(e.currentTarget.value)}>
      {options.map((option) => {
        const [v, label] = Array.isArray(option) ? option : [option, option];
        return (
          <option key={v} value={v}>
            {label}
          </option>
        );
      })}
    </select>
  );
}

/**
 * A variable picker: only what the node may read (upstream outputs, sys, env, conversation),
 * grouped by owner, with types. A selector that no longer resolves stays visible as "missing".
 */
export function VariablePicker({ options, value, onChange, testId, readOnly }: { options: VariableOption[]; value: unknown; onChange: (selector: string[]) => void; testId?: string; readOnly?: boolean }) {
  const selector = Array.isArray(value) ? (value as string[]) : [];
  const current = selector.join(".");
  const known = options.some((o) => o.selector.join(".") === current);
  const groups = new Map<string, VariableOption[]>();
  for (const option of options) groups.set(option.group, [...(groups.get(option.group) ?? []), option]);
  return (
    <select
      class={current && !known ? "wf-picker invalid" : "wf-picker"}
      value={current}
      disabled={readOnly}
      data-testid={testId}
      onChange={(e) => onChange(e.currentTarget.value ? e.currentTarget.value.split(".") : [])}
    >
      <option value="">Choose a variable…</option>
      {current && !known && <option value={current}>{current} (not upstream)</option>}
      {[...groups].map(([group, list]) => (
        <optgroup key={group} label={group}>
          {list.map((option) => (
            <option key={option.selector.join(".")} value={option.selector.join(".")}>
              {option.name} · {option.type}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}

/** A textarea for text with `{{#node.var#}}` references, with a picker that inserts one at the cursor. */
export function TemplateArea({ value, onInput, options, testId, rows = 4, readOnly, mono }: { value: string; onInput: (text: string) => void; options: VariableOption[]; testId?: string; rows?: number; readOnly?: boolean; mono?: boolean }) {
  const area = useRef<HTMLTextAreaElement>(null);
  const insert = (selector: string[]) => {
    if (!selector.length) return;
    const reference = `{{#${selector.join(".")}#}}`;
    const element = area.current;
    const at = element ? element.selectionStart : value.length;
    const end = element ? element.selectionEnd : value.length;
    onInput(`${value.slice(0, at)}${reference}${value.slice(end)}`);
  };
  const references = [...value.matchAll(/\{\{#([^#]+)#\}\}/g)].map((m) => m[1]);
  const unknown = references.filter((r) => !options.some((o) => o.selector.join(".") === r));
  return (
    <div class="wf-template">
      <textarea ref={area} class={mono ? "code" : undefined} rows={rows} value={value} readOnly={readOnly} spellcheck={!mono} data-testid={testId} onInput={(e) => onInput(e.currentTarget.value)} />
      {!readOnly && (
        <select class="wf-insert" value="" onChange={(e) => insert(e.currentTarget.value ? e.currentTarget.value.split(".") : [])} data-testid={testId ? `${testId}-insert` : undefined}>
          <option value="">Insert variable {"{x}"}</option>
          {options.map((o) => (
            <option key={o.selector.join(".")} value={o.selector.join(".")}>
              {o.group} / {o.name}
            </option>
          ))}
        </select>
      )}
      {references.length > 0 && (
        <div class="wf-refs small">
          {references.map((r, i) => (
            <code key={i} class={unknown.includes(r) ? "wf-ref missing" : "wf-ref"}>
              {r}
            </code>
          ))}
        </div>
      )}
    </div>
  );
}

/** A list with add and remove buttons; `render` draws one item's fields. */
export function ListEditor<T>({ items, render, onChange, make, addLabel, testId, readOnly }: { items: T[]; render: (item: T, update: (next: T) => void, index: number) => ComponentChildren; onChange: (items: T[]) => void; make: () => T; addLabel: string; testId?: string; readOnly?: boolean }) {
  return (
    <div class="wf-list" data-testid={testId}>
      {items.map((item, index) => (
        <div class="wf-list-row" key={index}>
          <div class="wf-list-fields">{render(item, (next) => onChange(items.map((it, i) => (i === index ? next : it))), index)}</div>
          {!readOnly && (
            <button type="button" class="icon-button" aria-label="Remove" onClick={() => onChange(items.filter((_, i) => i !== index))}>
              ×
            </button>
          )}
        </div>
      ))}
      {!readOnly && (
        <button type="button" class="btn btn-small btn-ghost" onClick={() => onChange([...items, make()])} data-testid={testId ? `${testId}-add` : undefined}>
          + {addLabel}
        </button>
      )}
    </div>
  );
}
