import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../http/app-env";
import { registerDatasetRoutes } from "./dataset-routes";
import { registerDocumentRoutes } from "./document-routes";
import { registerMetadataRoutes } from "./metadata-routes";
import { registerRetrieveRoutes } from "./retrieve-routes";
import { registerSegmentRoutes } from "./segment-routes";
import { consoleSurface, serviceSurface } from "./surface";
import { registerTagRoutes } from "./tag-routes";

/** The knowledge routes on both surfaces: Dify's `/v1` knowledge API and the console's `/console/api/datasets…`. */
export function registerKnowledgeRoutes(app: OpenAPIHono<AppEnv>): void {
  for (const surface of [serviceSurface, consoleSurface]) {
    // Before `/datasets/{dataset_id}`, so `tags` is not taken for a dataset id.
    registerTagRoutes(app, surface);
    registerDatasetRoutes(app, surface);
    registerMetadataRoutes(app, surface);
    registerDocumentRoutes(app, surface);
    registerRetrieveRoutes(app, surface);
    registerSegmentRoutes(app, surface);
  }
}
