import type { ModelProvider, ModelType, ProviderModel } from "../../model-provider-api";

export interface ModelOption {
  provider: string;
  providerLabel: string;
  model: string;
  /** `provider/model`, unique across providers: the value of a select's option. */
  value: string;
}

/**
 * The models of one type that this workspace can run: active models of available providers, in
 * the providers' order. These are what a default model or a dataset's embedding model may be.
 * @example modelOptions(providers, { openai_api_compatible: [{ model: "mock-chat", model_type: "llm", status: "active", … }] }, "llm")
 * // → [{ provider: "openai_api_compatible", model: "mock-chat", value: "openai_api_compatible/mock-chat", … }]
 */
export function modelOptions(providers: ModelProvider[], modelsByProvider: Record<string, ProviderModel[]>, type: ModelType): ModelOption[] {
  const options: ModelOption[] = [];
  for (const provider of providers) {
    if (!provider.available) continue;
    for (const model of modelsByProvider[provider.provider] ?? []) {
      if (model.model_type !== type || model.status !== "active") continue;
      options.push({ provider: provider.provider, providerLabel: provider.label.en_US, model: model.model, value: `${provider.provider}/${model.model}` });
    }
  }
  return options;
}

/** Whether any provider can run a model yet: the empty state's question. */
export function hasUsableProvider(providers: ModelProvider[], modelsByProvider: Record<string, ProviderModel[]>): boolean {
  return providers.some((provider) => provider.available && (modelsByProvider[provider.provider] ?? []).some((model) => model.status === "active"));
}
