import { expect, inject } from "vitest";
import { call, type SeededTenant } from "./harness";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL (no `/v1`) of the mock model server started by test/mock-model-server/global-setup.ts. */
    mockModelServerUrl: string;
  }
}

/** The mock model server's URL; the Worker may reach it (and no other loopback origin) in tests. */
export const mockModelUrl: string = inject("mockModelServerUrl");

/** Scripts the server's next chat replies (see `MockReply` in test/mock-model-server). */
export async function scriptMockModel(...replies: unknown[]): Promise<void> {
  const res = await fetch(`${mockModelUrl}/__script`, { method: "POST", body: JSON.stringify({ replies }) });
  expect(res.status).toBe(200);
}

export async function resetMockModel(): Promise<void> {
  await fetch(`${mockModelUrl}/__reset`, { method: "POST" });
}

/** Requests the server received since the last reset. */
export async function mockModelRequests(): Promise<Array<{ path: string; headers: Record<string, string>; body: any; aborted?: boolean }>> {
  return ((await (await fetch(`${mockModelUrl}/__requests`, { method: "POST" })).json()) as { requests: any[] }).requests;
}

/** Adds the mock server as the workspace's `mock-chat` model (OpenAI-compatible), then forgets that request. */
export async function addMockModel(t: SeededTenant): Promise<void> {
  const saved = await call("POST", "/console/api/workspaces/current/model-providers/openai_api_compatible/models", {
    token: t.tokens.admin,
    body: { model: "mock-chat", model_type: "llm", credentials: { endpoint_url: `${mockModelUrl}/v1`, api_key: "sk-mock-secret-123456", mode: "chat", context_size: "4096" } },
  });
  expect(saved.status, saved.text).toBe(201);
  await resetMockModel();
}

/** The mock's chat model as an app names it (added to a workspace by `addMockModel`). */
export const MOCK_CHAT_MODEL = { provider: "langgenius/openai_api_compatible/openai_api_compatible", name: "mock-chat", mode: "chat", completion_params: {} };

/** A chatflow that answers with what the mock model says to the query: start → llm → answer. */
export function llmChatflowGraph() {
  return {
    nodes: [
      { id: "start", data: { type: "start", title: "Start", variables: [] } },
      { id: "llm", data: { type: "llm", title: "LLM", model: MOCK_CHAT_MODEL, prompt_template: [{ role: "user", text: "{{#sys.query#}}" }] } },
      { id: "answer", data: { type: "answer", title: "Answer", answer: "{{#llm.text#}}" } },
    ],
    edges: [
      { id: "e1", source: "start", target: "llm", sourceHandle: "source", targetHandle: "target" },
      { id: "e2", source: "llm", target: "answer", sourceHandle: "source", targetHandle: "target" },
    ],
  };
}
