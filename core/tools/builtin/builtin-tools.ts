import type { Clock } from "../../ports";
import type { Tool, ToolProviderInfo, ToolFetch } from "../tool";
import { currentTimeTool } from "./current-time";
import { jsonParseTool } from "./json-path";
import { evalExpressionTool } from "./math-expression";
import { webScraperTool } from "./web-page";

export interface BuiltinToolsOptions {
  /** The SSRF-guarded egress fetch (web pages). */
  fetch: ToolFetch;
  clock: Clock;
}

interface BuiltinProvider {
  name: string;
  label: string;
  description: string;
  tools: Tool[];
}

/**
 * Waggle's built-in tool providers, named as Dify names them (`time`, `webscraper`,
 * `json_process`, `maths`) so imported DSLs resolve; Dify 1.x's plugin ids
 * (`langgenius/time/time`) resolve to the same providers.
 */
export function builtinProviders(options: BuiltinToolsOptions): BuiltinProvider[] {
  return [
    { name: "time", label: "CurrentTime", description: "A tool for getting the current time.", tools: [currentTimeTool(options.clock)] },
    { name: "webscraper", label: "WebScraper", description: "Web scraping: a web page as readable text.", tools: [webScraperTool(options.fetch)] },
    { name: "json_process", label: "JSON Process", description: "Tools for reading JSON.", tools: [jsonParseTool] },
    { name: "maths", label: "Maths", description: "Evaluate math expressions.", tools: [evalExpressionTool] },
  ];
}

/** `langgenius/time/time` → `time`; `time` stays. */
export function builtinProviderName(providerId: string): string {
  const parts = providerId.split("/").filter(Boolean);
  return parts.at(-1) ?? providerId;
}

/** The built-in providers as the console lists them. */
export function builtinProviderInfos(options: BuiltinToolsOptions): ToolProviderInfo[] {
  return builtinProviders(options).map((provider) => ({
    id: provider.name,
    name: provider.name,
    type: "builtin",
    label: provider.label,
    description: provider.description,
    tools: provider.tools.map(({ name, label, description, parameters }) => ({ name, label, description, parameters })),
  }));
}
