import { useSignal } from "@preact/signals";
import { errorMessage } from "../../api";
import { ErrorText } from "../../components/error-text";
import { ProgressBar } from "../../components/progress-bar";
import { knowledgeApi, type Dataset, type RetrievalRecord, type SearchMethod } from "../../knowledge-api";

const METHODS: { value: SearchMethod; label: string }[] = [
  { value: "semantic_search", label: "Vector search" },
  { value: "full_text_search", label: "Full-text search" },
  { value: "hybrid_search", label: "Hybrid search" },
  { value: "keyword_search", label: "Keyword search" },
];

/** Runs a query against the dataset the way apps retrieve, and shows the ranked chunks with their scores. */
export function RetrievalTestPanel({ dataset }: { dataset: Dataset }) {
  const economy = dataset.indexing_technique === "economy";
  const query = useSignal("");
  const method = useSignal<SearchMethod>(economy ? "keyword_search" : (dataset.retrieval_model_dict?.search_method ?? "semantic_search"));
  const topK = useSignal(dataset.retrieval_model_dict?.top_k ?? 4);
  const records = useSignal<RetrievalRecord[] | null>(null);
  const asked = useSignal("");
  const busy = useSignal(false);
  const error = useSignal("");

  const run = async (event: Event) => {
    event.preventDefault();
    const text = query.value.trim();
    if (!text) return (error.value = "Type a question or a few words to search for.");
    busy.value = true;
    error.value = "";
    try {
      const answer = await knowledgeApi.hitTesting(dataset.id, { query: text, retrieval_model: { search_method: method.value, top_k: topK.value } });
      records.value = answer.records;
      asked.value = answer.query.content;
    } catch (caught) {
      error.value = errorMessage(caught);
    } finally {
      busy.value = false;
    }
  };

  return (
    <div class="retrieval-layout">
      <form class="card form" onSubmit={run} data-testid="retrieval-form">
        <div>
          <h2>Retrieval test</h2>
          <p class="muted small">See which chunks an app would receive for a query, and how they score.</p>
        </div>
        <div class="field">
          <label class="field-label" for="retrieval-query">
            Query
          </label>
          <textarea id="retrieval-query" rows={4} maxLength={250} data-testid="retrieval-query" placeholder="e.g. How long does the warranty last?" value={query.value} onInput={(e) => (query.value = e.currentTarget.value)} />
          <span class="field-hint">{query.value.length}/250</span>
        </div>
        <div class="grid-2">
          <div class="field">
            <label class="field-label" for="retrieval-method">
              Search method
            </label>
            <select id="retrieval-method" data-testid="retrieval-method" disabled={economy} value={method.value} onChange={(e) => (method.value = e.currentTarget.value as SearchMethod)}>
              {METHODS.map((m) => (
                <option key={m.value} value={m.value}>
                  {m.label}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label class="field-label" for="retrieval-top-k">
              Top K
            </label>
            <select id="retrieval-top-k" data-testid="retrieval-top-k" value={String(topK.value)} onChange={(e) => (topK.value = Number(e.currentTarget.value))}>
              {[1, 2, 3, 4, 5, 8, 10, 20].map((k) => (
                <option key={k} value={String(k)}>
                  {k}
                </option>
              ))}
            </select>
          </div>
        </div>
        {economy && <p class="muted small">Economy datasets are searched by keyword only.</p>}
        <ErrorText message={error.value} testId="retrieval-error" />
        <div>
          <button type="submit" class="btn btn-primary" data-testid="retrieval-run" disabled={busy.value}>
            {busy.value ? "Searching…" : "Test"}
          </button>
        </div>
      </form>

      <div class="card" data-testid="retrieval-results">
        {records.value === null ? (
          <div class="empty-inline">
            <p class="muted">Results appear here, best first, with the score each chunk got.</p>
          </div>
        ) : records.value.length === 0 ? (
          <div class="empty-inline" data-testid="retrieval-empty">
            <p>
              <strong>No chunk matched “{asked.value}”.</strong>
            </p>
            <p class="muted">Try other words or another search method, and check that the documents finished indexing.</p>
          </div>
        ) : (
          <>
            <h2>
              {records.value.length} chunk{records.value.length === 1 ? "" : "s"} for “{asked.value}”
            </h2>
            <ol class="chunk-list">
              {records.value.map((record, index) => (
                <li key={record.segment.id} class="chunk" data-testid="retrieval-record">
                  <div class="chunk-meta small">
                    <span class="rank">#{index + 1}</span>
                    <span class="score" data-testid="retrieval-score">
                      {record.score.toFixed(3)}
                    </span>
                    <ProgressBar percent={record.score * 100} tone="done" label={`Score ${record.score.toFixed(3)}`} />
                    <span class="muted" data-testid="retrieval-document">
                      {record.segment.document.name} · chunk #{record.segment.position}
                    </span>
                  </div>
                  <div class="chunk-content" data-testid="retrieval-content">
                    {record.segment.content}
                  </div>
                </li>
              ))}
            </ol>
          </>
        )}
      </div>
    </div>
  );
}
