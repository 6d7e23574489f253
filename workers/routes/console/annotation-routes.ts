import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { NotFoundError } from "../../../core/errors";
import { annotationBody, annotationListQuery, annotationListSchema, annotationReplyFeature, annotationSchema, AnnotationService, jobSchema, jobStatusSchema, replyActionBody } from "../../annotations";
import type { AppEnv } from "../../http/app-env";
import { background } from "../../http/background";
import { defineRoute, jsonBody, jsonResponse, noContent } from "../../http/route";
import { appParam, requireApp } from "./app-routes";

const tags = ["console: annotations"];
const editor = { auth: "session", role: "editor" } as const;
const annotationParam = appParam.extend({ annotation_id: z.string().max(64) });
const actionParam = appParam.extend({ action: z.string().max(32) });
const looseRecord = z.record(z.string(), z.unknown());

const listAnnotations = defineRoute({
  method: "get",
  path: "/console/api/apps/{app_id}/annotations",
  policy: editor,
  tags,
  request: { params: appParam, query: annotationListQuery },
  responses: { 200: jsonResponse("The app's annotations, newest first", annotationListSchema) },
});

const createAnnotation = defineRoute({
  method: "post",
  path: "/console/api/apps/{app_id}/annotations",
  policy: editor,
  tags,
  request: { params: appParam, body: jsonBody(annotationBody) },
  responses: { 200: jsonResponse("The new annotation", annotationSchema) },
});

const updateAnnotation = defineRoute({
  method: "post",
  path: "/console/api/apps/{app_id}/annotations/{annotation_id}",
  policy: editor,
  tags,
  request: { params: annotationParam, body: jsonBody(annotationBody) },
  responses: { 200: jsonResponse("The annotation", annotationSchema) },
});

const deleteAnnotation = defineRoute({
  method: "delete",
  path: "/console/api/apps/{app_id}/annotations/{annotation_id}",
  policy: editor,
  tags,
  request: { params: annotationParam },
  responses: { 204: noContent },
});

const hitHistories = defineRoute({
  method: "get",
  path: "/console/api/apps/{app_id}/annotations/{annotation_id}/hit-histories",
  policy: editor,
  tags,
  request: { params: annotationParam, query: annotationListQuery.omit({ keyword: true }) },
  responses: { 200: jsonResponse("The queries this annotation answered, newest first", z.object({ data: z.array(looseRecord), has_more: z.boolean(), limit: z.number(), total: z.number(), page: z.number() })) },
});

const replyAction = defineRoute({
  method: "post",
  path: "/console/api/apps/{app_id}/annotation-reply/{action}",
  policy: editor,
  tags,
  request: { params: actionParam, body: jsonBody(replyActionBody) },
  responses: { 200: jsonResponse("The job that enables (indexes every question) or disables annotation reply", jobSchema) },
});

const replyActionStatus = defineRoute({
  method: "get",
  path: "/console/api/apps/{app_id}/annotation-reply/{action}/status/{job_id}",
  policy: editor,
  tags,
  request: { params: actionParam.extend({ job_id: z.string().max(64) }) },
  responses: { 200: jsonResponse("waiting, processing, completed or error (with error_msg)", jobStatusSchema) },
});

const getSetting = defineRoute({
  method: "get",
  path: "/console/api/apps/{app_id}/annotation-setting",
  policy: editor,
  tags,
  request: { params: appParam },
  responses: { 200: jsonResponse("Whether annotation reply is on, its threshold and embedding model", looseRecord) },
});

const updateSetting = defineRoute({
  method: "post",
  path: "/console/api/apps/{app_id}/annotation-settings/{annotation_setting_id}",
  policy: editor,
  tags,
  request: { params: appParam.extend({ annotation_setting_id: z.string().max(64) }), body: jsonBody(z.object({ score_threshold: z.number().min(0).max(1) })) },
  responses: { 200: jsonResponse("The setting with its new threshold", looseRecord) },
});

/** The console's annotation pages (Dify's "Annotations" tab of a chat app's logs), for editors and above. */
export function registerConsoleAnnotationRoutes(app: OpenAPIHono<AppEnv>): void {
  const service = async (c: Context<AppEnv>, appId: string) => new AnnotationService(c.env, c.var.tenant, (await requireApp(c, appId)).id);

  app.openapi(listAnnotations, async (c) => {
    const query = c.req.valid("query");
    return c.json(await (await service(c, c.req.valid("param").app_id)).list(query.page, query.limit, query.keyword), 200);
  });

  app.openapi(createAnnotation, async (c) => {
    const annotations = await service(c, c.req.valid("param").app_id);
    return c.json(await annotations.create(c.req.valid("json"), c.var.principal.account.id), 200);
  });

  app.openapi(updateAnnotation, async (c) => {
    const { app_id, annotation_id } = c.req.valid("param");
    return c.json(await (await service(c, app_id)).update(annotation_id, c.req.valid("json")), 200);
  });

  app.openapi(deleteAnnotation, async (c) => {
    const { app_id, annotation_id } = c.req.valid("param");
    await (await service(c, app_id)).delete(annotation_id);
    return c.body(null, 204);
  });

  app.openapi(hitHistories, async (c) => {
    const { app_id, annotation_id } = c.req.valid("param");
    const { page, limit } = c.req.valid("query");
    await requireApp(c, app_id);
    if (!(await c.var.tenant.annotations.get(app_id, annotation_id))) throw new NotFoundError("Annotation not found.");
    const { rows, total } = await c.var.tenant.annotations.hitHistories(app_id, annotation_id, page, limit);
    const data = rows.map((row) => ({ id: row.id, source: row.source, score: row.score, question: row.question, created_at: row.createdAt, match: row.annotationQuestion, response: row.annotationContent }));
    return c.json({ data, has_more: page * limit < total, limit, total, page }, 200);
  });

  app.openapi(replyAction, async (c) => {
    const { app_id, action } = c.req.valid("param");
    return c.json(await (await service(c, app_id)).requestAction(action, c.req.valid("json"), c.var.principal.account.id, background(c)), 200);
  });

  app.openapi(replyActionStatus, async (c) => {
    const { app_id, action, job_id } = c.req.valid("param");
    return c.json(await (await service(c, app_id)).jobStatus(action, job_id), 200);
  });

  app.openapi(getSetting, async (c) => {
    const found = await requireApp(c, c.req.valid("param").app_id);
    return c.json(annotationReplyFeature(await c.var.tenant.annotations.setting(found.id)), 200);
  });

  app.openapi(updateSetting, async (c) => {
    const { app_id, annotation_setting_id } = c.req.valid("param");
    await requireApp(c, app_id);
    const updated = await c.var.tenant.annotations.setScoreThreshold(app_id, annotation_setting_id, c.req.valid("json").score_threshold);
    if (!updated) throw new NotFoundError("The annotation setting does not exist. Enable annotation reply first.");
    return c.json(annotationReplyFeature(updated), 200);
  });
}
