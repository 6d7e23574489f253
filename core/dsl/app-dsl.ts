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
  // Dify imports an app without a name (as "").
  name: z.string().default(""),
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
 * Compares an imported DSL version with ours exactly as Dify's `check_version_compatibility`:
 * newer, or an older major, needs confirmation (`pending`); an older minor imports with warnings;
 * unparsable fails. Versions are read like Python's `packaging.version` (`1`, `0.6`, `v1.0.0`,
 * `1.0.0rc1` are all valid; missing parts count as 0; pre-releases sort before the release).
 *
 * @example
 * checkDslVersion("0.5.0") // "completed-with-warnings"
 */
export function checkDslVersion(version: string, current = CURRENT_DSL_VERSION): DslImportStatus {
  const imported = parseVersion(version);
  const ours = parseVersion(current);
  if (!imported || !ours) return "failed";
  if (compareVersions(imported, ours) > 0) return "pending";
  if (part(imported.release, 0) < part(ours.release, 0)) return "pending";
  if (part(imported.release, 1) < part(ours.release, 1)) return "completed-with-warnings";
  return "completed";
}

interface Version {
  release: number[];
  /** Orders what follows the release: dev < a < b < rc < final < post, then a local label. */
  phase: number[];
}

// PEP 440's version grammar without epochs (Dify never writes them); a local label (`+abc`) sorts
// after the same version without one.
const VERSION_PATTERN = /^v?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|c|rc|pre|preview)[-_.]?(\d*))?(?:[-_.]?(post|rev|r)[-_.]?(\d*))?(?:[-_.]?(dev)[-_.]?(\d*))?(\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?$/i;
const PRE_RANK: Record<string, number> = { a: 1, alpha: 1, b: 2, beta: 2, c: 3, rc: 3, pre: 3, preview: 3 };

function parseVersion(text: string): Version | undefined {
  const match = VERSION_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const release = match[1].split(".").map(Number);
  const pre = match[2] ? [PRE_RANK[match[2].toLowerCase()], Number(match[3] || 0)] : match[6] && !match[4] ? [0, 0] : [4, 0];
  const post = match[4] ? Number(match[5] || 0) : -1;
  const dev = match[6] ? Number(match[7] || 0) : Number.POSITIVE_INFINITY;
  return { release, phase: [...pre, post, dev, match[8] ? 1 : 0] };
}

function part(values: number[], index: number): number {
  return values[index] ?? 0;
}

function compareVersions(left: Version, right: Version): number {
  const length = Math.max(left.release.length, right.release.length);
  for (let index = 0; index < length; index++) {
    const difference = part(left.release, index) - part(right.release, index);
    if (difference !== 0) return difference;
  }
  for (let index = 0; index < left.phase.length; index++) {
    if (left.phase[index] !== right.phase[index]) return left.phase[index] < right.phase[index] ? -1 : 1;
  }
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
