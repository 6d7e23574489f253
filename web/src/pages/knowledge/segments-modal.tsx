import { useSignal } from "@preact/signals";
import { useEffect } from "preact/hooks";
import { errorMessage } from "../../api";
import { ErrorText } from "../../components/error-text";
import { Modal } from "../../components/modal";
import { knowledgeApi, type KnowledgeDocument, type Segment } from "../../knowledge-api";
import { isIndexing } from "./indexing-progress";

const PAGE_SIZE = 20;

/** A document's chunks (segments) in order, as retrieval sees them. */
export function SegmentsModal({ datasetId, document, onClose }: { datasetId: string; document: KnowledgeDocument; onClose: () => void }) {
  const segments = useSignal<Segment[]>([]);
  const total = useSignal(0);
  const page = useSignal(1);
  const hasMore = useSignal(false);
  const loading = useSignal(true);
  const error = useSignal("");

  const load = async (next: number) => {
    loading.value = true;
    try {
      const result = await knowledgeApi.segments(datasetId, document.id, { page: next, limit: PAGE_SIZE });
      segments.value = next === 1 ? result.data : [...segments.value, ...result.data];
      total.value = result.total;
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
  }, [document.id]);

  return (
    <Modal title={document.name} onClose={onClose} testId="segments-modal" wide>
      <p class="muted small">
        {total.value} chunk{total.value === 1 ? "" : "s"} · {document.word_count.toLocaleString()} characters
      </p>
      <ErrorText message={error.value} testId="segments-error" />
      {!loading.value && segments.value.length === 0 && !error.value && (
        <p class="muted" data-testid="segments-empty">
          {isIndexing(document.indexing_status) ? "Still indexing: chunks appear here when it finishes." : "This document has no chunks."}
        </p>
      )}
      <ol class="chunk-list" data-testid="segment-list">
        {segments.value.map((segment) => (
          <li key={segment.id} class="chunk" data-testid="segment">
            <div class="chunk-meta muted small">
              <span>#{segment.position}</span>
              <span>
                {segment.word_count} characters · {segment.tokens} tokens
              </span>
              {!segment.enabled && <span class="status-badge status-pending">Disabled</span>}
            </div>
            <div class="chunk-content" data-testid="segment-content">
              {segment.content}
            </div>
            {segment.answer && <div class="chunk-answer">A: {segment.answer}</div>}
          </li>
        ))}
      </ol>
      {loading.value && <p class="muted">Loading…</p>}
      {hasMore.value && !loading.value && (
        <div class="center">
          <button type="button" class="btn" data-testid="segments-load-more" onClick={() => void load(page.value + 1)}>
            Load more
          </button>
        </div>
      )}
    </Modal>
  );
}
