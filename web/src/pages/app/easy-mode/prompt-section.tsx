/** The easy-mode editor's prompt (`pre_prompt`) and input variables (`user_input_form`). */
import { useRef, useState } from "preact/hooks";
import { MarkedText } from "../../../components/marked-text";
import { VARIABLE_TYPES, move, newVariable, promptSegments, promptVariables, readVariables, renameVariableReferences, undefinedVariables, variableProblem, writeVariables, type FormVariable, type ModelConfig } from "./easy-config";

interface SectionProps {
  config: ModelConfig;
  onChange: (next: ModelConfig) => void;
  readOnly: boolean;
}

/**
 * The prompt, with each `{{name}}` marked: a copy of the text sits behind the transparent
 * textarea with the references highlighted, so the text stays a plain, accessible textarea.
 * Below it, the variables it uses, and a button to add those the form does not define yet.
 */
export function PromptSection({ config, onChange, readOnly, completion }: SectionProps & { completion: boolean }) {
  const backdrop = useRef<HTMLDivElement>(null);
  const prompt = typeof config.pre_prompt === "string" ? config.pre_prompt : "";
  const variables = readVariables(config);
  const used = promptVariables(prompt);
  const missing = undefinedVariables(prompt, variables);
  const addMissing = () => onChange(writeVariables(config, missing.reduce((list, name) => [...list, newVariable(list, name)], variables)));
  return (
    <section class="card easy-section" aria-labelledby="easy-prompt-title">
      <h3 id="easy-prompt-title">{completion ? "Prefix prompt" : "Instructions"}</h3>
      <p class="field-hint" id="easy-prompt-hint">
        {completion ? "The text sent to the model." : "What the assistant is and how it answers; sent before the conversation."} Write <code>{"{{name}}"}</code> to put in a variable the user fills in.
      </p>
      {config.prompt_type === "advanced" && (
        <div class="banner banner-warning" role="note" data-testid="easy-advanced-prompt">
          This app uses Dify's expert prompt mode: its messages ({(config.model as { mode?: string } | undefined)?.mode === "completion" ? "completion_prompt_config" : "chat_prompt_config"}) are what the model gets, not this text. Edit them in the JSON view.
        </div>
      )}
      <div class="easy-prompt">
        <div class="easy-prompt-backdrop" ref={backdrop} aria-hidden="true">
          <MarkedText runs={promptSegments(prompt).map(({ text, variable }) => ({ text, mark: variable !== undefined, missing: variable !== undefined && missing.includes(variable) }))} />
        </div>
        <textarea
          id="easy-prompt"
          aria-labelledby="easy-prompt-title"
          aria-describedby="easy-prompt-hint"
          rows={8}
          value={prompt}
          readOnly={readOnly}
          placeholder={completion ? "Write a summary of {{topic}}…" : "You are a friendly assistant who…"}
          data-testid="easy-prompt"
          onScroll={(e) => backdrop.current && (backdrop.current.scrollTop = e.currentTarget.scrollTop)}
          onInput={(e) => onChange({ ...config, pre_prompt: e.currentTarget.value })}
        />
      </div>
      {used.length > 0 && (
        <div class="easy-prompt-vars small" data-testid="easy-prompt-variables">
          <span class="muted">Variables used:</span>
          {used.map((name) => (
            <code key={name} class={missing.includes(name) ? "wf-ref missing" : "wf-ref"} data-testid="easy-prompt-variable" data-missing={String(missing.includes(name))}>
              {name}
            </code>
          ))}
          {missing.length > 0 && !readOnly && (
            <button type="button" class="btn btn-small" data-testid="easy-add-missing" onClick={addMissing}>
              Add {missing.length === 1 ? `“${missing[0]}”` : `${missing.length} variables`} to the form
            </button>
          )}
        </div>
      )}
    </section>
  );
}

const cleanLines = (text: string) => text.split("\n").map((line) => line.trim()).filter(Boolean);

