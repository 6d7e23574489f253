/**
 * Dify's JavaScript template is a script that declares `function main`. People also paste ES
 * module code (`export function main`, `export default async function main`, `export { main }`).
 * The guest evaluates a plain script, so top-level `export` keywords are removed; everything else
 * is left untouched. Imports stay and fail as a syntax error with QuickJS's own message.
 */
export function normalizeCode(code: string): string {
  return code
    .replace(/^([ \t]*)export[ \t]+default[ \t]+(?=(?:async[ \t]+)?function\b)/gm, "$1")
    .replace(/^([ \t]*)export[ \t]+(?=(?:async[ \t]+function|function|const|let|var|class)\b)/gm, "$1")
    .replace(/^[ \t]*export[ \t]*\{[^}]*\}[ \t]*;?[ \t]*$/gm, "")
    .replace(/^[ \t]*export[ \t]+default[ \t]+main[ \t]*;?[ \t]*$/gm, "");
}
