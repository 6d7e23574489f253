/**
 * Published web apps (Dify's web API, `/api/*`): the console's site settings and share code, a
 * passport per visitor (a cookie per browser), and chatting, running and uploading as that visitor
 * — who sees only their own conversations and can reach nothing but the web app's routes.
 */
import { env } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { call, createAppAs, createKeyAs, parseSse, publishAs, seedTenant, type SeededTenant } from "./harness";
import { addMockModel, resetMockModel, scriptMockModel } from "./mock-model";

beforeEach(resetMockModel);

const MODEL = { provider: "langgenius/openai_api_compatible/openai_api_compatible", name: "mock-chat", mode: "chat", completion_params: {} };

async function chatApp(t: SeededTenant) {
  const appId = await createAppAs(t.tokens.owner, "chat", "Bee Helper");
  const draft = await call("GET", `/console/api/apps/${appId}/model-config`, { token: t.tokens.editor });
  const modelConfig = { ...draft.json.model_config, model: MODEL, pre_prompt: "You are {{persona}}.", opening_statement: "Hello, ask me about bees.", suggested_questions: ["What do bees eat?"], user_input_form: [{ "text-input": { variable: "persona", label: "Persona", required: true } }] };
  const saved = await call("POST", `/console/api/apps/${appId}/model-config`, { token: t.tokens.editor, body: { model_config: modelConfig, hash: draft.json.hash } });
  expect(saved.status, saved.text).toBe(200);
  await publishAs(t.tokens.editor, appId);
  return appId;
}

async function workflowApp(t: SeededTenant) {
  const appId = await createAppAs(t.tokens.owner, "workflow", "Echo");
  const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner });
  const node = (id: string, data: Record<string, unknown>) => ({ id, type: "custom", position: { x: 0, y: 0 }, data: { title: id, ...data } });
  const graph = {
    nodes: [
      node("start", { type: "start", variables: [{ variable: "topic", label: "Topic", type: "text-input", required: true }] }),
      node("tpl", { type: "template-transform", variables: [{ variable: "topic", value_selector: ["start", "topic"] }], template: "about {{ topic }}" }),
      node("end", { type: "end", outputs: [{ variable: "text", value_selector: ["tpl", "output"] }] }),
    ],
    edges: [
      { id: "e1", source: "start", target: "tpl", sourceHandle: "source", targetHandle: "target" },
      { id: "e2", source: "tpl", target: "end", sourceHandle: "source", targetHandle: "target" },
    ],
  };
  const saved = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner, body: { graph, hash: draft.json.hash } });
  expect(saved.status, saved.text).toBe(200);
  await publishAs(t.tokens.owner, appId);
  return appId;
}

async function siteOf(t: SeededTenant, appId: string) {
  const site = await call("GET", `/console/api/apps/${appId}/site`, { token: t.tokens.normal });
  expect(site.status, site.text).toBe(200);
  return site.json;
}

/** A visitor: a passport for the code, with the cookie the server set (a browser keeps it). */
async function visit(code: string, cookie?: string) {
  const res = await call("GET", "/api/passport", { headers: { "X-App-Code": code }, cookie });
  expect(res.status, res.text).toBe(200);
  const setCookie = res.headers.get("Set-Cookie") ?? "";
  return { token: res.json.access_token as string, cookie: setCookie.split(";")[0]!, setCookie };
}

const as = (visitor: { token: string }, code: string) => ({ token: visitor.token, headers: { "X-App-Code": code } });

