/**
 * The per-type forms of the node panel. Each edits Dify's `data` fields for its type directly;
 * types without a form here are edited as JSON in the panel's "Advanced" section.
 */
import type { VariableOption } from "./available-variables";
import { CodeEditor } from "../components/code-editor";
import { JsonTemplateEditor, Labelled, ListEditor, Select, TemplateArea, TextInput, VariablePicker } from "./form-controls";
import { AgentForm } from "./agent-form";
import { AssignerForm } from "./assigner-form";
import { ListOperatorForm } from "./list-operator-form";
import { KnowledgeRetrievalForm } from "./knowledge-form";
import { LlmForm, ModelFields } from "./llm-form";
import { MemoryFields } from "./memory-fields";
import { ToolForm } from "./tool-form";
import type { NodeData } from "./node-catalog";
import { list, text } from "./form-values";

export interface FormProps {
  data: NodeData;
  set: (patch: Record<string, unknown>) => void;
  options: VariableOption[];
  /** For an iteration or loop: the outputs of the nodes inside it. */
  innerOptions?: VariableOption[];
  /** The node's id (a loop's break conditions read its variables as `[id, name]`). */
  nodeId?: string;
  readOnly: boolean;
  /** The app's mode (`workflow` or `advanced-chat`): memory is for chatflows. */
  mode?: string;
}

type Item = Record<string, unknown>;

const START_TYPES: [string, string][] = [
  ["text-input", "Short text"],
  ["paragraph", "Paragraph"],
  ["select", "Select"],
  ["number", "Number"],
  ["checkbox", "Checkbox"],
  ["json_object", "JSON object"],
  ["file", "File"],
  ["file-list", "File list"],
];
const VALUE_TYPES = ["string", "number", "boolean", "object", "array[string]", "array[number]", "array[object]", "array[boolean]"];
export const COMPARISON_OPERATORS = ["contains", "not contains", "start with", "end with", "is", "is not", "empty", "not empty", "in", "not in", "all of", "=", "≠", ">", "<", "≥", "≤", "null", "not null", "exists", "not exists"];
export const UNARY = new Set(["empty", "not empty", "null", "not null", "exists", "not exists"]);

function StartForm({ data, set, readOnly }: FormProps) {
  return (
    <Labelled label="Input variables">
      <ListEditor
        testId="start-variables"
        readOnly={readOnly}
        items={list(data.variables)}
        addLabel="Add variable"
        make={() => ({ variable: "", label: "", type: "text-input", required: true, max_length: 256, options: [] })}
        onChange={(variables) => set({ variables })}
        render={(item, update) => (
          <>
            <div class="wf-inline">
              <TextInput value={text(item.variable)} placeholder="name" testId="start-variable-name" readOnly={readOnly} onInput={(v) => update({ ...item, variable: v, label: item.label && item.label !== item.variable ? item.label : v })} />
              <Select value={text(item.type || "text-input")} options={START_TYPES} readOnly={readOnly} testId="start-variable-type" onChange={(v) => update({ ...item, type: v })} />
            </div>
            <div class="wf-inline">
              <TextInput value={text(item.label)} placeholder="label shown to users" readOnly={readOnly} onInput={(v) => update({ ...item, label: v })} />
              <label class="wf-check">
                <input type="checkbox" checked={Boolean(item.required)} disabled={readOnly} onChange={(e) => update({ ...item, required: e.currentTarget.checked })} /> required
              </label>
            </div>
            {item.type === "select" && (
              <TextInput value={list(item.options).join(", ")} placeholder="options, comma-separated" readOnly={readOnly} onInput={(v) => update({ ...item, options: v.split(",").map((s) => s.trim()).filter(Boolean) })} />
            )}
          </>
        )}
      />
    </Labelled>
  );
}

