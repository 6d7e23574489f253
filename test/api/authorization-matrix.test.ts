/**
 * The authorization matrix, generated from the route table: every console route × {anonymous,
 * member of another workspace, each role} and every service route × {no key, malformed key,
 * revoked key, another app's key, a dataset key}. Each case gets fresh fixtures, so a
 * destructive call by one principal cannot hide a bug for the next.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { routeTable, type RouteEntry } from "../../workers/http/route";
import { createApp } from "../../workers/app";
import type { Role } from "../../workers/db/schema";
import { mockModelUrl } from "./mock-model";
import { call, createAppAs, createDatasetKeyAs, createKeyAs, publishAs, seedTenant, type SeededTenant } from "./harness";
import { buildPackage } from "../../core/plugins";
import weatherManifest from "../../plugins/weather/manifest.yaml?raw";
import weatherMain from "../../plugins/weather/main.js?raw";
import devKey from "../../plugins/dev-key.json";

createApp(); // fills the route table

const rank: Record<Role, number> = { normal: 1, editor: 2, admin: 3, owner: 4 };

/** Valid bodies, so an allowed caller reaches the handler instead of failing validation. */
/** An OpenAPI spec for tool-provider routes (parsing fetches nothing). */
const matrixSpec = JSON.stringify({ openapi: "3.0.0", info: { title: "Matrix" }, servers: [{ url: `${mockModelUrl}/api` }], paths: { "/ping": { get: { operationId: "ping" } } } });
const matrixMcp = (name: string) => ({ server_url: `${mockModelUrl}/mcp`, name, server_identifier: name.toLowerCase().replace(/ /g, "-"), headers: { Authorization: "Bearer mcp-secret-token" } });
const TOOLS = "/console/api/workspaces/current/tool-provider";
const PLUGINS = "/console/api/workspaces/current/plugins";
const bytesOf = (text: string) => new TextEncoder().encode(text);
/** Signed with the development key, which the plugin fixture makes A trust. */
const weatherPackage = (version: string) => buildPackage(new Map([["manifest.yaml", bytesOf(weatherManifest.replace("version: 1.0.0", `version: ${version}`))], ["main.js", bytesOf(weatherMain)]]), devKey);
const matrixPackages = {
  weather: await weatherPackage("1.0.0"),
  weatherUpgrade: await weatherPackage("1.1.0"),
  other: await buildPackage(new Map([["manifest.yaml", bytesOf("id: acme/matrix\nversion: 1.0.0\nname: Matrix\nauthor: Acme\n")], ["main.js", bytesOf("export default {};")]]), devKey),
};
const pluginUpload = (bytes: Uint8Array) => () => {
  const form = new FormData();
  form.append("pkg", new File([bytes as Uint8Array<ArrayBuffer>], "matrix.waggle-plugin"));
  return form;
};

const knowledgeBodies = (prefix: string): Record<string, unknown> => ({
  [`post ${prefix}/datasets`]: { name: "Matrix KB" },
  [`patch ${prefix}/datasets/{dataset_id}`]: { name: "Renamed KB" },
  [`post ${prefix}/datasets/{dataset_id}/document/create-by-text`]: { name: "matrix.txt", text: "Matrix text." },
  [`post ${prefix}/datasets/{dataset_id}/documents/{document_id}/update-by-text`]: { text: "Matrix text, again." },
  [`patch ${prefix}/datasets/{dataset_id}/documents/{document_id}`]: { name: "Renamed document" },
  [`post ${prefix}/datasets/{dataset_id}/${prefix === "/v1" ? "retrieve" : "hit-testing"}`]: { query: "secret", retrieval_model: { search_method: "hybrid_search", top_k: 3 } },
  [`post ${prefix}/datasets/{dataset_id}/documents/{document_id}/segments`]: { segments: [{ content: "Matrix segment." }] },
  [`post ${prefix}/datasets/{dataset_id}/documents/{document_id}/segments/{segment_id}`]: { segment: { content: "Matrix segment, edited." } },
  [`post ${prefix}/datasets/{dataset_id}/documents/{document_id}/segments/{segment_id}/child_chunks`]: { content: "Matrix child." },
  [`patch ${prefix}/datasets/{dataset_id}/documents/{document_id}/segments/{segment_id}/child_chunks/{child_chunk_id}`]: { content: "Matrix child, edited." },
  [`post ${prefix}/datasets/{dataset_id}/metadata`]: { name: "matrix_field", type: "string" },
  [`patch ${prefix}/datasets/{dataset_id}/metadata/{metadata_id}`]: { name: "renamed_field" },
  [`post ${prefix}/datasets/tags`]: { name: "Matrix tag" },
});

