export { CodeEditor, type CodeEditorControl, type CodeLanguage, type ReferenceOption } from "./code-editor";
