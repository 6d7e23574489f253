import { describe, expect, it } from "vitest";
import type { ModelProvider, ProviderModel } from "../../model-provider-api";
import { hasUsableProvider, modelOptions } from "./model-options";

const provider = (name: string, available = true): ModelProvider => ({
  provider: name,
  label: { en_US: name.toUpperCase() },
  supported_model_types: ["llm", "text-embedding"],
  configurate_methods: ["customizable-model"],
  provider_credential_schema: null,
  model_credential_schema: null,
  custom_configuration: { status: "no-configure" },
  available,
});
const model = (name: string, type: ProviderModel["model_type"], status: ProviderModel["status"] = "active"): ProviderModel => ({
  model: name,
  label: { en_US: name },
  model_type: type,
  fetch_from: "customizable-model",
  model_properties: {},
  status,
});

describe("model options for defaults and datasets", () => {
  const providers = [provider("compat"), provider("openai"), provider("workers_ai", false)];
  const models = {
    compat: [model("mock-chat", "llm"), model("mock-embed", "text-embedding")],
    openai: [model("gpt-4o-mini", "llm", "no-configure")],
    workers_ai: [model("@cf/llama", "llm")],
  };

  it("offers active models of available providers, of the asked type only", () => {
    expect(modelOptions(providers, models, "llm")).toEqual([{ provider: "compat", providerLabel: "COMPAT", model: "mock-chat", value: "compat/mock-chat" }]);
    expect(modelOptions(providers, models, "text-embedding").map((o) => o.model)).toEqual(["mock-embed"]);
    expect(modelOptions(providers, models, "rerank")).toEqual([]);
  });

  it("knows when nothing can run yet", () => {
    expect(hasUsableProvider(providers, models)).toBe(true);
    expect(hasUsableProvider(providers, { openai: models.openai, workers_ai: models.workers_ai })).toBe(false);
  });
});
