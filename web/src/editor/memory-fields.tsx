/**
 * Dify's `memory` on the LLM, question classifier, parameter extractor and agent nodes: in a
 * chatflow, whether the model sees the conversation's earlier turns, and how many.
 */
import { Labelled, TemplateArea, TextInput } from "./form-controls";
import type { FormProps } from "./node-forms";
import { text } from "./form-values";

type Item = Record<string, unknown>;

/** Dify's default window when one is turned on. */
export const DEFAULT_MEMORY_WINDOW = 50;
export const MAX_MEMORY_WINDOW = 100;
const DEFAULT_QUERY = "{{#sys.query#}}";

/** The memory a node gets when it is turned on (`withQuery`: the LLM's user message after the history). */
export function newMemory(withQuery: boolean): Item {
  return { window: { enabled: false, size: DEFAULT_MEMORY_WINDOW }, ...(withQuery ? { query_prompt_template: DEFAULT_QUERY } : {}) };
}

/** A window size typed by a person, as Dify keeps it: a whole number from 1 to 100, or undefined. */
export function windowSize(typed: string): number | undefined {
  const value = Number(typed);
  if (typed.trim() === "" || !Number.isFinite(value)) return undefined;
  return Math.min(MAX_MEMORY_WINDOW, Math.max(1, Math.round(value)));
}

export function MemoryFields({ data, set, options, readOnly, mode, withQuery = false }: FormProps & { withQuery?: boolean }) {
  if (mode !== "advanced-chat") return null;
  const memory = data.memory && typeof data.memory === "object" ? (data.memory as Item) : null;
  const window = (memory?.window ?? {}) as Item;
  const rolePrefix = (memory?.role_prefix ?? {}) as Item;
  const completion = ((data.model ?? {}) as Item).mode === "completion";
  const setMemory = (patch: Item) => set({ memory: { ...memory, ...patch } });
  return (
    <Labelled label="Memory" group hint="The conversation's earlier turns, sent to the model before this turn.">
      <label class="wf-check">
        <input type="checkbox" checked={memory !== null} disabled={readOnly} data-testid="memory-enabled" onChange={(e) => set({ memory: e.currentTarget.checked ? newMemory(withQuery) : null })} /> Send earlier turns
      </label>
      {memory && (
        <>
          <div class="wf-inline wf-compact-row">
            <label class="wf-check">
              <input
                type="checkbox"
                checked={Boolean(window.enabled)}
                disabled={readOnly}
                data-testid="memory-window-enabled"
                onChange={(e) => setMemory({ window: { ...window, enabled: e.currentTarget.checked, size: window.size ?? DEFAULT_MEMORY_WINDOW } })}
              />{" "}
              Only the last
            </label>
            <input
              class="input"
              type="number"
              min={1}
              max={MAX_MEMORY_WINDOW}
              aria-label="Turns kept"
              value={typeof window.size === "number" ? window.size : DEFAULT_MEMORY_WINDOW}
              readOnly={readOnly}
              disabled={!window.enabled}
              data-testid="memory-window-size"
              onInput={(e) => {
                const size = windowSize(e.currentTarget.value);
                if (size !== undefined) setMemory({ window: { ...window, size } });
              }}
            />
            <span class="small muted">turns</span>
          </div>
          {withQuery && (
            <Labelled label="User message after the history" hint="What the model gets as this turn's question; usually {{#sys.query#}}.">
              <TemplateArea value={text(memory.query_prompt_template ?? DEFAULT_QUERY)} options={options} readOnly={readOnly} rows={2} testId="memory-query" onInput={(query_prompt_template) => setMemory({ query_prompt_template })} />
            </Labelled>
          )}
          {withQuery && completion && (
            <Labelled label="Role prefixes" group hint="How a completion model's prompt names each side of the history.">
              <div class="wf-inline">
                <TextInput value={text(rolePrefix.user)} placeholder="Human" readOnly={readOnly} testId="memory-prefix-user" onInput={(user) => setMemory({ role_prefix: { ...rolePrefix, user } })} />
                <TextInput value={text(rolePrefix.assistant)} placeholder="Assistant" readOnly={readOnly} testId="memory-prefix-assistant" onInput={(assistant) => setMemory({ role_prefix: { ...rolePrefix, assistant } })} />
              </div>
            </Labelled>
          )}
        </>
      )}
    </Labelled>
  );
}
