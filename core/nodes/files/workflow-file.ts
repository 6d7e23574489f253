import { z } from "zod";

/**
 * A file as it travels through the variable pool: Dify's file dict (`File.to_dict()`), plus
 * `storage_key`, the BlobStore key of its bytes. Uploads are `local_file`, files produced by
 * nodes (an HTTP response body, a tool result) are `tool_file`, links are `remote_url`.
 */
export const workflowFileSchema = z.looseObject({
  dify_model_identity: z.string().optional(),
  id: z.string().nullish(),
  tenant_id: z.string().nullish(),
  type: z.string().default("custom"),
  transfer_method: z.string(),
  related_id: z.string().nullish(),
  remote_url: z.string().nullish(),
  url: z.string().nullish(),
  filename: z.string().nullish(),
  extension: z.string().nullish(),
  mime_type: z.string().nullish(),
  size: z.number().default(-1),
  storage_key: z.string().nullish(),
});
export type WorkflowFile = z.infer<typeof workflowFileSchema>;

export const FILE_MODEL_IDENTITY = "__dify__file__";

export function isWorkflowFile(value: unknown): value is WorkflowFile {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return record.dify_model_identity === FILE_MODEL_IDENTITY || (typeof record.transfer_method === "string" && ("related_id" in record || "remote_url" in record || "storage_key" in record));
}

/** Where a file's bytes live in the BlobStore, if anywhere. */
export function fileStorageKey(file: WorkflowFile): string | undefined {
  if (file.storage_key) return file.storage_key;
  if (file.related_id && file.transfer_method !== "remote_url") return `files/${file.related_id}`;
  return undefined;
}

const extensionsByMime: Record<string, string> = {
  "application/json": ".json",
  "application/pdf": ".pdf",
  "application/zip": ".zip",
  "application/octet-stream": ".bin",
  "application/msword": ".doc",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
  "application/vnd.ms-excel": ".xls",
  "application/xml": ".xml",
  "audio/mpeg": ".mp3",
  "audio/wav": ".wav",
  "image/gif": ".gif",
  "image/jpeg": ".jpg",
  "image/png": ".png",
  "image/svg+xml": ".svg",
  "image/webp": ".webp",
  "text/csv": ".csv",
  "text/html": ".html",
  "text/markdown": ".md",
  "text/plain": ".txt",
  "video/mp4": ".mp4",
};
const mimesByExtension: Record<string, string> = Object.fromEntries(Object.entries(extensionsByMime).map(([mime, ext]) => [ext, mime]));
Object.assign(mimesByExtension, { ".jpeg": "image/jpeg", ".htm": "text/html", ".markdown": "text/markdown", ".mdx": "text/markdown", ".text": "text/plain" });

export function extensionForMime(mimeType: string): string | undefined {
  return extensionsByMime[mimeType.split(";")[0].trim().toLowerCase()];
}

export function mimeForExtension(extension: string): string | undefined {
  const normalised = extension.startsWith(".") ? extension.toLowerCase() : `.${extension.toLowerCase()}`;
  return mimesByExtension[normalised];
}

/** Dify's `FileType` from a MIME type. */
export function fileTypeForMime(mimeType: string): "image" | "document" | "audio" | "video" | "custom" {
  const main = mimeType.split("/")[0].toLowerCase();
  if (main === "image" || main === "audio" || main === "video") return main;
  if (main === "text" || /pdf|msword|officedocument|json|xml|csv|markdown|epub/.test(mimeType)) return "document";
  return "custom";
}
