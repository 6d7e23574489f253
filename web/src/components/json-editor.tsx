import { useMemo } from "preact/hooks";
import { jsonProblem, parseJson } from "../json-text";

interface Props {
  label: string;
  value: string;
  onInput: (text: string) => void;
  /** Extra checks on the parsed value; returns a problem or null. */
  validate?: (value: unknown) => string | null;
  testId: string;
  rows?: number;
  readOnly?: boolean;
}

/** A monospace textarea that validates JSON as you type and can pretty-print it. */
export function JsonEditor({ label, value, onInput, validate, testId, rows = 16, readOnly }: Props) {
  const problem = useMemo(() => jsonProblem(value, validate), [value, validate]);
  const format = () => {
    const parsed = parseJson(value);
    if (parsed.ok) onInput(JSON.stringify(parsed.value, null, 2));
  };
  return (
    <div class="json-editor">
      <div class="json-editor-head">
        <span class="field-label">{label}</span>
        <span class={problem ? "json-status invalid" : "json-status valid"} data-testid={`${testId}-status`}>
          {problem ? "Invalid" : "Valid JSON"}
        </span>
        {!readOnly && (
          <button type="button" class="btn btn-small btn-ghost" onClick={format} disabled={Boolean(problem)} data-testid={`${testId}-format`}>
            Format
          </button>
        )}
      </div>
      <textarea
        class={problem ? "code invalid" : "code"}
        spellcheck={false}
        rows={rows}
        readOnly={readOnly}
        data-testid={testId}
        value={value}
        onInput={(e) => onInput(e.currentTarget.value)}
        onKeyDown={(e) => {
          // Tab indents instead of leaving the editor.
          if (e.key === "Tab" && !e.shiftKey && !readOnly) {
            e.preventDefault();
            const area = e.currentTarget;
            const { selectionStart, selectionEnd } = area;
            onInput(`${area.value.slice(0, selectionStart)}  ${area.value.slice(selectionEnd)}`);
            requestAnimationFrame(() => area.setSelectionRange(selectionStart + 2, selectionStart + 2));
          }
        }}
      />
      {problem && (
        <div class="error-text" role="alert" data-testid={`${testId}-error`}>
          {problem}
        </div>
      )}
    </div>
  );
}
