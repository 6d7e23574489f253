/**
 * The variable assigner's form (Dify's v2 `items`): each item writes a conversation variable (or,
 * inside a loop, a loop variable) with an operation its type allows, from a variable or a value.
 * An assigner from an older Dify (v1: one `assigned_variable_selector`, a `write_mode` and an
 * `input_variable_selector`) keeps its own form until it is converted to v2.
 */
import { Labelled, ListEditor, Select, TextInput, VariablePicker } from "./form-controls";
import type { FormProps } from "./node-forms";
import { list, text } from "./form-values";

type Item = Record<string, unknown>;

const LABELS: Record<string, string> = {
  "over-write": "overwrite with",
  clear: "clear",
  set: "set to",
  "+=": "add",
  "-=": "subtract",
  "*=": "multiply by",
  "/=": "divide by",
  append: "append",
  extend: "extend with",
  "remove-first": "remove first item",
  "remove-last": "remove last item",
};
const NO_VALUE = new Set(["clear", "remove-first", "remove-last"]);

/** The operations Dify allows on a variable of this type. */
export function operationsFor(type: string): string[] {
  if (type.startsWith("array")) return ["over-write", "clear", "append", "extend", "remove-first", "remove-last"];
  if (type === "number") return ["over-write", "clear", "set", "+=", "-=", "*=", "/="];
  return ["over-write", "clear", "set"];
}

/** A typed constant as the target's type wants it: numbers and booleans read, JSON for objects and lists. */
export function assignedConstant(type: string, typed: string): unknown {
  if (type === "number") return typed.trim() !== "" && !Number.isNaN(Number(typed)) ? Number(typed) : typed;
  if (type === "boolean") return typed === "true" ? true : typed === "false" ? false : typed;
  if (type === "string" || type === "any") return typed;
  try {
    return JSON.parse(typed) as unknown;
  } catch {
    return typed;
  }
}

/** Dify's v1 assigner as the v2 item that does the same; the v1 fields are dropped. */
export function assignerV2(data: Item): Item {
  const operation = text(data.write_mode) || "over-write";
  const item = { variable_selector: Array.isArray(data.assigned_variable_selector) ? data.assigned_variable_selector : [], input_type: "variable", operation, value: operation === "clear" ? null : Array.isArray(data.input_variable_selector) ? data.input_variable_selector : [] };
  return { version: "2", items: [item], assigned_variable_selector: undefined, write_mode: undefined, input_variable_selector: undefined };
}

function LegacyAssignerForm({ data, set, options, readOnly }: FormProps) {
  const targets = options.filter((option) => option.assignable);
  const mode = text(data.write_mode) || "over-write";
  return (
    <Labelled label="Assignment" group hint="An assigner from an earlier Dify version: one variable, written one way.">
      <VariablePicker options={targets} value={data.assigned_variable_selector} readOnly={readOnly} testId="assigner-v1-target" onChange={(assigned_variable_selector) => set({ assigned_variable_selector })} />
      <Select
        value={mode}
        options={[
          ["over-write", "overwrite with"],
          ["append", "append"],
          ["clear", "clear"],
        ]}
        readOnly={readOnly}
        testId="assigner-v1-mode"
        onChange={(write_mode) => set(write_mode === "clear" ? { write_mode, input_variable_selector: [] } : { write_mode })}
      />
      {mode !== "clear" && <VariablePicker options={options} value={data.input_variable_selector} readOnly={readOnly} testId="assigner-v1-source" onChange={(input_variable_selector) => set({ input_variable_selector })} />}
      {!readOnly && (
        <button type="button" class="btn btn-small btn-ghost" data-testid="assigner-v1-convert" onClick={() => set(assignerV2(data))}>
          Convert to a list of assignments
        </button>
      )}
    </Labelled>
  );
}

export function AssignerForm(props: FormProps) {
  const { data, set, options, readOnly } = props;
  if (data.version !== "2" && !Array.isArray(data.items)) return <LegacyAssignerForm {...props} />;
  const targets = options.filter((option) => option.assignable);
  const items = list(data.items);
  const typeOf = (selector: unknown) => targets.find((option) => option.selector.join(".") === (Array.isArray(selector) ? selector.join(".") : ""))?.type ?? "string";
  return (
    <Labelled label="Assignments" hint={targets.length ? "Runs top to bottom." : "Nothing to assign yet: add conversation variables (Variables), or place this node inside a loop with loop variables."}>
      <ListEditor
        testId="assigner-items"
        readOnly={readOnly}
        items={items}
        addLabel="Add assignment"
        make={() => ({ variable_selector: [], input_type: "variable", operation: "over-write", value: [] })}
        onChange={(next) => set({ version: "2", items: next })}
        render={(item, update) => {
          const type = typeOf(item.variable_selector);
          const operations = operationsFor(type);
          const operation = operations.includes(text(item.operation)) ? text(item.operation) : operations[0]!;
          const source = text(item.input_type) === "constant" ? "constant" : "variable";
          return (
            <>
              <VariablePicker
                options={targets}
                value={item.variable_selector}
                readOnly={readOnly}
                testId="assigner-target"
                onChange={(variable_selector) => {
                  const allowed = operationsFor(typeOf(variable_selector));
                  update({ ...item, variable_selector, operation: allowed.includes(operation) ? operation : allowed[0] });
                }}
              />
              <div class="wf-inline">
                <Select value={operation} options={operations.map((op) => [op, LABELS[op] ?? op] as [string, string])} readOnly={readOnly} testId="assigner-operation" onChange={(next) => update({ ...item, operation: next, ...(NO_VALUE.has(next) ? { value: null } : {}), ...(next === "set" ? { input_type: "constant", value: "" } : {}) })} />
                {!NO_VALUE.has(operation) && (
                  <Select
                    value={source}
                    options={[
                      ["variable", "a variable"],
                      ["constant", "a value"],
                    ]}
                    readOnly={readOnly}
                    testId="assigner-source"
                    onChange={(input_type) => update({ ...item, input_type, value: input_type === "variable" ? [] : "" })}
                  />
                )}
              </div>
              {!NO_VALUE.has(operation) &&
                (source === "variable" ? (
                  <VariablePicker options={options} value={item.value} readOnly={readOnly} testId="assigner-value-variable" onChange={(value) => update({ ...item, value })} />
                ) : (
                  <TextInput
                    value={typeof item.value === "string" ? item.value : item.value === undefined || item.value === null ? "" : JSON.stringify(item.value)}
                    placeholder={type.startsWith("array") || type === "object" ? "JSON" : "value"}
                    readOnly={readOnly}
                    testId="assigner-value"
                    onInput={(typed) => update({ ...item, value: assignedConstant(operation === "append" ? type.replace(/^array\[(.*)\]$/, "$1") : type, typed) })}
                  />
                ))}
            </>
          );
        }}
      />
    </Labelled>
  );
}
