import { modelProviderApi } from "../../model-provider-api";
import { modelOptions, type ModelOption } from "../model-providers/model-options";

/** The embedding models a new dataset may use, and the workspace default among them (if any). */
export async function loadEmbeddingOptions(): Promise<{ options: ModelOption[]; defaultValue: string }> {
  const providers = (await modelProviderApi.providers()).data.filter((p) => p.available && p.supported_model_types.includes("text-embedding"));
  const [lists, current] = await Promise.all([
    Promise.all(providers.map((p) => modelProviderApi.models(p.provider).then((r) => r.data))),
    modelProviderApi.defaultModel("text-embedding").then((r) => r.data),
  ]);
  const options = modelOptions(providers, Object.fromEntries(providers.map((p, i) => [p.provider, lists[i]!])), "text-embedding");
  const defaultValue = current ? `${current.provider.provider}/${current.model}` : "";
  return { options, defaultValue: options.some((o) => o.value === defaultValue) ? defaultValue : "" };
}