describe("the web app's settings in the console", () => {
  it("gives each app a share code, the link for its mode and Dify's embed snippet; settings save; a reset breaks old links", async () => {
    const t = await seedTenant("site");
    const chat = await chatApp(t);
    const flow = await workflowApp(t);
    const site = await siteOf(t, chat);
    expect(site).toMatchObject({ app_id: chat, enable_site: true, title: "Bee Helper", access_token: site.code, show_workflow_steps: true, web_app_url: `http://waggle.test/chat/${site.code}` });
    expect(site.code).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(site.embed_script).toContain(`window.difyChatbotConfig = { token: '${site.code}', baseUrl: 'http://waggle.test' }`);
    expect(site.embed_script).toContain('src="http://waggle.test/embed.min.js"');
    expect((await siteOf(t, chat)).code).toBe(site.code);
    expect((await siteOf(t, flow)).web_app_url).toMatch(/\/workflow\/[A-Za-z0-9]{16}$/);

    const updated = await call("POST", `/console/api/apps/${chat}/site`, { token: t.tokens.editor, body: { title: "Ask the Bees", custom_disclaimer: "Answers may be wrong.", chat_color_theme: "#D97706" } });
    expect(updated.status, updated.text).toBe(200);
    expect(updated.json).toMatchObject({ title: "Ask the Bees", custom_disclaimer: "Answers may be wrong.", chat_color_theme: "#D97706", code: site.code });
    const bad = await call("POST", `/console/api/apps/${chat}/site`, { token: t.tokens.editor, body: { chat_color_theme: "red;background:url(x)" } });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toContain("chat_color_theme");

    const visitor = await visit(site.code);
    const shown = await call("GET", "/api/site", as(visitor, site.code));
    expect(shown.status, shown.text).toBe(200);
    expect(shown.json).toMatchObject({ app_id: chat, mode: "chat", enable_site: true, site: { title: "Ask the Bees", custom_disclaimer: "Answers may be wrong.", chat_color_theme: "#D97706", icon: expect.any(String) } });

    // Only an admin may reset the code; afterwards the old link and passports stop working.
    expect((await call("POST", `/console/api/apps/${chat}/site/access-token-reset`, { token: t.tokens.editor })).status).toBe(403);
    const reset = await call("POST", `/console/api/apps/${chat}/site/access-token-reset`, { token: t.tokens.admin });
    expect(reset.status).toBe(200);
    expect(reset.json.code).not.toBe(site.code);
    const stale = await call("GET", "/api/site", as(visitor, site.code));
    expect(stale.status).toBe(401);
    expect(stale.json.message).toContain("link was reset");
    expect((await call("GET", "/api/passport", { headers: { "X-App-Code": site.code } })).status).toBe(401);
    expect((await visit(reset.json.code)).token).toBeTruthy();
  });

  it("turning the web app off closes it for visitors, and the service API's switch does not", async () => {
    const t = await seedTenant("siteoff");
    const appId = await workflowApp(t);
    const { code } = await siteOf(t, appId);
    const visitor = await visit(code);
    const off = await call("POST", `/console/api/apps/${appId}/site-enable`, { token: t.tokens.editor, body: { enable_site: false } });
    expect(off.status).toBe(200);
    expect(off.json.enable_site).toBe(false);
    const closed = await call("POST", "/api/workflows/run", { ...as(visitor, code), body: { inputs: { topic: "x" }, response_mode: "blocking" } });
    expect(closed.status).toBe(403);
    expect(closed.json).toMatchObject({ code: "app_unavailable", message: "This web app is turned off. Its owner can turn it on in the console." });
    expect((await call("GET", "/api/passport", { headers: { "X-App-Code": code } })).status).toBe(403);

    await call("POST", `/console/api/apps/${appId}/site-enable`, { token: t.tokens.editor, body: { enable_site: true } });
    await call("PUT", `/console/api/apps/${appId}`, { token: t.tokens.editor, body: { name: "Echo", enable_api: false } });
    const run = await call("POST", "/api/workflows/run", { ...as(visitor, code), body: { inputs: { topic: "ants" }, response_mode: "blocking" } });
    expect(run.status, run.text).toBe(200);
    expect(run.json.data).toMatchObject({ status: "succeeded", outputs: { text: "about ants" } });
  });
});