/** Bodies that name fixture rows or must be built per call (multipart uploads). */
const knowledgeFixtureBodies = (prefix: string): Record<string, (f: Fixture) => unknown> => {
  const upload = () => {
    const form = new FormData();
    form.append("file", new File(["Matrix upload."], "matrix.txt"));
    return form;
  };
  const documentIds = (f: Fixture) => ({ document_ids: [f.knowledge?.documentId ?? "no-document"] });
  return {
    [`post ${prefix}/datasets/{dataset_id}/document/create-by-file`]: upload,
    [`post ${prefix}/datasets/{dataset_id}/documents/{document_id}/update-by-file`]: upload,
    [`patch ${prefix}/datasets/{dataset_id}/documents/status/{action}`]: documentIds,
    [`post ${prefix}/datasets/{dataset_id}/retry`]: documentIds,
    [`post ${prefix}/datasets/{dataset_id}/documents/metadata`]: (f) => ({ operation_data: [{ document_id: f.knowledge?.documentId ?? "no-document", metadata_list: [{ name: "secret_field", value: "x" }] }] }),
    [`patch ${prefix}/datasets/tags`]: (f) => ({ tag_id: f.knowledge?.tagId ?? "no-tag", name: "Renamed tag" }),
    [`delete ${prefix}/datasets/tags`]: (f) => ({ tag_id: f.knowledge?.tagId ?? "no-tag" }),
    [`post ${prefix}/datasets/tags/binding`]: (f) => ({ tag_ids: [f.knowledge?.tagId ?? "no-tag"], target_id: f.knowledge?.datasetId ?? "no-dataset" }),
    [`post ${prefix}/datasets/tags/unbinding`]: (f) => ({ tag_id: f.knowledge?.tagId ?? "no-tag", target_id: f.knowledge?.datasetId ?? "no-dataset" }),
  };
};

const matrixAnnotation = { question: "Matrix question?", answer: "Matrix answer." };
/** The built-in embedder needs no credentials; `{action}` is `disable` in the matrix anyway. */
const matrixReply = { embedding_provider_name: "waggle", embedding_model_name: "hashing-lexical-v1", score_threshold: 0.9 };

const sampleBodies: Record<string, unknown> = {
  ...knowledgeBodies("/v1"),
  ...knowledgeBodies("/console/api"),
  "post /console/api/apps": { name: "Matrix app", mode: "workflow" },
  "put /console/api/apps/{app_id}": { name: "Renamed" },
  "post /console/api/apps/{app_id}/workflows/draft": { graph: { nodes: [], edges: [] } },
  "post /console/api/apps/{app_id}/model-config": { model_config: {} },
  "post /console/api/apps/{app_id}/workflows/publish": {},
  "post /console/api/workspaces/current/members/invite-email": { emails: ["matrix-invitee@example.com"], role: "normal" },
  "put /console/api/workspaces/current/members/{account_id}/update-role": { role: "editor" },
  "post /console/api/apps/{app_id}/workflows/draft/run": { inputs: {} },
  "post /console/api/apps/{app_id}/workflows/draft/nodes/{node_id}/run": { inputs: {} },
  "post /v1/workflows/run": { inputs: {}, user: "matrix", response_mode: "blocking" },
  "post /v1/workflows/{workflow_id}/run": { inputs: {}, user: "matrix", response_mode: "blocking" },
  "post /v1/workflows/tasks/{task_id}/stop": { user: "matrix" },
  "post /console/api/apps/imports": { mode: "yaml-content", yaml_content: "version: 0.6.0\nkind: app\napp: {name: Matrix import, mode: workflow}\nworkflow:\n  graph: {nodes: [], edges: []}\n" },
  // Credentials are validated by a real call: these point at the mock model server.
  "post /console/api/workspaces/current/model-providers/{provider}/credentials": { credentials: { openai_api_key: "sk-matrix-key", openai_api_base: mockModelUrl } },
  "post /console/api/workspaces/current/model-providers/{provider}/credentials/validate": { credentials: { openai_api_key: "sk-matrix-key", openai_api_base: mockModelUrl } },
  "post /console/api/workspaces/current/model-providers/{provider}/models": { model: "matrix-model", model_type: "llm", credentials: { endpoint_url: `${mockModelUrl}/v1`, api_key: "sk-matrix", context_size: "4096" } },
  "delete /console/api/workspaces/current/model-providers/{provider}/models": { model: "matrix-model", model_type: "llm" },
  "post /console/api/workspaces/current/default-model": { model_settings: [{ model_type: "llm", provider: "openai", model: "gpt-4o-mini" }] },
  [`post ${TOOLS}/api/add`]: { provider: "matrix-api-2", schema: matrixSpec, credentials: {} },
  [`post ${TOOLS}/api/update`]: { provider: "matrix-api", original_provider: "matrix-api", schema: matrixSpec, credentials: { auth_type: "api_key_header", api_key_value: "[__HIDDEN__]" } },
  [`post ${TOOLS}/api/delete`]: { provider: "matrix-api" },
  [`post ${TOOLS}/api/schema`]: { schema: matrixSpec },
  [`post ${TOOLS}/mcp`]: matrixMcp("Matrix MCP 2"),
  "post /v1/chat-messages": { query: "hi", inputs: {}, user: "matrix", response_mode: "blocking" },
  "post /v1/completion-messages": { inputs: {}, user: "matrix", response_mode: "blocking" },
  "post /v1/chat-messages/{task_id}/stop": { user: "matrix" },
  "post /v1/completion-messages/{task_id}/stop": { user: "matrix" },
  "post /v1/messages/{message_id}/feedbacks": { rating: "like", user: "matrix" },
  "delete /v1/conversations/{conversation_id}": { user: "matrix" },
  "post /v1/conversations/{conversation_id}/name": { name: "Renamed", user: "matrix" },
  "put /v1/conversations/{conversation_id}/variables/{variable_id}": { value: 1, user: "matrix" },
  "post /console/api/apps/{app_id}/chat-messages": { query: "hi", inputs: {} },
  "post /console/api/apps/{app_id}/completion-messages": { inputs: {} },
  "post /console/api/apps/{app_id}/advanced-chat/workflows/draft/run": { query: "hi", inputs: {} },
  "put /console/api/workspaces/current/usage": { monthly_token_quota: null },
  "post /console/api/apps/{app_id}/server": { description: "Matrix server", parameters: {} },
  "put /console/api/apps/{app_id}/server": { status: "inactive" },
  "post /console/api/apps/{app_id}/site": { title: "Matrix site" },
  "post /console/api/apps/{app_id}/site-enable": { enable_site: true },
  "put /console/api/apps/{app_id}/triggers/webhook": {},
  "put /console/api/apps/{app_id}/triggers/schedule": { cron: "*/5 * * * *", timezone: "UTC", inputs: {} },
  "post /v1/apps/annotations": matrixAnnotation,
  "put /v1/apps/annotations/{annotation_id}": matrixAnnotation,
  "post /v1/apps/annotation-reply/{action}": matrixReply,
  "post /console/api/apps/{app_id}/annotations": matrixAnnotation,
  "post /console/api/apps/{app_id}/annotations/{annotation_id}": matrixAnnotation,
  "post /console/api/apps/{app_id}/annotation-reply/{action}": matrixReply,
  "post /console/api/apps/{app_id}/annotation-settings/{annotation_setting_id}": { score_threshold: 0.8 },
  "post /v1/text-to-audio": { text: "Matrix speech.", user: "matrix" },
  "post /console/api/apps/{app_id}/text-to-audio": { text: "Matrix speech." },
  [`patch ${PLUGINS}/{installation_id}`]: { enabled: false },
  [`put ${PLUGINS}/{installation_id}/credentials`]: { credentials: { api_key: "matrix-weather-key" } },
  "post /console/api/workspaces/current/plugin-keys": { public_key: devKey.public_key, name: "Matrix key" },
  "put /console/api/workspaces/current/plugin-settings": { allow_unsigned: false },
};

