/**
 * Plugins end to end inside workerd: signed packages installed through the console API, tools
 * running in per-plugin Worker Loader isolates behind the egress gate, endpoints, storage, and
 * every refusal (unsigned, untrusted, tampered, undeclared host, SSRF, crash, timeout).
 */
import { env } from "cloudflare:test";
import JSZip from "jszip";
import { describe, expect, it } from "vitest";
import { buildPackage } from "../../core/plugins";
import { buildAgentNodeData } from "../../core/nodes/agent";
import { invokeTool } from "../../core/tools";
import { buildModelRuntime } from "../../workers/adapters/model-runtime";
import { buildToolProvider } from "../../workers/adapters/tool-provider";
import { createDb } from "../../workers/db/client";
import { PluginRepository } from "../../workers/db/repositories/plugin-repository";
import { pluginTools } from "../../workers/plugins/plugin-service";
import weatherManifest from "../../plugins/weather/manifest.yaml?raw";
import weatherMain from "../../plugins/weather/main.js?raw";
import devKey from "../../plugins/dev-key.json";
import modelsManifest from "../../plugins/openai-compatible/manifest.yaml?raw";
import modelsMain from "../../plugins/openai-compatible/main.js?raw";
import { call, createAppAs, createKeyAs, publishAs, seedTenant, type SeededTenant } from "./harness";
import { mockModelRequests, mockModelUrl, resetMockModel, scriptMockModel } from "./mock-model";

const BASE = "/console/api/workspaces/current";
const mockHost = new URL(mockModelUrl).host;
const text = (value: string) => new TextEncoder().encode(value);

/** The weather example, its manifest's hosts replaced (the mock server is the weather API in tests). */
function weatherFiles(hosts: string[] = [mockHost], main = weatherMain, manifest = weatherManifest): Map<string, Uint8Array> {
  const patched = manifest.replace(/hosts:\n(\s+- .+\n)+/, hosts.length ? `hosts:\n${hosts.map((host) => `    - "${host}"\n`).join("")}` : "hosts: []\n");
  return new Map([["manifest.yaml", text(patched)], ["main.js", text(main)]]);
}

const signed = (files: Map<string, Uint8Array>) => buildPackage(files, devKey);

function upload(bytes: Uint8Array): FormData {
  const form = new FormData();
  form.append("pkg", new File([bytes as Uint8Array<ArrayBuffer>], "plugin.waggle-plugin"));
  return form;
}

async function trustDevKey(t: SeededTenant) {
  const res = await call("POST", `${BASE}/plugin-keys`, { token: t.tokens.admin, body: { public_key: devKey.public_key, name: "Dev key" } });
  expect(res.status, res.text).toBe(201);
  expect(res.json.key_id).toBe(devKey.key_id);
}

async function install(t: SeededTenant, bytes: Uint8Array) {
  return call("POST", `${BASE}/plugins/install`, { token: t.tokens.admin, body: upload(bytes) });
}

/** A workspace that trusts the dev key, with the weather plugin (mock host declared) installed and configured. */
async function weatherWorkspace(label: string, hosts?: string[]) {
  const t = await seedTenant(label);
  await trustDevKey(t);
  const installed = await install(t, await signed(weatherFiles(hosts)));
  expect(installed.status, installed.text).toBe(201);
  const saved = await call("PUT", `${BASE}/plugins/${installed.json.id}/credentials`, { token: t.tokens.admin, body: { credentials: { api_key: "weather-key", api_base: `${mockModelUrl}/api` } } });
  expect(saved.status, saved.text).toBe(200);
  return { t, plugin: installed.json };
}

async function weatherTool(t: SeededTenant, name = "current_weather") {
  return buildToolProvider(env, t.tenantId).resolve({ provider_type: "builtin", provider_id: "waggle/weather/weather", tool_name: name });
}

const signal = () => new AbortController().signal;

