import { OpenAPIHono } from "@hono/zod-openapi";
import { swaggerUI } from "@hono/swagger-ui";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { InvalidParamError } from "../core/errors";
import { createDb } from "./db/client";
import { IdentityRepository, forgetResolvedKeys } from "./db/repositories";
import type { AppEnv } from "./http/app-env";
import { describeIssues, errorBody, handleError } from "./http/error-handler";
import { registerApiKeyRoutes } from "./routes/console/api-key-routes";
import { registerAppRoutes } from "./routes/console/app-routes";
import { registerAuthRoutes } from "./routes/console/auth-routes";
import { registerDslRoutes } from "./routes/console/dsl-routes";
import { registerMemberRoutes } from "./routes/console/member-routes";
import { registerModelProviderRoutes } from "./routes/console/model-provider-routes";
import { registerRunRoutes } from "./routes/console/run-routes";
import { registerToolRoutes } from "./routes/console/tools";
import { registerVersionRoutes } from "./routes/console/version-routes";
import { registerKnowledgeRoutes } from "./routes/knowledge";
import { registerAppInfoRoutes } from "./routes/service/app-info-routes";
import { registerAudioRoutes } from "./routes/service/audio-routes";
import { registerAudioPreviewRoutes } from "./routes/console/audio-preview-routes";
import { registerWorkflowRoutes } from "./routes/service/workflow-routes";
import { registerChatRoutes } from "./routes/service/chat-routes";
import { registerFileRoutes } from "./routes/service/file-routes";
import { registerChatDebugRoutes } from "./routes/console/chat-debug-routes";
import { registerUsageRoutes } from "./routes/console/usage-routes";
import { registerStatisticsRoutes } from "./routes/console/statistics-routes";
import { registerMcpServerRoutes } from "./routes/console/mcp-server-routes";
import { registerMcpRoutes } from "./routes/mcp/mcp-routes";
import { registerTriggerRoutes } from "./routes/console/trigger-routes";
import { registerWebhookRoutes } from "./routes/triggers/webhook-routes";
import { registerConversationRoutes } from "./routes/service/conversation-routes";
import { registerServiceAnnotationRoutes } from "./routes/service/annotation-routes";
import { registerConsoleAnnotationRoutes } from "./routes/console/annotation-routes";
import { registerSiteRoutes } from "./routes/console/site-routes";
import { registerWebAppRoutes } from "./routes/webapp/webapp-routes";
import { registerPluginRoutes } from "./routes/console/plugin-routes";
import { registerPluginEndpointRoutes } from "./routes/plugins/plugin-endpoint-routes";

/** Largest JSON body any route accepts; uploads have their own limits. */
const MAX_JSON_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Builds the Worker's HTTP application: the console API (`/console/api`), the Dify-compatible
 * service API (`/v1`), the OpenAPI document and Swagger UI. Static pages are served by Workers
 * static assets before this app sees the request.
 */
export function createApp() {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new InvalidParamError(describeIssues(result.error.issues));
    },
  });

  // `npm start` logs each request here (its local server has no proxy that would; static assets
  // are served before the Worker and are not logged).
  app.use("*", async (c, next) => {
    if (c.env.WAGGLE_LOG_REQUESTS !== "true") return next();
    const started = Date.now();
    await next();
    console.info(`${c.req.method} ${c.req.path} ${c.res.status} (${Date.now() - started} ms)`);
  });

  const limitBody = bodyLimit({
    maxSize: MAX_JSON_BODY_BYTES,
    onError: (c) => c.json(errorBody("request_too_large", `The request body is larger than ${MAX_JSON_BODY_BYTES / 1024 / 1024} MB.`, 413), 413),
  });
  // Uploads (multipart) carry their own, per-type limits on their routes.
  app.use("*", (c, next) => (c.req.header("Content-Type")?.startsWith("multipart/") ? next() : limitBody(c, next)));

  app.use("*", async (c, next) => {
    // The service API reads through a D1 session, so reads may be served by the nearest replica
    // (writes still go to the primary); the console reads its own writes from the primary.
    const d1 = c.req.path.startsWith("/v1/") && typeof c.env.DB.withSession === "function" ? c.env.DB.withSession("first-unconstrained") : c.env.DB;
    const db = createDb(d1);
    c.set("db", db);
    c.set("identity", new IdentityRepository(db));
    await next();
  });

  // A console write may revoke a key, disable an app's API, archive a workspace or change what a
  // key's app runs with: the isolate's cache of resolved service API keys starts over.
  app.use("/console/api/*", async (c, next) => {
    await next();
    if (c.req.method !== "GET" && c.req.method !== "HEAD" && c.req.method !== "OPTIONS") forgetResolvedKeys();
  });

  // The service API is called from anywhere (keys are the gate); the console is same-origin only.
  app.use("/v1/*", cors({ origin: "*", allowHeaders: ["Authorization", "Content-Type", "Last-Event-ID"], allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"], maxAge: 86400 }));

  registerAuthRoutes(app);
  registerMemberRoutes(app);
  registerModelProviderRoutes(app);
  registerToolRoutes(app);
  registerAppRoutes(app);
  registerDslRoutes(app);
  registerVersionRoutes(app);
  registerApiKeyRoutes(app);
  registerRunRoutes(app);
  registerAppInfoRoutes(app);
  registerWorkflowRoutes(app);
  registerKnowledgeRoutes(app);
  registerChatRoutes(app);
  registerConversationRoutes(app);
  registerChatDebugRoutes(app);
  registerUsageRoutes(app);
  registerStatisticsRoutes(app);
  registerFileRoutes(app);
  registerMcpServerRoutes(app);
  registerMcpRoutes(app);
  registerTriggerRoutes(app);
  registerWebhookRoutes(app);
  registerServiceAnnotationRoutes(app);
  registerConsoleAnnotationRoutes(app);
  registerAudioRoutes(app);
  registerAudioPreviewRoutes(app);
  registerSiteRoutes(app);
  registerWebAppRoutes(app);
  registerPluginRoutes(app);
  registerPluginEndpointRoutes(app);

  app.get("/health", (c) => c.json({ status: "ok" }));
  app.openAPIRegistry.registerComponent("securitySchemes", "ApiKey", { type: "http", scheme: "bearer", description: "`app-…` or `dataset-…` service API key" });
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: { title: "Waggle API", version: "0.1.0", description: "Dify-compatible service API (`/v1`) and the console API (`/console/api`)." },
  });
  // Swagger UI's files are served from our own static assets (no CDN: Waggle runs offline).
  app.get("/docs", swaggerUI({ url: "/openapi.json", baseUrl: "/static", title: "Waggle API" }));

  app.notFound((c) => c.json(errorBody("not_found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`, 404), 404));
  app.onError(handleError);
  return app;
}
