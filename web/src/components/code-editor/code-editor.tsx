import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { CodeEditorHandle, CodeLanguage, ReferenceOption } from "./codemirror-editor";

export type { CodeLanguage, ReferenceOption };

/** What a parent may do to the editor, e.g. insert a picked variable at the cursor. */
export interface CodeEditorControl {
  insert(text: string): void;
}

interface Props {
  value: string;
  onChange: (text: string) => void;
  language: CodeLanguage;
  /** Read by assistive technology, since the editor is not a form control a `<label>` can name. */
  label: string;
  testId?: string;
  readOnly?: boolean;
  /** Visible height before it scrolls: at least this many lines. */
  rows?: number;
  invalid?: boolean;
  placeholder?: string;
  /** Variables offered after typing `{{#`. */
  references?: ReferenceOption[];
  lineNumbers?: boolean;
  control?: { current: CodeEditorControl | null };
}

/** CodeMirror and its setup: one chunk, fetched the first time any editor appears. */
let loading: Promise<typeof import("./codemirror-editor")> | null = null;
const loadCodeMirror = () => (loading ??= import("./codemirror-editor"));

/**
 * A CodeMirror 6 editor as a controlled Preact component: created on mount, destroyed on unmount,
 * `onChange` on every edit, and a new `value` from outside (undo, another field) applied without
 * moving the cursor. Until CodeMirror has loaded — or if it cannot — a plain textarea edits the
 * same value, so nothing typed is lost.
 *
 * @example
 *   <CodeEditor label="Code" language="python3" value={code} onChange={(code) => set({ code })} />
 */
export function CodeEditor(props: Props) {
  const { value, language, readOnly = false, rows = 8 } = props;
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<CodeEditorHandle | null>(null);
  const [ready, setReady] = useState(false);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    let cancelled = false;
    loadCodeMirror()
      .then(({ createCodeEditor }) => {
        const parent = host.current;
        if (cancelled || !parent) return;
        const wasFocused = parent.parentElement?.contains(document.activeElement) ?? false;
        const current = latest.current;
        editor.current = createCodeEditor(parent, {
          value: current.value,
          language: current.language,
          readOnly: Boolean(current.readOnly),
          label: current.label,
          placeholder: current.placeholder,
          references: current.references,
          lineNumbers: current.lineNumbers,
          onChange: (text) => latest.current.onChange(text),
        });
        setReady(true);
        if (wasFocused) editor.current.focus();
      })
      .catch(() => {
        // Offline or a stale deployment: the textarea keeps working.
        loading = null;
      });
    return () => {
      cancelled = true;
      editor.current?.destroy();
      editor.current = null;
    };
  }, []);

  // In a layout effect, in the same task as the render: a passive effect runs a frame later, when
  // the next keystroke may already be in the editor, and would put back the text from before it.
  useLayoutEffect(() => editor.current?.setValue(value), [value, ready]);
  useEffect(() => editor.current?.setLanguage(language), [language, ready]);
  useEffect(() => editor.current?.setReadOnly(readOnly), [readOnly, ready]);
  useEffect(() => editor.current?.setReferences(props.references ?? []), [props.references, ready]);

  if (props.control) {
    props.control.current = {
      insert: (text) => {
        if (editor.current) editor.current.insert(text);
        else latest.current.onChange(latest.current.value + text);
      },
    };
  }

  return (
    <div
      class={props.invalid ? "code-editor invalid" : "code-editor"}
      data-testid={props.testId}
      data-language={language}
      data-ready={ready ? "true" : "false"}
      style={{ "--code-editor-min-height": `${rows * 1.5}em`, "--code-editor-max-height": `${Math.max(rows * 2.5, 28)}em` }}
    >
      {!ready && (
        <textarea
          class={props.invalid ? "code invalid" : "code"}
          rows={rows}
          spellcheck={false}
          value={value}
          readOnly={readOnly}
          placeholder={props.placeholder}
          aria-label={props.label}
          onInput={(e) => props.onChange(e.currentTarget.value)}
        />
      )}
      <div ref={host} />
    </div>
  );
}
