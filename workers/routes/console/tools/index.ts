import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../../http/app-env";
import { registerApiToolRoutes } from "./api-tool-routes";
import { registerMcpToolRoutes } from "./mcp-tool-routes";
import { registerWorkflowToolRoutes } from "./workflow-tool-routes";

/** The tool console API (Dify's `/workspaces/current/tool-provider…` and `/tools/…`). */
export function registerToolRoutes(app: OpenAPIHono<AppEnv>): void {
  registerApiToolRoutes(app);
  registerMcpToolRoutes(app);
  registerWorkflowToolRoutes(app);
}
