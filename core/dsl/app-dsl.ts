import { z } from "zod";
import { conversationVariableSchema, environmentVariableSchema, workflowGraphSchema } from "./graph-schema";
import { problemsFromZod, type Problem } from "./problem";

/**
 * A Dify app DSL document (the parsed YAML of an export): `{version, kind, app, workflow |
 * model_config, dependencies}`. YAML parsing itself happens in the caller, so this module stays
 * zod-only for the editor.
 */

/** Dify's `CURRENT_APP_DSL_VERSION`. */
export const CURRENT_DSL_VERSION = "0.6.0";

export const appModeSchema = z.enum(["completion", "chat", "agent-chat", "advanced-chat", "workflow", "rag-pipeline"]);
export type AppMode = z.infer<typeof appModeSchema>;

export const dslAppSchema = z.looseObject({
  name: z.string(),
  mode: appModeSchema,
  icon: z.string().nullish(),
  icon_type: z.string().nullish(),
  icon_background: z.string().nullish(),
  description: z.string().nullish(),
  use_icon_as_answer_icon: z.boolean().nullish(),
});

export const dslWorkflowSchema = z.looseObject({
  graph: workflowGraphSchema,
  features: z.record(z.string(), z.unknown()).default({}),
  environment_variables: z.array(environmentVariableSchema).default([]),
  conversation_variables: z.array(conversationVariableSchema).default([]),
  rag_pipeline_variables: z.array(z.unknown()).nullish(),
});
export type DslWorkflow = z.infer<typeof dslWorkflowSchema>;

export const appDslSchema = z
  .looseObject({
    // Dify treats a missing version as 0.1.0 and forces `kind: app`.
    version: z.coerce.string().default("0.1.0"),
    kind: z.unknown().transform(() => "app" as const),
    app: dslAppSchema,
    workflow: dslWorkflowSchema.nullish(),
    model_config: z.record(z.string(), z.unknown()).nullish(),
    dependencies: z.array(z.looseObject({ type: z.string(), value: z.unknown() })).default([]),
  })
  .superRefine((dsl, issues) => {
    const graphMode = dsl.app.mode === "workflow" || dsl.app.mode === "advanced-chat" || dsl.app.mode === "rag-pipeline";
    if (graphMode && !dsl.workflow) issues.addIssue({ code: "custom", path: ["workflow"], message: `A ${dsl.app.mode} app needs a workflow` });
    if (!graphMode && !dsl.model_config) issues.addIssue({ code: "custom", path: ["model_config"], message: `A ${dsl.app.mode} app needs a model_config` });
  });
export type AppDsl = z.infer<typeof appDslSchema>;

/** Dify's import statuses (`services/dsl_version.py`). */
export type DslImportStatus = "completed" | "completed-with-warnings" | "pending" | "failed";

/**
 * Compares an imported DSL version with ours: newer, or an older major, needs confirmation
 * (`pending`); an older minor imports with warnings; unparsable fails.
 *
 * @example
 * checkDslVersion("0.5.0") // "completed-with-warnings"
 */
export function checkDslVersion(version: string, current = CURRENT_DSL_VERSION): DslImportStatus {
  const imported = parseVersion(version);
  const ours = parseVersion(current);
  if (!imported || !ours) return "failed";
  if (compare(imported, ours) > 0) return "pending";
  if (imported[0] < ours[0]) return "pending";
  if (imported[1] < ours[1]) return "completed-with-warnings";
  return "completed";
}

function parseVersion(version: string): [number, number, number] | undefined {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

function compare(left: number[], right: number[]): number {
  for (let index = 0; index < 3; index++) if (left[index] !== right[index]) return left[index] - right[index];
  return 0;
}

export type ParsedDsl = { ok: true; dsl: AppDsl; status: DslImportStatus } | { ok: false; status: "failed"; problems: Problem[] };

/** Reads a parsed DSL document; never runs anything in it. */
export function parseAppDsl(document: unknown): ParsedDsl {
  const parsed = appDslSchema.safeParse(document);
  if (!parsed.success) return { ok: false, status: "failed", problems: problemsFromZod(null, "", parsed.error) };
  const status = checkDslVersion(parsed.data.version);
  if (status === "failed") return { ok: false, status, problems: [{ node_id: null, field: "version", message: `Unreadable DSL version "${parsed.data.version}"` }] };
  return { ok: true, dsl: parsed.data, status };
}

/** Node fields an export must not carry: credentials belong to the exporting workspace. */
const CREDENTIAL_FIELDS = ["credential_id"];

/**
 * What Dify changes on export: secret environment values blanked, tool / agent credential ids
 * removed, and the current DSL version stamped. Returns a copy.
 */
export function prepareDslExport(dsl: AppDsl, options: { includeSecrets?: boolean } = {}): AppDsl {
  const copy = structuredClone(dsl) as AppDsl;
  copy.version = CURRENT_DSL_VERSION;
  if (copy.workflow) {
    if (!options.includeSecrets) {
      copy.workflow.environment_variables = copy.workflow.environment_variables.map((variable) => (variable.value_type === "secret" ? { ...variable, value: "" } : variable));
    }
    for (const node of copy.workflow.graph.nodes) {
      const data = node.data as Record<string, unknown>;
      for (const field of CREDENTIAL_FIELDS) delete data[field];
    }
  }
  return copy;
}
