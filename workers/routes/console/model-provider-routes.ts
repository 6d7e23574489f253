import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { BadRequestError, NotFoundError } from "../../../core/errors";
import {
  canonicalProvider,
  createModelRuntime,
  fieldsForModelType,
  findProvider,
  modelTypes,
  providerCatalog,
  secretFields,
  silentWav,
  WORKERS_AI_UNAVAILABLE,
  type ModelType,
  type ProviderCredentials,
  type ProviderSpec,
} from "../../../core/models";
import { maskSecret, SecretBox } from "../../../core/security";
import { modelEgressFetch } from "../../adapters/model-runtime";
import type { CredentialKey } from "../../db/repositories";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonBody, jsonResponse, noContent, successSchema } from "../../http/route";
import { createDb } from "../../db/client";
import { PluginRepository } from "../../db/repositories/plugin-repository";
import { pluginModelProviderOf } from "../../plugins/plugin-models";

/** What the console sends back for a secret it was shown masked and the user did not change. */
const HIDDEN = "[__HIDDEN__]";
const BASE = "/console/api/workspaces/current/model-providers";
const TAGS = ["console: model providers"];

const providerParam = z.object({ provider: z.string().min(1).max(200) });
const credentialsBody = z.object({ credentials: z.record(z.string(), z.unknown()) });
const modelType = z.enum(modelTypes);
const modelBody = z.object({ model: z.string().min(1).max(200), model_type: modelType, credentials: z.record(z.string(), z.unknown()) });
const modelKeyBody = z.object({ model: z.string().min(1).max(200), model_type: modelType });
const looseObject = z.record(z.string(), z.unknown());

function requireProvider(provider: string): ProviderSpec {
  const spec = findProvider(provider);
  if (!spec) throw new NotFoundError(`Provider ${provider} does not exist.`);
  return spec;
}

function mask(spec: ProviderSpec, credentials: ProviderCredentials): ProviderCredentials {
  const secrets = new Set(secretFields(spec));
  return Object.fromEntries(Object.entries(credentials).map(([name, value]) => [name, secrets.has(name) && typeof value === "string" && value ? maskSecret(value) : value]));
}

async function secretBox(c: Context<AppEnv>) {
  return SecretBox.fromSecret(c.env.WAGGLE_SECRET_KEY);
}

async function loadCredentials(c: Context<AppEnv>, key: CredentialKey): Promise<ProviderCredentials | undefined> {
  const row = await c.var.tenant.providerCredentials.get(key);
  if (!row) return undefined;
  return JSON.parse(await (await secretBox(c)).open(row.encryptedConfig)) as ProviderCredentials;
}

/** Secrets sent back masked (or as Dify's `[__HIDDEN__]`) keep their stored value. */
function mergeSecrets(spec: ProviderSpec, incoming: ProviderCredentials, stored: ProviderCredentials | undefined): ProviderCredentials {
  const merged: ProviderCredentials = { ...incoming };
  for (const field of secretFields(spec)) {
    const value = incoming[field];
    const previous = stored?.[field];
    if (typeof previous === "string" && (value === HIDDEN || value === maskSecret(previous))) merged[field] = previous;
  }
  return merged;
}

/** Required fields must be filled; per model, only those that apply to the model's type. */
function checkRequiredFields(spec: ProviderSpec, credentials: ProviderCredentials, model?: { type: ModelType }) {
  const all = (model ? spec.model_credential_schema : spec.provider_credential_schema)?.credential_form_schemas ?? [];
  const fields = model ? fieldsForModelType(all, model.type) : all;
  const missing = fields.filter((field) => field.required && (credentials[field.variable] === undefined || credentials[field.variable] === null || credentials[field.variable] === ""));
  if (missing.length) throw new BadRequestError(`${missing.map((field) => field.variable).join(", ")} ${missing.length === 1 ? "is" : "are"} required.`, "invalid_param");
}

