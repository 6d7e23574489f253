import type { Tool, ToolContext, ToolMessage, ToolParametersSchema } from "../tool";
import { ToolError } from "../tool-error";

/** A start-node variable, as far as a tool's schema needs it. */
export interface WorkflowToolVariable {
  variable: string;
  /** Dify writes a string (or a translation object in some versions). */
  label?: unknown;
  type?: string;
  required?: boolean;
  options?: string[] | null;
}

export interface WorkflowRunOutcome {
  status: string;
  outputs: Record<string, unknown>;
  error?: string | null;
}

export interface WorkflowToolOptions {
  name: string;
  label?: string;
  description: string;
  /** The workflow's start variables: they become the tool's parameters. */
  variables: WorkflowToolVariable[];
  /** Descriptions the author gave each parameter (Dify's workflow tool `parameters[].description`). */
  parameterDescriptions?: Record<string, string>;
  /** Runs the published workflow with these inputs, one call level deeper than `ctx.callDepth`. */
  run(inputs: Record<string, unknown>, ctx: ToolContext): Promise<WorkflowRunOutcome>;
}

const jsonTypes: Record<string, Record<string, unknown>> = {
  "text-input": { type: "string" },
  paragraph: { type: "string" },
  select: { type: "string" },
  number: { type: "number" },
  checkbox: { type: "boolean" },
  json_object: { type: "object" },
};

/** A start node's variables as a tool's JSON Schema. File inputs are not offered (tools pass no files yet). */
export function startVariablesSchema(variables: WorkflowToolVariable[], descriptions: Record<string, string> = {}): ToolParametersSchema {
  const properties: Record<string, Record<string, unknown>> = {};
  const required: string[] = [];
  for (const variable of variables) {
    const base = jsonTypes[variable.type ?? "text-input"];
    if (!base) continue;
    properties[variable.variable] = {
      ...base,
      ...(variable.type === "select" && variable.options?.length ? { enum: variable.options } : {}),
      description: descriptions[variable.variable] || (typeof variable.label === "string" && variable.label) || variable.variable,
    };
    if (variable.required) required.push(variable.variable);
  }
  return { type: "object", properties, ...(required.length ? { required } : {}) };
}

/**
 * A published workflow as a tool (Dify's "workflow as tool"): its start variables are the
 * parameters; a failed run is a tool error; the outputs come back as text (`text` or `answer`
 * when the workflow has one, else the outputs as JSON) and as one JSON message.
 */
export function workflowTool(options: WorkflowToolOptions): Tool {
  return {
    name: options.name,
    label: options.label ?? options.name,
    description: options.description,
    parameters: startVariablesSchema(options.variables, options.parameterDescriptions),
    async invoke(args, ctx): Promise<ToolMessage[]> {
      const outcome = await options.run(args, ctx);
      if (outcome.status !== "succeeded" && outcome.status !== "partial-succeeded") {
        throw new ToolError("tool_invoke_error", `The workflow ${options.name} ${outcome.status === "stopped" ? "was stopped" : "failed"}: ${outcome.error ?? "no error message"}`);
      }
      const textOutput = typeof outcome.outputs.text === "string" ? outcome.outputs.text : typeof outcome.outputs.answer === "string" ? outcome.outputs.answer : JSON.stringify(outcome.outputs);
      return [
        { type: "text", text: textOutput },
        { type: "json", json: outcome.outputs },
      ];
    },
  };
}
