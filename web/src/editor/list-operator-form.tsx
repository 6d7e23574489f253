/**
 * The list operator's form: the list, then Dify's four steps in order — keep the items matching
 * conditions, sort (by a field for objects and files), take the first N, extract the Nth item.
 */
import { COMPARISON_OPERATORS, UNARY } from "./node-forms";
import { Labelled, ListEditor, Select, TextInput, VariablePicker } from "./form-controls";
import type { FormProps } from "./node-forms";
import { list, object, text } from "./form-values";

type Item = Record<string, unknown>;
/** What a file's conditions and sort can look at, as in Dify. */
const FILE_KEYS = ["name", "size", "type", "extension", "mime_type", "transfer_method", "url"];

function Step({ label, enabled, readOnly, testId, onToggle, children }: { label: string; enabled: boolean; readOnly: boolean; testId: string; onToggle: (on: boolean) => void; children: preact.ComponentChildren }) {
  return (
    <div class="wf-step">
      <label class="wf-check">
        <input type="checkbox" checked={enabled} disabled={readOnly} data-testid={testId} onChange={(e) => onToggle(e.currentTarget.checked)} /> {label}
      </label>
      {enabled && children}
    </div>
  );
}

export function ListOperatorForm({ data, set, options, readOnly }: FormProps) {
  const selector = Array.isArray(data.variable) ? (data.variable as string[]).join(".") : "";
  const type = options.find((option) => option.selector.join(".") === selector)?.type ?? "";
  // Objects and files are filtered and sorted by a field; plain values by themselves.
  const keyed = type === "array[object]" || type === "array[file]";
  const filter = object(data.filter_by);
  const order = object(data.order_by);
  const limit = object(data.limit);
  const extract = object(data.extract_by);
  const keyInput = (value: unknown, onChange: (key: string) => void, testId: string) =>
    type === "array[file]" ? (
      <Select value={text(value) || "name"} options={FILE_KEYS} readOnly={readOnly} testId={testId} onChange={onChange} />
    ) : (
      <TextInput value={text(value)} placeholder="field" readOnly={readOnly} testId={testId} onInput={onChange} />
    );
  return (
    <>
      <Labelled label="List">
        <VariablePicker options={options.filter((option) => option.type.startsWith("array") || option.type === "any")} value={data.variable} readOnly={readOnly} testId="list-variable" onChange={(variable) => set({ variable })} />
      </Labelled>
      <Step label="Filter" enabled={filter.enabled === true} readOnly={readOnly} testId="list-filter-on" onToggle={(enabled) => set({ filter_by: { conditions: [], ...filter, enabled } })}>
        <ListEditor
          testId="list-conditions"
          readOnly={readOnly}
          items={list(filter.conditions)}
          addLabel="Add condition"
          make={() => ({ key: type === "array[file]" ? "name" : "", comparison_operator: "contains", value: "" })}
          onChange={(conditions) => set({ filter_by: { ...filter, enabled: true, conditions } })}
          render={(item, update) => (
            <div class="wf-inline">
              {keyed && keyInput(item.key, (key) => update({ ...item, key }), "list-condition-key")}
              <Select value={text(item.comparison_operator) || "contains"} options={COMPARISON_OPERATORS} readOnly={readOnly} testId="list-condition-operator" onChange={(comparison_operator) => update({ ...item, comparison_operator })} />
              {!UNARY.has(text(item.comparison_operator)) && <TextInput value={text(item.value)} placeholder="value" readOnly={readOnly} testId="list-condition-value" onInput={(value) => update({ ...item, value })} />}
            </div>
          )}
        />
      </Step>
      <Step label="Sort" enabled={order.enabled === true} readOnly={readOnly} testId="list-order-on" onToggle={(enabled) => set({ order_by: { key: "", value: "asc", ...order, enabled } })}>
        <div class="wf-inline">
          {keyed && keyInput(order.key, (key) => set({ order_by: { ...order, key } }), "list-order-key")}
          <Select
            value={text(order.value) || "asc"}
            options={[
              ["asc", "ascending"],
              ["desc", "descending"],
            ]}
            readOnly={readOnly}
            testId="list-order-direction"
            onChange={(value) => set({ order_by: { ...order, value } })}
          />
        </div>
      </Step>
      <Step label="Take the first" enabled={limit.enabled === true} readOnly={readOnly} testId="list-limit-on" onToggle={(enabled) => set({ limit: { ...limit, enabled, size: typeof limit.size === "number" && limit.size > 0 ? limit.size : 10 } })}>
        <input type="number" min={1} value={typeof limit.size === "number" ? limit.size : 10} readOnly={readOnly} aria-label="How many" data-testid="list-limit-size" onInput={(e) => e.currentTarget.value && set({ limit: { ...limit, size: Math.max(1, Math.round(Number(e.currentTarget.value))) } })} />
      </Step>
      <Step label="Extract item number" enabled={extract.enabled === true} readOnly={readOnly} testId="list-extract-on" onToggle={(enabled) => set({ extract_by: { serial: "1", ...extract, enabled } })}>
        <TextInput value={text(extract.serial)} placeholder="1 is the first" readOnly={readOnly} testId="list-extract-serial" onInput={(serial) => set({ extract_by: { ...extract, serial } })} />
      </Step>
    </>
  );
}
