import { describe, expect, it } from "vitest";
import type { FetchLike } from "../ports";
import { languageModelFor, type ProviderContext, type ResolvedModel } from "./resolve-provider-model";

const fetchA: FetchLike = async () => new Response("{}");
const fetchB: FetchLike = async () => new Response("{}");
const context = (fetch: FetchLike): ProviderContext => ({ fetch, credentials: async () => undefined });
const compatible = (apiKey: string): ResolvedModel => ({ provider: "openai_api_compatible", modelId: "m", credentials: { endpoint_url: "http://127.0.0.1:9/v1", api_key: apiKey, mode: "chat" } });

describe("languageModelFor", () => {
  it("reuses the model made over the same fetch with the same credentials", () => {
    const first = languageModelFor(context(fetchA), compatible("sk-1"), "chat");
    expect(languageModelFor(context(fetchA), compatible("sk-1"), "chat")).toBe(first);
  });

  it("makes a new model when the credentials, the mode, the model or the fetch differ", () => {
    const first = languageModelFor(context(fetchA), compatible("sk-1"), "chat");
    expect(languageModelFor(context(fetchA), compatible("sk-2"), "chat")).not.toBe(first);
    expect(languageModelFor(context(fetchA), { ...compatible("sk-1"), modelId: "other" }, "chat")).not.toBe(first);
    expect(languageModelFor(context(fetchB), compatible("sk-1"), "chat")).not.toBe(first);
    const openai: ResolvedModel = { provider: "openai", modelId: "gpt-4o-mini", credentials: { openai_api_key: "sk-1" } };
    expect(languageModelFor(context(fetchA), openai, "completion")).not.toBe(languageModelFor(context(fetchA), openai, "chat"));
  });
});