describe("installing plugins: signatures", () => {
  it("shows signature, author and permissions before install, and refuses an untrusted key until an admin trusts it", async () => {
    const t = await seedTenant("plugins");
    const bytes = await signed(weatherFiles());
    const inspected = await call("POST", `${BASE}/plugins/inspect`, { token: t.tokens.admin, body: upload(bytes) });
    expect(inspected.status, inspected.text).toBe(200);
    expect(inspected.json).toMatchObject({
      plugin_id: "waggle/weather",
      author: "Waggle",
      version: "1.0.0",
      permissions: { hosts: [mockHost], storage: true, models: false },
      signature: { status: "untrusted", key_id: devKey.key_id },
      installable: false,
      tools: [expect.objectContaining({ name: "current_weather" }), expect.objectContaining({ name: "last_city" })],
    });
    const refused = await install(t, bytes);
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual({ code: "plugin_untrusted", message: expect.stringContaining(`signed by key ${devKey.key_id}, which this workspace does not trust`), status: 403 });
    expect((await call("GET", `${BASE}/plugins`, { token: t.tokens.normal })).json.plugins).toEqual([]);

    await trustDevKey(t);
    const keys = await call("GET", `${BASE}/plugin-keys`, { token: t.tokens.normal });
    expect(keys.json.keys.map((key: any) => [key.key_id, key.first_party])).toEqual([["77c80069da5fab5f", true], [devKey.key_id, false]]);
    const installed = await install(t, bytes);
    expect(installed.status, installed.text).toBe(201);
    expect(installed.json).toMatchObject({ plugin_id: "waggle/weather", enabled: true, signature: { status: "valid", key_id: devKey.key_id }, tool_provider_id: "waggle/weather/weather" });
    const again = await install(t, bytes);
    expect(again.status).toBe(409);
    expect(again.json.code).toBe("plugin_already_installed");
  });

  it("refuses a tampered package, naming the changed file, even from a trusted key", async () => {
    const t = await seedTenant("plugins");
    await trustDevKey(t);
    const zip = await JSZip.loadAsync(await signed(weatherFiles()));
    zip.file("main.js", `${weatherMain}\n// one more line\n`);
    const res = await install(t, await zip.generateAsync({ type: "uint8array" }));
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ code: "plugin_tampered", message: "The package was changed after it was signed: main.js differs from the signed contents.", status: 400 });
    const manifestZip = await JSZip.loadAsync(await signed(weatherFiles()));
    manifestZip.file("manifest.yaml", weatherFiles(["evil.example"]).get("manifest.yaml")!);
    expect((await install(t, await manifestZip.generateAsync({ type: "uint8array" }))).json).toMatchObject({ code: "plugin_tampered", message: expect.stringContaining("manifest.yaml differs") });
  });

  it("refuses unsigned packages unless the owner allows them", async () => {
    const t = await seedTenant("plugins");
    const unsigned = await buildPackage(weatherFiles());
    const refused = await install(t, unsigned);
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ code: "plugin_unsigned", message: expect.stringContaining("not signed") });
    // Only the owner may allow them.
    expect((await call("PUT", `${BASE}/plugin-settings`, { token: t.tokens.admin, body: { allow_unsigned: true } })).status).toBe(403);
    expect((await call("PUT", `${BASE}/plugin-settings`, { token: t.tokens.owner, body: { allow_unsigned: true } })).json).toEqual({ allow_unsigned: true });
    const installed = await install(t, unsigned);
    expect(installed.status, installed.text).toBe(201);
    expect(installed.json.signature).toMatchObject({ status: "unsigned" });
  });

  it("refuses what is not a package, with Dify's error envelope", async () => {
    const t = await seedTenant("plugins");
    const res = await install(t, text("not a zip"));
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: "plugin_package_invalid", status: 400 });
    const json = await call("POST", `${BASE}/plugins/install`, { token: t.tokens.admin, body: {} });
    expect(json.json).toMatchObject({ code: "no_file_uploaded", status: 400 });
  });
});

