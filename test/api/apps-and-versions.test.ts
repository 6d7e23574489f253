import { describe, expect, it } from "vitest";
import { call, createAppAs, seedTenant } from "./harness";

const modes = ["chat", "completion", "agent-chat", "advanced-chat", "workflow"] as const;

describe("apps", () => {
  it("creates, renames, filters and deletes apps of every mode", async () => {
    const t = await seedTenant("apps");
    const ids: Record<string, string> = {};
    for (const mode of modes) ids[mode] = await createAppAs(t.tokens.editor, mode, `My ${mode}`);

    const all = await call("GET", "/console/api/apps?limit=2", { token: t.tokens.normal });
    expect(all.json).toMatchObject({ page: 1, limit: 2, total: 5, has_more: true });
    const workflows = await call("GET", "/console/api/apps?mode=workflow", { token: t.tokens.owner });
    expect(workflows.json.data.map((a: any) => a.mode)).toEqual(["workflow"]);
    const byName = await call("GET", "/console/api/apps?name=agent", { token: t.tokens.owner });
    expect(byName.json.data.map((a: any) => a.id)).toEqual([ids["agent-chat"]]);

    const renamed = await call("PUT", `/console/api/apps/${ids.chat}`, { token: t.tokens.editor, body: { name: "Support bot", description: "Answers questions" } });
    expect(renamed.json).toMatchObject({ id: ids.chat, name: "Support bot", description: "Answers questions", mode: "chat" });

    expect((await call("DELETE", `/console/api/apps/${ids.completion}`, { token: t.tokens.editor })).status).toBe(204);
    expect((await call("GET", `/console/api/apps/${ids.completion}`, { token: t.tokens.editor })).status).toBe(404);
  });

  it("rejects bad input with invalid_param naming the field, and ignores mass-assigned fields", async () => {
    const t = await seedTenant("apps-bad");
    const bad = await call("POST", "/console/api/apps", { token: t.tokens.owner, body: { name: "x", mode: "spaceship" } });
    expect(bad.status).toBe(400);
    expect(bad.json.code).toBe("invalid_param");
    expect(bad.json.message).toMatch(/^mode:/);
    const empty = await call("POST", "/console/api/apps", { token: t.tokens.owner, body: { name: "  ", mode: "chat" } });
    expect(empty.json.message).toMatch(/name: Name is required/);
    const notJson = await call("POST", "/console/api/apps", { token: t.tokens.owner, body: "{not json", headers: { "Content-Type": "application/json" } });
    expect(notJson.status).toBe(400);
    expect(notJson.json).toMatchObject({ code: "invalid_param" });

    const other = await seedTenant("apps-other");
    const sneaky = await call("POST", "/console/api/apps", {
      token: t.tokens.owner,
      body: { name: "Mine", mode: "chat", id: "fixed-id", tenant_id: other.tenantId, tenantId: other.tenantId, created_at: 1, published_version_id: "x" },
    });
    expect(sneaky.status).toBe(201);
    expect(sneaky.json.id).not.toBe("fixed-id");
    expect(sneaky.json.published_version_id).toBeNull();
    expect((await call("GET", `/console/api/apps/${sneaky.json.id}`, { token: other.tokens.owner })).status).toBe(404);
    expect((await call("GET", `/console/api/apps/${sneaky.json.id}`, { token: t.tokens.owner })).status).toBe(200);
  });
});

