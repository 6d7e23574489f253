/**
 * The knowledge bases an app or a node retrieves from: the chosen ones as removable chips, and a
 * select that adds one of the workspace's others. Used by the easy-mode editor and the knowledge
 * retrieval node; the list is read once per page.
 */
import { signal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { errorMessage } from "../api";
import { knowledgeApi, type Dataset } from "../knowledge-api";
import { Link } from "../router";

const datasets = signal<Dataset[] | null>(null);
const datasetsError = signal("");
let loading: Promise<void> | undefined;

function loadDatasets(): void {
  loading ??= knowledgeApi
    .datasets({ page: 1, limit: 100 })
    .then((page) => {
      datasets.value = page.data;
      datasetsError.value = "";
    })
    .catch((caught) => {
      datasetsError.value = errorMessage(caught);
      loading = undefined;
    });
}

export function DatasetPicker({ chosen, onChange, readOnly, empty, testId }: { chosen: string[]; onChange: (ids: string[]) => void; readOnly: boolean; empty: string; testId: string }) {
  useEffect(loadDatasets, []);
  const all = datasets.value ?? [];
  const name = (id: string) => all.find((d) => d.id === id)?.name ?? (datasets.value ? `${id} (not in this workspace)` : id);
  const available = all.filter((d) => !chosen.includes(d.id));
  return (
    <>
      {chosen.length > 0 ? (
        <ul class="chips" data-testid={`${testId}s`}>
          {chosen.map((id) => (
            <li key={id} class="chip-removable" data-testid={testId}>
              {name(id)}
              {!readOnly && (
                <button type="button" class="icon-button" aria-label={`Remove ${name(id)}`} onClick={() => onChange(chosen.filter((other) => other !== id))}>
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted small">{empty}</p>
      )}
      {datasetsError.value && <p class="error-text small">{datasetsError.value}</p>}
      {!readOnly && datasets.value && (
        <label class="field">
          <span class="field-label">Add knowledge</span>
          {all.length ? (
            <select value="" data-testid={`${testId}-add`} disabled={!available.length} onChange={(e) => e.currentTarget.value && onChange([...chosen, e.currentTarget.value])}>
              <option value="">{available.length ? "Choose a knowledge base" : "All knowledge bases are added"}</option>
              {available.map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          ) : (
            <span class="field-hint">
              No knowledge bases yet. <Link href="/datasets">Create one under Knowledge</Link>
            </span>
          )}
        </label>
      )}
    </>
  );
}
