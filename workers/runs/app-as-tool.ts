import type { Context } from "hono";
import { startVariablesFromForm } from "../../core/apps";
import { startVariablesOf, startVariableSchema, type StartVariable } from "../../core/nodes/start";
import type { App, AppVersion } from "../db/repositories";
import type { AppEnv } from "../http/app-env";
import { runChatTurn } from "./chat-turn";
import type { ChatAppMode } from "./chat-payloads";
import { prepareRun } from "./launch-run";

type Json = Record<string, unknown>;

/** The inputs an app asks for: a workflow's start node, or an easy-mode app's input form. */
export function appInputVariables(app: App, version: AppVersion): StartVariable[] {
  if (app.mode === "workflow" || app.mode === "advanced-chat") return startVariablesOf(version.graph);
  return startVariablesFromForm(version.modelConfig?.user_input_form).flatMap((raw) => {
    const parsed = startVariableSchema.safeParse(raw);
    return parsed.success ? [parsed.data] : [];
  });
}

/** A tool name from an app's name: `[a-z0-9_-]`, at most 64 characters, as MCP asks. */
export function toolNameOf(app: App): string {
  return (
    app.name
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9_-]+/g, "_")
      .replace(/^_+|_+$/g, "")
      .slice(0, 64) || "app"
  );
}

function propertyOf(variable: StartVariable, description: string | undefined): Json {
  const text = description || variable.label || variable.variable;
  switch (variable.type) {
    case "number":
      return { type: "number", description: text };
    case "checkbox":
      return { type: "boolean", description: text };
    case "select":
      return { type: "string", description: text, ...(variable.options?.length ? { enum: variable.options } : {}) };
    case "json_object":
      return { type: "object", description: text };
    default:
      return { type: "string", description: text, ...(variable.max_length ? { maxLength: variable.max_length } : {}) };
  }
}

const FILE_TYPES = new Set(["file", "file-list"]);

/**
 * The JSON Schema of an app's tool: its input variables (files are left out: MCP clients send
 * text), described by the server's parameter descriptions; chat apps also take the `query`.
 */
export function appToolInputSchema(app: App, version: AppVersion, descriptions: Record<string, string>): Json {
  const variables = appInputVariables(app, version).filter((variable) => !FILE_TYPES.has(variable.type));
  const properties: Record<string, Json> = {};
  const required: string[] = [];
  if (app.mode !== "workflow" && app.mode !== "completion") {
    properties.query = { type: "string", description: descriptions.query || "The user's message" };
    required.push("query");
  }
  for (const variable of variables) {
    properties[variable.variable] = propertyOf(variable, descriptions[variable.variable]);
    if (variable.required) required.push(variable.variable);
  }
  return { type: "object", properties, ...(required.length ? { required } : {}) };
}

/**
 * Runs a published app once for a tool call (blocking) and returns its answer as text: a
 * workflow's outputs as JSON, a chat or completion app's answer. Errors are thrown as the service
 * API would answer them (`WaggleError`).
 */
export async function runAppAsTool(c: Context<AppEnv>, app: App, version: AppVersion, args: Json, endUser: { id: string }): Promise<string> {
  const { query, ...inputs } = args;
  if (app.mode === "workflow") {
    const run = prepareRun(c, { app, version, inputs: args, createdByRole: "end_user", createdBy: endUser.id, userId: endUser.id, triggeredFrom: "app-run" });
    const state = await run.wait();
    if (state.status !== "succeeded" && state.status !== "partial-succeeded") throw new Error(state.error ?? `The workflow ended ${state.status}.`);
    return JSON.stringify(state.outputs ?? {});
  }
  const response = await runChatTurn(c, app, {
    mode: app.mode as ChatAppMode,
    version,
    query: typeof query === "string" ? query : "",
    inputs: app.mode === "completion" ? args : inputs,
    caller: { ownerId: endUser.id, createdByRole: "end_user", createdBy: endUser.id, triggeredFrom: "app-run" },
    streaming: false,
  });
  const body = (await response.json()) as { answer?: string };
  return body.answer ?? "";
}
