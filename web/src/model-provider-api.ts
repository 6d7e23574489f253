/**
 * Typed client for the workspace's model providers (`/console/api/workspaces/current/model-providers`)
 * and default models (`/console/api/workspaces/current/default-model`).
 */
import { q, request } from "./api";

export type ModelType = "llm" | "text-embedding" | "rerank";
export const MODEL_TYPES: { value: ModelType; label: string; description: string }[] = [
  { value: "llm", label: "LLM", description: "Chat and text generation in apps and workflows." },
  { value: "text-embedding", label: "Text embedding", description: "Turns knowledge chunks and queries into vectors." },
  { value: "rerank", label: "Rerank", description: "Reorders retrieved chunks by relevance." },
];

export interface CredentialFormSchema {
  variable: string;
  label: { en_US: string };
  type: "text-input" | "secret-input" | "select" | "radio" | "switch";
  required: boolean;
  default?: string;
  placeholder?: { en_US: string };
  help?: { en_US: string };
  options?: Array<{ value: string; label: { en_US: string } }>;
}

export interface ModelProvider {
  provider: string;
  label: { en_US: string };
  supported_model_types: ModelType[];
  configurate_methods: Array<"predefined-model" | "customizable-model">;
  provider_credential_schema: { credential_form_schemas: CredentialFormSchema[] } | null;
  model_credential_schema: { model: { label: { en_US: string } }; credential_form_schemas: CredentialFormSchema[] } | null;
  custom_configuration: { status: "active" | "no-configure" };
  available: boolean;
  unavailable_reason?: string;
}

export interface ProviderModel {
  model: string;
  label: { en_US: string };
  model_type: ModelType;
  fetch_from: "predefined-model" | "customizable-model";
  model_properties: { mode?: string; context_size?: number };
  status: "active" | "no-configure";
}

export interface DefaultModel {
  model: string;
  model_type: ModelType;
  provider: { provider: string; label: { en_US: string } };
}

export type Credentials = Record<string, unknown>;

const e = encodeURIComponent;
const BASE = "/workspaces/current/model-providers";

export const modelProviderApi = {
  providers: () => request<{ data: ModelProvider[] }>("GET", BASE),
  credentials: (provider: string) => request<{ credentials: Credentials | null }>("GET", `${BASE}/${e(provider)}/credentials`),
  saveCredentials: (provider: string, credentials: Credentials) =>
    request<{ result: "success" }>("POST", `${BASE}/${e(provider)}/credentials`, { body: { credentials } }),
  deleteCredentials: (provider: string) => request<void>("DELETE", `${BASE}/${e(provider)}/credentials`),
  models: (provider: string) => request<{ data: ProviderModel[] }>("GET", `${BASE}/${e(provider)}/models`),
  saveModel: (provider: string, body: { model: string; model_type: ModelType; credentials: Credentials }) =>
    request<{ result: "success" }>("POST", `${BASE}/${e(provider)}/models`, { body }),
  modelCredentials: (provider: string, model: string, modelType: ModelType) =>
    request<{ credentials: Credentials | null }>("GET", `${BASE}/${e(provider)}/models/credentials?${q({ model, model_type: modelType })}`),
  deleteModel: (provider: string, model: string, modelType: ModelType) =>
    request<void>("DELETE", `${BASE}/${e(provider)}/models`, { body: { model, model_type: modelType } }),
  defaultModel: (modelType: ModelType) => request<{ data: DefaultModel | null }>("GET", `/workspaces/current/default-model?${q({ model_type: modelType })}`),
  setDefaultModel: (modelType: ModelType, provider: string, model: string) =>
    request<{ result: "success" }>("POST", "/workspaces/current/default-model", { body: { model_settings: [{ model_type: modelType, provider, model }] } }),
};