describe("plugin tools run in their own isolate", () => {
  it("calls a tool through the isolate and the gate, with sealed credentials and scoped storage", async () => {
    const { t, plugin } = await weatherWorkspace("plugins");
    const shown = await call("GET", `${BASE}/plugins/${plugin.id}`, { token: t.tokens.normal });
    expect(shown.json.credentials).toMatchObject({ api_base: `${mockModelUrl}/api` });
    expect(shown.text).not.toContain("weather-key");
    const row = await env.DB.prepare("SELECT encrypted_credentials FROM plugin_installations WHERE id = ?").bind(plugin.id).first<string>("encrypted_credentials");
    expect(row).not.toContain("weather-key");

    const tool = await weatherTool(t);
    expect(await invokeTool(tool, { city: "Lyon" }, { signal: signal() })).toEqual([{ type: "json", json: { city: "Lyon", temperature: 20, units: "metric" } }]);
    expect(await invokeTool(await weatherTool(t, "last_city"), {}, { signal: signal() })).toEqual([{ type: "text", text: "Lyon" }]);
    // The plugin's log() lines are kept for the dev runtime, newest after `after`.
    const logs = await call("GET", `${BASE}/plugins/${plugin.id}/logs`, { token: t.tokens.admin });
    expect(logs.json.lines.map((line: any) => line.text)).toEqual([`[tool current_weather] GET ${mockModelUrl}/api/weather/Lyon?units=metric`]);
    expect((await call("GET", `${BASE}/plugins/${plugin.id}/logs?after=${logs.json.last}`, { token: t.tokens.admin })).json.lines).toEqual([]);
    // Arguments are checked against the manifest's schema before the isolate is asked.
    await expect(invokeTool(tool, { units: "kelvin" }, { signal: signal() })).rejects.toMatchObject({ kind: "tool_parameter_invalid" });
  });

  it("appears beside the built-in tools and runs in a workflow's tool node and in an agent", async () => {
    const { t } = await weatherWorkspace("plugins");
    const providers = await call("GET", `${BASE}/tool-providers`, { token: t.tokens.normal });
    const entry = providers.json.find((provider: any) => provider.id === "waggle/weather/weather");
    expect(entry).toMatchObject({ type: "builtin", plugin_id: "waggle/weather", author: "Waggle", tools: [expect.objectContaining({ name: "current_weather" }), expect.objectContaining({ name: "last_city" })] });
    expect(providers.json.some((provider: any) => provider.name === "time")).toBe(true);

    const model = await call("POST", `${BASE}/model-providers/openai_api_compatible/models`, {
      token: t.tokens.admin,
      body: { model: "mock-agent", model_type: "llm", credentials: { endpoint_url: `${mockModelUrl}/v1`, api_key: "sk-agent", mode: "chat", context_size: "4096" } },
    });
    expect(model.status, model.text).toBe(201);
    const agent = buildAgentNodeData({
      model: { provider: "langgenius/openai_api_compatible/openai_api_compatible", name: "mock-agent" },
      tools: [{ provider_type: "builtin", provider_id: "waggle/weather/weather", tool_name: "current_weather" }],
      instruction: "Use the tools.",
      query: "weather?",
    });
    const appId = await createAppAs(t.tokens.owner, "workflow", "Plugin tools");
    const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner });
    const graph = {
      nodes: [
        { id: "start", data: { type: "start", title: "Start", variables: [] } },
        { id: "tool", data: { type: "tool", title: "Weather", provider_id: "waggle/weather/weather", provider_type: "builtin", provider_name: "waggle/weather/weather", tool_name: "current_weather", tool_parameters: { city: { type: "constant", value: "Oslo" }, units: { type: "constant", value: "imperial" } } } },
        { id: "agent", data: agent },
        { id: "end", data: { type: "end", title: "End", outputs: [{ variable: "json", value_selector: ["tool", "json"] }, { variable: "answer", value_selector: ["agent", "text"] }] } },
      ],
      edges: [
        { id: "e0", source: "start", target: "tool", sourceHandle: "source", targetHandle: "target" },
        { id: "e1", source: "tool", target: "agent", sourceHandle: "source", targetHandle: "target" },
        { id: "e2", source: "agent", target: "end", sourceHandle: "source", targetHandle: "target" },
      ],
    };
    expect((await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner, body: { graph, hash: draft.json.hash } })).status).toBe(200);
    await publishAs(t.tokens.owner, appId);
    await resetMockModel();
    await scriptMockModel({ toolCalls: [{ id: "c1", name: "current_weather", arguments: '{"city": "Paris"}' }] }, { text: "20 degrees in Paris." });
    const key = (await createKeyAs(t.tokens.owner, appId)).token;
    const run = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: {}, user: "u", response_mode: "blocking" } });
    expect(run.json.data, run.text).toMatchObject({ status: "succeeded", outputs: { json: [{ city: "Oslo", temperature: 68, units: "imperial" }], answer: "20 degrees in Paris." } });
    // The agent's call went through the plugin too: the last city it stored is Paris.
    expect(await invokeTool(await weatherTool(t, "last_city"), {}, { signal: signal() })).toEqual([{ type: "text", text: "Paris" }]);
  });

  it("refuses a host the manifest did not declare", async () => {
    const { t } = await weatherWorkspace("plugins", ["api.weather.example"]);
    await expect(invokeTool(await weatherTool(t), { city: "Lyon" }, { signal: signal() })).rejects.toMatchObject({
      kind: "tool_invoke_error",
      message: expect.stringContaining(`waggle/weather may not reach ${mockHost}: the host is not declared in its manifest (permissions.hosts: api.weather.example)`),
    });
  });

  it("refuses private and metadata addresses even when declared", async () => {
    for (const target of ["169.254.169.254", "127.0.0.1:1", "10.0.0.1"]) {
      const { t, plugin } = await weatherWorkspace("plugins", [target]);
      await call("PUT", `${BASE}/plugins/${plugin.id}/credentials`, { token: t.tokens.admin, body: { credentials: { api_key: "k", api_base: `http://${target}/api` } } });
      await expect(invokeTool(await weatherTool(t), { city: "Lyon" }, { signal: signal() }), target).rejects.toMatchObject({ message: expect.stringMatching(/private or loopback|not allowed/) });
    }
  });

  it("fails only the call when the plugin throws, hangs or cannot start", async () => {
    const t = await seedTenant("plugins");
    await trustDevKey(t);
    const hostile = `export default { tools: {
      current_weather: async () => { throw new TypeError("bad things"); },
      last_city: () => new Promise((resolve) => setTimeout(resolve, 60_000)),
    } };`;
    const installed = await install(t, await signed(weatherFiles([], hostile)));
    expect(installed.status, installed.text).toBe(201);
    const db = createDb(env.DB);
    const row = (await new PluginRepository(db, t.tenantId).get(installed.json.id))!;
    const [throws, hangs] = pluginTools(env, db, row, { timeoutMs: 300 });
    await expect(invokeTool(throws!, { city: "x" }, { signal: signal() })).rejects.toMatchObject({ message: "waggle/weather current_weather failed: TypeError: bad things" });
    await expect(invokeTool(hangs!, {}, { signal: signal() })).rejects.toMatchObject({ message: "waggle/weather last_city failed: waggle/weather did not answer the tool last_city within 300 ms and was stopped" });
    // The next call gets a fresh isolate and still answers.
    await expect(invokeTool(throws!, { city: "x" }, { signal: signal() })).rejects.toMatchObject({ message: expect.stringContaining("bad things") });

    // A module that throws while loading fails its calls, and nobody else's.
    const broken = await seedTenant("plugins");
    await trustDevKey(broken);
    expect((await install(broken, await signed(weatherFiles([], "throw new Error('cannot start');")))).status).toBe(201);
    await expect(invokeTool(await weatherTool(broken), { city: "x" }, { signal: signal() })).rejects.toMatchObject({ message: expect.stringContaining("crashed") });
    const { t: healthy } = await weatherWorkspace("plugins");
    expect(await invokeTool(await weatherTool(healthy), { city: "Rome" }, { signal: signal() })).toEqual([{ type: "json", json: { city: "Rome", temperature: 20, units: "metric" } }]);
  });

  it("cannot open raw sockets around the gate", async () => {
    const t = await seedTenant("plugins");
    await trustDevKey(t);
    const { hostname, port } = new URL(mockModelUrl);
    const sneaky = `import { connect } from "cloudflare:sockets";
export default { tools: { current_weather: async () => {
  const socket = connect({ hostname: ${JSON.stringify(hostname)}, port: ${port} });
  await socket.opened;
  const writer = socket.writable.getWriter();
  await writer.write(new TextEncoder().encode("GET /api/weather/Lyon HTTP/1.0\\r\\nx-api-key: weather-key\\r\\n\\r\\n"));
  const { value } = await socket.readable.getReader().read();
  return new TextDecoder().decode(value);
} } };`;
    // The mock host is even declared: sockets are not fetch, and the gate only serves fetch.
    expect((await install(t, await signed(weatherFiles([mockHost], sneaky)))).status).toBe(201);
    const failed = await invokeTool(await weatherTool(t), { city: "x" }, { signal: signal() }).then(
      (messages) => ({ ok: true, messages }),
      (error: Error) => ({ ok: false, message: error.message }),
    );
    expect(failed, JSON.stringify(failed)).toMatchObject({ ok: false });
  });

  it("has no storage without the permission", async () => {
    const t = await seedTenant("plugins");
    await trustDevKey(t);
    const manifest = weatherManifest.replace("storage: true", "storage: false");
    expect((await install(t, await signed(weatherFiles([mockHost], weatherMain, manifest)))).status).toBe(201);
    await expect(invokeTool(await weatherTool(t, "last_city"), {}, { signal: signal() })).rejects.toMatchObject({ message: expect.stringContaining("not granted storage") });
  });
});