function EndForm({ data, set, options, readOnly }: FormProps) {
  return (
    <Labelled label="Output variables">
      <ListEditor
        testId="end-outputs"
        readOnly={readOnly}
        items={list(data.outputs)}
        addLabel="Add output"
        make={() => ({ variable: "", value_selector: [] })}
        onChange={(outputs) => set({ outputs })}
        render={(item, update) => (
          <div class="wf-inline">
            <TextInput value={text(item.variable)} placeholder="name" testId="end-output-name" readOnly={readOnly} onInput={(v) => update({ ...item, variable: v })} />
            <VariablePicker options={options} value={item.value_selector} testId="end-output-value" readOnly={readOnly} onChange={(s) => update({ ...item, value_selector: s })} />
          </div>
        )}
      />
    </Labelled>
  );
}

function AnswerForm({ data, set, options, readOnly }: FormProps) {
  return (
    <Labelled label="Answer" hint="Streams to the user as it is produced; insert variables with {x}.">
      <TemplateArea value={text(data.answer)} options={options} testId="answer-text" readOnly={readOnly} rows={5} onInput={(answer) => set({ answer })} />
    </Labelled>
  );
}

/** `[{variable, value_selector}]`, shared by code and template-transform. */
function InputVariables({ data, set, options, readOnly }: FormProps) {
  return (
    <Labelled label="Input variables">
      <ListEditor
        testId="input-variables"
        readOnly={readOnly}
        items={list(data.variables)}
        addLabel="Add input"
        make={() => ({ variable: `arg${list(data.variables).length + 1}`, value_selector: [] })}
        onChange={(variables) => set({ variables })}
        render={(item, update) => (
          <div class="wf-inline">
            <TextInput value={text(item.variable)} placeholder="name" readOnly={readOnly} testId="input-variable-name" onInput={(v) => update({ ...item, variable: v })} />
            <VariablePicker options={options} value={item.value_selector} readOnly={readOnly} testId="input-variable-value" onChange={(s) => update({ ...item, value_selector: s })} />
          </div>
        )}
      />
    </Labelled>
  );
}

function CodeForm(props: FormProps) {
  const { data, set, readOnly } = props;
  const outputs = Object.entries((data.outputs ?? {}) as Record<string, { type?: string }>).map(([name, spec]) => ({ name, type: spec?.type ?? "string" }));
  return (
    <>
      <InputVariables {...props} />
      <Labelled label="Language">
        <Select value={text(data.code_language || "python3")} options={[["javascript", "JavaScript"], ["python3", "Python 3"]]} readOnly={readOnly} testId="code-language" onChange={(code_language) => set({ code_language })} />
      </Labelled>
      <Labelled label="Code" hint="Defines main(...) and returns an object whose keys are the outputs." group>
        <CodeEditor label="Code" language={data.code_language === "javascript" ? "javascript" : "python3"} value={text(data.code)} readOnly={readOnly} rows={10} testId="code-text" onChange={(code) => set({ code })} />
      </Labelled>
      <Labelled label="Output variables">
        <ListEditor
          testId="code-outputs"
          readOnly={readOnly}
          items={outputs}
          addLabel="Add output"
          make={() => ({ name: "", type: "string" })}
          onChange={(next) => set({ outputs: Object.fromEntries(next.map((o) => [o.name, { type: o.type, children: null }])) })}
          render={(item, update) => (
            <div class="wf-inline">
              <TextInput value={item.name} placeholder="name" readOnly={readOnly} testId="code-output-name" onInput={(v) => update({ ...item, name: v })} />
              <Select value={item.type} options={VALUE_TYPES} readOnly={readOnly} onChange={(v) => update({ ...item, type: v })} />
            </div>
          )}
        />
      </Labelled>
    </>
  );
}

function TemplateForm(props: FormProps) {
  const { data, set, readOnly } = props;
  return (
    <>
      <InputVariables {...props} />
      <Labelled label="Template (Jinja2)" hint="Use the input variables by name: {{ arg1 }}." group>
        <CodeEditor label="Template" language="jinja" value={text(data.template)} readOnly={readOnly} rows={6} lineNumbers={false} testId="template-text" onChange={(template) => set({ template })} />
      </Labelled>
    </>
  );
}