describe("a visitor of a published chat app", () => {
  it("chats with streaming answers, keeps conversations of their own, renames, rates and deletes them", async () => {
    const t = await seedTenant("webchat");
    await addMockModel(t);
    const appId = await chatApp(t);
    const { code } = await siteOf(t, appId);

    const first = await visit(code);
    expect(first.setCookie).toMatch(/^waggle_visitor=[A-Za-z0-9]{24}; Max-Age=31536000; Path=\/api; HttpOnly; SameSite=Lax/);
    const parameters = await call("GET", "/api/parameters", as(first, code));
    expect(parameters.json).toMatchObject({ opening_statement: "Hello, ask me about bees.", suggested_questions: ["What do bees eat?"], user_input_form: [{ "text-input": { variable: "persona" } }] });

    await scriptMockModel({ text: "Nectar and pollen." });
    const answer = await call("POST", "/api/chat-messages", { ...as(first, code), body: { query: "What do bees eat?", inputs: { persona: "a beekeeper" }, response_mode: "streaming" } });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.headers.get("Content-Type")).toContain("text/event-stream");
    const events = parseSse(answer.text);
    expect(events.at(-1).event).toBe("message_end");
    expect(events.filter((e) => e.event === "message").map((e) => e.answer).join("")).toBe("Nectar and pollen.");
    const conversationId = events[0].conversation_id;
    const messageId = events[0].message_id;

    // The same browser (cookie) is the same visitor, even with a new passport.
    const again = await visit(code, first.cookie);
    const siteA = await call("GET", "/api/site", as(first, code));
    const siteB = await call("GET", "/api/site", as(again, code));
    expect(siteB.json.end_user_id).toBe(siteA.json.end_user_id);
    const list = await call("GET", "/api/conversations?limit=20", as(again, code));
    expect(list.json.data.map((c: any) => c.id)).toEqual([conversationId]);
    const messages = await call("GET", `/api/messages?conversation_id=${conversationId}`, as(again, code));
    expect(messages.json.data.map((m: any) => [m.query, m.answer])).toEqual([["What do bees eat?", "Nectar and pollen."]]);

    // Another browser sees nothing of it and cannot continue or delete it.
    const stranger = await visit(code);
    expect((await call("GET", "/api/site", as(stranger, code))).json.end_user_id).not.toBe(siteA.json.end_user_id);
    expect((await call("GET", "/api/conversations", as(stranger, code))).json.data).toEqual([]);
    const hijack = await call("POST", "/api/chat-messages", { ...as(stranger, code), body: { query: "hi", inputs: {}, conversation_id: conversationId, response_mode: "blocking" } });
    expect(hijack.status).toBe(404);
    expect((await call("DELETE", `/api/conversations/${conversationId}`, as(stranger, code))).status).toBe(404);
    // A `user` in the body cannot pose as someone else: the passport decides.
    const firstSession = first.cookie.split("=")[1]!;
    const posing = await call("GET", `/api/conversations?user=${firstSession}`, as(stranger, code));
    expect(posing.json.data).toEqual([]);
    const posingBody = await call("POST", "/api/chat-messages", { ...as(stranger, code), body: { query: "hi", inputs: {}, user: firstSession, conversation_id: conversationId, response_mode: "blocking" } });
    expect(posingBody.status).toBe(404);

    const liked = await call("POST", `/api/messages/${messageId}/feedbacks`, { ...as(first, code), body: { rating: "like" } });
    expect(liked.status, liked.text).toBe(200);
    const feedback = await env.DB.prepare("SELECT rating, from_source FROM message_feedbacks WHERE message_id = ?").bind(messageId).first<Record<string, string>>();
    expect(feedback?.rating).toBe("like");

    const renamed = await call("POST", `/api/conversations/${conversationId}/name`, { ...as(first, code), body: { name: "Bee food", auto_generate: false } });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.json.name).toBe("Bee food");
    const deleted = await call("DELETE", `/api/conversations/${conversationId}`, as(first, code));
    expect(deleted.status).toBe(204);
    expect((await call("GET", "/api/conversations", as(first, code))).json.data).toEqual([]);
  });

  it("uploads a file as the visitor", async () => {
    const t = await seedTenant("webfile");
    const appId = await chatApp(t);
    const { code } = await siteOf(t, appId);
    const visitor = await visit(code);
    const form = new FormData();
    form.set("file", new File(["hello bees"], "notes.txt", { type: "text/plain" }));
    form.set("user", "someone-else");
    const uploaded = await call("POST", "/api/files/upload", { ...as(visitor, code), body: form });
    expect(uploaded.status, uploaded.text).toBe(201);
    expect(uploaded.json).toMatchObject({ name: "notes.txt", mime_type: "text/plain" });
    const site = await call("GET", "/api/site", as(visitor, code));
    const row = await env.DB.prepare("SELECT created_by FROM upload_files WHERE id = ?").bind(uploaded.json.id).first<{ created_by: string }>();
    expect(row?.created_by).toBe(site.json.end_user_id);
  });
});

