import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { InvalidParamError, UnauthorizedError } from "../../../core/errors";
import { randomToken } from "../../../core/security";
import { resolveSite, TenantRepository } from "../../db/repositories";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonResponse } from "../../http/route";
import { assertSiteOpen, bearerOf, issuePassport, readPassport } from "../../middleware/web-passport-auth";
import { withWebPrincipal } from "../../middleware/web-principal";

/** The browser's visitor id: one per browser, shared by every web app (each app keeps its own end user). */
const VISITOR_COOKIE = "waggle_visitor";
const VISITOR_ID = /^[A-Za-z0-9]{24}$/;

const passport = defineRoute({
  method: "get",
  path: "/api/passport",
  policy: { auth: "public" },
  tags: ["web app"],
  summary: "A passport for a published web app",
  description:
    "Dify's web API: send the share code in `X-App-Code`. The visitor is the browser (a cookie), or the passport sent as `Authorization: Bearer` if it is still valid for this app. Use the returned token as `Authorization: Bearer` on the other `/api` routes.",
  request: { headers: z.object({ "x-app-code": z.string().max(64).optional() }), query: z.object({ app_code: z.string().max(64).optional() }) },
  responses: { 200: jsonResponse("The passport", z.object({ access_token: z.string() })) },
});

const site = defineRoute({
  method: "get",
  path: "/api/site",
  policy: { auth: "web-passport" },
  tags: ["web app"],
  summary: "The web app's title, icon and settings, and the visitor's end-user id",
  responses: { 200: jsonResponse("The site", z.record(z.string(), z.unknown())) },
});

/**
 * The rest of Dify's web API is the service API with the end user taken from the passport instead
 * of the `user` field: each route here is answered by its `/v1` twin (same validation, shapes,
 * events and errors). Only these are reachable from a web app — not annotations, logs or end users.
 */
const forwarded: Array<{ method: "get" | "post" | "delete"; path: string; target: string; summary: string }> = [
  { method: "get", path: "/api/parameters", target: "/v1/parameters", summary: "Input form, opening statement and features" },
  { method: "get", path: "/api/meta", target: "/v1/meta", summary: "Tool icons" },
  { method: "post", path: "/api/chat-messages", target: "/v1/chat-messages", summary: "Send a chat message (streaming or blocking)" },
  { method: "get", path: "/api/chat-messages/{task_id}/events", target: "/v1/chat-messages/{task_id}/events", summary: "Resume a streaming answer" },
  { method: "post", path: "/api/chat-messages/{task_id}/stop", target: "/v1/chat-messages/{task_id}/stop", summary: "Stop an answer" },
  { method: "post", path: "/api/completion-messages", target: "/v1/completion-messages", summary: "Run a text generator" },
  { method: "get", path: "/api/completion-messages/{task_id}/events", target: "/v1/completion-messages/{task_id}/events", summary: "Resume a streaming generation" },
  { method: "post", path: "/api/completion-messages/{task_id}/stop", target: "/v1/completion-messages/{task_id}/stop", summary: "Stop a generation" },
  { method: "post", path: "/api/workflows/run", target: "/v1/workflows/run", summary: "Run the workflow" },
  { method: "post", path: "/api/workflows/tasks/{task_id}/stop", target: "/v1/workflows/tasks/{task_id}/stop", summary: "Stop a workflow run" },
  { method: "get", path: "/api/conversations", target: "/v1/conversations", summary: "The visitor's conversations" },
  { method: "delete", path: "/api/conversations/{conversation_id}", target: "/v1/conversations/{conversation_id}", summary: "Delete a conversation" },
  { method: "post", path: "/api/conversations/{conversation_id}/name", target: "/v1/conversations/{conversation_id}/name", summary: "Rename a conversation" },
  { method: "get", path: "/api/messages", target: "/v1/messages", summary: "A conversation's messages" },
  { method: "post", path: "/api/messages/{message_id}/feedbacks", target: "/v1/messages/{message_id}/feedbacks", summary: "Like or dislike an answer" },
  { method: "get", path: "/api/messages/{message_id}/suggested-questions", target: "/v1/messages/{message_id}/suggested", summary: "Suggested next questions" },
  { method: "get", path: "/api/messages/{message_id}/more-like-this", target: "/v1/messages/{message_id}/more-like-this", summary: "Another answer like a text generator's earlier one" },
  { method: "post", path: "/api/files/upload", target: "/v1/files/upload", summary: "Upload a file for a message or run" },
  { method: "post", path: "/api/audio-to-text", target: "/v1/audio-to-text", summary: "Speech to text" },
  { method: "post", path: "/api/text-to-audio", target: "/v1/text-to-audio", summary: "Text to speech" },
];