/** Each variable's fields, in a row that wraps on a narrow window. */
function VariableRow({
  variable,
  index,
  all,
  update,
  rename,
  remove,
  shift,
  readOnly,
}: {
  variable: FormVariable;
  index: number;
  all: FormVariable[];
  update: (next: FormVariable) => void;
  /** A finished rename (the name field left): the references follow. */
  rename: (from: string, to: string) => void;
  remove: () => void;
  shift: (by: number) => void;
  readOnly: boolean;
}) {
  const problem = variableProblem(variable, all);
  // The name when its field was entered: leaving the field with another valid name renames the references.
  const nameOnFocus = useRef<string | null>(null);
  const id = `easy-var-${index}`;
  const known = VARIABLE_TYPES.some(([type]) => type === variable.type);
  const text = variable.type === "text-input" || variable.type === "paragraph";
  // The options as typed (with the empty line Enter just made); the config keeps the clean list.
  const [optionsText, setOptionsText] = useState(variable.options.join("\n"));
  const shownOptions = cleanLines(optionsText).join("\n") === variable.options.join("\n") ? optionsText : variable.options.join("\n");
  return (
    <li class="easy-variable" data-testid="easy-variable">
      <div class="easy-variable-fields">
        <label class="field">
          <span class="field-label">Name</span>
          <input
            type="text"
            value={variable.variable}
            readOnly={readOnly}
            aria-invalid={problem ? "true" : undefined}
            aria-describedby={problem ? `${id}-problem` : undefined}
            data-testid="easy-variable-name"
            onFocus={() => (nameOnFocus.current = variable.variable)}
            onBlur={() => {
              const from = nameOnFocus.current;
              nameOnFocus.current = null;
              if (from !== null && from !== variable.variable && !problem) rename(from, variable.variable);
            }}
            onInput={(e) => {
              const name = e.currentTarget.value;
              // The label follows the name until someone gives it its own text.
              update({ ...variable, variable: name, label: !variable.label || variable.label === variable.variable ? name : variable.label });
            }}
          />
        </label>
        <label class="field">
          <span class="field-label">Label</span>
          <input type="text" value={variable.label} readOnly={readOnly} data-testid="easy-variable-label" onInput={(e) => update({ ...variable, label: e.currentTarget.value })} />
        </label>
        <label class="field">
          <span class="field-label">Type</span>
          <select value={variable.type} disabled={readOnly} data-testid="easy-variable-type" onChange={(e) => update({ ...variable, type: e.currentTarget.value })}>
            {!known && <option value={variable.type}>{variable.type}</option>}
            {VARIABLE_TYPES.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        {text && (
          <label class="field easy-narrow-field">
            <span class="field-label">Max length</span>
            <input
              type="number"
              min={1}
              value={variable.max_length ?? ""}
              readOnly={readOnly}
              data-testid="easy-variable-max-length"
              onInput={(e) => update({ ...variable, max_length: e.currentTarget.value ? Number(e.currentTarget.value) : undefined })}
            />
          </label>
        )}
        <label class="wf-check easy-required">
          <input type="checkbox" checked={variable.required} disabled={readOnly} data-testid="easy-variable-required" onChange={(e) => update({ ...variable, required: e.currentTarget.checked })} /> Required
        </label>
      </div>
      {variable.type === "select" && (
        <label class="field">
          <span class="field-label">Options, one per line</span>
          <textarea
            rows={3}
            value={shownOptions}
            readOnly={readOnly}
            data-testid="easy-variable-options"
            onInput={(e) => {
              setOptionsText(e.currentTarget.value);
              update({ ...variable, options: cleanLines(e.currentTarget.value) });
            }}
          />
        </label>
      )}
      {problem && (
        <div class="error-text small" id={`${id}-problem`} role="alert" data-testid="easy-variable-problem">
          {problem}
        </div>
      )}
      {!readOnly && (
        <div class="easy-variable-actions">
          <button type="button" class="btn btn-small btn-ghost" aria-label={`Move ${variable.variable || "variable"} up`} disabled={index === 0} onClick={() => shift(-1)}>
            ↑
          </button>
          <button type="button" class="btn btn-small btn-ghost" aria-label={`Move ${variable.variable || "variable"} down`} disabled={index === all.length - 1} onClick={() => shift(1)}>
            ↓
          </button>
          <button type="button" class="btn btn-small btn-ghost" aria-label={`Remove ${variable.variable || "variable"}`} data-testid="easy-variable-remove" onClick={remove}>
            Remove
          </button>
        </div>
      )}
    </li>
  );
}

/** The form users fill in before they chat (or run a text generator). */
export function VariablesSection({ config, onChange, readOnly }: SectionProps) {
  const variables = readVariables(config);
  const write = (next: FormVariable[]) => onChange(writeVariables(config, next));
  return (
    <section class="card easy-section" aria-labelledby="easy-variables-title">
      <div class="easy-section-head">
        <h3 id="easy-variables-title">Variables</h3>
        {!readOnly && (
          <button type="button" class="btn btn-small" data-testid="easy-variable-add" onClick={() => write([...variables, newVariable(variables)])}>
            + Add variable
          </button>
        )}
      </div>
      <p class="field-hint">Fields users fill in before they start; the prompt reads them as {"{{name}}"}.</p>
      {variables.length > 0 ? (
        <ol class="easy-variables" data-testid="easy-variables">
          {variables.map((variable, index) => (
            <VariableRow
              key={index}
              variable={variable}
              index={index}
              all={variables}
              readOnly={readOnly}
              update={(next) => write(variables.map((v, at) => (at === index ? next : v)))}
              rename={(from, to) => onChange(renameVariableReferences(config, from, to))}
              remove={() => write(variables.filter((_, at) => at !== index))}
              shift={(by) => write(move(variables, index, index + by))}
            />
          ))}
        </ol>
      ) : (
        <p class="muted small">No variables yet.</p>
      )}
    </section>
  );
}