function Conditions({ value, onChange, options, readOnly }: { value: Item[]; onChange: (next: Item[]) => void; options: VariableOption[]; readOnly: boolean }) {
  return (
    <ListEditor
      testId="conditions"
      readOnly={readOnly}
      items={value}
      addLabel="Add condition"
      make={() => ({ id: crypto.randomUUID(), variable_selector: [], comparison_operator: "contains", value: "" })}
      onChange={onChange}
      render={(item, update) => (
        <>
          <VariablePicker options={options} value={item.variable_selector} readOnly={readOnly} testId="condition-variable" onChange={(s) => update({ ...item, variable_selector: s })} />
          <div class="wf-inline">
            <Select value={text(item.comparison_operator || "contains")} options={COMPARISON_OPERATORS} readOnly={readOnly} testId="condition-operator" onChange={(v) => update({ ...item, comparison_operator: v })} />
            {!UNARY.has(text(item.comparison_operator)) && <TextInput value={text(item.value)} placeholder="value" readOnly={readOnly} testId="condition-value" onInput={(v) => update({ ...item, value: v })} />}
          </div>
        </>
      )}
    />
  );
}

function IfElseForm({ data, set, options, readOnly }: FormProps) {
  const cases = list(data.cases);
  return (
    <>
      <ListEditor
        testId="if-else-cases"
        readOnly={readOnly}
        items={cases}
        addLabel="Add ELIF"
        make={() => ({ case_id: crypto.randomUUID(), logical_operator: "and", conditions: [] })}
        onChange={(next) => set({ cases: next })}
        render={(item, update, index) => (
          <div class="wf-case">
            <div class="wf-inline">
              <strong>{index === 0 ? "IF" : "ELIF"}</strong>
              <Select value={text(item.logical_operator || "and")} options={[["and", "all match (AND)"], ["or", "any matches (OR)"]]} readOnly={readOnly} onChange={(v) => update({ ...item, logical_operator: v })} />
            </div>
            <Conditions value={list(item.conditions)} options={options} readOnly={readOnly} onChange={(conditions) => update({ ...item, conditions })} />
          </div>
        )}
      />
      <p class="muted small">ELSE: taken when no case matches.</p>
    </>
  );
}

function HttpForm({ data, set, options, readOnly }: FormProps) {
  const body = (data.body ?? { type: "none", data: [] }) as { type?: string; data?: Item[] };
  const raw = list(body.data)[0];
  return (
    <>
      <div class="wf-inline">
        <Select value={text(data.method || "get").toLowerCase()} options={["get", "post", "put", "patch", "delete", "head", "options"].map((m) => [m, m.toUpperCase()] as [string, string])} readOnly={readOnly} testId="http-method" onChange={(method) => set({ method })} />
        <TextInput value={text(data.url)} placeholder="https://api.example.com/items/{{#start.id#}}" readOnly={readOnly} testId="http-url" onInput={(url) => set({ url })} />
      </div>
      <Labelled label="Headers" hint="One per line: Name: value">
        <TemplateArea value={text(data.headers)} options={options} readOnly={readOnly} rows={3} mono testId="http-headers" onInput={(headers) => set({ headers })} />
      </Labelled>
      <Labelled label="Query parameters" hint="One per line: name: value">
        <TemplateArea value={text(data.params)} options={options} readOnly={readOnly} rows={2} mono testId="http-params" onInput={(params) => set({ params })} />
      </Labelled>
      <Labelled label="Body">
        <Select value={text(body.type || "none")} options={["none", "json", "raw-text", "x-www-form-urlencoded", "form-data"]} readOnly={readOnly} testId="http-body-type" onChange={(type) => set({ body: { type, data: type === "json" || type === "raw-text" ? [{ type: "text", value: text(raw?.value) }] : [] } })} />
      </Labelled>
      {(body.type === "json" || body.type === "raw-text") && (
        body.type === "json" ? (
          <JsonTemplateEditor label="Body" value={text(raw?.value)} options={options} readOnly={readOnly} testId="http-body" onInput={(value) => set({ body: { ...body, data: [{ type: "text", key: "", value }] } })} />
        ) : (
          <TemplateArea value={text(raw?.value)} options={options} readOnly={readOnly} rows={5} mono testId="http-body" onInput={(value) => set({ body: { ...body, data: [{ type: "text", key: "", value }] } })} />
        )
      )}
      {(body.type === "x-www-form-urlencoded" || body.type === "form-data") && (
        <ListEditor
          readOnly={readOnly}
          items={list(body.data)}
          addLabel="Add field"
          make={() => ({ key: "", type: "text", value: "" })}
          onChange={(next) => set({ body: { ...body, data: next } })}
          render={(item, update) => (
            <div class="wf-inline">
              <TextInput value={text(item.key)} placeholder="key" readOnly={readOnly} onInput={(key) => update({ ...item, key })} />
              <TextInput value={text(item.value)} placeholder="value" readOnly={readOnly} onInput={(value) => update({ ...item, value })} />
            </div>
          )}
        />
      )}
    </>
  );
}

