import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import {
  CURRENT_DSL_VERSION,
  DSL_MAX_BYTES,
  dslDownloadUrl,
  prepareDslExport,
  problemSchema,
  readDslYaml,
  reviewDsl,
  writeDslYaml,
  type DslImportStatus,
  type DslReadResult,
  type Problem,
} from "../../../core/dsl";
import { isEgressError, readBodyBytes } from "../../../core/egress";
import { NotFoundError } from "../../../core/errors";
import { buildNodeRegistry } from "../../adapters/node-runtime";
import { runtimeCodeLanguages } from "../../adapters/code-languages";
import { createR2BlobStore } from "../../adapters/r2-blob-store";
import { createUserEgress } from "../../adapters/user-egress";
import { createDb } from "../../db/client";
import { PluginRepository } from "../../db/repositories/plugin-repository";
import type { App, DraftContent } from "../../db/repositories";
import type { AppMode } from "../../db/schema";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonBody, jsonResponse } from "../../http/route";
import { appParam } from "./app-routes";
import { draftHash } from "./default-drafts";

const overwritableModes = new Set<string>(["workflow", "advanced-chat"]);
const iconTypes = ["emoji", "image", "link"] as const;

const importBody = z.object({
  mode: z.enum(["yaml-content", "yaml-url"]),
  yaml_content: z.string().optional(),
  yaml_url: z.string().max(2048).optional(),
  name: z.string().trim().max(100).optional(),
  description: z.string().max(2000).optional(),
  icon_type: z.string().max(20).optional(),
  icon: z.string().max(100).optional(),
  icon_background: z.string().max(20).optional(),
  /** A workflow or chatflow app whose draft the import replaces. */
  app_id: z.string().max(64).optional(),
});
type ImportRequest = z.infer<typeof importBody>;
type Overrides = Pick<ImportRequest, "name" | "description" | "icon_type" | "icon" | "icon_background">;

const importSchema = z
  .object({
    id: z.string(),
    status: z.enum(["completed", "completed-with-warnings", "pending", "failed"]),
    app_id: z.string().nullable(),
    app_mode: z.string().nullable(),
    current_dsl_version: z.string(),
    imported_dsl_version: z.string(),
    error: z.string(),
    /** Waggle's addition: unsupported nodes, languages and plugins, and graph problems, each named. */
    warnings: z.array(problemSchema),
  })
  .openapi("AppImport");
type ImportResult = z.infer<typeof importSchema>;

const importApp = defineRoute({
  method: "post",
  path: "/console/api/apps/imports",
  policy: { auth: "session", role: "editor" },
  tags: ["console: apps"],
  summary: "Import a Dify DSL (YAML) as a new app, or over a workflow / chatflow app's draft",
  request: { body: jsonBody(importBody) },
  responses: {
    200: jsonResponse("Imported (`completed` or `completed-with-warnings`)", importSchema),
    202: jsonResponse("The DSL version needs confirmation (`pending`, 10 minutes)", importSchema),
    400: jsonResponse("Not imported (`failed`, with `error`)", importSchema),
  },
});

const confirmImport = defineRoute({
  method: "post",
  path: "/console/api/apps/imports/{import_id}/confirm",
  policy: { auth: "session", role: "editor" },
  tags: ["console: apps"],
  summary: "Finish a pending import",
  request: { params: z.object({ import_id: z.string().max(64) }) },
  responses: {
    200: jsonResponse("Imported", importSchema),
    400: jsonResponse("Not imported (`failed`, with `error`)", importSchema),
  },
});

const exportApp = defineRoute({
  method: "get",
  path: "/console/api/apps/{app_id}/export",
  policy: { auth: "session", role: "editor" },
  tags: ["console: apps"],
  summary: "Export the app's draft (or a published version) as Dify DSL YAML",
  request: {
    params: appParam,
    query: z.object({
      include_secret: z
        .enum(["true", "false", "1", "0"])
        .default("false")
        .transform((value) => value === "true" || value === "1"),
      workflow_id: z.string().max(64).optional(),
    }),
  },
  responses: { 200: jsonResponse("The DSL", z.object({ data: z.string() })) },
});

/** A `failed` import: HTTP 400 with the import body, as Dify answers. */
type Outcome = { status: 400; body: ImportResult };

const failure = (id: string, error: string, importedVersion = ""): Outcome => ({
  status: 400,
  body: { id, status: "failed", app_id: null, app_mode: null, current_dsl_version: CURRENT_DSL_VERSION, imported_dsl_version: importedVersion, error, warnings: [] },
});