/** Service routes of chat apps: their fixture is a chat (or completion) app with one answered message. */
const CHAT_ROUTE = /^\/v1\/(chat-messages|completion-messages|messages|conversations|app\/feedbacks)/;

/** A DSL from a newer Dify: importing it waits for confirmation. */
const pendingDsl = "version: 1.0.0\nkind: app\napp: {name: Pending import of A, mode: workflow}\nworkflow:\n  graph: {nodes: [], edges: []}\n";

/** Routes whose fixture state makes an allowed caller get a domain answer (4xx) rather than 2xx. */
const domainAnswer: Record<string, number> = {
  // The fixture run succeeded, and only failed runs can be retried.
  "post /console/api/apps/{app_id}/workflow-runs/{run_id}/retry": 400,
  // The fixture chat app has suggested questions off, and declares no conversation variables.
  "get /v1/messages/{message_id}/suggested": 400,
  "put /v1/conversations/{conversation_id}/variables/{variable_id}": 404,
  // Console chat debugging addresses the fixture's workflow app: the right role gets Dify's mode error.
  "post /console/api/apps/{app_id}/chat-messages": 400,
  "post /console/api/apps/{app_id}/completion-messages": 400,
  "post /console/api/apps/{app_id}/advanced-chat/workflows/draft/run": 400,
  "get /console/api/apps/{app_id}/chat-messages": 404,
  "get /console/api/apps/{app_id}/chat-conversations/{conversation_id}": 404,
  // "More like this" is for text generators; the fixture apps are a workflow and a chat app.
  "get /console/api/apps/{app_id}/completion-messages/{message_id}/more-like-this": 400,
  "get /v1/messages/{message_id}/more-like-this": 400,
  // The matrix sends JSON, not a multipart file, and addresses no stored file (test/api/files.test.ts covers both).
  "post /v1/files/upload": 400,
  "get /v1/files/{file_id}/preview": 404,
  "get /v1/end-users/{end_user_id}": 404,
  // The fixture app has no MCP server yet: updating it or renewing its code is "not found".
  "put /console/api/apps/{app_id}/server": 404,
  "post /console/api/apps/{app_id}/server/refresh": 404,
  // The fixture app has no triggers to remove.
  "delete /console/api/apps/{app_id}/triggers/{type}": 404,
  // Annotation reply was never enabled on the fixture app, so it has no setting to change.
  "post /console/api/apps/{app_id}/annotation-settings/{annotation_setting_id}": 404,
  // The fixture apps have speech to text and text to speech off (test/api/audio.test.ts covers them on).
  "post /v1/audio-to-text": 400,
  "post /v1/text-to-audio": 400,
  "post /console/api/apps/{app_id}/audio-to-text": 400,
  "post /console/api/apps/{app_id}/text-to-audio": 400,
  // The fixture workspace has no default Text-to-Speech model.
  "get /console/api/apps/{app_id}/text-to-audio/voices": 400,
};

