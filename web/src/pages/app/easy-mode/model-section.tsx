/** The easy-mode editor's model, knowledge and (for agents) tools. */
import { ModelPicker } from "../../../editor/llm-form";
import type { NodeData } from "../../../editor/node-catalog";
import { ToolForm } from "../../../editor/tool-form";
import { DatasetPicker } from "../../../components/dataset-picker";
import {
  agentMode,
  agentTools,
  datasetIds,
  fromPickerParameters,
  readVariables,
  setAgentMode,
  setCompletionParam,
  setDatasetIds,
  setRetrieval,
  toPickerParameters,
  type AgentTool,
  type ModelConfig,
} from "./easy-config";

type Json = Record<string, unknown>;

interface SectionProps {
  config: ModelConfig;
  onChange: (next: ModelConfig) => void;
  readOnly: boolean;
}

const object = (value: unknown): Json => (value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : {});

/** Dify's common completion parameters; a blank field leaves the model's default. */
const PARAMETERS: { name: string; label: string; min: number; max?: number; step: number; hint: string }[] = [
  { name: "temperature", label: "Temperature", min: 0, max: 2, step: 0.1, hint: "Higher is more varied." },
  { name: "top_p", label: "Top P", min: 0, max: 1, step: 0.05, hint: "Sample from this share of likely words." },
  { name: "max_tokens", label: "Max tokens", min: 1, step: 1, hint: "The longest answer." },
  { name: "presence_penalty", label: "Presence penalty", min: -2, max: 2, step: 0.1, hint: "Favour new topics." },
  { name: "frequency_penalty", label: "Frequency penalty", min: -2, max: 2, step: 0.1, hint: "Avoid repeating words." },
];

export function ModelSection({ config, onChange, readOnly }: SectionProps) {
  const model = object(config.model);
  const params = object(model.completion_params);
  return (
    <section class="card easy-section" aria-labelledby="easy-model-title">
      <h3 id="easy-model-title">Model</h3>
      <label class="field">
        <span class="field-label">Model</span>
        <ModelPicker model={model} readOnly={readOnly} set={(next) => onChange({ ...config, model: next })} />
      </label>
      <div class="easy-params">
        {PARAMETERS.map(({ name, label, min, max, step, hint }) => (
          <label key={name} class="field">
            <span class="field-label">{label}</span>
            <input
              type="number"
              min={min}
              max={max}
              step={step}
              value={typeof params[name] === "number" ? String(params[name]) : ""}
              placeholder="default"
              readOnly={readOnly}
              data-testid={`easy-param-${name}`}
              onInput={(e) => onChange(setCompletionParam(config, name, e.currentTarget.value === "" ? undefined : Number(e.currentTarget.value)))}
            />
            <span class="field-hint">{hint}</span>
          </label>
        ))}
      </div>
    </section>
  );
}

/**
 * The knowledge the app retrieves from before answering (an agent gets one retriever tool per
 * knowledge base instead), and how many chunks it takes. A text generator searches with one of
 * its variables (`dataset_query_variable`), as in Dify.
 */
export function KnowledgeSection({ config, onChange, readOnly, completion }: SectionProps & { completion: boolean }) {
  const chosen = datasetIds(config);
  const settings = object(config.dataset_configs);
  const variables = readVariables(config).filter((v) => v.variable);
  const queryVariable = typeof config.dataset_query_variable === "string" ? config.dataset_query_variable : "";
  return (
    <section class="card easy-section" aria-labelledby="easy-knowledge-title">
      <h3 id="easy-knowledge-title">Knowledge</h3>
      <DatasetPicker chosen={chosen} readOnly={readOnly} testId="easy-dataset" empty="No knowledge: the model answers from the prompt alone." onChange={(ids) => onChange(setDatasetIds(config, ids))} />
      {chosen.length > 0 && (
        <div class="easy-params">
          {completion && (
            <label class="field">
              <span class="field-label">Search with</span>
              <select value={queryVariable} disabled={readOnly} data-testid="easy-dataset-query-variable" onChange={(e) => onChange({ ...config, dataset_query_variable: e.currentTarget.value })}>
                <option value="">Choose a variable</option>
                {variables.map((v) => (
                  <option key={v.variable} value={v.variable}>
                    {v.label || v.variable}
                  </option>
                ))}
              </select>
              {!queryVariable && <span class="field-hint">Without it, a text generator does not search its knowledge.</span>}
            </label>
          )}
          <label class="field">
            <span class="field-label">Chunks to retrieve (top K)</span>
            <input type="number" min={1} max={10} value={typeof settings.top_k === "number" ? settings.top_k : 4} readOnly={readOnly} data-testid="easy-top-k" onInput={(e) => e.currentTarget.value && onChange(setRetrieval(config, { top_k: Number(e.currentTarget.value) }))} />
          </label>
          <label class="field">
            <span class="field-label">
              <input type="checkbox" checked={settings.score_threshold_enabled === true} disabled={readOnly} onChange={(e) => onChange(setRetrieval(config, { score_threshold_enabled: e.currentTarget.checked, score_threshold: typeof settings.score_threshold === "number" ? settings.score_threshold : 0.5 }))} /> Minimum score
            </span>
            <input
              type="number"
              min={0}
              max={1}
              step={0.05}
              value={typeof settings.score_threshold === "number" ? settings.score_threshold : 0.5}
              readOnly={readOnly || settings.score_threshold_enabled !== true}
              aria-label="Minimum score"
              onInput={(e) => e.currentTarget.value && onChange(setRetrieval(config, { score_threshold: Number(e.currentTarget.value) }))}
            />
          </label>
        </div>
      )}
    </section>
  );
}