describe("web app passports", () => {
  it("refuse a missing, unknown, tampered or foreign passport, with messages a person can act on", async () => {
    const t = await seedTenant("pass");
    const a = await workflowApp(t);
    const b = await workflowApp(t);
    const codeA = (await siteOf(t, a)).code;
    const codeB = (await siteOf(t, b)).code;

    const none = await call("GET", "/api/passport");
    expect(none.status).toBe(401);
    expect(none.json.message).toContain("X-App-Code");
    const unknown = await call("GET", "/api/passport", { headers: { "X-App-Code": "NoSuchCode123456" } });
    expect(unknown.status).toBe(401);
    expect(unknown.json).toMatchObject({ code: "unauthorized", status: 401 });

    const visitor = await visit(codeA);
    const anonymous = await call("GET", "/api/parameters");
    expect(anonymous.status).toBe(401);
    expect(anonymous.json.message).toContain("/api/passport");
    const [body, mac] = visitor.token.split(".");
    const forged = `${btoa(JSON.stringify({ c: codeB, u: "x" })).replace(/=+$/, "")}.${mac}`;
    expect((await call("GET", "/api/parameters", { token: forged })).status).toBe(401);
    expect((await call("GET", "/api/parameters", { token: `${body}.${mac!.slice(0, -2)}AA` })).status).toBe(401);
    // A passport for app A does not open app B.
    const crossed = await call("GET", "/api/parameters", { token: visitor.token, headers: { "X-App-Code": codeB } });
    expect(crossed.status).toBe(401);
    expect(crossed.json.message).toBe("The passport was issued for another web app.");
  });

  it("open only the web app's routes: not the service API, annotations or logs", async () => {
    const t = await seedTenant("passonly");
    const appId = await chatApp(t);
    const { code } = await siteOf(t, appId);
    const visitor = await visit(code);
    expect((await call("GET", "/v1/parameters", as(visitor, code))).status).toBe(401);
    expect((await call("GET", "/v1/apps/annotations", as(visitor, code))).status).toBe(401);
    expect((await call("GET", "/api/apps/annotations", as(visitor, code))).status).toBe(404);
    expect((await call("GET", "/api/workflows/logs", as(visitor, code))).status).toBe(404);
    expect((await call("GET", `/console/api/apps/${appId}`, as(visitor, code))).status).toBe(401);
    // And an API key is not a passport.
    const key = await createKeyAs(t.tokens.owner, appId);
    expect((await call("GET", "/api/parameters", { token: key.token })).status).toBe(401);
  });

  it("of another workspace's app never reach this workspace's conversations", async () => {
    const t1 = await seedTenant("passa");
    const t2 = await seedTenant("passb");
    await addMockModel(t1);
    const app1 = await chatApp(t1);
    const app2 = await chatApp(t2);
    const code1 = (await siteOf(t1, app1)).code;
    const code2 = (await siteOf(t2, app2)).code;
    const v1 = await visit(code1);
    await scriptMockModel({ text: "Hi." });
    const chat = await call("POST", "/api/chat-messages", { ...as(v1, code1), body: { query: "hello", inputs: { persona: "x" }, response_mode: "blocking" } });
    expect(chat.status, chat.text).toBe(200);
    // The same browser visiting the other workspace's app.
    const v2 = await visit(code2, v1.cookie);
    expect((await call("GET", "/api/conversations", as(v2, code2))).json.data).toEqual([]);
    expect((await call("GET", `/api/messages?conversation_id=${chat.json.conversation_id}`, as(v2, code2))).status).toBe(404);
  });
});

describe("web app pages and the embed script", () => {
  it("serve the web app's page for each kind of link, and the embed script", async () => {
    const t = await seedTenant("pages");
    const appId = await chatApp(t);
    const { code } = await siteOf(t, appId);
    for (const path of [`/chat/${code}`, `/chatbot/${code}`, `/completion/${code}`, `/workflow/${code}`]) {
      const page = await call("GET", path);
      expect(page.status, path).toBe(200);
      expect(page.headers.get("Content-Type")).toContain("text/html");
      expect(page.text).toContain("/assets/webapp-");
    }
  });
});