interface Fixture {
  a: SeededTenant;
  b: SeededTenant;
  appId: string;
  chatAppId: string;
  versionId: string;
  appKey: { id: string; token: string };
  datasetKey: { id: string; token: string };
  bAppKey: { id: string; token: string };
  bDatasetKey: { id: string; token: string };
  revokedKey: string;
  runId: string;
  importId: string;
  tools: ToolFixture | null;
  chat: ChatFixture | null;
  secretsOfA: string[];
  /** A's knowledge base with an indexed parent-child document (routes under `/datasets/{dataset_id}`). */
  knowledge?: KnowledgeFixture;
  /** An annotation of A's workflow app (routes under `/annotations/{annotation_id}`). */
  annotationId?: string;
  /** A finished annotation-reply `disable` job of A's workflow app (status routes). */
  jobId?: string;
  /** A's installed weather plugin (plugin routes). */
  plugin?: PluginFixture;
}

interface ChatFixture {
  key: string;
  conversationId: string;
  messageId: string;
  taskId: string;
}

/** A published chat (or completion) app of A on the mock model, with one answered message of user `matrix`. */
async function chatFixture(a: SeededTenant, mode: "chat" | "completion"): Promise<ChatFixture> {
  const model = await call("POST", "/console/api/workspaces/current/model-providers/openai_api_compatible/models", {
    token: a.tokens.owner,
    body: { model: "matrix-chat", model_type: "llm", credentials: { endpoint_url: `${mockModelUrl}/v1`, api_key: "sk-matrix", mode: "chat", context_size: "4096" } },
  });
  expect(model.status, model.text).toBe(201);
  const appId = await createAppAs(a.tokens.owner, mode, `Chat fixture of A (${mode})`);
  const draft = await call("GET", `/console/api/apps/${appId}/model-config`, { token: a.tokens.owner });
  const modelConfig = { ...draft.json.model_config, model: { provider: "openai_api_compatible", name: "matrix-chat", mode: "chat", completion_params: {} }, user_input_form: [] };
  await call("POST", `/console/api/apps/${appId}/model-config`, { token: a.tokens.owner, body: { model_config: modelConfig, hash: draft.json.hash } });
  await publishAs(a.tokens.owner, appId);
  const key = (await createKeyAs(a.tokens.owner, appId)).token;
  const path = mode === "chat" ? "/v1/chat-messages" : "/v1/completion-messages";
  const res = await call("POST", path, { token: key, body: { query: "fixture question", inputs: {}, user: "matrix", response_mode: "blocking" } });
  expect(res.status, res.text).toBe(200);
  return { key, conversationId: res.json.conversation_id, messageId: res.json.message_id, taskId: res.json.task_id };
}

/** A recording for the speech-to-text routes (multipart, built per call). */
const audioUpload = (user?: string) => () => {
  const form = new FormData();
  form.append("file", new File([new Uint8Array(64)], "matrix.wav", { type: "audio/wav" }));
  if (user) form.append("user", user);
  return form;
};

/** Bodies that name fixture rows of A (tool providers, apps), or must be built per call. */
const fixtureBodies: Record<string, (f: Fixture) => unknown> = {
  "post /v1/audio-to-text": audioUpload("matrix"),
  "post /console/api/apps/{app_id}/audio-to-text": audioUpload(),
  [`put ${TOOLS}/mcp`]: (f) => ({ ...matrixMcp("Matrix MCP"), provider_id: f.tools?.mcpId }),
  [`delete ${TOOLS}/mcp`]: (f) => ({ provider_id: f.tools?.mcpId }),
  [`post ${TOOLS}/workflow/create`]: (f) => ({ workflow_app_id: f.appId, name: "matrix_tool_2", label: "Matrix tool 2" }),
  [`post ${TOOLS}/workflow/update`]: (f) => ({ workflow_tool_id: f.tools?.workflowToolId, name: "matrix_tool", label: "Renamed" }),
  [`post ${TOOLS}/workflow/delete`]: (f) => ({ workflow_tool_id: f.tools?.workflowToolId }),
  [`post ${PLUGINS}/inspect`]: pluginUpload(matrixPackages.other),
  [`post ${PLUGINS}/install`]: pluginUpload(matrixPackages.other),
  [`post ${PLUGINS}/{installation_id}/upgrade`]: pluginUpload(matrixPackages.weatherUpgrade),
};

