/** Small form controls the node panels are built from. */
import type { ComponentChildren } from "preact";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { CodeEditor, type CodeEditorControl } from "../components/code-editor";
import { MarkedText } from "../components/marked-text";
import { jsonProblem, parseJson } from "../json-text";
import type { VariableOption } from "./available-variables";

/**
 * A field with its label. `group` draws a `<div>` rather than a `<label>`, for contents that are
 * not one form control (a code editor, a list): a `<label>` would send clicks to its first input.
 */
export function Labelled({ label, children, hint, group }: { label: string; children: ComponentChildren; hint?: string; group?: boolean }) {
  const Tag = group ? "div" : "label";
  return (
    <Tag class="field wf-field">
      <span class="field-label">{label}</span>
      {children}
      {hint && <span class="field-hint">{hint}</span>}
    </Tag>
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

/** What a template's highlighted copy takes from its textarea, so both lay the text out alike. */
const MIRRORED_STYLES = ["font-family", "font-size", "font-weight", "line-height", "letter-spacing", "tab-size", "white-space", "word-break", "overflow-wrap", "padding-top", "padding-right", "padding-bottom", "padding-left", "border-top-width", "border-right-width", "border-bottom-width", "border-left-width"];

/** The text cut into plain runs and `{{#node.var#}}` references. */
export function referenceSegments(text: string): { text: string; reference?: string }[] {
  const segments: { text: string; reference?: string }[] = [];
  let at = 0;
  for (const match of text.matchAll(/\{\{#([^#{}]+)#\}\}/g)) {
    if (match.index! > at) segments.push({ text: text.slice(at, match.index) });
    segments.push({ text: match[0], reference: match[1] });
    at = match.index! + match[0].length;
  }
  if (at < text.length) segments.push({ text: text.slice(at) });
  return segments;
}

/**
 * A textarea for text with `{{#node.var#}}` references, with a picker that inserts one at the
 * cursor. The references are highlighted (those that do not resolve in red): a copy of the text
 * with them marked sits behind the transparent textarea, so it stays a plain, accessible textarea.
 */
export function TemplateArea({ value, onInput, options, testId, rows = 4, readOnly, mono }: { value: string; onInput: (text: string) => void; options: VariableOption[]; testId?: string; rows?: number; readOnly?: boolean; mono?: boolean }) {
  const area = useRef<HTMLTextAreaElement>(null);
  const backdrop = useRef<HTMLDivElement>(null);
  const known = new Set(options.map((o) => o.selector.join(".")));
  // The copy must wrap exactly as the textarea does, whatever styles the textarea gets where it is used.
  useLayoutEffect(() => {
    if (!area.current || !backdrop.current) return;
    const style = getComputedStyle(area.current);
    for (const property of MIRRORED_STYLES) backdrop.current.style.setProperty(property, style.getPropertyValue(property));
  }, [mono]);
  const insert = (selector: string[]) => {
    if (!selector.length) return;
    const reference = `{{#${selector.join(".")}#}}`;
    const element = area.current;
    const at = element ? element.selectionStart : value.length;
    const end = element ? element.selectionEnd : value.length;
    onInput(`${value.slice(0, at)}${reference}${value.slice(end)}`);
  };
  return (
    <div class="wf-template">
      <div class="wf-template-box">
        <div ref={backdrop} class={mono ? "wf-template-backdrop code" : "wf-template-backdrop"} aria-hidden="true">
          <MarkedText runs={referenceSegments(value).map(({ text, reference }) => ({ text, mark: reference !== undefined, missing: reference !== undefined && !known.has(reference) }))} />
        </div>
        <textarea
          ref={area}
          class={mono ? "code" : undefined}
          rows={rows}
          value={value}
          readOnly={readOnly}
          spellcheck={!mono}
          data-testid={testId}
          onInput={(e) => onInput(e.currentTarget.value)}
          onScroll={(e) => {
            if (!backdrop.current) return;
            backdrop.current.scrollTop = e.currentTarget.scrollTop;
            backdrop.current.scrollLeft = e.currentTarget.scrollLeft;
          }}
        />
      </div>
      {!readOnly && options.length > 0 && <InsertVariable options={options} testId={testId} onPick={insert} />}
      <ReferenceList value={value} options={options} />
    </div>
  );
}

/** "Insert variable {x}": a picker that hands back the chosen selector. */
function InsertVariable({ options, testId, onPick }: { options: VariableOption[]; testId?: string; onPick: (selector: string[]) => void }) {
  return (
    <select class="wf-insert" value="" onChange={(e) => onPick(e.currentTarget.value ? e.currentTarget.value.split(".") : [])} data-testid={testId ? `${testId}-insert` : undefined}>
      <option value="">Insert variable {"{x}"}</option>
      {options.map((o) => (
        <option key={o.selector.join(".")} value={o.selector.join(".")}>
          {o.group} / {o.name}
        </option>
      ))}
    </select>
  );
}

/** The `{{#…#}}` references in a text, those that do not resolve marked as missing. */
function ReferenceList({ value, options }: { value: string; options: VariableOption[] }) {
  const references = [...value.matchAll(/\{\{#([^#]+)#\}\}/g)].map((m) => m[1]);
  if (!references.length) return null;
  const known = new Set(options.map((o) => o.selector.join(".")));
  return (
    <div class="wf-refs small">
      {references.map((r, i) => (
        <code key={i} class={known.has(r) ? "wf-ref" : "wf-ref missing"}>
          {r}
        </code>
      ))}
    </div>
  );
}

/**
 * JSON with `{{#node.var#}}` references (an HTTP request's body) in a code editor that completes
 * references after `{{#`. The text need not be JSON until the references are filled in, so a
 * problem is checked with each reference standing in for a value.
 */
export function JsonTemplateEditor({ value, onInput, options, testId, label, readOnly }: { value: string; onInput: (text: string) => void; options: VariableOption[]; testId?: string; label: string; readOnly?: boolean }) {
  const control = useRef<CodeEditorControl | null>(null);
  const references = options.map((o) => ({ selector: o.selector.join("."), detail: `${o.group} · ${o.type}` }));
  // Each reference becomes a number of its own length, so a problem's line and column stay true.
  const problem = value.trim() ? jsonProblem(value.replace(/\{\{#[^#]+#\}\}/g, (reference) => "1".padEnd(reference.length, "0"))) : null;
  return (
    <div class="wf-template">
      <CodeEditor label={label} language="json" value={value} onChange={onInput} readOnly={readOnly} rows={5} invalid={Boolean(problem)} testId={testId} references={references} control={control} />
      {!readOnly && <InsertVariable options={options} testId={testId} onPick={(selector) => selector.length && control.current?.insert(`{{#${selector.join(".")}#}}`)} />}
      {problem && (
        <div class="error-text small" role="alert" data-testid={testId ? `${testId}-error` : undefined}>
          {problem}
        </div>
      )}
      <ReferenceList value={value} options={options} />
    </div>
  );
}

/**
 * A JSON object edited as text (a structured-output schema, a node's whole `data`). The text is
 * the user's while they type; `onChange` gets each version that parses and passes `validate`, and
 * a value changed from outside (undo) replaces the text. The problem shows under the editor.
 */
export function JsonField({ value, onChange, validate, testId, label, rows = 10, readOnly }: { value: unknown; onChange: (value: Record<string, unknown>) => void; validate?: (value: unknown) => string | null; testId?: string; label: string; rows?: number; readOnly?: boolean }) {
  const pretty = (v: unknown) => JSON.stringify(v ?? {}, null, 2);
  const [text, setText] = useState(() => pretty(value));
  const check = (v: unknown) => (typeof v !== "object" || v === null || Array.isArray(v) ? "Must be a JSON object." : validate ? validate(v) : null);
  useEffect(() => {
    const parsed = parseJson(text);
    if (!parsed.ok || JSON.stringify(parsed.value) !== JSON.stringify(value ?? {})) setText(pretty(value));
    // Only an outside change of the value should rewrite the text.
  }, [JSON.stringify(value ?? {})]);
  const problem = jsonProblem(text, check);
  return (
    <>
      <CodeEditor
        label={label}
        language="json"
        value={text}
        rows={rows}
        readOnly={readOnly}
        invalid={Boolean(problem)}
        testId={testId}
        onChange={(next) => {
          setText(next);
          const parsed = parseJson(next);
          if (parsed.ok && !check(parsed.value)) onChange(parsed.value as Record<string, unknown>);
        }}
      />
      {problem && (
        <div class="error-text small" role="alert" data-testid={testId ? `${testId}-error` : undefined}>
          {problem}
        </div>
      )}
    </>
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