describe("capabilities", () => {
  /** A small plugin with one tool, installed (signed with the dev key) in a workspace that trusts it. */
  async function installTool(t: SeededTenant, id: string, permissions: string, body: string) {
    const manifest = `id: ${id}\nversion: 1.0.0\nname: ${id}\nauthor: Acme\npermissions: ${permissions}\ntools:\n  - name: probe\n    description: Probes a capability\n`;
    const res = await install(t, await signed(new Map([["manifest.yaml", text(manifest)], ["main.js", text(`export default { tools: { probe: ${body} } };`)]])));
    expect(res.status, res.text).toBe(201);
    return () => buildToolProvider(env, t.tenantId).resolve({ provider_type: "builtin", provider_id: `${id}/${id.split("/")[1]}`, tool_name: "probe" });
  }

  it("calls the workspace's models when granted, without seeing their credentials", async () => {
    const t = await seedTenant("plugin-caps");
    await trustDevKey(t);
    const model = await call("POST", `${BASE}/model-providers/openai_api_compatible/models`, {
      token: t.tokens.admin,
      body: { model: "mock-chat", model_type: "llm", credentials: { endpoint_url: `${mockModelUrl}/v1`, api_key: "sk-workspace-secret", mode: "chat", context_size: "4096" } },
    });
    expect(model.status, model.text).toBe(201);
    const ask = `async (_args, { models }) => models.chat({ provider: "langgenius/openai_api_compatible/openai_api_compatible", model: "mock-chat", messages: [{ role: "user", content: "Summarise bees" }] })`;
    const granted = await installTool(t, "acme/summary", "{models: true}", ask);
    const denied = await installTool(t, "acme/nomodels", "{models: false}", ask);
    await resetMockModel();
    await scriptMockModel({ text: "Bees dance.", usage: { prompt_tokens: 7, completion_tokens: 2 } });
    expect(await invokeTool(await granted(), {}, { signal: signal() })).toEqual([{ type: "json", json: { text: "Bees dance.", finish_reason: "stop", usage: { prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 } } }]);
    await expect(invokeTool(await denied(), {}, { signal: signal() })).rejects.toMatchObject({ message: expect.stringContaining("not granted model access (permissions.models") });

    // The call counts in the workspace's usage, under the plugin's installation.
    const installation = await env.DB.prepare("SELECT id FROM plugin_installations WHERE tenant_id = ? AND plugin_id = 'acme/summary'").bind(t.tenantId).first<string>("id");
    const usage = await env.DB.prepare("SELECT source, source_id, provider, model, prompt_tokens, completion_tokens, total_tokens, app_id FROM usage_records WHERE tenant_id = ?").bind(t.tenantId).all();
    expect(usage.results).toEqual([
      { source: "plugin", source_id: installation, provider: "langgenius/openai_api_compatible/openai_api_compatible", model: "mock-chat", prompt_tokens: 7, completion_tokens: 2, total_tokens: 9, app_id: null },
    ]);
    const month = await call("GET", "/console/api/workspaces/current/usage", { token: t.tokens.owner });
    expect(month.status, month.text).toBe(200);
    expect(month.text).toContain('"tokens":9');

    // Once the monthly quota is used up, the plugin's model calls are refused and reach no model.
    await env.DB.prepare("UPDATE workspaces SET monthly_token_quota = 9 WHERE id = ?").bind(t.tenantId).run();
    await resetMockModel();
    await expect(invokeTool(await granted(), {}, { signal: signal() })).rejects.toMatchObject({ message: expect.stringContaining("used its monthly token quota (9 of 9 tokens), so acme/summary may not call a model") });
    expect(await mockModelRequests()).toEqual([]);
  });

  it("invokes the workspace's built-in tools when granted, never another plugin's tools", async () => {
    const t = await seedTenant("plugin-tools");
    await trustDevKey(t);
    const invoke = (reference: string) => `async (args, { tools }) => tools.invoke({ ...${reference}, arguments: args })`;
    const maths = `{ provider_type: "builtin", provider_id: "langgenius/maths/maths", tool_name: "eval_expression" }`;
    const granted = await installTool(t, "acme/calc", "{tools: true}", invoke(maths));
    const denied = await installTool(t, "acme/nocalc", "{tools: false}", invoke(maths));
    const viaPlugin = await installTool(t, "acme/relay", "{tools: true}", invoke(`{ provider_type: "builtin", provider_id: "acme/calc/calc", tool_name: "probe" }`));

    expect(await invokeTool(await granted(), { expression: "(2 + 3) * 4" }, { signal: signal() })).toEqual([{ type: "json", json: [{ type: "text", text: "20" }] }]);
    // The called tool validates its arguments as it would for an agent.
    await expect(invokeTool(await granted(), {}, { signal: signal() })).rejects.toMatchObject({ message: expect.stringContaining("expression") });
    await expect(invokeTool(await denied(), { expression: "1" }, { signal: signal() })).rejects.toMatchObject({ message: expect.stringContaining("not granted tool invocation (permissions.tools") });
    await expect(invokeTool(await viaPlugin(), { expression: "1" }, { signal: signal() })).rejects.toMatchObject({ message: expect.stringContaining("acme/relay may not invoke plugin tools (acme/calc/calc)") });

    // The console shows the permission before install and after.
    const listed = await call("GET", `${BASE}/plugins`, { token: t.tokens.normal });
    expect(listed.json.plugins.find((plugin: any) => plugin.plugin_id === "acme/calc").permissions).toMatchObject({ tools: true });
  });

  it("refuses a capability kept past the call it was handed to", async () => {
    const t = await seedTenant("plugin-kept");
    await trustDevKey(t);
    // The plugin keeps the context of its first call and tries to use it in the second.
    const hoard = `async (args, ctx) => {
      if (args.keep) { globalThis.kept = ctx; await ctx.storage.put("k", 1); return "kept"; }
      try { await globalThis.kept.storage.put("k", 2); return "wrote"; } catch (error) { return "refused: " + error.message; }
    }`;
    const tool = await installTool(t, "acme/hoard", "{storage: true}", hoard);
    expect(await invokeTool(await tool(), { keep: true }, { signal: signal() })).toEqual([{ type: "text", text: "kept" }]);
    const [again] = await invokeTool(await tool(), {}, { signal: signal() });
    expect(again).toMatchObject({ type: "text", text: expect.stringMatching(/^refused: /) });
    const stored = await env.DB.prepare("SELECT value FROM plugin_storage WHERE tenant_id = ? AND plugin_id = 'acme/hoard'").bind(t.tenantId).first<string>("value");
    expect(stored).toBe("1");
  });

  it("keeps each plugin's storage to itself within a workspace", async () => {
    const { t } = await weatherWorkspace("plugin-caps");
    await invokeTool(await weatherTool(t), { city: "Lyon" }, { signal: signal() });
    const other = await installTool(t, "acme/snoop", "{storage: true}", `async (_args, { storage }) => ({ last_city: (await storage.get("last_city")) ?? null, keys: await storage.list() })`);
    expect(await invokeTool(await other(), {}, { signal: signal() })).toEqual([{ type: "json", json: { last_city: null, keys: [] } }]);
  });
});

