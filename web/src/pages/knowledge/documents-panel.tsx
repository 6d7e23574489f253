import { useSignal } from "@preact/signals";
import { useEffect, useRef } from "preact/hooks";
import { errorMessage } from "../../api";
import { confirmAction } from "../../components/confirm-dialog";
import { ErrorText } from "../../components/error-text";
import { ProgressBar } from "../../components/progress-bar";
import { showToast } from "../../components/toast";
import { formatBytes, formatDateTime, formatRelative } from "../../format";
import { knowledgeApi, type Dataset, type KnowledgeDocument } from "../../knowledge-api";
import { canEditKnowledge } from "../../session";
import { indexingProgress, isIndexing, uploadLabel } from "./indexing-progress";
import { SegmentsModal } from "./segments-modal";
import { dismissUploads, uploadFiles, uploads, type UploadItem } from "./uploads";

const PAGE_SIZE = 50;
/** How often the list refreshes while a document is being indexed. */
const POLL_MS = 1500;

/** A dataset's documents: upload (with progress), indexing status that refreshes while indexing, chunks, retry and delete. */
export function DocumentsPanel({ dataset, onChanged }: { dataset: Dataset; onChanged: () => void }) {
  const documents = useSignal<KnowledgeDocument[]>([]);
  const total = useSignal(0);
  const loading = useSignal(true);
  const error = useSignal("");
  const viewing = useSignal<KnowledgeDocument | null>(null);
  const dragging = useSignal(false);
  const input = useRef<HTMLInputElement>(null);
  const wasIndexing = useRef(false);
  const edit = canEditKnowledge.value;

  const load = async () => {
    try {
      const page = await knowledgeApi.documents(dataset.id, { page: 1, limit: PAGE_SIZE });
      documents.value = page.data;
      total.value = page.total;
      error.value = "";
    } catch (caught) {
      error.value = errorMessage(caught);
    } finally {
      loading.value = false;
    }
  };

  useEffect(() => {
    void load();
  }, [dataset.id]);

  // Poll while anything is on its way; when the last document finishes, refresh the dataset's counts.
  const indexing = documents.value.some((d) => isIndexing(d.indexing_status));
  useEffect(() => {
    if (!indexing) {
      if (wasIndexing.current) onChanged();
      wasIndexing.current = false;
      return;
    }
    wasIndexing.current = true;
    const timer = setTimeout(() => void load(), POLL_MS);
    return () => clearTimeout(timer);
  }, [documents.value]);

  const start = (files: FileList | null) => {
    if (!files || files.length === 0) return;
    void uploadFiles(dataset.id, [...files], () => void load());
    if (input.current) input.current.value = "";
  };

  const remove = (document: KnowledgeDocument) =>
    confirmAction({
      title: "Delete document",
      message: `Delete “${document.name}” and its ${document.total_segments} chunk${document.total_segments === 1 ? "" : "s"}? Retrieval stops finding it at once.`,
      confirmLabel: "Delete",
      danger: true,
      action: async () => {
        await knowledgeApi.deleteDocument(dataset.id, document.id);
        documents.value = documents.value.filter((d) => d.id !== document.id);
        total.value -= 1;
        showToast("Document deleted");
        onChanged();
      },
    });

  const retry = async (document: KnowledgeDocument) => {
    try {
      await knowledgeApi.retry(dataset.id, [document.id]);
      await load();
    } catch (caught) {
      error.value = errorMessage(caught);
    }
  };

  const mine = uploads.value.filter((u) => u.datasetId === dataset.id);
  const byId = new Map(documents.value.map((d) => [d.id, d]));
  const finished = mine.filter((u) => u.state === "failed" || (u.documentId && byId.get(u.documentId) && !isIndexing(byId.get(u.documentId)!.indexing_status)));

  return (
    <div class="stack">
      {edit ? (
        <div
          class={dragging.value ? "upload-zone dragging" : "upload-zone"}
          data-testid="upload-zone"
          onDragOver={(e) => {
            e.preventDefault();
            dragging.value = true;
          }}
          onDragLeave={() => (dragging.value = false)}
          onDrop={(e) => {
            e.preventDefault();
            dragging.value = false;
            start(e.dataTransfer?.files ?? null);
          }}
        >
          <div>
            <strong>Drop files here</strong> or{" "}
            <label class="link-button" for="document-upload">
              choose files
            </label>
            <input id="document-upload" ref={input} type="file" multiple class="visually-hidden" data-testid="upload-input" onChange={(e) => start(e.currentTarget.files)} />
          </div>
          <p class="muted small">Text, Markdown, HTML, PDF, Word (.docx), CSV or JSON; up to 15 MB each. Each file is chunked and indexed in the background.</p>
        </div>
      ) : (
        <div class="card muted small" data-testid="documents-read-only">
          Editors, admins and the owner upload and delete documents. You can read chunks and test retrieval.
        </div>
      )}

      {mine.length > 0 && (
        <div class="card" data-testid="upload-list">
          <div class="card-header">
            <h2>Uploads</h2>
            {finished.length > 0 && (
              <button type="button" class="btn btn-small btn-ghost" data-testid="clear-uploads" onClick={() => dismissUploads(finished.map((u) => u.key))}>
                Clear finished
              </button>
            )}
          </div>
          <ul class="upload-items">
            {mine.map((item) => (
              <UploadRow key={item.key} item={item} document={item.documentId ? byId.get(item.documentId) : undefined} />
            ))}
          </ul>
        </div>
      )}

      <ErrorText message={error.value} testId="documents-error" />
      <div class="card">
        <div class="card-header">
          <div>
            <h2>Documents</h2>
            <p class="muted small">{indexing ? "Indexing… this list refreshes by itself." : `${total.value} document${total.value === 1 ? "" : "s"}`}</p>
          </div>
        </div>
        {!loading.value && documents.value.length === 0 && !error.value ? (
          <div class="empty-inline" data-testid="documents-empty">
            <p>
              <strong>No documents yet.</strong>
            </p>
            <p class="muted">{edit ? "Upload files above; each becomes searchable chunks once indexed." : "An editor can upload documents."}</p>
          </div>
        ) : (
          <table class="table" data-testid="document-list">
            <thead>
              <tr>
                <th>Name</th>
                <th class="status-column">Status</th>
                <th>Chunks</th>
                <th>Characters</th>
                <th>Added</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {documents.value.map((document) => {
                const progress = indexingProgress(document);
                return (
                  <tr key={document.id} data-testid="document-row" data-document-id={document.id} data-status={document.indexing_status}>
                    <td class="wrap">
                      <button type="button" class="link-button" data-testid="document-name" onClick={() => (viewing.value = document)}>
                        {document.name}
                      </button>
                    </td>
                    <td>
                      <div class="progress-cell">
                        <ProgressBar percent={progress.percent} tone={progress.tone} label={`Indexing ${document.name}`} testId="document-progress" />
                        <span class="small" data-testid="document-status">
                          {progress.label}
                        </span>
                      </div>
                      {document.indexing_status === "error" && document.error && (
                        <div class="small danger-text" data-testid="document-error">
                          {document.error}
                        </div>
                      )}
                    </td>
                    <td>{document.total_segments}</td>
                    <td>{document.word_count.toLocaleString()}</td>
                    <td title={formatDateTime(document.created_at)}>{formatRelative(document.created_at)}</td>
                    <td class="actions">
                      <button type="button" class="btn btn-small btn-ghost" data-testid="view-chunks" onClick={() => (viewing.value = document)}>
                        Chunks
                      </button>
                      {edit && document.indexing_status === "error" && (
                        <button type="button" class="btn btn-small" data-testid="retry-document" onClick={() => void retry(document)}>
                          Retry
                        </button>
                      )}
                      {edit && (
                        <button type="button" class="btn btn-small btn-danger-outline" data-testid="delete-document" onClick={() => remove(document)}>
                          Delete
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        {loading.value && <p class="muted">Loading…</p>}
      </div>
      {viewing.value && <SegmentsModal datasetId={dataset.id} document={viewing.value} onClose={() => (viewing.value = null)} />}
    </div>
  );
}

/** One file: its upload progress, then (once the server has it) its indexing progress. */
function UploadRow({ item, document }: { item: UploadItem; document?: KnowledgeDocument }) {
  const indexed = document ? indexingProgress(document) : null;
  return (
    <li class="upload-item" data-testid="upload-item" data-state={item.state} data-name={item.name}>
      <div class="upload-item-head">
        <span class="upload-name">{item.name}</span>
        <span class="muted small">{formatBytes(item.size)}</span>
      </div>
      {item.state === "failed" ? (
        <div class="error-text" role="alert" data-testid="upload-error">
          {item.error}
        </div>
      ) : indexed ? (
        <div class="progress-cell">
          <ProgressBar percent={indexed.percent} tone={indexed.tone} label={`Indexing ${item.name}`} testId="upload-indexing-progress" />
          <span class="small" data-testid="upload-status">
            {indexed.tone === "done" ? "Indexed" : indexed.label}
          </span>
        </div>
      ) : (
        <div class="progress-cell">
          <ProgressBar percent={item.fraction * 100} label={`Uploading ${item.name}`} testId="upload-progress" />
          <span class="small" data-testid="upload-status">
            {item.state === "queued" ? "Waiting to upload" : item.state === "uploaded" ? "Uploaded" : uploadLabel(item.fraction)}
          </span>
        </div>
      )}
    </li>
  );
}
