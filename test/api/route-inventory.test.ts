import { describe, expect, it } from "vitest";
import { createApp } from "../../workers/app";
import { routeTable } from "../../workers/http/route";
import { call, seedTenant } from "./harness";

const app = createApp();
/** Routes that are public by nature and not part of the API surface. */
const infrastructure = new Set(["GET /health", "GET /openapi.json", "GET /docs"]);

describe("route inventory", () => {
  it("every served route declares an auth policy", () => {
    const served = app.routes
      .filter((r) => r.method !== "ALL")
      .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z_]+)/g, "{$1}")}`);
    const declared = new Set(routeTable.map((r) => `${r.method.toUpperCase()} ${r.path}`));
    const undeclared = [...new Set(served)].filter((r) => !declared.has(r) && !infrastructure.has(r));
    expect(undeclared).toEqual([]);
  });

  it("every non-public route refuses an anonymous caller with 401", async () => {
    for (const route of routeTable.filter((r) => r.policy.auth !== "public")) {
      const path = route.path.replace(/\{[a-z_]+\}/g, "00000000-0000-0000-0000-000000000000");
      const res = await call(route.method.toUpperCase(), path, { body: route.method === "get" ? undefined : {} });
      expect(res.status, `${route.method} ${route.path}`).toBe(401);
    }
  });

  it("unknown routes answer 404 not_found in the error envelope", async () => {
    const res = await call("GET", "/console/api/nope");
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ code: "not_found", message: "No route for GET /console/api/nope.", status: 404 });
  });

  it("path variants and spoofed headers never bypass auth", async () => {
    const t = await seedTenant("spoof");
    const variants = ["/CONSOLE/API/apps", "/console/API/apps", "/console/api//apps", "/console/api/apps/", "/console/api/./apps", "/console/api/%61pps", "/console/api/apps;x", "/console/api/x/../apps"];
    for (const path of variants) {
      const res = await call("GET", path, { headers: { "x-request-from": "internal", "x-tenant-id": t.tenantId, "X-Forwarded-For": "127.0.0.1" } });
      expect([401, 404], path).toContain(res.status);
      expect(res.text).not.toContain(t.tenantId);
    }
  });

  it("publishes an OpenAPI document that lists the declared routes", async () => {
    const res = await call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe("3.1.0");
    for (const route of routeTable) expect(Object.keys(res.json.paths), route.path).toContain(route.path);
    const docs = await call("GET", "/docs");
    expect(docs.text).toContain("/static/swagger-ui-dist/swagger-ui-bundle.js");
  });
});