/** Dify validates credentials by calling the model; so does Waggle, with one small request and no retries. */
async function validateByCall(c: Context<AppEnv>, spec: ProviderSpec, credentials: ProviderCredentials, model: string, type: ModelType): Promise<void> {
  const runtime = createModelRuntime({ fetch: modelEgressFetch(c.env), credentials: async () => credentials, retry: { maxRetries: 0 }, workersAi: undefined });
  try {
    if (type === "text-embedding") await runtime.embed({ provider: spec.provider, model, texts: ["ping"] });
    else if (type === "speech2text") await runtime.transcribe({ provider: spec.provider, model, audio: silentWav() });
    else if (type === "tts") await runtime.speak({ provider: spec.provider, model, text: "Hello" });
    else if (type === "rerank") await runtime.rerank({ provider: spec.provider, model, query: "ping", documents: ["ping"] });
    else await runtime.generate({ provider: spec.provider, model, messages: [{ role: "user", content: "ping" }], parameters: { max_tokens: 5 } });
  } catch (error) {
    throw new BadRequestError(`Credentials validation failed: ${error instanceof Error ? error.message : String(error)}`, "credentials_validate_failed");
  }
}

function validationModel(spec: ProviderSpec): { model: string; type: ModelType } {
  const model = spec.predefined_models.find((candidate) => candidate.model_type === "llm") ?? spec.predefined_models[0];
  if (!model) throw new BadRequestError(`Provider ${spec.provider} is configured per model.`, "invalid_param");
  return { model: model.model, type: model.model_type };
}

/** Dify's `model_properties` of a tts model: its voices (default first) and audio type. */
function ttsProperties(voices: string[]) {
  return { default_voice: voices[0] ?? "alloy", voices: voices.map((voice) => ({ mode: voice, name: voice, language: ["en-US"] })), audio_type: "mp3" };
}

function customizableOnly(spec: ProviderSpec) {
  if (!spec.configurate_methods.includes("customizable-model")) throw new BadRequestError(`Provider ${spec.provider} does not take per-model credentials.`, "invalid_param");
}

const listProviders = defineRoute({
  method: "get",
  path: BASE,
  policy: { auth: "session" },
  tags: TAGS,
  request: { query: z.object({ model_type: modelType.optional() }) },
  responses: { 200: jsonResponse("Providers with their credential forms and whether this workspace configured them", z.object({ data: z.array(looseObject) })) },
});
const getCredentials = defineRoute({
  method: "get",
  path: `${BASE}/{provider}/credentials`,
  policy: { auth: "session", role: "admin" },
  tags: TAGS,
  request: { params: providerParam },
  responses: { 200: jsonResponse("The provider's credentials, secrets masked", z.object({ credentials: looseObject.nullable() })) },
});
const saveCredentials = defineRoute({
  method: "post",
  path: `${BASE}/{provider}/credentials`,
  policy: { auth: "session", role: "admin" },
  tags: TAGS,
  request: { params: providerParam, body: jsonBody(credentialsBody) },
  responses: { 201: jsonResponse("Validated by a call to the provider and stored encrypted", successSchema) },
});
const validateCredentials = defineRoute({
  method: "post",
  path: `${BASE}/{provider}/credentials/validate`,
  policy: { auth: "session", role: "admin" },
  tags: TAGS,
  request: { params: providerParam, body: jsonBody(credentialsBody) },
  responses: { 200: jsonResponse("Whether the credentials work; nothing is stored", z.object({ result: z.enum(["success", "error"]), error: z.string().optional() })) },
});
const deleteCredentials = defineRoute({
  method: "delete",
  path: `${BASE}/{provider}/credentials`,
  policy: { auth: "session", role: "admin" },
  tags: TAGS,
  request: { params: providerParam },
  responses: { 204: noContent },
});
const listModels = defineRoute({
  method: "get",
  path: `${BASE}/{provider}/models`,
  policy: { auth: "session" },
  tags: TAGS,
  request: { params: providerParam },
  responses: { 200: jsonResponse("The provider's predefined models and the models configured in this workspace", z.object({ data: z.array(looseObject) })) },
});
const saveModel = defineRoute({
  method: "post",
  path: `${BASE}/{provider}/models`,
  policy: { auth: "session", role: "admin" },
  tags: TAGS,
  request: { params: providerParam, body: jsonBody(modelBody) },
  responses: { 201: jsonResponse("Validated by a call to the model and stored encrypted", successSchema) },
});
const getModelCredentials = defineRoute({
  method: "get",
  path: `${BASE}/{provider}/models/credentials`,
  policy: { auth: "session", role: "admin" },
  tags: TAGS,
  request: { params: providerParam, query: modelKeyBody },
  responses: { 200: jsonResponse("One model's credentials, secrets masked", z.object({ credentials: looseObject.nullable() })) },
});
const deleteModel = defineRoute({
  method: "delete",
  path: `${BASE}/{provider}/models`,
  policy: { auth: "session", role: "admin" },
  tags: TAGS,
  request: { params: providerParam, body: jsonBody(modelKeyBody) },
  responses: { 204: noContent },
});