function paramsOf(path: string) {
  const names = [...path.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]!);
  return names.length ? z.object(Object.fromEntries(names.map((name) => [name, z.string().max(64)]))) : undefined;
}

function executionContext(c: Context<AppEnv>): ExecutionContext | undefined {
  try {
    return c.executionCtx as ExecutionContext;
  } catch {
    return undefined;
  }
}

/** The web app's single page (built by Vite as `webapp.html`, served by static assets as `/webapp`). */
async function serveWebAppPage(c: Context<AppEnv>): Promise<Response> {
  if (!c.env.ASSETS) return c.text("The web app pages are not built; run npm run build:web.", 503);
  const page = await c.env.ASSETS.fetch(new Request(new URL("/webapp", c.req.url)));
  if (!page.ok || !page.headers.get("Content-Type")?.includes("text/html")) return c.text("The web app pages are not built; run npm run build:web.", 503);
  const response = new Response(page.body, page);
  response.headers.set("Cache-Control", "no-cache");
  return response;
}

/** Answers a web API call with its `/v1` twin, as the passport's end user. */
async function forward(app: OpenAPIHono<AppEnv>, c: Context<AppEnv>, target: string): Promise<Response> {
  const visitor = c.var.webVisitor;
  const source = new URL(c.req.url);
  const path = target.replace(/\{([a-z_]+)\}/g, (_, name: string) => encodeURIComponent(c.req.param(name) ?? ""));
  const url = new URL(path, source.origin);
  for (const [key, value] of source.searchParams) if (key !== "user") url.searchParams.append(key, value);
  const headers = new Headers(c.req.raw.headers);
  headers.delete("Authorization");
  headers.delete("Cookie");
  let body: BodyInit | undefined;
  if (c.req.method === "GET") {
    url.searchParams.set("user", visitor.endUserSession);
  } else if ((c.req.header("Content-Type") ?? "").startsWith("multipart/form-data")) {
    const form = await c.req.raw.formData().catch(() => {
      throw new InvalidParamError("The upload is not valid multipart/form-data.");
    });
    form.set("user", visitor.endUserSession);
    body = form;
    headers.delete("Content-Type");
    headers.delete("Content-Length");
  } else {
    const text = await c.req.raw.text();
    let json: unknown = {};
    if (text.trim()) {
      try {
        json = JSON.parse(text);
      } catch {
        throw new InvalidParamError("The request body is not valid JSON.");
      }
    }
    if (!json || typeof json !== "object" || Array.isArray(json)) throw new InvalidParamError("The request body must be a JSON object.");
    body = JSON.stringify({ ...json, user: visitor.endUserSession });
    headers.set("Content-Type", "application/json");
    headers.delete("Content-Length");
  }
  return app.fetch(new Request(url, { method: c.req.method, headers, body }), withWebPrincipal(c.env, visitor), executionContext(c));
}

/**
 * Dify's web API (`/api/*`) behind the published web apps (`/chat/{code}`, `/completion/{code}`,
 * `/workflow/{code}`, the embed bubble): a passport per visitor, the site's settings, and the
 * service API's generation, conversation, feedback and upload routes as that visitor.
 */