describe("workspaces are isolated", () => {
  it("another workspace sees neither the plugin, nor its storage, nor its credentials", async () => {
    const a = await weatherWorkspace("plugins-a");
    await invokeTool(await weatherTool(a.t), { city: "Lyon" }, { signal: signal() });
    const b = await seedTenant("plugins-b");
    expect((await call("GET", `${BASE}/plugins/${a.plugin.id}`, { token: b.tokens.owner })).status).toBe(404);
    expect((await call("DELETE", `${BASE}/plugins/${a.plugin.id}`, { token: b.tokens.owner })).status).toBe(404);
    expect((await call("GET", `${BASE}/plugins`, { token: b.tokens.owner })).json.plugins).toEqual([]);
    await expect(weatherTool(b)).rejects.toMatchObject({ kind: "tool_provider_not_found" });

    // B installs the same plugin: its own storage starts empty, its own credentials are unset.
    await trustDevKey(b);
    expect((await install(b, await signed(weatherFiles()))).status).toBe(201);
    expect(await invokeTool(await weatherTool(b, "last_city"), {}, { signal: signal() })).toEqual([{ type: "text", text: "nobody has asked yet" }]);
    // Without A's credentials B's copy uses the default API base, which this build did not declare.
    await expect(invokeTool(await weatherTool(b), { city: "Lyon" }, { signal: signal() })).rejects.toMatchObject({ message: expect.stringContaining("may not reach api.weather.example") });
    expect(await invokeTool(await weatherTool(a.t, "last_city"), {}, { signal: signal() })).toEqual([{ type: "text", text: "Lyon" }]);
  });
});