function AggregatorForm({ data, set, options, readOnly }: FormProps) {
  const selectors = Array.isArray(data.variables) ? (data.variables as unknown[]) : [];
  return (
    <>
      <Labelled label="Output type">
        <Select value={text(data.output_type || "string")} options={["string", "number", "object", "array[string]", "array[number]", "array[object]", "any"]} readOnly={readOnly} onChange={(output_type) => set({ output_type })} />
      </Labelled>
      <Labelled label="Variables" hint="The output is the first of these that has a value (the branch that ran).">
        <ListEditor
          testId="aggregator-variables"
          readOnly={readOnly}
          items={selectors}
          addLabel="Add variable"
          make={() => []}
          onChange={(variables) => set({ variables })}
          render={(item, update) => <VariablePicker options={options} value={item} readOnly={readOnly} onChange={update} />}
        />
      </Labelled>
    </>
  );
}

function ClassifierForm(props: FormProps) {
  const { data, set, options, readOnly } = props;
  const classes = list(data.classes);
  return (
    <>
      <Labelled label="Input">
        <VariablePicker options={options} value={data.query_variable_selector} readOnly={readOnly} onChange={(s) => set({ query_variable_selector: s })} />
      </Labelled>
      <ModelFields {...props} />
      <Labelled label="Classes" hint="Each class has its own outgoing branch.">
        <ListEditor
          testId="classes"
          readOnly={readOnly}
          items={classes}
          addLabel="Add class"
          make={() => ({ id: String(Math.max(0, ...classes.map((c) => Number(c.id) || 0)) + 1), name: "" })}
          onChange={(next) => set({ classes: next })}
          render={(item, update) => <TextInput value={text(item.name)} placeholder="what questions of this class are about" readOnly={readOnly} onInput={(name) => update({ ...item, name })} />}
        />
      </Labelled>
      <Labelled label="Instruction">
        <TemplateArea value={text(data.instruction)} options={options} readOnly={readOnly} rows={3} onInput={(instruction) => set({ instruction })} />
      </Labelled>
      <MemoryFields {...props} />
    </>
  );
}

const EXTRACTOR_TYPES = ["string", "number", "bool", "select", "array[string]", "array[number]", "array[object]", "array[bool]"];

