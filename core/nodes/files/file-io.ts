import { readBodyBytes } from "../../egress";
import type { BlobStore } from "../../ports";
import type { HttpClient, NodePorts } from "../../engine";
import { FILE_MODEL_IDENTITY, extensionForMime, fileStorageKey, fileTypeForMime, type WorkflowFile } from "./workflow-file";

export class FileAccessError extends Error {
  override name = "FileAccessError";
}

/** The BlobStore port, if the runtime wired one (`ports.blobs`). */
export function blobStoreOf(ports: NodePorts): BlobStore | undefined {
  const blobs = ports.blobs as BlobStore | undefined;
  return blobs && typeof blobs.get === "function" ? blobs : undefined;
}

/**
 * Reads a file's bytes: from the BlobStore for uploads and node-produced files, through the
 * HTTP port (the SSRF-guarded egress) for `remote_url` files. Never reads more than `maxBytes`.
 */
export async function readWorkflowFile(
  file: WorkflowFile,
  ports: NodePorts,
  options: { maxBytes: number; signal?: AbortSignal },
): Promise<{ bytes: Uint8Array; mimeType?: string }> {
  const key = fileStorageKey(file);
  if (key) {
    const blobs = blobStoreOf(ports);
    if (!blobs) throw new FileAccessError("File storage is not configured for this runtime");
    const object = await blobs.get(key);
    if (!object) throw new FileAccessError(`File ${file.filename ?? key} was not found in storage`);
    if (object.body.byteLength > options.maxBytes) {
      throw new FileAccessError(`File ${file.filename ?? key} is ${object.body.byteLength} bytes; the limit is ${options.maxBytes} bytes`);
    }
    return { bytes: new Uint8Array(object.body), mimeType: object.contentType ?? file.mime_type ?? undefined };
  }
  const remote = file.remote_url ?? file.url;
  if (remote) {
    const http = ports.http as HttpClient | undefined;
    if (!http) throw new FileAccessError("Outbound HTTP is not configured for this runtime");
    const response = await http.fetch(remote, { signal: options.signal });
    if (!response.ok) throw new FileAccessError(`Downloading ${remote} failed with status ${response.status}`);
    const bytes = await readBodyBytes(response, options.maxBytes);
    return { bytes, mimeType: response.headers.get("content-type") ?? file.mime_type ?? undefined };
  }
  throw new FileAccessError(`File ${file.filename ?? file.id ?? ""} has no storage key or URL`.trim());
}

/** Stores bytes produced by a node and returns the `tool_file` entry that points at them. */
export async function storeToolFile(
  blobs: BlobStore,
  input: { id: string; bytes: Uint8Array; filename?: string; mimeType: string; remoteUrl?: string },
): Promise<WorkflowFile> {
  const mimeType = input.mimeType.split(";")[0].trim().toLowerCase() || "application/octet-stream";
  const extension = extensionFromFilename(input.filename) ?? extensionForMime(mimeType) ?? ".bin";
  const filename = input.filename ?? `${input.id}${extension}`;
  const storageKey = `tool-files/${input.id}${extension}`;
  await blobs.put(storageKey, input.bytes, { contentType: mimeType });
  return {
    dify_model_identity: FILE_MODEL_IDENTITY,
    id: input.id,
    type: fileTypeForMime(mimeType),
    transfer_method: "tool_file",
    related_id: input.id,
    remote_url: input.remoteUrl ?? null,
    url: null,
    filename,
    extension,
    mime_type: mimeType,
    size: input.bytes.byteLength,
    storage_key: storageKey,
  };
}

export function extensionFromFilename(filename: string | null | undefined): string | undefined {
  const match = filename ? /(\.[A-Za-z0-9]{1,10})$/.exec(filename) : null;
  return match ? match[1].toLowerCase() : undefined;
}