describe("managing plugins", () => {
  it("disables, upgrades and uninstalls, leaving no orphaned rows or package", async () => {
    const { t, plugin } = await weatherWorkspace("plugins");
    await invokeTool(await weatherTool(t), { city: "Lyon" }, { signal: signal() });
    expect((await call("PATCH", `${BASE}/plugins/${plugin.id}`, { token: t.tokens.editor, body: { enabled: false } })).status).toBe(403);
    expect((await call("PATCH", `${BASE}/plugins/${plugin.id}`, { token: t.tokens.admin, body: { enabled: false } })).json.enabled).toBe(false);
    await expect(weatherTool(t)).rejects.toMatchObject({ message: expect.stringContaining("not installed (or is disabled)") });
    await call("PATCH", `${BASE}/plugins/${plugin.id}`, { token: t.tokens.admin, body: { enabled: true } });

    const v2 = weatherFiles([mockHost], weatherMain, weatherManifest.replace("version: 1.0.0", "version: 1.1.0"));
    const upgraded = await call("POST", `${BASE}/plugins/${plugin.id}/upgrade`, { token: t.tokens.admin, body: upload(await signed(v2)) });
    expect(upgraded.status, upgraded.text).toBe(200);
    expect(upgraded.json).toMatchObject({ id: plugin.id, version: "1.1.0", has_credentials: true });
    expect(await invokeTool(await weatherTool(t, "last_city"), {}, { signal: signal() })).toEqual([{ type: "text", text: "Lyon" }]);
    const other = new Map([["manifest.yaml", text("id: acme/other\nversion: 1.0.0\nname: Other\nauthor: Acme\n")], ["main.js", text("export default {};")]]);
    expect((await call("POST", `${BASE}/plugins/${plugin.id}/upgrade`, { token: t.tokens.admin, body: upload(await signed(other)) })).json).toMatchObject({ code: "plugin_package_invalid", message: expect.stringContaining("keeps the plugin id") });

    const packageKey = (await env.DB.prepare("SELECT package_key FROM plugin_installations WHERE id = ?").bind(plugin.id).first<string>("package_key"))!;
    expect(await env.FILES.head(packageKey)).not.toBeNull();
    expect((await env.FILES.list({ prefix: `plugins/${t.tenantId}/` })).objects).toHaveLength(1);
    expect((await call("DELETE", `${BASE}/plugins/${plugin.id}`, { token: t.tokens.admin })).status).toBe(200);
    for (const table of ["plugin_installations", "plugin_storage"]) {
      expect(await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE tenant_id = ?`).bind(t.tenantId).first("n"), table).toBe(0);
    }
    expect((await env.FILES.list({ prefix: `plugins/${t.tenantId}/` })).objects).toHaveLength(0);
  });
});

describe("plugin endpoints", () => {
  it("serves /e/{hook_id}/… from the plugin's isolate, and nothing when disabled", async () => {
    const { t, plugin } = await weatherWorkspace("plugins");
    expect(plugin.endpoints_base_url).toMatch(/\/e\/[A-Za-z0-9_-]{24}$/);
    const path = new URL(plugin.endpoints_base_url).pathname;
    await invokeTool(await weatherTool(t), { city: "Kyoto" }, { signal: signal() });
    const res = await call("GET", `${path}/status`, { cookie: "waggle_session=secret" });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ plugin: "waggle/weather", last_city: "Kyoto" });
    expect((await call("POST", `${path}/status`)).status).toBe(405);
    expect((await call("GET", `${path}/nope`)).status).toBe(404);
    expect((await call("GET", `/e/not-a-hook/status`)).status).toBe(404);
    await call("PATCH", `${BASE}/plugins/${plugin.id}`, { token: t.tokens.admin, body: { enabled: false } });
    expect((await call("GET", `${path}/status`)).status).toBe(404);
  });
});

describe("plugin model providers", () => {
  it("lists the provider and streams an LLM node's answer with usage from the plugin's isolate", async () => {
    const t = await seedTenant("plugin-models");
    await trustDevKey(t);
    const manifest = modelsManifest.replace(/hosts:\n(\s+- .+\n)+/, `hosts:\n    - "${mockHost}"\n`);
    const installed = await install(t, await signed(new Map([["manifest.yaml", text(manifest)], ["main.js", text(modelsMain)]])));
    expect(installed.status, installed.text).toBe(201);
    expect(installed.json.model_providers).toEqual([{ provider: "openai_compatible", label: "OpenAI-compatible (plugin)", models: ["gpt-4o-mini", "llama-3.3-70b-versatile"] }]);
    const saved = await call("PUT", `${BASE}/plugins/${installed.json.id}/credentials`, { token: t.tokens.admin, body: { credentials: { api_key: "sk-plugin", api_base: `${mockModelUrl}/v1` } } });
    expect(saved.status, saved.text).toBe(200);
    const providers = await call("GET", `${BASE}/model-providers?model_type=llm`, { token: t.tokens.normal });
    expect(providers.json.data.find((provider: any) => provider.provider === "waggle/openai-compatible/openai_compatible")).toMatchObject({
      plugin_id: "waggle/openai-compatible",
      supported_model_types: ["llm"],
      custom_configuration: { status: "active" },
      provider_credential_schema: { credential_form_schemas: [expect.objectContaining({ variable: "api_key", type: "secret-input" }), expect.objectContaining({ variable: "api_base" })] },
    });

    // The editor asks per provider (URL-encoded id) for the models it can pick.
    const models = await call("GET", `${BASE}/model-providers/${encodeURIComponent("waggle/openai-compatible/openai_compatible")}/models`, { token: t.tokens.normal });
    expect(models.json.data.map((model: any) => [model.model, model.status])).toEqual([["gpt-4o-mini", "active"], ["llama-3.3-70b-versatile", "active"]]);

    const appId = await createAppAs(t.tokens.owner, "workflow", "Plugin model");
    const draft = await call("GET", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner });
    const graph = {
      nodes: [
        { id: "start", data: { type: "start", title: "Start", variables: [] } },
        { id: "llm", data: { type: "llm", title: "LLM", model: { provider: "waggle/openai-compatible/openai_compatible", name: "gpt-4o-mini", mode: "chat", completion_params: {} }, prompt_template: [{ role: "user", text: "Say hello" }] } },
        { id: "end", data: { type: "end", title: "End", outputs: [{ variable: "answer", value_selector: ["llm", "text"] }] } },
      ],
      edges: [
        { id: "e0", source: "start", target: "llm", sourceHandle: "source", targetHandle: "target" },
        { id: "e1", source: "llm", target: "end", sourceHandle: "source", targetHandle: "target" },
      ],
    };
    expect((await call("POST", `/console/api/apps/${appId}/workflows/draft`, { token: t.tokens.owner, body: { graph, hash: draft.json.hash } })).status).toBe(200);
    await publishAs(t.tokens.owner, appId);
    await resetMockModel();
    await scriptMockModel({ text: "Hello from the plugin", usage: { prompt_tokens: 12, completion_tokens: 5 } });
    const key = (await createKeyAs(t.tokens.owner, appId)).token;
    const res = await call("POST", "/v1/workflows/run", { token: key, body: { inputs: {}, user: "u", response_mode: "streaming" } });
    const events = res.text.split("\n\n").map((frame) => frame.split("\n").find((line) => line.startsWith("data: "))).filter(Boolean).map((line) => JSON.parse(line!.slice(6)));
    const chunks = events.filter((event) => event.event === "text_chunk").map((event) => event.data.text);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.join("")).toBe("Hello from the plugin");
    const llm = events.find((event) => event.event === "node_finished" && event.data.node_id === "llm");
    expect(llm.data, res.text).toMatchObject({ status: "succeeded", outputs: { text: "Hello from the plugin", usage: { prompt_tokens: 12, completion_tokens: 5 } } });
    const requests = await mockModelRequests();
    expect(requests.at(-1)).toMatchObject({ path: "/v1/chat/completions", headers: expect.objectContaining({ authorization: "Bearer sk-plugin" }), body: expect.objectContaining({ model: "gpt-4o-mini", stream: true }) });
  });

  it("passes tools, tool results, images and a JSON schema to the plugin model, and streams its tool calls back", async () => {
    const t = await seedTenant("plugin-model-tools");
    await trustDevKey(t);
    const manifest = modelsManifest.replace(/hosts:\n(\s+- .+\n)+/, `hosts:\n    - "${mockHost}"\n`);
    const installed = await install(t, await signed(new Map([["manifest.yaml", text(manifest)], ["main.js", text(modelsMain)]])));
    expect(installed.status, installed.text).toBe(201);
    await call("PUT", `${BASE}/plugins/${installed.json.id}/credentials`, { token: t.tokens.admin, body: { credentials: { api_key: "sk-plugin", api_base: `${mockModelUrl}/v1` } } });
    const runtime = buildModelRuntime(env, t.tenantId);
    const provider = "waggle/openai-compatible/openai_compatible";
    const tools = [{ name: "eval_expression", description: "Evaluate maths", parameters: { type: "object", properties: { expression: { type: "string" } }, required: ["expression"] } }];

    await resetMockModel();
    await scriptMockModel({ toolCalls: [{ id: "call_7", name: "eval_expression", arguments: '{"expression":"6*7"}' }], usage: { prompt_tokens: 20, completion_tokens: 8 } });
    const first = await runtime.generate({ provider, model: "gpt-4o-mini", messages: [{ role: "user", content: "What is 6*7?" }], tools, toolChoice: "auto" });
    expect(first.toolCalls).toEqual([{ id: "call_7", name: "eval_expression", arguments: '{"expression":"6*7"}' }]);
    expect(first.finishReason).toBe("tool-calls");
    expect((await mockModelRequests()).at(-1)?.body).toMatchObject({
      tools: [{ type: "function", function: { name: "eval_expression", description: "Evaluate maths", parameters: tools[0]!.parameters } }],
      tool_choice: "auto",
    });

    await resetMockModel();
    await scriptMockModel({ text: "42", usage: { prompt_tokens: 30, completion_tokens: 1 } });
    const image = { data: new Uint8Array([137, 80, 78, 71]), mediaType: "image/png" };
    const second = await runtime.generate({
      provider,
      model: "gpt-4o-mini",
      messages: [
        { role: "user", content: "What is 6*7?", images: [image] },
        { role: "assistant", content: "", toolCalls: first.toolCalls },
        { role: "tool", content: "42", toolCallId: "call_7", toolName: "eval_expression" },
      ],
      tools,
      jsonSchema: { type: "object", properties: { answer: { type: "string" } } },
    });
    expect(second.text).toBe("42");
    expect((await mockModelRequests()).at(-1)?.body).toMatchObject({
      messages: [
        { role: "user", content: [{ type: "text", text: "What is 6*7?" }, { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw==" } }] },
        { role: "assistant", tool_calls: [{ id: "call_7", type: "function", function: { name: "eval_expression", arguments: '{"expression":"6*7"}' } }] },
        { role: "tool", tool_call_id: "call_7", content: "42" },
      ],
      response_format: { type: "json_schema", json_schema: { name: "output", schema: { type: "object", properties: { answer: { type: "string" } } } } },
    });
  });
});

describe("DSL dependencies", () => {
  const dsl = (id: string) =>
    `version: 0.3.0\nkind: app\napp: {name: Uses a plugin, mode: workflow}\ndependencies:\n  - type: package\n    value: {plugin_unique_identifier: "${id}:1.0.0@abc"}\nworkflow:\n  graph:\n    nodes:\n      - {id: start, data: {type: start, title: Start, variables: []}}\n      - {id: tool, data: {type: tool, title: Weather, provider_type: builtin, provider_id: ${id}/weather, tool_name: current_weather, tool_parameters: {}}}\n    edges: []\n`;

  it("maps dependencies to installed plugins, else warns that the plugin is missing", async () => {
    const { t } = await weatherWorkspace("plugins");
    const ok = await call("POST", "/console/api/apps/imports", { token: t.tokens.editor, body: { mode: "yaml-content", yaml_content: dsl("waggle/weather") } });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.warnings.filter((warning: any) => /plugin|tool provider/i.test(warning.message))).toEqual([]);
    const missing = await call("POST", "/console/api/apps/imports", { token: t.tokens.editor, body: { mode: "yaml-content", yaml_content: dsl("acme/weather") } });
    expect(missing.json.status).toBe("completed-with-warnings");
    expect(missing.json.warnings).toEqual(expect.arrayContaining([expect.objectContaining({ field: "dependencies.0", message: expect.stringContaining("Plugin acme/weather (package) is not available") })]));
  });
});

