import type { IndexingStatus, KnowledgeDocument } from "../../knowledge-api";

const ACTIVE: IndexingStatus[] = ["waiting", "parsing", "cleaning", "splitting", "indexing"];

/** Whether the document is still on its way through the ingestion queue (so the page keeps polling). */
export const isIndexing = (status: IndexingStatus) => ACTIVE.includes(status);

export type ProgressTone = "active" | "done" | "error" | "paused";

export interface IndexingProgress {
  /** 0–100, for the progress bar. */
  percent: number;
  label: string;
  tone: ProgressTone;
}

const STEP_LABELS: Partial<Record<IndexingStatus, string>> = { waiting: "Queued", parsing: "Parsing", cleaning: "Cleaning", splitting: "Splitting into chunks" };

/**
 * A document's indexing progress as its row shows it, from the status and the chunk counts the
 * API reports (`completed_segments` of `total_segments`).
 * @example indexingProgress({ indexing_status: "indexing", completed_segments: 3, total_segments: 12, … })
 * // → { percent: 25, label: "Indexing 3/12 chunks", tone: "active" }
 */
export function indexingProgress(document: Pick<KnowledgeDocument, "indexing_status" | "completed_segments" | "total_segments" | "enabled" | "archived" | "error">): IndexingProgress {
  const { indexing_status: status, completed_segments: done, total_segments: total } = document;
  const fraction = total > 0 ? Math.min(1, done / total) : 0;
  const percent = Math.round(fraction * 100);
  if (status === "completed") {
    const label = document.archived ? "Archived" : document.enabled ? "Available" : "Disabled";
    return { percent: 100, label, tone: "done" };
  }
  if (status === "error") return { percent, label: "Error", tone: "error" };
  if (status === "paused") return { percent, label: "Paused", tone: "paused" };
  if (status === "indexing") return { percent, label: total > 0 ? `Indexing ${done}/${total} chunks` : "Indexing", tone: "active" };
  return { percent, label: STEP_LABELS[status] ?? status, tone: "active" };
}

/** An upload's progress as a label: "Uploading 42%", then what the server does with the file. */
export function uploadLabel(fraction: number): string {
  if (fraction >= 1) return "Uploaded, waiting for the server";
  return `Uploading ${Math.floor(Math.max(0, fraction) * 100)}%`;
}
