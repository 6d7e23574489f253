import { builtinProviderName, builtinProviders, type BuiltinToolsOptions } from "./builtin/builtin-tools";
import type { Tool, ToolProvider, ToolProviderType, ToolReference } from "./tool";
import { ToolError } from "./tool-error";

/** Loads the tools of one workspace provider (`api`, `workflow`, `mcp`), by id or name; undefined when there is none. */
export type WorkspaceToolLoader = (type: Exclude<ToolProviderType, "builtin">, provider: { id: string; name?: string }, signal?: AbortSignal) => Promise<Tool[] | undefined>;

/** The workspace's dataset `id` offered as a tool (`provider_type: "dataset"`); undefined when there is none. */
export type DatasetToolLoader = (datasetId: string, signal?: AbortSignal) => Promise<Tool | undefined>;

/** The tools of an installed plugin (`author/name`), when it is installed and enabled; else undefined. */
export type PluginToolLoader = (pluginId: string, signal?: AbortSignal) => Promise<Tool[] | undefined>;

/**
 * The plugin a reference names, if any: Dify writes plugin tools as `provider_type: "builtin"`
 * (or `"plugin"`) with `provider_id: author/name/provider`. `langgenius/…` ids are Dify's own
 * tools, which Waggle serves as built-ins.
 */
export function pluginIdOfReference(reference: Pick<ToolReference, "provider_type" | "provider_id" | "provider_name">): string | undefined {
  const type = String(reference.provider_type || "builtin");
  if (type !== "builtin" && type !== "plugin") return undefined;
  const parts = (reference.provider_id || reference.provider_name || "").split("/").filter(Boolean);
  if (parts.length < 2 || (type === "builtin" && parts[0] === "langgenius")) return undefined;
  return `${parts[0]}/${parts[1]}`;
}

export interface ToolProviderOptions {
  builtin: BuiltinToolsOptions;
  /** Absent: only built-in tools resolve. */
  workspace?: WorkspaceToolLoader;
  /** Knowledge as agent tools (easy-mode agent apps with datasets). */
  datasets?: DatasetToolLoader;
  /** Installed plugins' tools. */
  plugins?: PluginToolLoader;
}

/**
 * The `ToolProvider` port over the built-in tools and a workspace's own providers. A provider's
 * tools are loaded once per instance (one run), so an agent calling an MCP tool five times lists
 * the server's tools once.
 *
 * @example
 * const tools = createToolProvider({ builtin: { fetch: egress.fetch, clock: systemClock } });
 * const tool = await tools.resolve({ provider_type: "builtin", provider_id: "time", tool_name: "current_time" });
 */
export function createToolProvider(options: ToolProviderOptions): ToolProvider {
  const builtin = new Map(builtinProviders(options.builtin).map((provider) => [provider.name, provider.tools]));
  const loaded = new Map<string, Promise<Tool[] | undefined>>();

  async function providerTools(reference: ToolReference, signal?: AbortSignal): Promise<Tool[]> {
    const type = String(reference.provider_type || "builtin");
    const pluginId = pluginIdOfReference(reference);
    if (pluginId) {
      if (!options.plugins) throw new ToolError("tool_provider_not_found", `Plugin tools are not available in this run`);
      const key = `plugin\u0000${pluginId}`;
      let tools = loaded.get(key);
      if (!tools) {
        tools = options.plugins(pluginId, signal);
        loaded.set(key, tools);
        tools.catch(() => loaded.delete(key));
      }
      const found = await tools;
      if (!found) throw new ToolError("tool_provider_not_found", `The plugin ${pluginId} is not installed (or is disabled) in this workspace`);
      return found;
    }
    if (type === "builtin") {
      const tools = builtin.get(builtinProviderName(reference.provider_id || reference.provider_name || "")) ?? builtin.get(builtinProviderName(reference.provider_name ?? ""));
      if (!tools) throw new ToolError("tool_provider_not_found", `There is no built-in tool provider named ${reference.provider_id || reference.provider_name}`);
      return tools;
    }
    if (type === "dataset") {
      if (!options.datasets) throw new ToolError("tool_provider_not_found", "Knowledge tools are not available in this run");
      const key = `dataset\u0000${reference.provider_id}`;
      let tools = loaded.get(key);
      if (!tools) {
        tools = options.datasets(reference.provider_id, signal).then((tool) => (tool ? [tool] : undefined));
        loaded.set(key, tools);
        tools.catch(() => loaded.delete(key));
      }
      const found = await tools;
      if (!found) throw new ToolError("tool_provider_not_found", `The knowledge base ${reference.provider_id} does not exist in this workspace`);
      return found;
    }
    if (type !== "api" && type !== "workflow" && type !== "mcp") throw new ToolError("tool_provider_not_found", `Tool providers of type ${type} are not supported`);
    if (!options.workspace) throw new ToolError("tool_provider_not_found", `No ${type} tool providers are available in this run`);
    const key = `${type}\u0000${reference.provider_id}\u0000${reference.provider_name ?? ""}`;
    let tools = loaded.get(key);
    if (!tools) {
      tools = options.workspace(type, { id: reference.provider_id, name: reference.provider_name }, signal);
      loaded.set(key, tools);
      tools.catch(() => loaded.delete(key));
    }
    const found = await tools;
    if (!found) throw new ToolError("tool_provider_not_found", `The ${type} tool provider ${reference.provider_name || reference.provider_id} does not exist in this workspace`);
    return found;
  }

  return {
    async resolve(reference, signal) {
      const tools = await providerTools(reference, signal);
      const tool = tools.find((candidate) => candidate.name === reference.tool_name);
      if (!tool) throw new ToolError("tool_not_found", `The tool ${reference.tool_name} does not exist in provider ${reference.provider_name || reference.provider_id}`);
      return tool;
    },
  };
}