/** Dify's parameter extractor: input, model, the parameters to extract, instruction and reasoning mode. */
function ExtractorForm(props: FormProps) {
  const { data, set, options, readOnly } = props;
  const parameters = list(data.parameters);
  return (
    <>
      <Labelled label="Input">
        <VariablePicker options={options} value={data.query} readOnly={readOnly} onChange={(s) => set({ query: s })} />
      </Labelled>
      <ModelFields {...props} />
      <Labelled label="Parameters" hint="Each becomes an output of this node; __is_success and __reason say how extraction went.">
        <ListEditor
          testId="extractor-parameters"
          readOnly={readOnly}
          items={parameters}
          addLabel="Add parameter"
          make={() => ({ name: "", type: "string", description: "", required: false })}
          onChange={(next) => set({ parameters: next })}
          render={(item, update) => (
            <div class="wf-inline">
              <TextInput value={text(item.name)} placeholder="name" readOnly={readOnly} onInput={(name) => update({ ...item, name })} />
              <Select value={text(item.type) || "string"} options={EXTRACTOR_TYPES} readOnly={readOnly} onChange={(type) => update({ ...item, type })} />
              <TextInput value={text(item.description)} placeholder="what it is" readOnly={readOnly} onInput={(description) => update({ ...item, description })} />
              <label class="row gap small">
                <input type="checkbox" checked={Boolean(item.required)} disabled={readOnly} onChange={(e) => update({ ...item, required: e.currentTarget.checked })} />
                required
              </label>
            </div>
          )}
        />
      </Labelled>
      <Labelled label="Instruction">
        <TemplateArea value={text(data.instruction)} options={options} readOnly={readOnly} rows={3} onInput={(instruction) => set({ instruction })} />
      </Labelled>
      <Labelled label="Reasoning mode" hint="Function call asks the model for a tool call; prompt asks for JSON in its answer (for models without tools).">
        <Select
          value={text(data.reasoning_mode) || "function_call"}
          options={[
            ["function_call", "Function call"],
            ["prompt", "Prompt"],
          ]}
          readOnly={readOnly}
          onChange={(reasoning_mode) => set({ reasoning_mode })}
        />
      </Labelled>
      <MemoryFields {...props} />
    </>
  );
}

function SingleSelectorForm({ field, label }: { field: string; label: string }) {
  return function Form({ data, set, options, readOnly }: FormProps) {
    return (
      <Labelled label={label}>
        <VariablePicker options={options} value={data[field]} readOnly={readOnly} onChange={(s) => set({ [field]: s })} />
      </Labelled>
    );
  };
}

/** The list to go through, and which inner node's output is collected into the iteration's `output` array. */
function IterationForm({ data, set, options, innerOptions = [], readOnly }: FormProps) {
  return (
    <>
      <Labelled label="List to iterate over">
        <VariablePicker options={options} value={data.iterator_selector} readOnly={readOnly} testId="iteration-iterator" onChange={(s) => set({ iterator_selector: s })} />
      </Labelled>
      <Labelled label="Output variable" hint="Collected from each round into the iteration's output array.">
        <VariablePicker
          options={innerOptions}
          value={data.output_selector}
          readOnly={readOnly}
          testId="iteration-output"
          onChange={(s) => {
            const chosen = innerOptions.find((o) => o.selector.join(".") === s.join("."));
            set({ output_selector: s, output_type: chosen && !chosen.type.startsWith("array") ? `array[${chosen.type}]` : "array[object]" });
          }}
        />
      </Labelled>
    </>
  );
}

const LOOP_VARIABLE_TYPES = ["string", "number", "boolean", "object", "array[string]", "array[number]", "array[object]", "array[boolean]"];

/** A constant loop variable's start value as typed, read as its type where it can be (numbers, booleans, JSON). */
export function loopConstant(type: string, typed: string): unknown {
  if (type === "string") return typed;
  if (type === "number") return typed.trim() !== "" && !Number.isNaN(Number(typed)) ? Number(typed) : typed;
  if (type === "boolean") return typed === "true" ? true : typed === "false" ? false : typed;
  try {
    return JSON.parse(typed) as unknown;
  } catch {
    return typed;
  }
}

const shownConstant = (value: unknown) => (typeof value === "string" ? value : value === undefined || value === null ? "" : JSON.stringify(value));

/**
 * A loop: its maximum rounds, its loop variables (set before the first round, read inside as
 * `loop.NAME` and changed by variable assigners) and the conditions that end it early, checked
 * before each round against the loop variables and what the nodes inside produced.
 */