interface PluginFixture {
  installationId: string;
  hookId: string;
}

/** A trusts the development key and has the weather example installed. */
async function pluginFixture(a: SeededTenant): Promise<PluginFixture> {
  const key = await call("POST", "/console/api/workspaces/current/plugin-keys", { token: a.tokens.owner, body: { public_key: devKey.public_key, name: "Dev key of A" } });
  expect(key.status, key.text).toBe(201);
  const installed = await call("POST", `${PLUGINS}/install`, { token: a.tokens.owner, body: pluginUpload(matrixPackages.weather)() });
  expect(installed.status, installed.text).toBe(201);
  return { installationId: installed.json.id, hookId: new URL(installed.json.endpoints_base_url).pathname.split("/")[2]! };
}

interface ToolFixture {
  apiId: string;
  mcpId: string;
  workflowToolId: string;
}

/** A's tool providers: an OpenAPI one with a secret, an MCP server (on the mock) and a workflow tool. */
async function toolFixture(a: SeededTenant): Promise<ToolFixture> {
  const api = await call("POST", `${TOOLS}/api/add`, { token: a.tokens.owner, body: { provider: "matrix-api", schema: matrixSpec, credentials: { auth_type: "api_key_header", api_key_value: "matrix-secret-value" } } });
  expect(api.status, api.text).toBe(200);
  const mcp = await call("POST", `${TOOLS}/mcp`, { token: a.tokens.owner, body: matrixMcp("Matrix MCP") });
  expect(mcp.status, mcp.text).toBe(200);
  const toolAppId = await createAppAs(a.tokens.owner, "workflow", "Tool app of A");
  await publishAs(a.tokens.owner, toolAppId);
  const workflowTool = await call("POST", `${TOOLS}/workflow/create`, { token: a.tokens.owner, body: { workflow_app_id: toolAppId, name: "matrix_tool", label: "Matrix tool" } });
  expect(workflowTool.status, workflowTool.text).toBe(200);
  const got = await call("GET", `${TOOLS}/workflow/get?workflow_app_id=${toolAppId}`, { token: a.tokens.owner });
  const apiId = await env.DB.prepare("SELECT id FROM tool_providers WHERE tenant_id = ? AND type = 'api'").bind(a.tenantId).first<string>("id");
  return { apiId: apiId!, mcpId: mcp.json.id, workflowToolId: got.json.workflow_tool_id };
}

function toolQuery(route: RouteEntry, f: Fixture): string {
  if (route.path === `${TOOLS}/api/get`) return "?provider=matrix-api";
  if (route.path === `${TOOLS}/api/remote`) return `?url=${encodeURIComponent(`${mockModelUrl}/openapi.json`)}`;
  if (route.path === `${TOOLS}/workflow/get`) return `?workflow_tool_id=${f.tools?.workflowToolId ?? "none"}`;
  return "";
}

/** A finished, recorded run of A's workflow app (only for routes that address a run). */
async function recordedRun(appKey: string): Promise<string> {
  const res = await call("POST", "/v1/workflows/run", { token: appKey, body: { inputs: {}, user: "fixture", response_mode: "blocking" } });
  const runId = res.json.workflow_run_id as string;
  await expect.poll(() => env.DB.prepare("SELECT count(*) AS n FROM workflow_runs WHERE id = ?").bind(runId).first("n")).toBe(1);
  return runId;
}

/** A DSL import of A's waiting for confirmation (only for routes that address one). */
async function pendingImport(token: string): Promise<string> {
  const res = await call("POST", "/console/api/apps/imports", { token, body: { mode: "yaml-content", yaml_content: pendingDsl } });
  expect(res.status, res.text).toBe(202);
  return res.json.id as string;
}

interface KnowledgeFixture {
  datasetId: string;
  documentId: string;
  batch: string;
  segmentId: string;
  childId: string;
  fieldId: string;
  tagId: string;
}