export function registerWebAppRoutes(app: OpenAPIHono<AppEnv>): void {
  for (const kind of ["chat", "chatbot", "completion", "workflow"]) {
    const page = defineRoute({
      method: "get",
      path: `/${kind}/{code}`,
      policy: { auth: "public" },
      tags: ["web app"],
      summary: kind === "chatbot" ? "The chat in the embed bubble" : `The published ${kind} web app`,
      request: { params: z.object({ code: z.string().max(64) }) },
      responses: { 200: { description: "The web app's page (it checks the code itself, through /api/passport)", content: { "text/html": { schema: z.string() } } } },
    });
    app.openapi(page, (c) => serveWebAppPage(c as unknown as Context<AppEnv>) as never);
  }

  app.openapi(passport, async (c) => {
    const code = c.req.header("X-App-Code") ?? c.req.query("app_code");
    if (!code) throw new UnauthorizedError("The X-App-Code header (the web app's share code) is required.");
    const resolved = await resolveSite(c.var.db, code);
    assertSiteOpen(resolved);
    const secret = c.env.WAGGLE_SECRET_KEY;
    // The same visitor as before: the passport they still hold for this app, else this browser's cookie.
    const held = bearerOf(c);
    const previous = held ? await readPassport(secret, held) : undefined;
    const cookie = getCookie(c, VISITOR_COOKIE);
    const user = previous?.code === code ? previous.user : cookie && VISITOR_ID.test(cookie) ? cookie : randomToken(24);
    const secure = new URL(c.req.url).protocol === "https:";
    setCookie(c, VISITOR_COOKIE, user, { path: "/api", httpOnly: true, maxAge: 365 * 24 * 3600, ...(secure ? { secure: true, sameSite: "None", partitioned: true } : { sameSite: "Lax" }) });
    c.header("Cache-Control", "no-store");
    return c.json({ access_token: await issuePassport(secret, { code, user }) }, 200);
  });

  app.openapi(site, async (c) => {
    const visitor = c.var.webVisitor;
    const row = c.var.webSite;
    const found = visitor.app;
    const endUser = await new TenantRepository(c.var.db, visitor.tenantId).runs.ensureEndUser(found.id, visitor.endUserSession);
    return c.json(
      {
        app_id: found.id,
        end_user_id: endUser.id,
        enable_site: found.enableSite,
        mode: found.mode,
        site: {
          title: row.title ?? found.name,
          chat_color_theme: row.chatColorTheme,
          chat_color_theme_inverted: row.chatColorThemeInverted,
          icon_type: found.iconType,
          icon: found.icon,
          icon_background: found.iconBackground,
          icon_url: found.iconType === "emoji" ? null : found.icon,
          description: row.description ?? found.description,
          copyright: row.copyright,
          privacy_policy: row.privacyPolicy,
          custom_disclaimer: row.customDisclaimer,
          default_language: row.defaultLanguage,
          prompt_public: false,
          show_workflow_steps: row.showWorkflowSteps,
          use_icon_as_answer_icon: row.useIconAsAnswerIcon,
        },
        model_config: null,
        plan: "basic",
        can_replace_logo: false,
        custom_config: null,
      },
      200,
    );
  });

  for (const spec of forwarded) {
    const params = paramsOf(spec.path);
    const route = defineRoute({
      method: spec.method,
      path: spec.path,
      policy: { auth: "web-passport" },
      tags: ["web app"],
      summary: spec.summary,
      description: `Answered as \`${spec.method.toUpperCase()} ${spec.target}\`, with \`user\` set to the passport's visitor.`,
      ...(params ? { request: { params } } : {}),
      responses: { 200: { description: `As \`${spec.target}\`` } },
    });
    app.openapi(route, (c) => forward(app, c as unknown as Context<AppEnv>, spec.target) as never);
  }
}
