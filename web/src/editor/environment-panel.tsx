import { useState } from "preact/hooks";
import { CONVERSATION_TYPES, conversationDefault } from "./conversation-variables";
import { Labelled, ListEditor, Select, TextInput } from "./form-controls";

type Variable = Record<string, unknown>;

/** Conversation variables (`conversation.*`, chatflows): per-conversation state that variable assigners write. */
function ConversationVariables({ variables, readOnly, onChange }: { variables: Variable[]; readOnly: boolean; onChange: (next: Variable[]) => void }) {
  return (
    <Labelled label="Conversation variables" hint="Read them as conversation.NAME; each conversation starts from the default and keeps what variable assigners write.">
      <ListEditor
        testId="conversation-variables"
        readOnly={readOnly}
        items={variables}
        addLabel="Add conversation variable"
        make={() => ({ id: crypto.randomUUID(), name: "", value_type: "string", value: "", description: "" })}
        onChange={onChange}
        render={(item, update) => {
          const type = String(item.value_type ?? "string");
          return (
            <>
              <div class="wf-inline">
                <TextInput value={String(item.name ?? "")} placeholder="name" readOnly={readOnly} testId="conversation-name" onInput={(name) => update({ ...item, name })} />
                <Select
                  value={type}
                  options={CONVERSATION_TYPES.map(([id]) => id)}
                  readOnly={readOnly}
                  testId="conversation-type"
                  onChange={(value_type) => update({ ...item, value_type, value: structuredClone(CONVERSATION_TYPES.find(([id]) => id === value_type)?.[1] ?? "") })}
                />
              </div>
              {type === "string" ? (
                <TextInput value={String(item.value ?? "")} placeholder="default text" readOnly={readOnly} testId="conversation-default" onInput={(value) => update({ ...item, value })} />
              ) : (
                <JsonDefault key={`${String(item.id)}:${type}`} type={type} value={item.value} readOnly={readOnly} onValue={(value) => update({ ...item, value })} />
              )}
              <TextInput value={String(item.description ?? "")} placeholder="description" readOnly={readOnly} onInput={(description) => update({ ...item, description })} />
            </>
          );
        }}
      />
    </Labelled>
  );
}

/** A number, object or list default as text: kept as typed, saved once it reads as the type. */
function JsonDefault({ type, value, readOnly, onValue }: { type: string; value: unknown; readOnly: boolean; onValue: (value: unknown) => void }) {
  const [text, setText] = useState(() => JSON.stringify(value ?? (type === "number" ? 0 : type === "object" ? {} : [])));
  const { problem } = conversationDefault(type, text);
  return (
    <>
      <textarea
        class="code"
        rows={type === "number" ? 1 : 2}
        value={text}
        readOnly={readOnly}
        spellcheck={false}
        aria-label={type === "number" ? "Default number" : "Default (JSON)"}
        data-testid="conversation-default-json"
        onInput={(event) => {
          const next = event.currentTarget.value;
          setText(next);
          const parsed = conversationDefault(type, next);
          if (!parsed.problem) onValue(parsed.value);
        }}
      />
      {problem && <span class="error-text small" role="alert">{problem}</span>}
    </>
  );
}

/**
 * The draft's variables: environment variables (`env.*`), named values every node can read, kept
 * out of exports when secret; and, in chatflows, conversation variables.
 */
export function EnvironmentPanel({
  variables,
  readOnly,
  onChange,
  onClose,
  conversation,
}: {
  variables: Variable[];
  readOnly: boolean;
  onChange: (next: Variable[]) => void;
  onClose: () => void;
  /** Chatflows: their conversation variables. */
  conversation?: { variables: Variable[]; onChange: (next: Variable[]) => void };
}) {
  return (
    <aside class="wf-panel" data-testid="env-panel" aria-label="Variables">
      <div class="wf-panel-head">
        <strong class="grow">{conversation ? "Variables" : "Environment variables"}</strong>
        <button type="button" class="icon-button" aria-label="Close" data-testid="env-close" onClick={onClose}>
          ×
        </button>
      </div>
      <div class="wf-panel-body">
        <Labelled label="Environment variables" hint="Read them as env.NAME; secret values are masked in exports.">
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
        {conversation && <ConversationVariables variables={conversation.variables} readOnly={readOnly} onChange={conversation.onChange} />}
      </div>
    </aside>
  );
}