const defaultModelPath = "/console/api/workspaces/current/default-model";
const getDefaultModel = defineRoute({
  method: "get",
  path: defaultModelPath,
  policy: { auth: "session" },
  tags: TAGS,
  request: { query: z.object({ model_type: modelType }) },
  responses: { 200: jsonResponse("The workspace's default model of a type, or null", z.object({ data: looseObject.nullable() })) },
});
const setDefaultModel = defineRoute({
  method: "post",
  path: defaultModelPath,
  policy: { auth: "session", role: "admin" },
  tags: TAGS,
  request: { body: jsonBody(z.object({ model_settings: z.array(z.object({ model_type: modelType, provider: z.string().min(1).max(200).nullish(), model: z.string().max(200).nullish() })).max(10) })) },
  responses: { 200: jsonResponse("Defaults saved", successSchema) },
});

/**
 * Dify's model-provider console API: the provider list with credential forms, provider-level
 * credentials (predefined models) and per-model credentials (customizable providers such as
 * `openai_api_compatible`). Credentials are validated by a real call before they are stored,
 * stored sealed with `SecretBox`, and only ever returned masked.
 */
export function registerModelProviderRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(listProviders, async (c) => {
    const { model_type } = c.req.valid("query");
    const rows = await c.var.tenant.providerCredentials.list();
    const configured = new Set(rows.map((row) => row.provider));
    const data = providerCatalog
      .filter((spec) => !model_type || spec.supported_model_types.includes(model_type))
      .map((spec) => {
        const unavailable = spec.provider === "workers_ai" && !c.env.AI ? WORKERS_AI_UNAVAILABLE : undefined;
        const active = spec.provider === "workers_ai" ? !unavailable : configured.has(spec.provider);
        return {
          tenant_id: c.var.tenant.tenantId,
          provider: spec.provider,
          label: spec.label,
          supported_model_types: spec.supported_model_types,
          configurate_methods: spec.configurate_methods,
          provider_credential_schema: spec.provider_credential_schema ?? null,
          model_credential_schema: spec.model_credential_schema ?? null,
          preferred_provider_type: "custom",
          custom_configuration: { status: active ? "active" : "no-configure" },
          system_configuration: { enabled: false, current_quota_type: null, quota_configurations: [] },
          available: !unavailable,
          ...(unavailable ? { unavailable_reason: unavailable } : {}),
        };
      });
    // Installed, enabled plugins' model providers (`author/name/provider`; credentials are the plugin's).
    const plugins = model_type && model_type !== "llm" ? [] : (await new PluginRepository(createDb(c.env.DB), c.var.tenant.tenantId).list()).filter((row) => row.enabled);
    for (const row of plugins) {
      for (const provider of row.manifest.model_providers) {
        const fields = provider.credentials.map((field) => ({
          variable: field.name,
          label: { en_US: field.label ?? field.name },
          type: field.type,
          required: field.required,
          ...(field.default !== undefined && { default: field.default }),
          ...(field.placeholder && { placeholder: { en_US: field.placeholder } }),
          ...(field.options && { options: field.options.map((option) => ({ value: option, label: { en_US: option } })) }),
        }));
        data.push({
          tenant_id: c.var.tenant.tenantId,
          provider: `${row.pluginId}/${provider.provider}`,
          label: { en_US: provider.label ?? provider.provider },
          supported_model_types: ["llm"],
          configurate_methods: ["predefined-model"],
          provider_credential_schema: { credential_form_schemas: fields },
          model_credential_schema: null,
          preferred_provider_type: "custom",
          custom_configuration: { status: row.encryptedCredentials || fields.every((field) => !field.required) ? "active" : "no-configure" },
          system_configuration: { enabled: false, current_quota_type: null, quota_configurations: [] },
          available: true,
          plugin_id: row.pluginId,
          plugin_unique_identifier: `${row.pluginId}:${row.version}@${row.digest}`,
          models: provider.models.map((model) => ({ model: model.model, label: { en_US: model.label ?? model.model }, model_type: model.model_type, ...(model.context_size && { model_properties: { context_size: model.context_size, mode: "chat" } }) })),
        } as (typeof data)[number]);
      }
    }
    return c.json({ data }, 200);
  });

  app.openapi(getCredentials, async (c) => {
    const spec = requireProvider(c.req.valid("param").provider);
    const stored = await loadCredentials(c, { provider: spec.provider });
    return c.json({ credentials: stored ? mask(spec, stored) : null }, 200);
  });

  app.openapi(saveCredentials, async (c) => {
    const spec = requireProvider(c.req.valid("param").provider);
    if (spec.provider === "workers_ai") throw new BadRequestError("Workers AI uses the AI binding and takes no credentials.", "invalid_param");
    const stored = await loadCredentials(c, { provider: spec.provider });
    const credentials = mergeSecrets(spec, c.req.valid("json").credentials, stored);
    checkRequiredFields(spec, credentials);
    const { model, type } = validationModel(spec);
    await validateByCall(c, spec, credentials, model, type);
    await c.var.tenant.providerCredentials.save({ provider: spec.provider }, await (await secretBox(c)).seal(JSON.stringify(credentials)));
    return c.json({ result: "success" as const }, 201);
  });

  app.openapi(validateCredentials, async (c) => {
    const spec = requireProvider(c.req.valid("param").provider);
    const stored = await loadCredentials(c, { provider: spec.provider });
    const credentials = mergeSecrets(spec, c.req.valid("json").credentials, stored);
    try {
      checkRequiredFields(spec, credentials);
      const { model, type } = validationModel(spec);
      await validateByCall(c, spec, credentials, model, type);
      return c.json({ result: "success" as const }, 200);
    } catch (error) {
      return c.json({ result: "error" as const, error: error instanceof Error ? error.message : String(error) }, 200);
    }
  });

  app.openapi(deleteCredentials, async (c) => {
    const spec = requireProvider(c.req.valid("param").provider);
    await c.var.tenant.providerCredentials.delete({ provider: spec.provider });
    return c.body(null, 204);
  });

  app.openapi(listModels, async (c) => {
    // A plugin's provider (`author/name/provider`, URL-encoded): the models its manifest lists.
    const plugin = pluginModelProviderOf(c.req.valid("param").provider);
    if (plugin) {
      const row = await new PluginRepository(createDb(c.env.DB), c.var.tenant.tenantId).getByPluginId(plugin.pluginId);
      const declared = row?.enabled ? row.manifest.model_providers.find((provider) => provider.provider === plugin.provider) : undefined;
      if (!row || !declared) throw new NotFoundError(`Model provider ${c.req.valid("param").provider} is not installed.`);
      const active = row.encryptedCredentials !== null || declared.credentials.every((field) => !field.required);
      const data = declared.models.map((model) => ({
        model: model.model,
        label: { en_US: model.label ?? model.model },
        model_type: model.model_type,
        fetch_from: "predefined-model",
        model_properties: { mode: "chat", context_size: model.context_size },
        deprecated: false,
        status: active ? "active" : "no-configure",
        load_balancing_enabled: false,
      }));
      return c.json({ data }, 200);
    }
    const spec = requireProvider(c.req.valid("param").provider);
    const rows = (await c.var.tenant.providerCredentials.list()).filter((row) => row.provider === spec.provider);
    const providerActive = spec.provider === "workers_ai" ? Boolean(c.env.AI) : rows.some((row) => row.modelName === null);
    const predefined = spec.predefined_models.map((model) => ({
      model: model.model,
      label: { en_US: model.model },
      model_type: model.model_type,
      fetch_from: "predefined-model",
      model_properties: model.model_type === "tts" ? ttsProperties(model.voices ?? []) : { mode: model.mode, context_size: model.context_size },
      deprecated: false,
      status: providerActive ? "active" : "no-configure",
      load_balancing_enabled: false,
    }));
    const custom = rows
      .filter((row) => row.modelName !== null)
      .map((row) => ({
        model: row.modelName,
        label: { en_US: row.modelName },
        model_type: row.modelType ?? "llm",
        fetch_from: "customizable-model",
        model_properties: {},
        deprecated: false,
        status: "active",
        load_balancing_enabled: false,
      }));
    return c.json({ data: [...predefined, ...custom] }, 200);
  });

  app.openapi(saveModel, async (c) => {
    const spec = requireProvider(c.req.valid("param").provider);
    customizableOnly(spec);
    const body = c.req.valid("json");
    const key = { provider: spec.provider, model: body.model, modelType: body.model_type };
    const stored = await loadCredentials(c, key);
    const credentials = mergeSecrets(spec, body.credentials, stored);
    checkRequiredFields(spec, credentials, { type: body.model_type });
    await validateByCall(c, spec, credentials, body.model, body.model_type);
    await c.var.tenant.providerCredentials.save(key, await (await secretBox(c)).seal(JSON.stringify(credentials)));
    return c.json({ result: "success" as const }, 201);
  });

  app.openapi(getModelCredentials, async (c) => {
    const spec = requireProvider(c.req.valid("param").provider);
    const { model, model_type } = c.req.valid("query");
    const stored = await loadCredentials(c, { provider: spec.provider, model, modelType: model_type });
    return c.json({ credentials: stored ? mask(spec, stored) : null }, 200);
  });

  app.openapi(getDefaultModel, async (c) => {
    const { model_type } = c.req.valid("query");
    const row = await c.var.tenant.providerCredentials.getDefault(model_type);
    if (!row?.modelName) return c.json({ data: null }, 200);
    const { provider } = JSON.parse(await (await secretBox(c)).open(row.encryptedConfig)) as { provider: string };
    const spec = findProvider(provider);
    if (!spec) return c.json({ data: null }, 200);
    return c.json(
      {
        data: {
          model: row.modelName,
          model_type,
          provider: { tenant_id: c.var.tenant.tenantId, provider: spec.provider, label: spec.label, supported_model_types: spec.supported_model_types },
        },
      },
      200,
    );
  });

  app.openapi(setDefaultModel, async (c) => {
    const box = await secretBox(c);
    for (const setting of c.req.valid("json").model_settings) {
      // Dify skips entries without a model: the console sends every type, set or not.
      if (!setting.provider || !setting.model) continue;
      const spec = requireProvider(setting.provider);
      if (!spec.supported_model_types.includes(setting.model_type)) throw new BadRequestError(`Provider ${spec.provider} has no ${setting.model_type} models.`, "invalid_param");
      await c.var.tenant.providerCredentials.setDefault(setting.model_type, setting.model, await box.seal(JSON.stringify({ provider: spec.provider })));
    }
    return c.json({ result: "success" as const }, 200);
  });

  app.openapi(deleteModel, async (c) => {
    const spec = requireProvider(c.req.valid("param").provider);
    const { model, model_type } = c.req.valid("json");
    await c.var.tenant.providerCredentials.delete({ provider: canonicalProvider(spec.provider), model, modelType: model_type });
    return c.body(null, 204);
  });
}
