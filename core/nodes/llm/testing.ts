import { createModelRuntime, type ModelRuntime } from "../../models";
import type { FetchLike } from "../../ports";

/** A model runtime whose `openai_api_compatible` models all point at the mock server. Tests only. */
export function mockServerRuntime(server: { baseUrl: string }, fetch: FetchLike): ModelRuntime {
  return createModelRuntime({
    fetch,
    credentials: async () => ({ endpoint_url: server.baseUrl, api_key: "sk-test", mode: "chat" }),
    sleep: async () => {},
  });
}