/** Written straight to D1 (no queue), so nothing of A changes behind the test's back. */
async function knowledgeFixture(tenantId: string): Promise<KnowledgeFixture> {
  const k = { datasetId: crypto.randomUUID(), documentId: crypto.randomUUID(), batch: crypto.randomUUID(), segmentId: crypto.randomUUID(), childId: crypto.randomUUID(), fieldId: crypto.randomUUID(), tagId: crypto.randomUUID() };
  const rule = JSON.stringify({ mode: "hierarchical", rules: { parent_mode: "paragraph", segmentation: { separator: "\n\n", max_tokens: 500 }, subchunk_segmentation: { separator: "\n", max_tokens: 100 } } });
  await env.DB.batch([
    env.DB.prepare("INSERT INTO datasets (id, tenant_id, name, doc_form) VALUES (?, ?, 'Secret KB of A', 'hierarchical_model')").bind(k.datasetId, tenantId),
    env.DB.prepare(
      "INSERT INTO documents (id, tenant_id, dataset_id, position, name, batch, content_hash, indexing_status, doc_form, process_rule, completed_segments, total_segments) VALUES (?, ?, ?, 1, 'secret-of-a.txt', ?, 'hash', 'completed', 'hierarchical_model', ?, 1, 1)",
    ).bind(k.documentId, tenantId, k.datasetId, k.batch, rule),
    env.DB.prepare("INSERT INTO segments (id, tenant_id, dataset_id, document_id, position, content, status) VALUES (?, ?, ?, ?, 1, 'Secret segment text of A', 'completed')").bind(k.segmentId, tenantId, k.datasetId, k.documentId),
    env.DB.prepare("INSERT INTO segments (id, tenant_id, dataset_id, document_id, parent_id, position, content, status) VALUES (?, ?, ?, ?, ?, 1, 'Secret child text of A', 'completed')").bind(k.childId, tenantId, k.datasetId, k.documentId, k.segmentId),
    env.DB.prepare("INSERT INTO segments_fts (content, segment_id, dataset_id, tenant_id) VALUES ('Secret child text of A', ?, ?, ?)").bind(k.childId, k.datasetId, tenantId),
    env.DB.prepare("INSERT INTO dataset_metadata_fields (id, tenant_id, dataset_id, name, type) VALUES (?, ?, ?, 'secret_field', 'string')").bind(k.fieldId, tenantId, k.datasetId),
    env.DB.prepare("INSERT INTO tags (id, tenant_id, type, name) VALUES (?, ?, 'knowledge', 'Secret tag of A')").bind(k.tagId, tenantId),
    env.DB.prepare("INSERT INTO tag_bindings (id, tenant_id, tag_id, target_id) VALUES (?, ?, ?, ?)").bind(crypto.randomUUID(), tenantId, k.tagId, k.datasetId),
  ]);
  return k;
}

async function annotationFixture(token: string, appId: string): Promise<string> {
  const res = await call("POST", `/console/api/apps/${appId}/annotations`, { token, body: { question: "Secret annotation of A?", answer: "Secret answer of A." } });
  expect(res.status, res.text).toBe(200);
  return res.json.id;
}

/** A disable job of A's app, waited for, so the state the matrix compares does not move under it. */
async function annotationJobFixture(token: string, appId: string): Promise<string> {
  const res = await call("POST", `/console/api/apps/${appId}/annotation-reply/disable`, { token, body: {} });
  expect(res.status, res.text).toBe(200);
  await expect.poll(async () => (await call("GET", `/console/api/apps/${appId}/annotation-reply/disable/status/${res.json.job_id}`, { token })).json.job_status).toBe("completed");
  return res.json.job_id;
}

async function fixture(route?: RouteEntry): Promise<Fixture> {
  const a = await seedTenant("A");
  const b = await seedTenant("B");
  const appId = await createAppAs(a.tokens.owner, "workflow", "Secret app of A");
  const chatAppId = await createAppAs(a.tokens.owner, "chat", "Secret chat of A");
  const versionId = await publishAs(a.tokens.owner, appId);
  await publishAs(a.tokens.owner, chatAppId);
  const appKey = await createKeyAs(a.tokens.owner, appId);
  const revoked = await createKeyAs(a.tokens.owner, appId);
  await call("DELETE", `/console/api/apps/${appId}/api-keys/${revoked.id}`, { token: a.tokens.owner });
  const datasetKey = await createDatasetKeyAs(a.tokens.owner);
  const bAppId = await createAppAs(b.tokens.owner, "workflow", "App of B");
  await publishAs(b.tokens.owner, bAppId);
  const bAppKey = await createKeyAs(b.tokens.owner, bAppId);
  const bDatasetKey = await createDatasetKeyAs(b.tokens.owner);
  const runId = route && /\{(run_id|task_id|workflow_run_id)\}/.test(route.path) && !CHAT_ROUTE.test(route.path) ? await recordedRun(appKey.token) : "no-run";
  const importId = route?.path.includes("{import_id}") ? await pendingImport(a.tokens.owner) : "no-import";
  const tools = route && /\/tool-provider\/(api|mcp|workflow)/.test(route.path) ? await toolFixture(a) : null;
  const chat = route && CHAT_ROUTE.test(route.path) ? await chatFixture(a, route.path.startsWith("/v1/completion-messages") ? "completion" : "chat") : null;
  const knowledge = route && /\{dataset_id\}|\/datasets\/tags/.test(route.path) ? await knowledgeFixture(a.tenantId) : undefined;
  const annotationId = route?.path.includes("{annotation_id}") ? await annotationFixture(a.tokens.owner, appId) : undefined;
  const jobId = route?.path.includes("{job_id}") ? await annotationJobFixture(a.tokens.owner, appId) : undefined;
  const plugin = route && /\/workspaces\/current\/plugin/.test(route.path) ? await pluginFixture(a) : undefined;
  return {
    a, b, appId, chatAppId, versionId, appKey, datasetKey, bAppKey, bDatasetKey, revokedKey: revoked.token, runId, importId, tools, chat,
    knowledge, annotationId, jobId, plugin,
    secretsOfA: [...(plugin ? [plugin.installationId, plugin.hookId] : []), ...(annotationId ? [annotationId, "Secret annotation of A", "Secret answer of A"] : []), ...(jobId ? [jobId] : []), ...(knowledge ? [knowledge.datasetId, knowledge.documentId, knowledge.segmentId, knowledge.childId, knowledge.tagId, knowledge.fieldId, "Secret KB of A", "Secret segment text of A", "Secret child text of A", "Secret tag of A"] : []), ...(tools ? [tools.apiId, tools.mcpId, tools.workflowToolId, "matrix-secret-value", "Tool app of A"] : []), ...(chat ? [chat.conversationId, chat.messageId, "fixture question"] : []), appId, chatAppId, versionId, appKey.id, datasetKey.id, "Secret app of A", a.emails.owner, a.emails.editor, ...(runId === "no-run" ? [] : [runId]), ...(importId === "no-import" ? [] : [importId])],
  };
}

