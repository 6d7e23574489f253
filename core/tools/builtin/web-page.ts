import { decodeEntities, htmlToText } from "../../nodes/document-extractor";
import type { Tool, ToolFetch } from "../tool";
import { ToolError } from "../tool-error";
import { readLimitedText, toToolError } from "../read-limited-text";

const MAX_PAGE_BYTES = 5 * 1024 * 1024;
const MAX_TEXT_CHARS = 100_000;
const DEFAULT_USER_AGENT = "Mozilla/5.0 (compatible; WaggleBot/1.0; +https://github.com/)";

function titleOf(html: string): string {
  const lower = html.toLowerCase();
  const open = lower.indexOf("<title");
  if (open === -1) return "";
  const start = lower.indexOf(">", open);
  const end = lower.indexOf("</title", start);
  if (start === -1 || end === -1) return "";
  return decodeEntities(html.slice(start + 1, end)).replace(/\s+/g, " ").trim();
}

/**
 * Fetches a page and returns its readable text (title, then the body without scripts, styles
 * and markup). HTML, plain text, Markdown, JSON and XML are read; other content types are refused.
 */
export async function fetchReadableText(fetch: ToolFetch, url: string, options: { userAgent?: string; signal?: AbortSignal } = {}): Promise<{ title: string; text: string; url: string }> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { "user-agent": options.userAgent || DEFAULT_USER_AGENT, accept: "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5" }, signal: options.signal });
  } catch (error) {
    throw toToolError(error);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new ToolError("tool_invoke_error", `The page answered HTTP ${response.status}`);
  }
  const type = (response.headers.get("content-type") ?? "text/html").toLowerCase();
  const body = await readLimitedText(response, MAX_PAGE_BYTES);
  const finalUrl = (response as Response & { finalUrl?: string }).finalUrl ?? url;
  if (type.includes("html") || type.includes("xml")) {
    const title = type.includes("html") ? titleOf(body) : "";
    return { title, text: htmlToText(body), url: finalUrl };
  }
  if (type.startsWith("text/") || type.includes("json")) return { title: "", text: body, url: finalUrl };
  throw new ToolError("tool_invoke_error", `The page is ${type.split(";")[0]}, which cannot be read as text`);
}

/** Dify's built-in `webscraper`: a web page as readable text, fetched through the SSRF-guarded egress. */
export function webScraperTool(fetch: ToolFetch): Tool {
  return {
    name: "webscraper",
    label: "Web Scraper",
    description: "Fetch a web page by URL and return its readable text (title and main content, without markup).",
    parameters: {
      type: "object",
      properties: {
        url: { type: "string", description: "The http(s) URL of the page" },
        user_agent: { type: "string", description: "User-Agent header to send (optional)" },
      },
      required: ["url"],
    },
    async invoke(args, ctx) {
      const page = await fetchReadableText(fetch, String(args.url), { userAgent: args.user_agent ? String(args.user_agent) : undefined, signal: ctx.signal });
      let text = page.title ? `TITLE: ${page.title}\n\n${page.text}` : page.text;
      if (text.length > MAX_TEXT_CHARS) text = `${text.slice(0, MAX_TEXT_CHARS)}\n[truncated]`;
      return [{ type: "text", text }];
    },
  };
}
