import { signal } from "@preact/signals";
import { errorMessage } from "../../api";
import { uploadDocument } from "../../knowledge-api";

export interface UploadItem {
  key: string;
  datasetId: string;
  name: string;
  size: number;
  /** Upload progress, 0–1. */
  fraction: number;
  state: "queued" | "uploading" | "uploaded" | "failed";
  error?: string;
  documentId?: string;
}

/** Uploads in this tab, kept outside the page so switching tabs does not lose their progress. */
export const uploads = signal<UploadItem[]>([]);

let counter = 0;

function update(key: string, patch: Partial<UploadItem>) {
  uploads.value = uploads.value.map((item) => (item.key === key ? { ...item, ...patch } : item));
}

/**
 * Uploads files one after another as new documents of a dataset; `onUploaded` runs after each
 * one the server accepted, so the document list can show it indexing.
 */
export async function uploadFiles(datasetId: string, files: File[], onUploaded: () => void): Promise<void> {
  const items = files.map((file) => ({ file, item: { key: `upload-${++counter}`, datasetId, name: file.name, size: file.size, fraction: 0, state: "queued" as const } }));
  uploads.value = [...items.map((i) => i.item), ...uploads.value];
  for (const { file, item } of items) {
    update(item.key, { state: "uploading" });
    try {
      const created = await uploadDocument(datasetId, file, (fraction) => update(item.key, { fraction }));
      update(item.key, { state: "uploaded", fraction: 1, documentId: created.document.id });
      onUploaded();
    } catch (caught) {
      update(item.key, { state: "failed", error: errorMessage(caught) });
    }
  }
}

export function dismissUploads(keys: string[]): void {
  uploads.value = uploads.value.filter((item) => !keys.includes(item.key));
}