function pathFor(route: RouteEntry, f: Fixture): string {
  const appId = route.path.includes("model-config") ? f.chatAppId : f.appId;
  // Model providers are named, not owned rows: per-model routes use a customizable provider.
  const provider = route.path.includes("{provider}/models") ? "openai_api_compatible" : route.path.includes("/tool-provider/builtin/") ? "time" : "openai";
  const chatQuery =
    route.method === "get" && f.chat ? (route.path === "/v1/messages" ? `?conversation_id=${f.chat.conversationId}&user=matrix` : route.path === "/v1/app/feedbacks" ? "" : "?user=matrix") : "";
  const consoleQuery = route.method === "get" && route.path === "/console/api/apps/{app_id}/chat-messages" ? "?conversation_id=no-conversation" : "";
  const query = route.path.endsWith("/models/credentials") ? "?model=matrix-model&model_type=llm" : route.path.endsWith("/default-model") ? "?model_type=llm" : chatQuery || consoleQuery;
  const fullQuery = query || toolQuery(route, f);
  return `${route.path
    .replace("{dataset_id}", f.knowledge?.datasetId ?? "no-dataset")
    .replace("{document_id}", f.knowledge?.documentId ?? "no-document")
    .replace("{batch}", f.knowledge?.batch ?? "no-batch")
    .replace("{segment_id}", f.knowledge?.segmentId ?? "no-segment")
    .replace("{child_chunk_id}", f.knowledge?.childId ?? "no-child")
    .replace("{action}", "disable")
    .replace("{annotation_id}", f.annotationId ?? "no-annotation")
    .replace("{job_id}", f.jobId ?? "no-job")
    .replace("{annotation_setting_id}", "no-setting")
    .replace("{metadata_id}", f.knowledge?.fieldId ?? "no-field")
    .replace("{provider_id}", f.tools?.mcpId ?? "no-provider")
    .replace("{conversation_id}", f.chat?.conversationId ?? "no-conversation")
    .replace("{message_id}", f.chat?.messageId ?? "no-message")
    .replace("{variable_id}", "no-variable")
    .replace("{task_id}", f.chat?.taskId ?? "{task_id}")
    .replace("{provider}", provider)
    .replace("{app_id}", appId)
    .replace("{version_id}", f.versionId)
    .replace("{workflow_id}", f.versionId)
    .replace("{node_id}", "start")
    .replace("{type}", "webhook")
    .replace(/\{(run_id|task_id|workflow_run_id)\}/, f.runId)
    .replace("{account_id}", f.a.accountIds.editor)
    .replace("{import_id}", f.importId)
    .replace("{installation_id}", f.plugin?.installationId ?? "no-plugin")
    .replace("{key_id}", route.path.includes("/plugin-keys/") ? devKey.key_id : route.path.startsWith("/console/api/datasets") ? f.datasetKey.id : f.appKey.id)}${fullQuery}`;
}

async function stateOfA(f: Fixture): Promise<string> {
  const tables = ["apps", "app_versions", "api_keys", "memberships", "accounts", "dsl_imports", "tool_providers", "datasets", "documents", "segments", "upload_files", "dataset_metadata_fields", "tags", "tag_bindings", "app_mcp_servers", "app_annotations", "app_annotation_settings", "app_annotation_jobs", "app_triggers", "app_sites", "plugin_installations", "plugin_trusted_keys", "plugin_storage"];
  const parts = [];
  for (const table of tables) {
    const column = table === "accounts" ? "id IN (SELECT account_id FROM memberships WHERE tenant_id = ?1)" : "tenant_id = ?1";
    const rows = await env.DB.prepare(`SELECT * FROM ${table} WHERE ${column} ORDER BY rowid`).bind(f.a.tenantId).all();
    parts.push(JSON.stringify(rows.results.map((r: any) => ({ ...r, updated_at: undefined, last_used_at: undefined, last_login_at: undefined }))));
  }
  return parts.join("\n");
}