function LoopForm({ nodeId, data, set, options, innerOptions = [], readOnly }: FormProps) {
  const variables = list(data.loop_variables);
  const loopId = nodeId ?? "";
  // Break conditions read the loop's own variables and the outputs of the nodes inside it too.
  const conditionOptions: VariableOption[] = [
    ...variables.filter((v) => text(v.label)).map((v) => ({ selector: [loopId, text(v.label)], group: text(data.title) || "Loop", name: text(v.label), type: text(v.var_type) || "string" })),
    ...innerOptions,
    ...options,
  ];
  return (
    <>
      <Labelled label="Maximum rounds">
        <input
          type="number"
          min={0}
          value={text(data.loop_count)}
          readOnly={readOnly}
          data-testid="loop-count"
          onInput={(e) => e.currentTarget.value !== "" && set({ loop_count: Math.max(0, Math.round(Number(e.currentTarget.value))) })}
        />
      </Labelled>
      <Labelled label="Loop variables" hint="Set before the first round; nodes inside read and assign them.">
        <ListEditor
          testId="loop-variables"
          readOnly={readOnly}
          items={variables}
          addLabel="Add loop variable"
          make={() => ({ id: crypto.randomUUID(), label: "", var_type: "string", value_type: "constant", value: "" })}
          onChange={(next) => set({ loop_variables: next })}
          render={(item, update) => (
            <>
              <div class="wf-inline">
                <TextInput value={text(item.label)} placeholder="name" readOnly={readOnly} testId="loop-variable-name" onInput={(label) => update({ ...item, label })} />
                <Select value={text(item.var_type) || "string"} options={LOOP_VARIABLE_TYPES} readOnly={readOnly} testId="loop-variable-type" onChange={(var_type) => update({ ...item, var_type, value: item.value_type === "variable" ? item.value : loopConstant(var_type, shownConstant(item.value)) })} />
                <Select
                  value={text(item.value_type) || "constant"}
                  options={[
                    ["constant", "value"],
                    ["variable", "variable"],
                  ]}
                  readOnly={readOnly}
                  testId="loop-variable-source"
                  onChange={(value_type) => update({ ...item, value_type, value: value_type === "variable" ? [] : "" })}
                />
              </div>
              {item.value_type === "variable" ? (
                <VariablePicker options={options} value={item.value} readOnly={readOnly} testId="loop-variable-selector" onChange={(value) => update({ ...item, value })} />
              ) : (
                <TextInput value={shownConstant(item.value)} placeholder="start value" readOnly={readOnly} testId="loop-variable-value" onInput={(typed) => update({ ...item, value: loopConstant(text(item.var_type) || "string", typed) })} />
              )}
            </>
          )}
        />
      </Labelled>
      <Labelled label="Break when" hint="Checked before each round; with none, the loop runs every round.">
        <div class="wf-inline">
          <Select
            value={text(data.logical_operator || "and")}
            options={[
              ["and", "all match (AND)"],
              ["or", "any matches (OR)"],
            ]}
            readOnly={readOnly}
            testId="loop-logical-operator"
            onChange={(logical_operator) => set({ logical_operator })}
          />
        </div>
        <Conditions value={list(data.break_conditions)} options={conditionOptions} readOnly={readOnly} onChange={(break_conditions) => set({ break_conditions })} />
      </Labelled>
    </>
  );
}

export const NODE_FORMS: Record<string, (props: FormProps) => preact.JSX.Element> = {
  start: StartForm,
  end: EndForm,
  answer: AnswerForm,
  "if-else": IfElseForm,
  code: CodeForm,
  "template-transform": TemplateForm,
  "http-request": HttpForm,
  "variable-aggregator": AggregatorForm,
  "variable-assigner": AggregatorForm,
  llm: LlmForm,
  "question-classifier": ClassifierForm,
  "parameter-extractor": ExtractorForm,
  tool: ToolForm,
  agent: AgentForm,
  assigner: AssignerForm,
  "knowledge-retrieval": KnowledgeRetrievalForm,
  "document-extractor": SingleSelectorForm({ field: "variable_selector", label: "File variable" }),
  "list-operator": ListOperatorForm,
  iteration: IterationForm,
  loop: LoopForm,
};
