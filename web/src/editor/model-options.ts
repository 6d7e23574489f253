/**
 * The chat models a node may pick: every LLM of the workspace's configured providers (built-in
 * and plugin), loaded once per editor session and reloaded on demand; and, loaded with them, the
 * rerank models a knowledge-retrieval node may rank with.
 */
import { signal } from "@preact/signals";
import { errorMessage } from "../api";
import { modelProviderApi } from "../model-provider-api";

export interface ModelOption {
  /** The provider id a node stores (`openai_api_compatible`, or a plugin's `author/name/provider`). */
  provider: string;
  providerLabel: string;
  model: string;
  /** `chat` or `completion` (Dify's `model.mode`). */
  mode: string;
}

export const modelOptions = signal<ModelOption[] | null>(null);
/** Rerank models (`mode` is empty), loaded with `modelOptions`. */
export const rerankOptions = signal<ModelOption[] | null>(null);
export const modelOptionsError = signal("");
let loading: Promise<void> | undefined;

/** Dify writes built-in providers as `langgenius/<name>/<name>`; the short name is the same provider. */
export function canonicalProviderId(provider: string): string {
  const parts = provider.split("/");
  return parts.length === 3 && parts[0] === "langgenius" ? parts[2]! : provider;
}

export function loadModelOptions(force = false): Promise<void> {
  if (loading && !force) return loading;
  loading = (async () => {
    try {
      const { data: providers } = await modelProviderApi.providers();
      const usable = providers.filter((provider) => provider.available && provider.custom_configuration.status === "active" && (provider.supported_model_types.includes("llm") || provider.supported_model_types.includes("rerank")));
      const lists = await Promise.all(
        usable.map(async (provider) => {
          const { data } = await modelProviderApi.models(provider.provider);
          const option = (model: (typeof data)[number], mode: string) => ({ provider: provider.provider, providerLabel: provider.label.en_US, model: model.model, mode });
          const active = data.filter((model) => model.status === "active");
          return {
            chat: active.filter((model) => model.model_type === "llm").map((model) => option(model, model.model_properties.mode === "completion" ? "completion" : "chat")),
            rerank: active.filter((model) => model.model_type === "rerank").map((model) => option(model, "")),
          };
        }),
      );
      modelOptions.value = lists.flatMap((list) => list.chat);
      rerankOptions.value = lists.flatMap((list) => list.rerank);
      modelOptionsError.value = "";
    } catch (caught) {
      modelOptionsError.value = errorMessage(caught);
      loading = undefined;
    }
  })();
  return loading;
}
