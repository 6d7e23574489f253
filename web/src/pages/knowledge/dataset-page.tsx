import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { errorMessage } from "../../api";
import { ErrorText } from "../../components/error-text";
import { knowledgeApi, type Dataset } from "../../knowledge-api";
import { Link } from "../../router";
import { DocumentsPanel } from "./documents-panel";
import { RetrievalTestPanel } from "./retrieval-test-panel";

const TABS = [
  { id: "documents", label: "Documents" },
  { id: "retrieval", label: "Retrieval test" },
];

/** One dataset: its documents (upload, indexing progress, chunks) and a retrieval test, each on a tab with its own URL. */
export function DatasetPage({ id, tab }: { id: string; tab: string }) {
  const dataset = useSignal<Dataset | null>(null);
  const error = useSignal("");

  const reload = async () => {
    try {
      dataset.value = await knowledgeApi.dataset(id);
      error.value = "";
    } catch (caught) {
      error.value = errorMessage(caught);
    }
  };

  useEffect(() => {
    void reload();
  }, [id]);

  const current = dataset.value;
  const active = TABS.some((t) => t.id === tab) ? tab : "documents";
  return (
    <div class="page">
      <Link href="/datasets" class="back-link" data-testid="back-to-datasets">
        ← Knowledge
      </Link>
      {!current ? (
        error.value ? (
          <ErrorText message={error.value} testId="dataset-error" />
        ) : (
          <p class="muted">Loading…</p>
        )
      ) : (
        <>
          <div class="app-header">
            <span class="app-icon" style={{ width: "48px", height: "48px", fontSize: "26px", background: "#EFF4FF" }} aria-hidden="true">
              📚
            </span>
            <div class="grow">
              <h1 data-testid="dataset-title">{current.name}</h1>
              <p class="muted small" data-testid="dataset-stats">
                {current.document_count} document{current.document_count === 1 ? "" : "s"} · {current.word_count.toLocaleString()} characters ·{" "}
                {current.indexing_technique === "economy" ? "Economy (keyword search)" : current.embedding_model_label}
              </p>
              {current.description && <p class="muted">{current.description}</p>}
            </div>
          </div>
          <nav class="tabs" role="tablist">
            {TABS.map((t) => (
              <Link
                key={t.id}
                href={`/datasets/${id}/${t.id}`}
                role="tab"
                aria-selected={t.id === active}
                class={t.id === active ? "tab active" : "tab"}
                data-testid={`dataset-tab-${t.id}`}
              >
                {t.label}
              </Link>
            ))}
          </nav>
          <div class="tab-panel" data-testid={`dataset-panel-${active}`}>
            {active === "documents" ? <DocumentsPanel dataset={current} onChanged={() => void reload()} /> : <RetrievalTestPanel dataset={current} />}
          </div>
        </>
      )}
    </div>
  );
}