const EMPTY_TOOL: AgentTool = { provider_type: "builtin", provider_id: "", tool_name: "", tool_parameters: {}, enabled: true };

/** One tool of the agent, picked with the workflow editor's tool picker. */
function ToolRow({ tool, index, update, remove, readOnly }: { tool: AgentTool; index: number; update: (next: AgentTool) => void; remove: () => void; readOnly: boolean }) {
  const data = { type: "tool", title: tool.tool_label ?? tool.tool_name, ...tool, tool_parameters: toPickerParameters(tool.tool_parameters) } as NodeData;
  return (
    <li class="easy-tool" data-testid="easy-tool">
      <div class="easy-section-head">
        <label class="wf-check">
          <input type="checkbox" checked={tool.enabled} disabled={readOnly} data-testid="easy-tool-enabled" onChange={(e) => update({ ...tool, enabled: e.currentTarget.checked })} /> Tool {index + 1} enabled
        </label>
        {!readOnly && (
          <button type="button" class="btn btn-small btn-ghost" aria-label={`Remove tool ${index + 1}`} onClick={remove}>
            Remove
          </button>
        )}
      </div>
      <ToolForm
        data={data}
        options={[]}
        readOnly={readOnly}
        set={(patch) => update({ ...tool, ...patch, tool_parameters: patch.tool_parameters ? fromPickerParameters(patch.tool_parameters as Json) : tool.tool_parameters } as AgentTool)}
      />
    </li>
  );
}

/** An agent's tools, its reasoning strategy and how many steps it may take. */
export function ToolsSection({ config, onChange, readOnly }: SectionProps) {
  const mode = agentMode(config);
  const tools = agentTools(config);
  const write = (next: AgentTool[]) => onChange(setAgentMode(config, { tools: next }));
  return (
    <section class="card easy-section" aria-labelledby="easy-tools-title">
      <h3 id="easy-tools-title">Tools</h3>
      <div class="easy-params">
        <label class="field">
          <span class="field-label">Strategy</span>
          <select value={typeof mode.strategy === "string" ? mode.strategy : "function_call"} disabled={readOnly} data-testid="easy-agent-strategy" onChange={(e) => onChange(setAgentMode(config, { strategy: e.currentTarget.value }))}>
            <option value="function_call">Function calling</option>
            <option value="react">ReAct</option>
          </select>
        </label>
        <label class="field">
          <span class="field-label">Maximum iterations</span>
          <input
            type="number"
            min={1}
            max={99}
            value={typeof mode.max_iteration === "number" ? mode.max_iteration : 5}
            readOnly={readOnly}
            data-testid="easy-agent-max-iteration"
            onInput={(e) => e.currentTarget.value && onChange(setAgentMode(config, { max_iteration: Math.min(99, Math.max(1, Math.round(Number(e.currentTarget.value)))) }))}
          />
        </label>
      </div>
      {tools.length > 0 ? (
        <ol class="easy-tools">
          {tools.map((tool, index) => (
            <ToolRow key={index} tool={tool} index={index} readOnly={readOnly} update={(next) => write(tools.map((t, at) => (at === index ? next : t)))} remove={() => write(tools.filter((_, at) => at !== index))} />
          ))}
        </ol>
      ) : (
        <p class="muted small">No tools: the agent answers on its own.</p>
      )}
      {!readOnly && (
        // A tool is added once it is picked, so the agent never holds a row without a tool.
        <div class="easy-tool-add" data-testid="easy-tool-add">
          <strong class="small">Add a tool</strong>
          <ToolForm data={{ type: "tool", title: "" }} options={[]} readOnly={false} set={(patch) => write([...tools, { ...EMPTY_TOOL, ...patch, tool_parameters: {} } as AgentTool])} />
        </div>
      )}
    </section>
  );
}
