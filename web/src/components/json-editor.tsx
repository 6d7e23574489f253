import { useMemo } from "preact/hooks";
import { jsonProblem, parseJson } from "../json-text";
import { CodeEditor } from "./code-editor";

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

/** A JSON editor (CodeMirror) that validates as you type and can pretty-print; the problem shows below it. */
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
      <CodeEditor label={label} language="json" value={value} onChange={onInput} readOnly={readOnly} rows={rows} invalid={Boolean(problem)} testId={testId} />
      {problem && (
        <div class="error-text" role="alert" data-testid={`${testId}-error`}>
          {problem}
        </div>
      )}
    </div>
  );
}