/** The YAML text of a request: as given, or fetched through the SSRF guard with the size cap. */
async function loadContent(c: Context<AppEnv>, id: string, body: ImportRequest): Promise<{ text: string } | Outcome> {
  if (body.mode === "yaml-content") {
    if (!body.yaml_content) return failure(id, "yaml_content is required when import_mode is yaml-content");
    return { text: body.yaml_content };
  }
  if (!body.yaml_url) return failure(id, "yaml_url is required when import_mode is yaml-url");
  try {
    const response = await createUserEgress(c.env).fetch(dslDownloadUrl(body.yaml_url), { maxResponseBytes: DSL_MAX_BYTES, timeoutMs: 20_000 });
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      return failure(id, `Error fetching YAML from URL: HTTP ${response.status}`);
    }
    const bytes = await readBodyBytes(response, DSL_MAX_BYTES);
    if (bytes.byteLength === 0) return failure(id, "Empty content from url");
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch (error) {
    if (isEgressError(error)) {
      if (error.code === "RESPONSE_TOO_LARGE") return failure(id, "File size exceeds the limit of 10MB");
      return failure(id, `Error fetching YAML from URL: ${error.message} (${error.code})`);
    }
    if (error instanceof TypeError) return failure(id, "Error fetching YAML from URL: the content is not UTF-8 text");
    throw error;
  }
}

function draftOf(read: Extract<DslReadResult, { ok: true }>): DraftContent {
  const document = read.document;
  if (read.dsl.workflow) {
    const workflow = document.workflow as Record<string, unknown>;
    return {
      graph: workflow.graph as Record<string, unknown>,
      features: (workflow.features as Record<string, unknown> | undefined) ?? {},
      environmentVariables: (workflow.environment_variables as unknown[] | undefined) ?? [],
      conversationVariables: (workflow.conversation_variables as unknown[] | undefined) ?? [],
      modelConfig: null,
    };
  }
  return { graph: null, features: {}, environmentVariables: [], conversationVariables: [], modelConfig: document.model_config as Record<string, unknown> };
}

/** Creates the app with its draft in one batch, or replaces an existing app's draft (and its name, icon, description, as Dify does). */
async function applyImport(c: Context<AppEnv>, read: Extract<DslReadResult, { ok: true }>, overrides: Overrides, existing: App | undefined): Promise<App> {
  const tenant = c.var.tenant;
  const accountId = c.var.principal.account.id;
  const app = read.dsl.app;
  const content = draftOf(read);
  const hash = await draftHash(content);
  const iconType = iconTypes.find((type) => type === (overrides.icon_type || app.icon_type)) ?? "emoji";
  const fields = {
    name: overrides.name || app.name || existing?.name || "Imported app",
    description: overrides.description || (app.description ?? existing?.description ?? ""),
    icon: overrides.icon || app.icon || existing?.icon || "🤖",
    iconType,
    iconBackground: overrides.icon_background || app.icon_background || existing?.iconBackground || "#FFEAD5",
  };
  if (existing) {
    const saved = await tenant.versions.saveDraft(existing.id, content, hash, undefined);
    if (!saved) await tenant.versions.insertDraft(existing.id, crypto.randomUUID(), content, hash, accountId).run();
    const updated = await tenant.apps.update(existing.id, fields);
    return updated ?? existing;
  }
  const id = crypto.randomUUID();
  await tenant.db.batch([
    tenant.apps.insert({ id, mode: app.mode as AppMode, createdBy: accountId, ...fields }),
    tenant.versions.insertDraft(id, crypto.randomUUID(), content, hash, accountId),
  ]);
  return (await tenant.apps.get(id))!;
}

/** The app an import overwrites: only a workflow or chatflow of the caller's workspace, and only with a DSL of the same mode. */
async function targetApp(c: Context<AppEnv>, id: string, appId: string | null | undefined, read: Extract<DslReadResult, { ok: true }>): Promise<{ ok: true; app?: App } | { ok: false; outcome: Outcome }> {
  if (!appId) return { ok: true };
  const refuse = (error: string) => ({ ok: false as const, outcome: failure(id, error, read.importedVersion) });
  const app = await c.var.tenant.apps.get(appId);
  if (!app) return refuse("App not found");
  if (!overwritableModes.has(app.mode)) return refuse("Only workflow or advanced chat apps can be overwritten");
  if (app.mode !== read.dsl.app.mode) return refuse(`The DSL is a ${read.dsl.app.mode} app; it cannot overwrite a ${app.mode} app`);
  return { ok: true, app };
}

async function review(c: Context<AppEnv>, read: Extract<DslReadResult, { ok: true }>): Promise<{ status: Exclude<DslImportStatus, "failed">; warnings: Problem[] }> {
  // Dependencies on plugins installed (and enabled) here are not missing.
  const installed = (await new PluginRepository(createDb(c.env.DB), c.var.tenant.tenantId).list()).filter((row) => row.enabled).map((row) => row.pluginId);
  return reviewDsl(read.dsl, read.status, { nodeTypes: buildNodeRegistry(), codeLanguages: runtimeCodeLanguages(c.env), installedPlugins: installed });
}

