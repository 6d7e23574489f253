import { describe, expect, it } from "vitest";
import { call, createAppAs, createDatasetKeyAs, createKeyAs, publishAs, seedTenant } from "./harness";

describe("service API keys and /v1", () => {
  it("answers /v1/info and /v1/parameters from the published version", async () => {
    const t = await seedTenant("svc");
    const appId = await createAppAs(t.tokens.owner, "workflow", "Length router");
    const key = await createKeyAs(t.tokens.editor, appId);
    expect(key.token).toMatch(/^app-[A-Za-z0-9]{24}$/);

    // Keys are listed masked; the token is never shown again.
    const list = await call("GET", `/console/api/apps/${appId}/api-keys`, { token: t.tokens.owner });
    expect(list.json.data).toHaveLength(1);
    expect(list.json.data[0].token).not.toBe(key.token);
    expect(list.json.data[0].token).toMatch(/^app-.{2}….{4}$/);

    const info = await call("GET", "/v1/info", { token: key.token });
    expect(info.status).toBe(200);
    expect(info.json).toEqual({ name: "Length router", description: "", tags: [], mode: "workflow", author_name: `owner ${info.json.author_name.split(" ")[1]}` });

    const unpublished = await call("GET", "/v1/parameters", { token: key.token });
    expect(unpublished.status).toBe(400);
    expect(unpublished.json.code).toBe("app_unavailable");

    const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner });
    const graph = structuredClone(draft.json.graph);
    graph.nodes[0].data.variables = [
      { variable: "query", label: "Query", type: "paragraph", required: true, max_length: 4000, options: [] },
      { variable: "tone", label: "Tone", type: "select", required: false, options: ["formal", "casual"] },
    ];
    await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner, body: { graph, features: { opening_statement: "Hello", file_upload: { enabled: false } }, hash: draft.json.hash } });
    await publishAs(t.tokens.owner, appId);

    const params = await call("GET", "/v1/parameters", { token: key.token });
    expect(params.status).toBe(200);
    expect(params.json.opening_statement).toBe("Hello");
    expect(params.json.user_input_form).toEqual([
      { paragraph: { label: "Query", variable: "query", required: true, default: "", max_length: 4000, options: [] } },
      { select: { label: "Tone", variable: "tone", required: false, default: "", options: ["formal", "casual"] } },
    ]);
    expect(params.json.system_parameters).toMatchObject({ file_size_limit: 15, image_file_size_limit: 10 });
    expect(params.json.speech_to_text).toEqual({ enabled: false });
  });

  it("refuses missing, malformed, revoked and wrong-type keys with Dify's errors", async () => {
    const t = await seedTenant("svc-keys");
    const appId = await createAppAs(t.tokens.owner);
    const key = await createKeyAs(t.tokens.owner, appId);
    const datasetKey = await createDatasetKeyAs(t.tokens.admin);
    expect(datasetKey.token).toMatch(/^dataset-[A-Za-z0-9]{24}$/);

    const missing = await call("GET", "/v1/info");
    expect(missing.json).toEqual({ code: "unauthorized", message: "Authorization header must be provided and start with 'Bearer'", status: 401 });
    expect((await call("GET", "/v1/info", { headers: { Authorization: `Basic ${key.token}` } })).status).toBe(401);
    expect((await call("GET", "/v1/info", { token: "app-short" })).json.message).toBe("Access token is invalid");
    expect((await call("GET", "/v1/info", { token: datasetKey.token })).status).toBe(401);
    expect((await call("GET", "/v1/info", { token: key.token })).status).toBe(200);

    // Revocation takes effect on the next request.
    expect((await call("DELETE", `/console/api/apps/${appId}/api-keys/${key.id}`, { token: t.tokens.owner })).status).toBe(204);
    expect((await call("GET", "/v1/info", { token: key.token })).status).toBe(401);

    // A disabled API answers 403.
    const second = await createKeyAs(t.tokens.owner, appId);
    await call("PUT", `/console/api/apps/${appId}`, { token: t.tokens.owner, body: { name: "Test app", enable_api: false } });
    const disabled = await call("GET", "/v1/info", { token: second.token });
    expect(disabled.status).toBe(403);
    expect(disabled.json.message).toMatch(/disabled/);
  });

  it("keeps a resolved key for a few seconds, and forgets it on any console write", async () => {
    const { env } = await import("cloudflare:test");
    const t = await seedTenant("svc-key-cache");
    const appId = await createAppAs(t.tokens.owner);
    const key = await createKeyAs(t.tokens.owner, appId);
    expect((await call("GET", "/v1/info", { token: key.token })).status).toBe(200);
    // A change behind the platform's back (another isolate's write, say) is not seen while the key is cached...
    await env.DB.prepare("UPDATE workspaces SET status = 'archived' WHERE id = ?").bind(t.tenantId).run();
    expect((await call("GET", "/v1/info", { token: key.token })).status).toBe(200);
    // ...until any console write in this isolate empties the cache.
    await call("POST", `/console/api/apps/${appId}/api-keys`, { token: t.tokens.owner });
    const archived = await call("GET", "/v1/info", { token: key.token });
    expect(archived.status).toBe(403);
    expect(archived.json.message).toBe("The workspace's status is archived.");
    // Forgetting is also what a restored workspace needs.
    const { forgetResolvedKeys } = await import("../../workers/db/repositories");
    forgetResolvedKeys();
    await env.DB.prepare("UPDATE workspaces SET status = 'normal' WHERE id = ?").bind(t.tenantId).run();
    expect((await call("GET", "/v1/info", { token: key.token })).status).toBe(200);
  });

  it("stores only hashes of keys", async () => {
    const { env } = await import("cloudflare:test");
    const t = await seedTenant("svc-hash");
    const appId = await createAppAs(t.tokens.owner);
    const key = await createKeyAs(t.tokens.owner, appId);
    const rows = await env.DB.prepare("SELECT * FROM api_keys").all();
    const dump = JSON.stringify(rows.results);
    expect(dump).not.toContain(key.token);
    expect(dump).not.toContain(key.token.slice(4, 20));
  });

  it("caps keys per app", async () => {
    const t = await seedTenant("svc-cap");
    const appId = await createAppAs(t.tokens.owner);
    for (let i = 0; i < 10; i++) await createKeyAs(t.tokens.owner, appId);
    const over = await call("POST", `/console/api/apps/${appId}/api-keys`, { token: t.tokens.owner });
    expect(over.status).toBe(400);
    expect(over.json.code).toBe("max_keys_exceeded");
  });
});
