import { z, type OpenAPIHono } from "@hono/zod-openapi";
import { NotFoundError } from "../../../core/errors";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonBody, jsonResponse, noContent } from "../../http/route";
import { anyJson, datasetParam, knowledgeOf, requireDataset, type KnowledgeSurface } from "./surface";

const tagName = z.string().trim().min(1).max(50);
const anyList = z.array(anyJson);

/** Dify's knowledge tags: workspace tags of type `knowledge`, bound to datasets. */
export function registerTagRoutes(app: OpenAPIHono<AppEnv>, surface: KnowledgeSurface): void {
  const base = `${surface.prefix}/datasets/tags`;
  const tags = [surface.tag];
  const list = defineRoute({ method: "get", path: base, policy: surface.read, tags, responses: { 200: jsonResponse("The workspace's knowledge tags", anyList) } });
  const create = defineRoute({ method: "post", path: base, policy: surface.write, tags, request: { body: jsonBody(z.object({ name: tagName })) }, responses: { 200: jsonResponse("The new tag", anyJson) } });
  const rename = defineRoute({ method: "patch", path: base, policy: surface.write, tags, request: { body: jsonBody(z.object({ name: tagName, tag_id: z.string().max(64) })) }, responses: { 200: jsonResponse("The renamed tag", anyJson) } });
  const remove = defineRoute({ method: "delete", path: base, policy: surface.write, tags, request: { body: jsonBody(z.object({ tag_id: z.string().max(64) })) }, responses: { 204: noContent } });
  const bind = defineRoute({
    method: "post",
    path: `${base}/binding`,
    policy: surface.write,
    tags,
    request: { body: jsonBody(z.object({ tag_ids: z.array(z.string().max(64)).min(1).max(50), target_id: z.string().max(64) })) },
    responses: { 204: noContent },
  });
  const unbind = defineRoute({ method: "post", path: `${base}/unbinding`, policy: surface.write, tags, request: { body: jsonBody(z.object({ tag_id: z.string().max(64), target_id: z.string().max(64) })) }, responses: { 204: noContent } });
  const ofDataset = defineRoute({ method: "get", path: `${surface.prefix}/datasets/{dataset_id}/tags`, policy: surface.read, tags, request: { params: datasetParam }, responses: { 200: jsonResponse("The dataset's tags", anyJson) } });

  const serialize = (tag: { id: string; name: string; type: string }, bindingCount?: number) => ({ id: tag.id, name: tag.name, type: tag.type, binding_count: String(bindingCount ?? 0) });

  app.openapi(list, async (c) => c.json((await knowledgeOf(c).listTags("knowledge")).map((tag) => serialize(tag, tag.bindingCount)), 200));
  app.openapi(create, async (c) => {
    const tag = await knowledgeOf(c).insertTag({ id: crypto.randomUUID(), name: c.req.valid("json").name, type: "knowledge", createdBy: c.var.principal?.account.id });
    return c.json(serialize(tag), 200);
  });
  app.openapi(rename, async (c) => {
    const body = c.req.valid("json");
    const tag = await knowledgeOf(c).renameTag(body.tag_id, body.name);
    if (!tag) throw new NotFoundError("Tag not found.");
    return c.json(serialize(tag), 200);
  });
  app.openapi(remove, async (c) => {
    if (!(await knowledgeOf(c).deleteTag(c.req.valid("json").tag_id))) throw new NotFoundError("Tag not found.");
    return c.body(null, 204);
  });
  app.openapi(bind, async (c) => {
    const body = c.req.valid("json");
    const dataset = await requireDataset(c, body.target_id);
    const repo = knowledgeOf(c);
    for (const id of body.tag_ids) if (!(await repo.getTag(id))) throw new NotFoundError("Tag not found.");
    await repo.bindTags(body.tag_ids, dataset.id);
    return c.body(null, 204);
  });
  app.openapi(unbind, async (c) => {
    const body = c.req.valid("json");
    const dataset = await requireDataset(c, body.target_id);
    const repo = knowledgeOf(c);
    if (!(await repo.getTag(body.tag_id))) throw new NotFoundError("Tag not found.");
    await repo.unbindTag(body.tag_id, dataset.id);
    return c.body(null, 204);
  });
  app.openapi(ofDataset, async (c) => {
    const dataset = await requireDataset(c, c.req.valid("param").dataset_id);
    const list = (await knowledgeOf(c).tagsOf([dataset.id])).get(dataset.id) ?? [];
    return c.json({ data: list.map((tag) => serialize(tag)), total: list.length }, 200);
  });
}
