import { describe, expect, it } from "vitest";
import {
  agentTools,
  datasetIds,
  fromPickerParameters,
  move,
  newVariable,
  promptSegments,
  promptVariables,
  readVariables,
  renameVariableReferences,
  setAgentMode,
  setCompletionParam,
  setDatasetIds,
  toPickerParameters,
  undefinedVariables,
  variableProblem,
  writeVariables,
} from "./easy-config";

describe("prompt variables", () => {
  it("renaming a variable rewrites its references in the prompt, the opening statement and the knowledge query", () => {
    const config = { pre_prompt: "About {{topic}}; {{topic}} again, not {{topical}} or {{#context#}}", opening_statement: "Ask about {{topic}}!", dataset_query_variable: "topic", model: { name: "m" } };
    expect(renameVariableReferences(config, "topic", "subject")).toEqual({
      pre_prompt: "About {{subject}}; {{subject}} again, not {{topical}} or {{#context#}}",
      opening_statement: "Ask about {{subject}}!",
      dataset_query_variable: "subject",
      model: { name: "m" },
    });
    expect(renameVariableReferences({ pre_prompt: "{{a}}" }, "a", "2bad")).toEqual({ pre_prompt: "{{a}}" });
    expect(renameVariableReferences({ pre_prompt: "{{a}}" }, "a", "")).toEqual({ pre_prompt: "{{a}}" });
    expect(renameVariableReferences({ model: {} }, "a", "b")).toEqual({ model: {} });
  });


  it("lists each {{name}} once, in order, and skips Dify's special blocks", () => {
    expect(promptVariables("About {{topic}} in {{lang}}. {{#context#}} {{#query#}} {{topic}} {{ spaced }} {{1bad}}")).toEqual(["topic", "lang"]);
  });

  it("cuts the prompt into text and references", () => {
    expect(promptSegments("Hi {{name}}, {{#query#}}!")).toEqual([{ text: "Hi " }, { text: "{{name}}", variable: "name" }, { text: ", {{#query#}}!" }]);
    expect(promptSegments("")).toEqual([]);
  });

  it("names the references no variable defines", () => {
    const config = { user_input_form: [{ "text-input": { variable: "lang", label: "Language" } }] };
    expect(undefinedVariables("{{topic}} in {{lang}}", readVariables(config))).toEqual(["topic"]);
  });
});

describe("user_input_form", () => {
  const form = [
    { "text-input": { variable: "name", label: "Name", required: true, max_length: 20, default: "Bee" } },
    { select: { variable: "tone", label: "Tone", required: false, options: ["warm", "dry"] } },
    { file: { variable: "doc", label: "Doc", allowed_file_types: ["document"] } },
  ];

  it("round-trips Dify's entries, keeping the fields the form does not edit", () => {
    const config = { pre_prompt: "x", user_input_form: form };
    const variables = readVariables(config);
    expect(variables.map((v) => [v.type, v.variable, v.required])).toEqual([["text-input", "name", true], ["select", "tone", false], ["file", "doc", false]]);
    expect(writeVariables(config, variables)).toEqual({
      pre_prompt: "x",
      user_input_form: [
        { "text-input": { default: "Bee", label: "Name", variable: "name", required: true, max_length: 20 } },
        { select: { label: "Tone", variable: "tone", required: false, options: ["warm", "dry"] } },
        { file: { allowed_file_types: ["document"], label: "Doc", variable: "doc", required: false } },
      ],
    });
  });

  it("keeps options only for a select and a label even when left empty", () => {
    const [variable] = readVariables({ user_input_form: [form[1]] });
    const changed = writeVariables({}, [{ ...variable!, type: "paragraph", label: "" }]);
    expect(changed.user_input_form).toEqual([{ paragraph: { label: "tone", variable: "tone", required: false } }]);
  });

  it("names a new variable after the prompt's reference or the first free var_N", () => {
    expect(newVariable([], "topic").variable).toBe("topic");
    const existing = [newVariable([], "var_2")];
    expect(newVariable(existing).variable).toBe("var_3");
    expect(newVariable([newVariable([], "var_1")]).variable).toBe("var_2");
  });

  it("says what is wrong with a variable", () => {
    const a = newVariable([], "topic");
    expect(variableProblem(a, [a])).toBeNull();
    expect(variableProblem({ ...a, variable: "" }, [a])).toMatch(/needs a name/);
    expect(variableProblem({ ...a, variable: "2x" }, [a])).toMatch(/letters/);
    expect(variableProblem(a, [a, a])).toMatch(/twice/);
    expect(variableProblem({ ...a, type: "select" }, [a])).toMatch(/option/);
  });

  it("moves an item and ignores moves past the ends", () => {
    expect(move(["a", "b", "c"], 2, 0)).toEqual(["c", "a", "b"]);
    expect(move(["a", "b"], 0, 2)).toEqual(["a", "b"]);
  });
});

describe("model, knowledge and tools", () => {
  it("sets and clears a completion parameter", () => {
    const config = { model: { provider: "openai", name: "gpt", completion_params: { temperature: 0.7 } } };
    expect(setCompletionParam(config, "max_tokens", 512).model).toEqual({ provider: "openai", name: "gpt", completion_params: { temperature: 0.7, max_tokens: 512 } });
    expect(setCompletionParam(config, "temperature", undefined).model).toEqual({ provider: "openai", name: "gpt", completion_params: {} });
  });

  it("reads and writes the datasets in the shape the runtime reads", () => {
    const config = setDatasetIds({ dataset_configs: { retrieval_model: "multiple", top_k: 3 } }, ["d1", "d2"]);
    expect(config.dataset_configs).toEqual({ retrieval_model: "multiple", top_k: 3, datasets: { datasets: [{ dataset: { enabled: true, id: "d1" } }, { dataset: { enabled: true, id: "d2" } }] } });
    expect(datasetIds(config)).toEqual(["d1", "d2"]);
    expect(datasetIds({ dataset_configs: { datasets: { datasets: [{ dataset: { id: "off", enabled: false } }] } } })).toEqual([]);
  });

  it("reads agent tools and converts their parameters for the picker and back", () => {
    const config = setAgentMode({}, { tools: [{ provider_type: "builtin", provider_id: "time", tool_name: "current_time", tool_parameters: { timezone: "UTC" } }] });
    expect(config.agent_mode).toMatchObject({ enabled: true, strategy: "function_call", max_iteration: 5 });
    const [tool] = agentTools(config);
    expect(tool).toMatchObject({ tool_name: "current_time", enabled: true });
    const picker = toPickerParameters(tool!.tool_parameters);
    expect(picker).toEqual({ timezone: { type: "mixed", value: "UTC" } });
    expect(fromPickerParameters(picker)).toEqual({ timezone: "UTC" });
  });
});
