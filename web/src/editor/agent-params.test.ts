import { describe, expect, it } from "vitest";
import { agentModel, agentToolFrom, agentTools, parameterValue, pickerModel, pickerTool, withParameter, type AgentTool } from "./agent-params";

const time: AgentTool = {
  enabled: true,
  type: "builtin",
  provider_name: "time",
  provider_id: "time",
  tool_name: "current_time",
  settings: { format: "iso" },
  parameters: { timezone: { auto: 0, value: "UTC" }, locale: { auto: 1, value: null } },
};

describe("agent parameters", () => {
  it("reads and writes {type, value} entries, the model under Dify's `model` key", () => {
    const data = { agent_parameters: { model: { type: "constant", value: { provider: "openai", model: "gpt-4o-mini", mode: "chat", completion_params: {} } } } };
    expect(pickerModel(data)).toMatchObject({ provider: "openai", name: "gpt-4o-mini" });
    const next = withParameter(data, "model", "constant", agentModel({ provider: "anthropic", name: "claude", mode: "chat" }));
    expect(next.model).toEqual({ type: "constant", value: { provider: "anthropic", model: "claude", mode: "chat", completion_params: {} } });
    expect(parameterValue({ agent_parameters: withParameter({}, "query", "mixed", "{{#sys.query#}}") }, "query")).toBe("{{#sys.query#}}");
    expect(agentTools({ agent_parameters: { tools: { type: "constant", value: [time, null, "x"] } } })).toEqual([time]);
    expect(agentTools({})).toEqual([]);
  });

  it("shows fixed tool inputs in the picker and keeps what the picker does not show", () => {
    expect(pickerTool(time)).toMatchObject({ provider_type: "builtin", provider_id: "time", tool_name: "current_time", tool_parameters: { timezone: { type: "mixed", value: "UTC" } } });
    // An input cleared goes back to the model (auto 1); settings and unseen parameters stay.
    const cleared = agentToolFrom(time, { tool_parameters: { timezone: { type: "mixed", value: "" } } });
    expect(cleared.parameters).toEqual({ timezone: { auto: 1, value: null }, locale: { auto: 1, value: null } });
    expect(cleared.settings).toEqual({ format: "iso" });
    // Another tool starts from nothing.
    const other = agentToolFrom(time, { provider_type: "api", provider_id: "p1", provider_name: "Weather", tool_name: "getWeather", tool_parameters: { city: { type: "mixed", value: "Kyoto" } } });
    expect(other).toMatchObject({ type: "api", provider_id: "p1", tool_name: "getWeather", settings: {}, parameters: { city: { auto: 0, value: "Kyoto" } } });
    expect(agentToolFrom(undefined, { provider_type: "builtin", provider_id: "time", provider_name: "time", tool_name: "current_time", tool_parameters: {} })).toMatchObject({ enabled: true, parameters: {} });
  });
});