const storageKey = (importId: string) => `dsl-imports/${importId}.yml`;

/** Removes this workspace's expired pending imports (rows and stored YAML); best effort. */
async function sweepExpired(c: Context<AppEnv>): Promise<void> {
  const tenant = c.var.tenant;
  const blobs = createR2BlobStore(c.env.FILES, tenant.tenantId);
  for (const row of await tenant.dslImports.expired()) {
    await blobs.delete(row.storageKey);
    await tenant.dslImports.delete(row.id).run();
  }
}

export function registerDslRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(importApp, async (c) => {
    const body = c.req.valid("json");
    const id = crypto.randomUUID();
    const loaded = await loadContent(c, id, body);
    if (!("text" in loaded)) return c.json(loaded.body, loaded.status);
    const read = readDslYaml(loaded.text);
    if (!read.ok) {
      const failed = failure(id, read.error, read.importedVersion);
      return c.json(failed.body, failed.status);
    }
    const target = await targetApp(c, id, body.app_id, read);
    if (!target.ok) return c.json(target.outcome.body, target.outcome.status);
    const { status, warnings } = await review(c, read);
    const overrides: Overrides = { name: body.name, description: body.description, icon_type: body.icon_type, icon: body.icon, icon_background: body.icon_background };

    if (status === "pending") {
      await sweepExpired(c);
      const tenant = c.var.tenant;
      await createR2BlobStore(c.env.FILES, tenant.tenantId).put(storageKey(id), loaded.text, { contentType: "application/yaml" });
      const stored = Object.fromEntries(Object.entries(overrides).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
      await tenant.dslImports.insert({ id, accountId: c.var.principal.account.id, appId: target.app?.id ?? null, storageKey: storageKey(id), importedVersion: read.importedVersion, overrides: stored });
      const pending: ImportResult = { id, status, app_id: target.app?.id ?? null, app_mode: null, current_dsl_version: CURRENT_DSL_VERSION, imported_dsl_version: read.importedVersion, error: "", warnings };
      return c.json(pending, 202);
    }

    const imported = await applyImport(c, read, overrides, target.app);
    const result: ImportResult = { id, status, app_id: imported.id, app_mode: imported.mode, current_dsl_version: CURRENT_DSL_VERSION, imported_dsl_version: read.importedVersion, error: "", warnings };
    return c.json(result, 200);
  });

  app.openapi(confirmImport, async (c) => {
    const { import_id } = c.req.valid("param");
    const tenant = c.var.tenant;
    const pending = await tenant.dslImports.get(import_id);
    const blobs = createR2BlobStore(c.env.FILES, tenant.tenantId);
    const stored = pending && (await blobs.get(pending.storageKey));
    if (!pending || !stored) throw new NotFoundError("Import information expired or does not exist.");
    const read = readDslYaml(new TextDecoder().decode(stored.body));
    if (!read.ok) {
      const failed = failure(import_id, read.error, read.importedVersion);
      return c.json(failed.body, failed.status);
    }
    const target = await targetApp(c, import_id, pending.appId, read);
    if (!target.ok) return c.json(target.outcome.body, target.outcome.status);
    const { warnings } = await review(c, read);
    const imported = await applyImport(c, read, pending.overrides, target.app);
    await tenant.dslImports.delete(import_id).run();
    await blobs.delete(pending.storageKey);
    const result: ImportResult = { id: import_id, status: "completed", app_id: imported.id, app_mode: imported.mode, current_dsl_version: CURRENT_DSL_VERSION, imported_dsl_version: read.importedVersion, error: "", warnings };
    return c.json(result, 200);
  });

  app.openapi(exportApp, async (c) => {
    const { app_id } = c.req.valid("param");
    const { include_secret, workflow_id } = c.req.valid("query");
    const tenant = c.var.tenant;
    const found = await tenant.apps.get(app_id);
    if (!found) throw new NotFoundError("App not found.");
    const version = workflow_id ? await tenant.versions.getPublished(app_id, workflow_id) : await tenant.versions.getDraft(app_id);
    if (!version) throw new NotFoundError(workflow_id ? "Version not found." : "Missing draft workflow configuration, please check.");
    const appFields = { name: found.name, mode: found.mode, icon: found.icon, icon_type: found.iconType, icon_background: found.iconBackground, description: found.description, use_icon_as_answer_icon: false };
    const document = overwritableModes.has(found.mode)
      ? prepareDslExport(
          {
            app: appFields,
            workflow: { graph: version.graph ?? { nodes: [], edges: [] }, features: version.features, environment_variables: version.environmentVariables, conversation_variables: version.conversationVariables },
          },
          { includeSecret: include_secret },
        )
      : prepareDslExport({ app: appFields, model_config: version.modelConfig ?? {} }, { includeSecret: include_secret });
    return c.json({ data: writeDslYaml(document) }, 200);
  });
}
