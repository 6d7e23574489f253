import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { errorMessage } from "../../api";
import { confirmAction } from "../../components/confirm-dialog";
import { ErrorText } from "../../components/error-text";
import { showToast } from "../../components/toast";
import { formatDateTime, formatRelative } from "../../format";
import { knowledgeApi, type Dataset } from "../../knowledge-api";
import { Link, navigate } from "../../router";
import { canEditKnowledge } from "../../session";
import { DatasetFormModal } from "./dataset-form-modal";

const PAGE_SIZE = 30;

/** Knowledge: the workspace's datasets with their size, and a way to create one. */
export function DatasetsPage() {
  const datasets = useSignal<Dataset[]>([]);
  const page = useSignal(1);
  const hasMore = useSignal(false);
  const loading = useSignal(true);
  const error = useSignal("");
  const creating = useSignal(false);
  const edit = canEditKnowledge.value;

  const load = async (nextPage = 1) => {
    loading.value = true;
    try {
      const result = await knowledgeApi.datasets({ page: nextPage, limit: PAGE_SIZE });
      datasets.value = nextPage === 1 ? result.data : [...datasets.value, ...result.data];
      page.value = result.page;
      hasMore.value = result.has_more;
      error.value = "";
    } catch (caught) {
      error.value = errorMessage(caught);
    } finally {
      loading.value = false;
    }
  };

  useEffect(() => {
    void load(1);
  }, []);

  const remove = (dataset: Dataset) =>
    confirmAction({
      title: "Delete dataset",
      message: `Delete “${dataset.name}” with its ${dataset.document_count} document${dataset.document_count === 1 ? "" : "s"}? Apps retrieving from it will find nothing.`,
      confirmLabel: "Delete",
      danger: true,
      action: async () => {
        await knowledgeApi.deleteDataset(dataset.id);
        datasets.value = datasets.value.filter((d) => d.id !== dataset.id);
        showToast("Dataset deleted");
      },
    });

  return (
    <div class="page">
      <div class="page-header">
        <div>
          <h1>Knowledge</h1>
          <p class="muted">Datasets of your documents, chunked and indexed, for apps and workflows to retrieve from.</p>
        </div>
        {edit && (
          <button type="button" class="btn btn-primary" data-testid="create-dataset" onClick={() => (creating.value = true)}>
            + Create dataset
          </button>
        )}
      </div>
      <ErrorText message={error.value} testId="datasets-error" />
      {!loading.value && datasets.value.length === 0 && !error.value ? (
        <div class="empty-state" data-testid="datasets-empty">
          <div class="empty-icon">📚</div>
          <h2>No knowledge yet</h2>
          <p class="muted">{edit ? "Create a dataset, upload documents, and your apps can answer from them." : "An editor can create a dataset and upload documents."}</p>
          {edit && (
            <button type="button" class="btn btn-primary" onClick={() => (creating.value = true)}>
              Create a dataset
            </button>
          )}
        </div>
      ) : (
        <div class="app-grid" data-testid="dataset-list">
          {datasets.value.map((dataset) => (
            <div class="app-card" key={dataset.id} data-testid="dataset-card" data-dataset-id={dataset.id}>
              <Link href={`/datasets/${dataset.id}`} class="app-card-link" data-testid="dataset-card-link">
                <div class="app-card-head">
                  <span class="app-icon" style={{ width: "40px", height: "40px", fontSize: "22px", background: "#EFF4FF" }} aria-hidden="true">
                    📚
                  </span>
                  <div class="app-card-title">
                    <div class="app-card-name" data-testid="dataset-card-name">
                      {dataset.name}
                    </div>
                    <span class={`mode-badge ${dataset.indexing_technique === "economy" ? "" : dataset.embedding_model_kind === "semantic" ? "mode-advanced-chat" : "mode-completion"}`}>
                      {dataset.indexing_technique === "economy" ? "Economy" : dataset.embedding_model_kind === "semantic" ? "Semantic" : "Lexical"}
                    </span>
                  </div>
                </div>
                <p class="app-card-description">{dataset.description || <span class="muted">No description</span>}</p>
                <p class="muted small" data-testid="dataset-card-stats">
                  {dataset.document_count} document{dataset.document_count === 1 ? "" : "s"} · {dataset.word_count.toLocaleString()} characters
                </p>
              </Link>
              <div class="app-card-footer">
                <span class="muted small" title={formatDateTime(dataset.updated_at)}>
                  Updated {formatRelative(dataset.updated_at)}
                </span>
                {edit && (
                  <span class="app-card-actions">
                    <button type="button" class="btn btn-small btn-ghost danger-text" data-testid="delete-dataset" onClick={() => remove(dataset)}>
                      Delete
                    </button>
                  </span>
                )}
              </div>
            </div>
          ))}
        </div>
      )}
      {loading.value && <p class="muted center">Loading…</p>}
      {hasMore.value && !loading.value && (
        <div class="center">
          <button type="button" class="btn" onClick={() => void load(page.value + 1)}>
            Load more
          </button>
        </div>
      )}
      {creating.value && (
        <DatasetFormModal
          onClose={() => (creating.value = false)}
          onCreated={(dataset) => {
            creating.value = false;
            showToast(`Created “${dataset.name}”`);
            navigate(`/datasets/${dataset.id}`);
          }}
        />
      )}
    </div>
  );
}
