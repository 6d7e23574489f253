import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkDslVersion, parseAppDsl } from "./app-dsl";

const exported = parse(`
version: 0.5.0
kind: app
app: {name: demo, mode: workflow, icon: "🤖", icon_type: emoji, icon_background: "#FFEAD5", description: '', use_icon_as_answer_icon: false}
dependencies:
  - {type: marketplace, value: {marketplace_plugin_unique_identifier: "langgenius/openai:0.2.6@abc"}, current_identifier: null}
workflow:
  environment_variables:
    - {id: e1, name: API_KEY, value: sk-live-123, value_type: secret, description: ''}
    - {id: e2, name: TONE, value: dry, value_type: string, description: ''}
  conversation_variables: []
  features: {opening_statement: ''}
  graph:
    viewport: {x: 0, y: 0, zoom: 1}
    nodes:
      - {id: start, type: custom, position: {x: 0, y: 0}, data: {type: start, title: Start, variables: []}}
      - {id: tool, type: custom, position: {x: 300, y: 0}, data: {type: tool, title: Search, provider_id: x, credential_id: cred-1, tool_parameters: {}}}
    edges:
      - {id: e, source: start, target: tool, sourceHandle: source, targetHandle: target, type: custom}
`);

describe("app DSL", () => {
  it("reads an export, keeping fields it does not know", () => {
    const parsed = parseAppDsl(exported);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.status).toBe("completed-with-warnings");
    expect(parsed.dsl.kind).toBe("app");
    expect(parsed.dsl.workflow?.graph.nodes[1].data).toMatchObject({ type: "tool", provider_id: "x" });
    expect(parsed.dsl.workflow?.features).toEqual({ opening_statement: "" });
  });

  it("treats a missing version as 0.1.0 and forces kind: app", () => {
    const parsed = parseAppDsl({ ...exported, version: undefined, kind: "something" });
    expect(parsed.ok && [parsed.dsl.version, parsed.dsl.kind, parsed.status]).toEqual(["0.1.0", "app", "completed-with-warnings"]);
  });

  it("applies Dify's version rules", () => {
    expect(checkDslVersion("0.6.0")).toBe("completed");
    expect(checkDslVersion("0.5.9")).toBe("completed-with-warnings");
    expect(checkDslVersion("0.6.1")).toBe("pending");
    expect(checkDslVersion("1.0.0")).toBe("pending");
    expect(checkDslVersion("1.0.0", "2.1.0")).toBe("pending");
    expect(checkDslVersion("two")).toBe("failed");
    expect(checkDslVersion("")).toBe("failed");
  });

  it("reads versions as Python's packaging does", () => {
    expect(checkDslVersion("0.6")).toBe("completed");
    expect(checkDslVersion("v0.6.0")).toBe("completed");
    expect(checkDslVersion("0.6.0.0")).toBe("completed");
    expect(checkDslVersion("0.5")).toBe("completed-with-warnings");
    expect(checkDslVersion("0.6.0rc1")).toBe("completed");
    expect(checkDslVersion("0.6.0.post1")).toBe("pending");
    expect(checkDslVersion("0.6.1.dev0")).toBe("pending");
    expect(checkDslVersion("1")).toBe("pending");
    expect(checkDslVersion("1.0.0a1", "1.0.0")).toBe("completed");
    expect(checkDslVersion("1.0.0", "1.0.0a1")).toBe("pending");
    expect(checkDslVersion("0.6.0-beta")).toBe("completed");
    expect(checkDslVersion("0.6.0+local")).toBe("pending");
    expect(checkDslVersion("0.6.0+")).toBe("failed");
  });

  it("rejects a workflow app without a workflow, naming the field", () => {
    const parsed = parseAppDsl({ ...exported, workflow: undefined });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems).toContainEqual({ node_id: null, field: "workflow", message: "A workflow app needs a workflow" });
  });
});
