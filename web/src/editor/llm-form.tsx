/** The LLM node's form: model, prompt messages (plain with `{x}` variables, or Jinja), context, memory (chatflows) and structured output. */
import { useEffect } from "preact/hooks";
import { CodeEditor } from "../components/code-editor";
import { Link } from "../router";
import { canonicalProviderId, loadModelOptions, modelOptions, modelOptionsError, rerankOptions } from "./model-options";
import { JsonField, Labelled, ListEditor, Select, TemplateArea, TextInput, VariablePicker } from "./form-controls";
import { MemoryFields } from "./memory-fields";
import type { FormProps } from "./node-forms";
import { list, text } from "./form-values";

type Item = Record<string, unknown>;

const SEPARATOR = "\u0000";

/**
 * The node's model, picked from the workspace's configured chat models (built-in providers and
 * plugins) — or, with `kind: "rerank"`, its rerank models, named in `model.model` as Dify's
 * `reranking_model` does. A model the workspace has not configured (an imported app, say) stays
 * selected and says so, so nothing changes until the user picks another.
 */
export function ModelPicker({ model, set, readOnly, kind = "chat", testId = "model-picker" }: { model: Item; set: (model: Item) => void; readOnly?: boolean; kind?: "chat" | "rerank"; testId?: string }) {
  useEffect(() => {
    void loadModelOptions();
  }, []);
  const options = kind === "rerank" ? rerankOptions.value : modelOptions.value;
  const nameKey = kind === "rerank" ? "model" : "name";
  const provider = text(model.provider);
  const name = text(model[nameKey]);
  const current = provider || name ? `${canonicalProviderId(provider)}${SEPARATOR}${name}` : "";
  const known = options?.some((option) => `${option.provider}${SEPARATOR}${option.model}` === current) ?? false;
  const groups = new Map<string, NonNullable<typeof options>>();
  for (const option of options ?? []) groups.set(option.providerLabel, [...(groups.get(option.providerLabel) ?? []), option]);
  if (!options) return <span class="muted small">{modelOptionsError.value || "Loading models…"}</span>;
  return (
    <div class="stack" style={{ gap: "4px" }}>
      <select
        value={current}
        disabled={readOnly}
        data-testid={testId}
        onChange={(event) => {
          const [nextProvider, nextModel] = event.currentTarget.value.split(SEPARATOR);
          const picked = options.find((option) => option.provider === nextProvider && option.model === nextModel);
          if (picked) set(kind === "rerank" ? { ...model, provider: picked.provider, model: picked.model } : { ...model, provider: picked.provider, name: picked.model, mode: picked.mode });
        }}
      >
        {!current && <option value="">Choose a model</option>}
        {current && !known && <option value={current}>{`${provider} / ${name} (not configured in this workspace)`}</option>}
        {[...groups].map(([label, models]) => (
          <optgroup key={label} label={label}>
            {models.map((option) => (
              <option key={`${option.provider}${SEPARATOR}${option.model}`} value={`${option.provider}${SEPARATOR}${option.model}`}>
                {option.model}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      {(!options.length || (current && !known)) && (
        <span class="field-hint" data-testid="model-picker-hint">
          {options.length ? "This model is not configured here. " : `No ${kind} models are configured yet. `}
          <Link href="/settings/model-providers">Add one under Settings → Model providers</Link>
        </span>
      )}
    </div>
  );
}

export function ModelFields({ data, set, readOnly }: FormProps) {
  const model = (data.model ?? {}) as Item;
  const params = (model.completion_params ?? {}) as Item;
  return (
    <div class="wf-inline">
      <Labelled label="Model">
        <ModelPicker model={model} readOnly={readOnly} set={(next) => set({ model: next })} />
      </Labelled>
      <Labelled label="Temperature">
        <TextInput value={text(params.temperature)} readOnly={readOnly} onInput={(v) => set({ model: { ...model, completion_params: { ...params, temperature: v === "" ? undefined : Number(v) } } })} />
      </Labelled>
    </div>
  );
}

/** A JSON Schema for the structured output must at least say what it describes. */
const schemaProblem = (value: unknown) => (typeof (value as Item).type === "string" ? null : 'A JSON Schema needs a "type", e.g. "object".');

const NEW_SCHEMA = { type: "object", properties: { answer: { type: "string" } }, required: ["answer"], additionalProperties: false };

/**
 * One prompt message. Dify keeps a Jinja message's template in `jinja2_text` (with
 * `edition_type: "jinja2"`) beside the plain `text`, so switching back loses nothing.
 */
function PromptMessage({ item, update, props }: { item: Item; update: (next: Item) => void; props: FormProps }) {
  const { options, readOnly } = props;
  const jinja = item.edition_type === "jinja2";
  return (
    <>
      <div class="wf-inline">
        <Select value={text(item.role || "user")} options={["system", "user", "assistant"]} readOnly={readOnly} onChange={(role) => update({ ...item, role })} />
        <Select
          value={jinja ? "jinja2" : "basic"}
          options={[["basic", "Text with {x} variables"], ["jinja2", "Jinja template"]]}
          readOnly={readOnly}
          testId="prompt-edition"
          onChange={(edition) => update(edition === "jinja2" ? { ...item, edition_type: "jinja2", jinja2_text: item.jinja2_text ?? item.text ?? "" } : { ...item, edition_type: "basic" })}
        />
      </div>
      {jinja ? (
        <CodeEditor label="Jinja prompt" language="jinja" value={text(item.jinja2_text)} readOnly={readOnly} rows={4} lineNumbers={false} testId="prompt-jinja" onChange={(jinja2_text) => update({ ...item, jinja2_text })} />
      ) : (
        <TemplateArea value={text(item.text)} options={options} readOnly={readOnly} rows={4} testId="prompt-text" onInput={(t) => update({ ...item, text: t })} />
      )}
    </>
  );
}

export function LlmForm(props: FormProps) {
  const { data, set, options, readOnly } = props;
  const messages = list(data.prompt_template);
  const promptConfig = (data.prompt_config ?? {}) as Item;
  const usesJinja = messages.some((m) => m.edition_type === "jinja2");
  const structured = (data.structured_output ?? {}) as Item;
  return (
    <>
      <ModelFields {...props} />
      <Labelled label="Prompt messages" group>
        <ListEditor
          testId="prompt-messages"
          readOnly={readOnly}
          items={messages}
          addLabel="Add message"
          make={() => ({ role: messages.length % 2 ? "user" : "assistant", text: "" })}
          onChange={(prompt_template) => set({ prompt_template })}
          render={(item, update) => <PromptMessage item={item} update={update} props={props} />}
        />
      </Labelled>
      {usesJinja && (
        <Labelled label="Jinja variables" hint="Names the Jinja messages use, each bound to a variable: {{ name }}." group>
          <ListEditor
            testId="jinja-variables"
            readOnly={readOnly}
            items={list(promptConfig.jinja2_variables)}
            addLabel="Add variable"
            make={() => ({ variable: "", value_selector: [] })}
            onChange={(jinja2_variables) => set({ prompt_config: { ...promptConfig, jinja2_variables } })}
            render={(item, update) => (
              <div class="wf-inline">
                <TextInput value={text(item.variable)} placeholder="name" readOnly={readOnly} onInput={(variable) => update({ ...item, variable })} />
                <VariablePicker options={options} value={item.value_selector} readOnly={readOnly} onChange={(value_selector) => update({ ...item, value_selector })} />
              </div>
            )}
          />
        </Labelled>
      )}
      <Labelled label="Context" hint="Knowledge retrieval results the prompt can cite.">
        <VariablePicker options={options} value={((data.context ?? {}) as Item).variable_selector} readOnly={readOnly} onChange={(s) => set({ context: { enabled: s.length > 0, variable_selector: s } })} />
      </Labelled>
      <MemoryFields {...props} withQuery />
      <div class="field wf-field">
        <label class="wf-check">
          <input
            type="checkbox"
            checked={Boolean(data.structured_output_enabled)}
            disabled={readOnly}
            data-testid="structured-output-enabled"
            onChange={(e) => set(e.currentTarget.checked && !structured.schema ? { structured_output_enabled: true, structured_output: { ...structured, schema: NEW_SCHEMA } } : { structured_output_enabled: e.currentTarget.checked })}
          />{" "}
          Structured output
        </label>
        {Boolean(data.structured_output_enabled) && (
          <>
            <span class="field-hint">The model answers with JSON matching this schema; read it as structured_output.</span>
            <JsonField label="Output schema" value={structured.schema} validate={schemaProblem} readOnly={readOnly} rows={8} testId="structured-output-schema" onChange={(schema) => set({ structured_output: { ...structured, schema } })} />
          </>
        )}
      </div>
    </>
  );
}
