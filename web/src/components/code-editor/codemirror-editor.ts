/**
 * CodeMirror 6, set up for Waggle's fields: code (JavaScript, Python), Jinja templates, JSON and
 * text with `{{#node.var#}}` references. Loaded only when an editor first appears (see
 * `code-editor.tsx`); each language's parser is a further chunk of its own.
 */
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap, pickedCompletion, type Completion, type CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { bracketMatching, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { Annotation, Compartment, EditorState, Transaction, type Extension } from "@codemirror/state";
import { Decoration, EditorView, MatchDecorator, ViewPlugin, drawSelection, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers, placeholder, type DecorationSet, type ViewUpdate } from "@codemirror/view";
import { classHighlighter } from "@lezer/highlight";
import { jinja } from "./jinja-language";

export type CodeLanguage = "javascript" | "python3" | "json" | "jinja" | "text";

/** A variable a reference may name, offered after `{{#`. */
export interface ReferenceOption {
  /** `node_id.variable`, as written between `{{#` and `#}}`. */
  selector: string;
  /** Shown beside it: the owner and type. */
  detail?: string;
}

export interface CodeEditorOptions {
  value: string;
  language: CodeLanguage;
  readOnly: boolean;
  onChange: (text: string) => void;
  label?: string;
  placeholder?: string;
  references?: ReferenceOption[];
  lineNumbers?: boolean;
}

export interface CodeEditorHandle {
  /** Replaces the text from outside (undo, another field); the cursor stays where it was. */
  setValue(text: string): void;
  setLanguage(language: CodeLanguage): void;
  setReadOnly(readOnly: boolean): void;
  setReferences(references: ReferenceOption[]): void;
  /** Types `text` at the cursor, replacing the selection. */
  insert(text: string): void;
  focus(): void;
  destroy(): void;
}

/** Marks a transaction that mirrors the outside value, so it is not reported back as an edit. */
const external = Annotation.define<boolean>();

async function languageSupport(language: CodeLanguage): Promise<Extension> {
  switch (language) {
    case "javascript":
      return (await import("@codemirror/lang-javascript")).javascript();
    case "python3":
      return (await import("@codemirror/lang-python")).python();
    case "json":
      return (await import("@codemirror/lang-json")).json();
    case "jinja":
      return jinja();
    default:
      return [];
  }
}

const referenceMarks = new MatchDecorator({ regexp: /\{\{#[A-Za-z0-9_.-]+#\}\}/g, decoration: Decoration.mark({ class: "cm-reference" }) });

/** Highlights `{{#node.var#}}` references whatever the language (an HTTP body's JSON, a prompt). */
const references = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = referenceMarks.createDeco(view);
    }
    update(update: ViewUpdate) {
      this.decorations = referenceMarks.updateDeco(update, this.decorations);
    }
  },
  { decorations: (plugin) => plugin.decorations },
);

/** The `{{#` completion: the variables the node may read. */
function referenceCompletion(list: () => ReferenceOption[]) {
  return (context: CompletionContext): CompletionResult | null => {
    const before = context.matchBefore(/\{\{#[A-Za-z0-9_.-]*/);
    if (!before || !list().length) return null;
    // Typing `{{#` usually leaves `}}` after the cursor (brackets close themselves): complete up to it.
    const after = context.state.sliceDoc(context.pos, context.pos + 3);
    const tail = after === "#}}" ? "" : after.startsWith("}}") ? "#" : "#}}";
    return {
      from: before.from + 3,
      options: list().map((option) => ({
        label: option.selector,
        detail: option.detail,
        type: "variable",
        // The cursor goes after the closing `#}}`, wherever that came from, ready for what follows.
        apply: (view: EditorView, completion: Completion, from: number, to: number) =>
          view.dispatch({ changes: { from, to, insert: `${option.selector}${tail}` }, selection: { anchor: from + option.selector.length + 3 }, annotations: pickedCompletion.of(completion) }),
      })),
      validFor: /^[A-Za-z0-9_.-]*$/,
    };
  };
}

const theme = EditorView.theme({
  "&": { fontSize: "13px", border: "1px solid var(--border-strong)", borderRadius: "6px", background: "var(--surface)" },
  "&.cm-focused": { outline: "2px solid var(--primary)", outlineOffset: "-1px" },
  ".cm-scroller": { fontFamily: "var(--mono)", lineHeight: "1.5", minHeight: "var(--code-editor-min-height, 6em)", maxHeight: "var(--code-editor-max-height, 28em)", overflow: "auto" },
  ".cm-content": { padding: "6px 0" },
  ".cm-gutters": { background: "#f8f9fb", color: "#98a2b3", borderRight: "1px solid #eaecf0", borderRadius: "6px 0 0 6px" },
  ".cm-activeLine": { background: "#f5f8ff" },
  ".cm-activeLineGutter": { background: "#eef2ff" },
  ".cm-placeholder": { color: "#98a2b3" },
  ".cm-reference": { color: "#155eef", background: "#eff4ff", borderRadius: "3px" },
  ".tok-keyword": { color: "#7c3aed" },
  ".tok-atom, .tok-bool": { color: "#b54708" },
  ".tok-number": { color: "#b54708" },
  ".tok-string, .tok-string2": { color: "#067647" },
  ".tok-comment": { color: "#667085", fontStyle: "italic" },
  ".tok-meta": { color: "#c11574", fontWeight: "600" },
  ".tok-propertyName": { color: "#175cd3" },
  ".tok-variableName.tok-definition": { color: "#1d2939", fontWeight: "600" },
  ".tok-variableName2": { color: "#155eef" },
  ".tok-typeName, .tok-className": { color: "#0e7090" },
  ".tok-operator": { color: "#475467" },
  ".tok-invalid": { color: "#d92d20" },
});

/**
 * Mounts an editor in `parent`.
 *
 * @example
 *   const editor = createCodeEditor(div, { value: "def main():\n  return {}", language: "python3", readOnly: false, onChange: save });
 *   editor.setValue(fromUndo); // the cursor stays put
 *   editor.destroy();
 */
export function createCodeEditor(parent: HTMLElement, options: CodeEditorOptions): CodeEditorHandle {
  const language = new Compartment();
  const editable = new Compartment();
  let referenceList = options.references ?? [];
  let languageRequest = 0;
  const readOnlyExtension = (readOnly: boolean) => [EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)];

  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: options.value,
      extensions: [
        options.lineNumbers === false ? [] : [lineNumbers(), highlightActiveLineGutter()],
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        closeBrackets(),
        highlightActiveLine(),
        syntaxHighlighting(classHighlighter),
        autocompletion({ override: [referenceCompletion(() => referenceList)], icons: false }),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap, indentWithTab]),
        EditorState.tabSize.of(options.language === "python3" ? 4 : 2),
        EditorView.lineWrapping,
        references,
        theme,
        language.of([]),
        editable.of(readOnlyExtension(options.readOnly)),
        options.placeholder ? placeholder(options.placeholder) : [],
        EditorView.contentAttributes.of({ "aria-label": options.label ?? "Code", spellcheck: "false" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged && !update.transactions.some((t) => t.annotation(external))) options.onChange(update.state.doc.toString());
        }),
      ],
    }),
  });

  const setLanguage = (next: CodeLanguage) => {
    const request = ++languageRequest;
    void languageSupport(next).then((extension) => {
      if (request === languageRequest) view.dispatch({ effects: language.reconfigure(extension) });
    });
  };
  setLanguage(options.language);

  return {
    setValue(text) {
      const current = view.state.doc.toString();
      if (text === current) return;
      // Replace only what differs, so the selection maps through the change instead of jumping.
      let start = 0;
      while (start < current.length && start < text.length && current[start] === text[start]) start++;
      let end = 0;
      while (end < current.length - start && end < text.length - start && current[current.length - 1 - end] === text[text.length - 1 - end]) end++;
      view.dispatch({
        changes: { from: start, to: current.length - end, insert: text.slice(start, text.length - end) },
        annotations: [external.of(true), Transaction.addToHistory.of(false)],
      });
    },
    setLanguage,
    setReadOnly(readOnly) {
      view.dispatch({ effects: editable.reconfigure(readOnlyExtension(readOnly)) });
    },
    setReferences(list) {
      referenceList = list;
    },
    insert(text) {
      view.dispatch(view.state.replaceSelection(text));
      view.focus();
    },
    focus() {
      view.focus();
    },
    destroy() {
      languageRequest++;
      view.destroy();
    },
  };
}