const consoleRoutes = routeTable.filter((r) => r.policy.auth === "session");
const serviceRoutes = routeTable.filter((r) => r.policy.auth === "app-key" || r.policy.auth === "dataset-key");

describe("authorization matrix: console routes", () => {
  it("covers the console surface", () => {
    expect(consoleRoutes.length).toBeGreaterThanOrEqual(20);
  });

  for (const route of consoleRoutes) {
    const key = `${route.method} ${route.path}`;
    const staticBody = sampleBodies[key] ?? (route.method === "get" || route.method === "delete" ? undefined : {});
    const bodyOf = (f: Fixture) => (fixtureBodies[key] ?? allKnowledgeFixtureBodies[key])?.(f) ?? staticBody;
    const minimum = route.policy.auth === "session" ? route.policy.role : undefined;

    it(`${key}: anonymous → 401`, async () => {
      const f = await fixture(route);
      const before = await stateOfA(f);
      const res = await call(route.method.toUpperCase(), pathFor(route, f), { body: bodyOf(f) });
      expect(res.status).toBe(401);
      expect(res.json).toMatchObject({ code: "unauthorized", status: 401 });
      expect(await stateOfA(f)).toBe(before);
    });

    it(`${key}: another workspace's owner → nothing of A`, async () => {
      const f = await fixture(route);
      const before = await stateOfA(f);
      const res = await call(route.method.toUpperCase(), pathFor(route, f), { body: bodyOf(f), token: f.b.tokens.owner });
      for (const secret of f.secretsOfA) expect(res.text).not.toContain(secret);
      // A path parameter naming a row of A is not found for B; a provider name is B's own configuration.
      if (/\{(?!provider\})/.test(route.path)) expect(res.status).toBe(404);
      expect(await stateOfA(f)).toBe(before);
    });

    for (const role of ["normal", "editor", "admin", "owner"] as const) {
      const allowed = !minimum || rank[role] >= rank[minimum];
      it(`${key}: ${role} → ${allowed ? "allowed" : "403"}`, async () => {
        const f = await fixture(route);
        const before = await stateOfA(f);
        const res = await call(route.method.toUpperCase(), pathFor(route, f), { body: bodyOf(f), token: f.a.tokens[role] });
        if (allowed) {
          if (domainAnswer[key]) expect(res.status, res.text).toBe(domainAnswer[key]);
          else expect(res.status, res.text).toBeLessThan(300);
        } else {
          expect(res.status).toBe(403);
          expect(res.json.code).toBe("forbidden");
          expect(await stateOfA(f)).toBe(before);
        }
      });
    }
  }
});

const allKnowledgeFixtureBodies = { ...knowledgeFixtureBodies("/v1"), ...knowledgeFixtureBodies("/console/api") };
const serviceBody = (key: string, f: Fixture) => (fixtureBodies[key] ?? allKnowledgeFixtureBodies[key])?.(f) ?? sampleBodies[key];

describe("authorization matrix: service routes", () => {
  it("covers the service surface", () => {
    expect(serviceRoutes.length).toBeGreaterThanOrEqual(2);
  });

  for (const route of serviceRoutes) {
    const key = `${route.method} ${route.path}`;
    const cases: Array<[string, (f: Fixture) => Record<string, string>, "401" | "other-tenant"]> = [
      ["no key", () => ({}), "401"],
      ["malformed key", () => ({ Authorization: "Bearer not-a-key" }), "401"],
      ["basic scheme", (f) => ({ Authorization: `Basic ${f.appKey.token}` }), "401"],
      ["revoked key", (f) => ({ Authorization: `Bearer ${f.revokedKey}` }), "401"],
      ["wrong key type", (f) => ({ Authorization: `Bearer ${route.policy.auth === "app-key" ? f.datasetKey.token : f.appKey.token}` }), "401"],
      ["another tenant's key", (f) => ({ Authorization: `Bearer ${route.policy.auth === "app-key" ? f.bAppKey.token : f.bDatasetKey.token}` }), "other-tenant"],
    ];
    for (const [label, headers, expectation] of cases) {
      it(`${key}: ${label}`, async () => {
        const f = await fixture(route);
        const before = await stateOfA(f);
        const res = await call(route.method.toUpperCase(), pathFor(route, f), { headers: headers(f), body: serviceBody(key, f) });
        if (expectation === "401") {
          expect(res.status).toBe(401);
          expect(res.json.code).toBe("unauthorized");
        } else {
          for (const secret of f.secretsOfA) expect(res.text).not.toContain(secret);
        }
        expect(await stateOfA(f)).toBe(before);
      });
    }
    it(`${key}: the right key → allowed`, async () => {
      const f = await fixture(route);
      const token = route.policy.auth === "app-key" ? (f.chat?.key ?? f.appKey.token) : f.datasetKey.token;
      const res = await call(route.method.toUpperCase(), pathFor(route, f), { token, body: serviceBody(key, f) });
      if (domainAnswer[key]) expect(res.status, res.text).toBe(domainAnswer[key]);
      else expect(res.status, res.text).toBeLessThan(300);
    });
  }
});
