import { renderMarkdown } from "./markdown";

/** An answer rendered from markdown (raw HTML escaped, only web links; see markdown.ts). */
export function Markdown({ text, class: className }: { text: string; class?: string }) {
  return <div class={`wa-markdown ${className ?? ""}`} dangerouslySetInnerHTML={{ __html: renderMarkdown(text) }} />;
}
