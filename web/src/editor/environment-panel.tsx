import { Labelled, ListEditor, Select, TextInput } from "./form-controls";

type Variable = Record<string, unknown>;

/**
 * Environment variables (`env.*`): named values every node can read, kept out of exports when
 * secret. Conversation variables are still edited in the JSON view.
 */
export function EnvironmentPanel({ variables, readOnly, onChange, onClose }: { variables: Variable[]; readOnly: boolean; onChange: (next: Variable[]) => void; onClose: () => void }) {
  return (
    <aside class="wf-panel" data-testid="env-panel" aria-label="Environment variables">
      <div class="wf-panel-head">
        <strong class="grow">Environment variables</strong>
        <button type="button" class="icon-button" aria-label="Close" data-testid="env-close" onClick={onClose}>
          ×
        </button>
      </div>
      <div class="wf-panel-body">
        <Labelled label="Variables" hint="Read them as env.NAME; secret values are masked in exports.">
          <ListEditor
            testId="env-variables"
            readOnly={readOnly}
            items={variables}
            addLabel="Add variable"
            make={() => ({ id: crypto.randomUUID(), name: "", value: "", value_type: "string" })}
            onChange={onChange}
            render={(item, update) => (
              <>
                <div class="wf-inline">
                  <TextInput value={String(item.name ?? "")} placeholder="NAME" readOnly={readOnly} testId="env-name" onInput={(name) => update({ ...item, name })} />
                  <Select value={String(item.value_type ?? "string")} options={["string", "number", "secret"]} readOnly={readOnly} onChange={(value_type) => update({ ...item, value_type })} />
                </div>
                <TextInput value={String(item.value ?? "")} placeholder="value" readOnly={readOnly} testId="env-value" onInput={(value) => update({ ...item, value: item.value_type === "number" && value !== "" && !Number.isNaN(Number(value)) ? Number(value) : value })} />
              </>
            )}
          />
        </Labelled>
      </div>
    </aside>
  );
}
