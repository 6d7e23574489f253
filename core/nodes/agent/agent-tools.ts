import type { NodeContext } from "../../engine";
import type { ToolDefinition } from "../../models";
import { invokeTool, isToolError, observationText, type Tool, type ToolMessage, type ToolParametersSchema } from "../../tools";
import { isTypedInput, resolveToolInput, toolsPort } from "../tool";
import type { AgentToolEntry } from "./schema";

/** A tool as one agent execution offers it to the model. */
export interface AgentTool {
  /** The name the model sees: `[A-Za-z0-9_-]`, at most 64 characters, unique in the set. */
  modelName: string;
  tool: Tool;
  /** Arguments fixed by the author (`settings`, parameters with `auto: 0`); the model cannot change them. */
  fixed: Record<string, unknown>;
  definition: ToolDefinition;
}

function modelNameFor(name: string, taken: Set<string>): string {
  const base = name.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64) || "tool";
  let candidate = base;
  for (let n = 2; taken.has(candidate); n++) candidate = `${base.slice(0, 60)}_${n}`;
  taken.add(candidate);
  return candidate;
}

function fixedValue(ctx: NodeContext<unknown>, raw: unknown): unknown {
  const value = raw && typeof raw === "object" && !Array.isArray(raw) && "value" in raw && !("type" in raw) ? (raw as { value: unknown }).value : raw;
  return isTypedInput(value) ? resolveToolInput(ctx, value) : value;
}

function withoutFixed(schema: ToolParametersSchema, fixed: Record<string, unknown>): ToolParametersSchema {
  const properties = Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([name]) => !(name in fixed)));
  const required = (schema.required ?? []).filter((name) => !(name in fixed));
  return { ...schema, type: "object", properties, ...(required.length ? { required } : { required: undefined }) };
}

/**
 * Resolves the node's enabled tool entries through the run's `ToolProvider`. A tool that does not
 * exist fails the node before the model is called (a configuration error, not something the
 * model can fix).
 */
export async function loadAgentTools(ctx: NodeContext<unknown>, entries: AgentToolEntry[]): Promise<AgentTool[]> {
  const enabled = entries.filter((entry) => entry.enabled !== false);
  if (!enabled.length) return [];
  const provider = toolsPort(ctx);
  const taken = new Set<string>();
  const tools: AgentTool[] = [];
  for (const entry of enabled) {
    const tool = await provider.resolve(
      { provider_type: entry.type, provider_id: entry.provider_id || entry.provider_name, provider_name: entry.provider_name, tool_name: entry.tool_name },
      ctx.signal,
    );
    const fixed: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(entry.settings ?? {})) {
      const value = fixedValue(ctx, raw);
      if (value !== undefined && value !== null && value !== "") fixed[name] = value;
    }
    for (const [name, raw] of Object.entries(entry.parameters ?? {})) {
      const auto = raw && typeof raw === "object" && "auto" in raw ? (raw as { auto: unknown }).auto : 1;
      if (auto === 0 || auto === false || auto === "0") {
        const value = fixedValue(ctx, raw);
        if (value !== undefined && value !== null && value !== "") fixed[name] = value;
      }
    }
    const modelName = modelNameFor(tool.name, taken);
    const parameters = withoutFixed(tool.parameters, fixed);
    if (parameters.required === undefined) delete parameters.required;
    tools.push({
      modelName,
      tool,
      fixed,
      definition: { name: modelName, description: entry.extra?.description || entry.tool_description || tool.description, parameters },
    });
  }
  return tools;
}

export interface ToolCallOutcome {
  /** What the model reads next. */
  observation: string;
  messages: ToolMessage[];
  /** Set when the call failed; the failure is still fed back to the model as the observation. */
  error?: string;
  args: unknown;
}

/**
 * Runs one tool call the model asked for. Unknown tools, arguments that are not JSON or do not
 * match the schema, and failing calls come back as an observation starting with "Error:", so
 * the model can correct itself; only a stop (abort) throws.
 */
export async function callAgentTool(tools: AgentTool[], name: string, rawArguments: unknown, ctx: NodeContext<unknown>): Promise<ToolCallOutcome> {
  const found = tools.find((candidate) => candidate.modelName === name) ?? tools.find((candidate) => candidate.tool.name === name);
  if (!found) {
    const error = `There is no tool named "${name}". Available tools: ${tools.map((tool) => tool.modelName).join(", ") || "none"}.`;
    return { observation: `Error: ${error}`, messages: [], error, args: rawArguments };
  }
  let args: unknown = rawArguments;
  if (typeof rawArguments === "string") {
    const text = rawArguments.trim();
    try {
      args = text ? (JSON.parse(text) as unknown) : {};
    } catch {
      // A tool with one string parameter may be called with the bare string (ReAct models do this).
      const names = Object.keys(found.definition.parameters.properties ?? {});
      if (names.length === 1) args = { [names[0]!]: rawArguments };
      else {
        const error = `The arguments for ${name} are not valid JSON: ${text.slice(0, 200)}`;
        return { observation: `Error: ${error}`, messages: [], error, args: rawArguments };
      }
    }
  }
  if (args !== null && typeof args === "object" && !Array.isArray(args)) args = { ...(args as Record<string, unknown>), ...found.fixed };
  try {
    const messages = await invokeTool(found.tool, args, { signal: ctx.signal, userId: String(ctx.resolve(["sys", "user_id"]) ?? "") || undefined, callDepth: ctx.run.callDepth });
    return { observation: observationText(messages), messages, args };
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    const message = isToolError(error) ? error.message : error instanceof Error ? error.message : String(error);
    return { observation: `Error: ${message}`, messages: [], error: message, args };
  }
}
