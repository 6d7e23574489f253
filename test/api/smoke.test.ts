import { describe, expect, it } from "vitest";
import { call, seedTenant, createAppAs } from "./harness";

describe("smoke", () => {
  it("creates and lists apps", async () => {
    const t = await seedTenant();
    const id = await createAppAs(t.tokens.owner);
    const res = await call("GET", "/console/api/apps", { token: t.tokens.owner });
    expect(res.status).toBe(200);
    expect(res.json.data.map((a: any) => a.id)).toContain(id);
  });
});
