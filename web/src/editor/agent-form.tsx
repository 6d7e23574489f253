/** The agent node's form: strategy, model, tools (picked like a tool node's), instruction, query, round cap and memory (chatflows). */
import { AGENT_STRATEGIES, agentModel, agentToolFrom, agentTools, DEFAULT_STRATEGY_PROVIDER, parameterValue, pickerModel, pickerTool, withParameter, type AgentTool } from "./agent-params";
import { Labelled, Select, TemplateArea } from "./form-controls";
import { ModelPicker } from "./llm-form";
import { MemoryFields } from "./memory-fields";
import type { FormProps } from "./node-forms";
import { ToolForm } from "./tool-form";
import { text } from "./form-values";


export function AgentForm(props: FormProps) {
  const { data, set, options, readOnly } = props;
  const tools = agentTools(data);
  const setTools = (next: AgentTool[]) => set({ agent_parameters: withParameter(data, "tools", "constant", next) });
  const strategy = text(data.agent_strategy_name) || "function_calling";
  const rounds = parameterValue(data, "maximum_iterations");
  return (
    <>
      <Labelled label="Strategy" hint="Function calling needs a model that calls tools; ReAct works with any chat model.">
        <Select
          value={strategy === "react" || strategy === "cot" ? "ReAct" : strategy}
          options={AGENT_STRATEGIES}
          readOnly={readOnly}
          testId="agent-strategy"
          onChange={(value) =>
            set({ agent_strategy_provider_name: text(data.agent_strategy_provider_name) || DEFAULT_STRATEGY_PROVIDER, agent_strategy_name: value, agent_strategy_label: AGENT_STRATEGIES.find(([id]) => id === value)?.[1] })
          }
        />
      </Labelled>
      <Labelled label="Model">
        <ModelPicker model={pickerModel(data)} readOnly={readOnly} set={(picked) => set({ agent_parameters: withParameter(data, "model", "constant", agentModel(picked)) })} />
      </Labelled>
      <Labelled label="Tools" group hint="A tool input left empty is filled in by the model.">
        <ol class="agent-tools" data-testid="agent-tools">
          {tools.map((tool, index) => (
            <li key={index} class="agent-tool" data-testid="agent-tool">
              <div class="row gap">
                <label class="wf-check">
                  <input type="checkbox" checked={tool.enabled !== false} disabled={readOnly} onChange={(event) => setTools(tools.map((t, at) => (at === index ? { ...t, enabled: event.currentTarget.checked } : t)))} /> Enabled
                </label>
                {!readOnly && (
                  <button type="button" class="btn btn-small btn-ghost" aria-label={`Remove tool ${index + 1}`} onClick={() => setTools(tools.filter((_, at) => at !== index))}>
                    Remove
                  </button>
                )}
              </div>
              <ToolForm data={pickerTool(tool) as FormProps["data"]} options={options} readOnly={readOnly} set={(patch) => setTools(tools.map((t, at) => (at === index ? agentToolFrom(t, patch) : t)))} />
            </li>
          ))}
        </ol>
        {tools.length === 0 && <p class="muted small">No tools yet: the agent answers from the model alone.</p>}
        {!readOnly && (
          // A tool is added once it is picked, so the list never holds an entry without a tool.
          <div class="agent-tool-add" data-testid="agent-tool-add">
            <span class="small muted">Add a tool</span>
            <ToolForm key={tools.length} data={{ type: "tool", title: "" }} options={options} readOnly={false} set={(patch) => setTools([...tools, agentToolFrom(undefined, { ...patch, tool_parameters: {} })])} />
          </div>
        )}
      </Labelled>
      <Labelled label="Instruction" hint="What the agent is for and how it should work; {x} inserts a variable.">
        <TemplateArea value={text(parameterValue(data, "instruction"))} options={options} readOnly={readOnly} testId="agent-instruction" onInput={(value) => set({ agent_parameters: withParameter(data, "instruction", "constant", value) })} />
      </Labelled>
      <Labelled label="Query" hint="The user's request; in a chatflow usually {{#sys.query#}}.">
        <TemplateArea value={text(parameterValue(data, "query"))} rows={2} options={options} readOnly={readOnly} testId="agent-query" onInput={(value) => set({ agent_parameters: withParameter(data, "query", "mixed", value) })} />
      </Labelled>
      <Labelled label="Maximum iterations" hint="Rounds of model and tool calls before the agent must answer (1–99).">
        <input
          class="input"
          type="number"
          min={1}
          max={99}
          value={typeof rounds === "number" ? rounds : 5}
          readOnly={readOnly}
          data-testid="agent-max-iterations"
          onInput={(event) => {
            const value = Number(event.currentTarget.value);
            if (event.currentTarget.value && Number.isFinite(value)) set({ agent_parameters: withParameter(data, "maximum_iterations", "constant", Math.min(99, Math.max(1, Math.round(value)))) });
          }}
        />
      </Labelled>
      <MemoryFields {...props} />
    </>
  );
}