describe("draft, publish, versions, restore", () => {
  it("answers a saved and a loaded workflow draft with what would stop it from publishing, per node, and still saves it", async () => {
    const t = await seedTenant("draft-problems");
    const appId = await createAppAs(t.tokens.owner, "workflow");
    const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.editor });
    const iteration = { id: "each", type: "custom", position: { x: 300, y: 0 }, data: { type: "iteration", title: "Each", iterator_selector: [], output_selector: [], start_node_id: "eachstart" } };
    const start = { id: "eachstart", type: "custom-iteration-start", parentId: "each", position: { x: 24, y: 68 }, data: { type: "iteration-start", title: "", isInIteration: true, iteration_id: "each" } };
    const graph = { ...draft.json.graph, nodes: [...draft.json.graph.nodes, iteration, start] };
    const saved = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.editor, body: { graph, hash: draft.json.hash } });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.json.problems).toEqual(expect.arrayContaining([{ node_id: "each", field: "data.iterator_selector", message: "Iterator selector is required" }]));
    // A canvas opened on the draft later gets the same problems with it.
    expect(draft.json.problems).toEqual([]);
    const reloaded = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.editor });
    expect(reloaded.json.problems).toEqual(saved.json.problems);
    // The same problem stops publishing.
    const published = await call("POST", `/console/api/apps/${appId}/workflows/publish`, { token: t.tokens.editor });
    expect(published.status).toBe(400);
    expect(published.json.message).toContain("node each");
  });


  it("saves drafts with optimistic concurrency, publishes immutable versions and restores one", async () => {
    const t = await seedTenant("versions");
    const appId = await createAppAs(t.tokens.owner, "workflow");
    const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.editor });
    expect(draft.status).toBe(200);
    expect(draft.json.graph.nodes.map((n: any) => n.data.type)).toEqual(["start", "end"]);

    const graphV1 = { ...draft.json.graph, nodes: draft.json.graph.nodes.map((n: any) => (n.id === "end" ? { ...n, data: { ...n.data, title: "Finish v1" } } : n)) };
    const saved = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.editor, body: { graph: graphV1, hash: draft.json.hash } });
    expect(saved.status).toBe(200);
    expect(saved.json.hash).not.toBe(draft.json.hash);
    expect(saved.json.problems).toEqual([]);

    // A second editor still holding the old hash is told to reload.
    const stale = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner, body: { graph: draft.json.graph, hash: draft.json.hash } });
    expect(stale.status).toBe(409);
    expect(stale.json.code).toBe("draft_workflow_not_sync");

    const v1 = await call("POST", `/console/api/apps/${appId}/workflows/publish`, { token: t.tokens.editor, body: { marked_name: "first" } });
    expect(v1.status).toBe(200);

    const graphV2 = { ...graphV1, nodes: graphV1.nodes.map((n: any) => (n.id === "end" ? { ...n, data: { ...n.data, title: "Finish v2" } } : n)) };
    const saved2 = await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.editor, body: { graph: graphV2, hash: saved.json.hash } });
    expect(saved2.status).toBe(200);
    const v2 = await call("POST", `/console/api/apps/${appId}/workflows/publish`, { token: t.tokens.editor });
    expect(v2.status).toBe(200);

    const app = await call("GET", `/console/api/apps/${appId}`, { token: t.tokens.normal });
    expect(app.json.published_version_id).toBe(v2.json.id);

    const versions = await call("GET", `/console/api/apps/${appId}/workflows`, { token: t.tokens.normal });
    // Newest first, even within the same second.
    expect(versions.json.items.map((v: any) => v.id)).toEqual([v2.json.id, v1.json.id]);
    expect(versions.json.items.find((v: any) => v.id === v1.json.id)).toMatchObject({ marked_name: "first", created_by: { id: t.accountIds.editor } });

    const restored = await call("POST", `/console/api/apps/${appId}/workflows/${v1.json.id}/restore`, { token: t.tokens.editor });
    expect(restored.status).toBe(200);
    const after = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.editor });
    expect(after.json.graph.nodes.find((n: any) => n.id === "end").data.title).toBe("Finish v1");
    expect(after.json.hash).toBe(restored.json.hash);
    // Restoring changes the draft only; the served version is still v2.
    expect((await call("GET", `/console/api/apps/${appId}`, { token: t.tokens.normal })).json.published_version_id).toBe(v2.json.id);
    // Normal members may look at versions but not publish.
    expect((await call("POST", `/console/api/apps/${appId}/workflows/publish`, { token: t.tokens.normal })).status).toBe(403);
  });

  it("keeps easy-mode apps on model-config", async () => {
    const t = await seedTenant("easy");
    const appId = await createAppAs(t.tokens.owner, "chat");
    expect((await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner })).json.code).toBe("not_workflow_app");
    // The console asks for a draft before it knows the app's mode: with `if_workflow`, no error.
    const speculative = await call("GET", `/console/api/apps/${appId}/workflows/draft?if_workflow=true`, { token: t.tokens.owner });
    expect([speculative.status, speculative.text]).toEqual([204, ""]);
    const config = await call("GET", `/console/api/apps/${appId}/model-config`, { token: t.tokens.owner });
    expect(config.json.model_config.model.mode).toBe("chat");
    const saved = await call("POST", `/console/api/apps/${appId}/model-config`, { token: t.tokens.owner, body: { model_config: { ...config.json.model_config, pre_prompt: "You are helpful.", opening_statement: "Hi!" }, hash: config.json.hash } });
    expect(saved.status).toBe(200);
    await call("POST", `/console/api/apps/${appId}/workflows/publish`, { token: t.tokens.owner });
    const reread = await call("GET", `/console/api/apps/${appId}/model-config`, { token: t.tokens.owner });
    expect(reread.json.model_config.pre_prompt).toBe("You are helpful.");
  });
});
