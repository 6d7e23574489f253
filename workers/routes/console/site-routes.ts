import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { App, SiteRow } from "../../db/repositories";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonBody, jsonResponse } from "../../http/route";
import { appParam, appSchema, requireApp, serializeApp } from "./app-routes";

/** The web app's path for each app mode (`/chatbot/{code}` is the chat in the embed bubble). */
export function webAppPath(mode: App["mode"], code: string): string {
  if (mode === "workflow") return `/workflow/${code}`;
  if (mode === "completion") return `/completion/${code}`;
  return `/chat/${code}`;
}

const siteSchema = z
  .object({
    app_id: z.string(),
    enable_site: z.boolean(),
    access_token: z.string().describe("The share code (Dify's name for it)."),
    code: z.string(),
    title: z.string(),
    description: z.string(),
    icon_type: z.string(),
    icon: z.string(),
    icon_background: z.string(),
    chat_color_theme: z.string().nullable(),
    chat_color_theme_inverted: z.boolean(),
    copyright: z.string().nullable(),
    privacy_policy: z.string().nullable(),
    custom_disclaimer: z.string(),
    default_language: z.string(),
    show_workflow_steps: z.boolean(),
    use_icon_as_answer_icon: z.boolean(),
    customize_domain: z.string().nullable(),
    customize_token_strategy: z.string(),
    prompt_public: z.boolean(),
    app_base_url: z.string(),
    web_app_url: z.string().describe("The link to share."),
    embed_script: z.string().describe("A snippet that puts the chat in a bubble on any page (chat apps)."),
  })
  .openapi("AppSite");

const siteBody = z.object({
  title: z.string().trim().min(1).max(100).optional(),
  description: z.string().max(2000).nullable().optional(),
  chat_color_theme: z.string().regex(/^#[0-9A-Fa-f]{3,8}$/, "chat_color_theme must be a colour like #1C64F2.").nullable().optional(),
  chat_color_theme_inverted: z.boolean().optional(),
  copyright: z.string().max(500).nullable().optional(),
  privacy_policy: z.string().url().max(2000).or(z.literal("")).nullable().optional(),
  custom_disclaimer: z.string().max(2000).optional(),
  default_language: z.string().max(20).optional(),
  show_workflow_steps: z.boolean().optional(),
  use_icon_as_answer_icon: z.boolean().optional(),
  // Accepted for Dify compatibility; Waggle has no custom domains or per-site token strategies.
  icon_type: z.string().optional(),
  icon: z.string().optional(),
  icon_background: z.string().optional(),
  customize_domain: z.string().nullish(),
  customize_token_strategy: z.string().optional(),
  prompt_public: z.boolean().optional(),
});

export function serializeSite(origin: string, app: App, site: SiteRow): z.infer<typeof siteSchema> {
  return {
    app_id: app.id,
    enable_site: app.enableSite,
    access_token: site.code,
    code: site.code,
    title: site.title ?? app.name,
    description: site.description ?? app.description,
    icon_type: app.iconType,
    icon: app.icon,
    icon_background: app.iconBackground,
    chat_color_theme: site.chatColorTheme,
    chat_color_theme_inverted: site.chatColorThemeInverted,
    copyright: site.copyright,
    privacy_policy: site.privacyPolicy,
    custom_disclaimer: site.customDisclaimer,
    default_language: site.defaultLanguage,
    show_workflow_steps: site.showWorkflowSteps,
    use_icon_as_answer_icon: site.useIconAsAnswerIcon,
    customize_domain: null,
    customize_token_strategy: "not_allow",
    prompt_public: false,
    app_base_url: origin,
    web_app_url: `${origin}${webAppPath(app.mode, site.code)}`,
    embed_script: `<script>\n  window.difyChatbotConfig = { token: '${site.code}', baseUrl: '${origin}' }\n</script>\n<script src="${origin}/embed.min.js" id="${site.code}" defer></script>`,
  };
}

const getSite = defineRoute({
  method: "get",
  path: "/console/api/apps/{app_id}/site",
  policy: { auth: "session" },
  tags: ["console: web app"],
  request: { params: appParam },
  responses: { 200: jsonResponse("The app's web app: share code, link, embed snippet and settings", siteSchema) },
});
const updateSite = defineRoute({
  method: "post",
  path: "/console/api/apps/{app_id}/site",
  policy: { auth: "session", role: "editor" },
  tags: ["console: web app"],
  request: { params: appParam, body: jsonBody(siteBody) },
  responses: { 200: jsonResponse("The updated web app settings", siteSchema) },
});
const resetCode = defineRoute({
  method: "post",
  path: "/console/api/apps/{app_id}/site/access-token-reset",
  policy: { auth: "session", role: "admin" },
  tags: ["console: web app"],
  request: { params: appParam },
  responses: { 200: jsonResponse("A new share code; links and embeds with the old one stop working", siteSchema) },
});
const enableSite = defineRoute({
  method: "post",
  path: "/console/api/apps/{app_id}/site-enable",
  policy: { auth: "session", role: "editor" },
  tags: ["console: web app"],
  request: { params: appParam, body: jsonBody(z.object({ enable_site: z.boolean() })) },
  responses: { 200: jsonResponse("The app", appSchema) },
});

const origin = (c: Context<AppEnv>) => new URL(c.req.url).origin;

/** The published web app's settings in the console (Dify's "Web App" card on the overview). */
export function registerSiteRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(getSite, async (c) => {
    const found = await requireApp(c, c.req.valid("param").app_id);
    return c.json(serializeSite(origin(c), found, await c.var.tenant.sites.ensure(found.id)), 200);
  });

  app.openapi(updateSite, async (c) => {
    const found = await requireApp(c, c.req.valid("param").app_id);
    const body = c.req.valid("json");
    const site = await c.var.tenant.sites.update(found.id, {
      title: body.title,
      description: body.description,
      chatColorTheme: body.chat_color_theme,
      chatColorThemeInverted: body.chat_color_theme_inverted,
      copyright: body.copyright,
      privacyPolicy: body.privacy_policy === "" ? null : body.privacy_policy,
      customDisclaimer: body.custom_disclaimer,
      defaultLanguage: body.default_language,
      showWorkflowSteps: body.show_workflow_steps,
      useIconAsAnswerIcon: body.use_icon_as_answer_icon,
    });
    return c.json(serializeSite(origin(c), found, site), 200);
  });

  app.openapi(resetCode, async (c) => {
    const found = await requireApp(c, c.req.valid("param").app_id);
    return c.json(serializeSite(origin(c), found, await c.var.tenant.sites.resetCode(found.id)), 200);
  });

  app.openapi(enableSite, async (c) => {
    const found = await requireApp(c, c.req.valid("param").app_id);
    const updated = await c.var.tenant.apps.update(found.id, { enableSite: c.req.valid("json").enable_site });
    return c.json(serializeApp(updated ?? found), 200);
  });
}
