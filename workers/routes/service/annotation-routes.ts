import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { annotationBody, annotationListQuery, annotationListSchema, annotationSchema, AnnotationService, jobSchema, jobStatusSchema, replyActionBody } from "../../annotations";
import type { AppEnv } from "../../http/app-env";
import { background } from "../../http/background";
import { defineRoute, jsonBody, jsonResponse, noContent } from "../../http/route";

const tags = ["service: annotations"];
const annotationParam = z.object({ annotation_id: z.string().max(64) });
const actionParam = z.object({ action: z.string().max(32) });

const listAnnotations = defineRoute({
  method: "get",
  path: "/v1/apps/annotations",
  policy: { auth: "app-key" },
  tags,
  request: { query: annotationListQuery },
  responses: { 200: jsonResponse("The app's annotations, newest first", annotationListSchema) },
});

const createAnnotation = defineRoute({
  method: "post",
  path: "/v1/apps/annotations",
  policy: { auth: "app-key" },
  tags,
  request: { body: jsonBody(annotationBody) },
  responses: { 201: jsonResponse("The new annotation", annotationSchema) },
});

const updateAnnotation = defineRoute({
  method: "put",
  path: "/v1/apps/annotations/{annotation_id}",
  policy: { auth: "app-key" },
  tags,
  request: { params: annotationParam, body: jsonBody(annotationBody) },
  responses: { 200: jsonResponse("The annotation", annotationSchema) },
});

const deleteAnnotation = defineRoute({
  method: "delete",
  path: "/v1/apps/annotations/{annotation_id}",
  policy: { auth: "app-key" },
  tags,
  request: { params: annotationParam },
  responses: { 204: noContent },
});

const replyAction = defineRoute({
  method: "post",
  path: "/v1/apps/annotation-reply/{action}",
  policy: { auth: "app-key" },
  tags,
  request: { params: actionParam, body: jsonBody(replyActionBody) },
  responses: { 200: jsonResponse("The job that enables (indexes every question) or disables annotation reply", jobSchema) },
});

const replyActionStatus = defineRoute({
  method: "get",
  path: "/v1/apps/annotation-reply/{action}/status/{job_id}",
  policy: { auth: "app-key" },
  tags,
  request: { params: actionParam.extend({ job_id: z.string().max(64) }) },
  responses: { 200: jsonResponse("waiting, processing, completed or error (with error_msg)", jobStatusSchema) },
});

/**
 * Dify's annotation API for the key's app: annotations (question → answer) and switching
 * annotation reply on or off. Written by the workspace owner, as Dify records service-API annotations.
 */
export function registerServiceAnnotationRoutes(app: OpenAPIHono<AppEnv>): void {
  const service = (c: Context<AppEnv>) => new AnnotationService(c.env, c.var.tenant, c.var.serviceApp.id);

  app.openapi(listAnnotations, async (c) => {
    const query = c.req.valid("query");
    return c.json(await service(c).list(query.page, query.limit, query.keyword), 200);
  });

  app.openapi(createAnnotation, async (c) => c.json(await service(c).create(c.req.valid("json"), await c.var.tenant.annotations.ownerAccountId()), 201));

  app.openapi(updateAnnotation, async (c) => c.json(await service(c).update(c.req.valid("param").annotation_id, c.req.valid("json")), 200));

  app.openapi(deleteAnnotation, async (c) => {
    await service(c).delete(c.req.valid("param").annotation_id);
    return c.body(null, 204);
  });

  app.openapi(replyAction, async (c) => {
    const owner = await c.var.tenant.annotations.ownerAccountId();
    return c.json(await service(c).requestAction(c.req.valid("param").action, c.req.valid("json"), owner, background(c)), 200);
  });

  app.openapi(replyActionStatus, async (c) => {
    const { action, job_id } = c.req.valid("param");
    return c.json(await service(c).jobStatus(action, job_id), 200);
  });
}
