import { InvalidParamError } from "../../core/errors";
import { FILE_MODEL_IDENTITY, fileTypeForMime, type WorkflowFile } from "../../core/nodes/files";
import type { App, TenantRepository, UploadFileRow } from "../db/repositories";

type Json = Record<string, unknown>;

/** A file reference as Dify's API takes it: `{type, transfer_method, upload_file_id | url}`. */
interface FileReference {
  type?: unknown;
  transfer_method?: unknown;
  upload_file_id?: unknown;
  url?: unknown;
}

function isReference(value: unknown): value is FileReference {
  return typeof value === "object" && value !== null && !Array.isArray(value) && "transfer_method" in value && (value as Json).dify_model_identity !== FILE_MODEL_IDENTITY;
}

function uploadedFile(row: UploadFileRow, declaredType: unknown): WorkflowFile {
  return {
    dify_model_identity: FILE_MODEL_IDENTITY,
    id: row.id,
    tenant_id: row.tenantId,
    type: typeof declaredType === "string" && declaredType ? declaredType : fileTypeForMime(row.mimeType),
    transfer_method: "local_file",
    related_id: row.id,
    remote_url: null,
    url: null,
    filename: row.name,
    extension: row.extension ? `.${row.extension}` : null,
    mime_type: row.mimeType,
    size: row.size,
    storage_key: row.storageKey,
  };
}

function remoteFile(reference: FileReference, where: string): WorkflowFile {
  const url = typeof reference.url === "string" ? reference.url.trim() : "";
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidParamError(`${where}: url must be an absolute http(s) URL.`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new InvalidParamError(`${where}: url must be an absolute http(s) URL.`);
  const filename = decodeURIComponent(parsed.pathname.split("/").pop() || "") || parsed.hostname;
  return {
    dify_model_identity: FILE_MODEL_IDENTITY,
    id: null,
    tenant_id: null,
    type: typeof reference.type === "string" && reference.type ? reference.type : "custom",
    transfer_method: "remote_url",
    related_id: null,
    remote_url: url,
    url,
    filename,
    extension: filename.includes(".") ? filename.slice(filename.lastIndexOf(".")) : null,
    mime_type: null,
    size: -1,
    storage_key: null,
  };
}

/**
 * Turns the file references of a run request — `files[]` and file-typed inputs — into the file
 * dicts the engine passes around. An `upload_file_id` must name a file uploaded to this app
 * (`/v1/files/upload`) in this tenant; anything else is refused with a message naming the field,
 * so one tenant's or app's uploads can never be read through another's run.
 */
export async function resolveRunFiles(tenant: TenantRepository, app: App, request: { files?: unknown[]; inputs: Json }): Promise<{ files: WorkflowFile[]; inputs: Json }> {
  const references: Array<{ reference: FileReference; where: string }> = [];
  (request.files ?? []).forEach((reference, index) => {
    if (isReference(reference)) references.push({ reference, where: `files[${index}]` });
    else throw new InvalidParamError(`files[${index}] must be {type, transfer_method, upload_file_id | url}.`);
  });
  for (const [name, value] of Object.entries(request.inputs)) {
    if (isReference(value)) references.push({ reference: value, where: `inputs.${name}` });
    else if (Array.isArray(value)) value.forEach((item, index) => isReference(item) && references.push({ reference: item, where: `inputs.${name}[${index}]` }));
  }
  if (references.length === 0) return { files: [], inputs: request.inputs };

  const ids = references
    .filter(({ reference }) => reference.transfer_method === "local_file")
    .map(({ reference, where }) => {
      if (typeof reference.upload_file_id !== "string" || !reference.upload_file_id) throw new InvalidParamError(`${where}: upload_file_id is required for transfer_method local_file.`);
      return reference.upload_file_id;
    });
  const rows = new Map((await tenant.files.getMany([...new Set(ids)])).map((row) => [row.id, row]));
  const resolved = new Map<FileReference, WorkflowFile>();
  for (const { reference, where } of references) {
    if (reference.transfer_method === "remote_url") {
      resolved.set(reference, remoteFile(reference, where));
    } else if (reference.transfer_method === "local_file") {
      const row = rows.get(reference.upload_file_id as string);
      if (!row || row.appId !== app.id) throw new InvalidParamError(`${where}: upload file ${String(reference.upload_file_id)} does not exist for this app. Upload it with /v1/files/upload first.`);
      resolved.set(reference, uploadedFile(row, reference.type));
    } else {
      throw new InvalidParamError(`${where}: transfer_method must be local_file or remote_url.`);
    }
  }
  const inputs: Json = {};
  for (const [name, value] of Object.entries(request.inputs)) {
    inputs[name] = isReference(value) ? resolved.get(value) : Array.isArray(value) ? value.map((item) => (isReference(item) ? resolved.get(item) : item)) : value;
  }
  const files = (request.files ?? []).map((reference) => resolved.get(reference as FileReference)!);
  return { files, inputs };
}
