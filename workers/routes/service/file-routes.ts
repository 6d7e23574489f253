import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { BadRequestError, FileTooLargeError, InvalidParamError, NotFoundError, UnsupportedFileTypeError } from "../../../core/errors";
import { extensionForMime, fileTypeForMime, mimeForExtension } from "../../../core/nodes/files";
import { uuidV7 } from "../../../core/ports";
import { createR2BlobStore } from "../../adapters/r2-blob-store";
import type { AppEnv } from "../../http/app-env";
import { defineRoute, jsonResponse } from "../../http/route";

const MB = 1024 * 1024;
/** Dify's service-API upload limits per file type (`UPLOAD_*_FILE_SIZE_LIMIT`). */
export const UPLOAD_LIMITS = { image: 10 * MB, audio: 50 * MB, video: 100 * MB, default: 15 * MB } as const;
/** Extensions never accepted (executables and scripts a browser might run from a preview). */
const BLOCKED_EXTENSIONS = new Set(["exe", "dll", "bat", "cmd", "com", "scr", "msi", "sh", "ps1", "vbs", "jar", "apk", "app", "html", "htm", "svg", "xhtml", "js", "mjs"]);

const uploadedFile = z.object({
  id: z.string(),
  name: z.string(),
  size: z.number(),
  extension: z.string(),
  mime_type: z.string(),
  created_by: z.string().nullable(),
  created_at: z.number(),
  preview_url: z.string().nullable(),
  source_url: z.string().nullable(),
});

const upload = defineRoute({
  method: "post",
  path: "/v1/files/upload",
  policy: { auth: "app-key" },
  tags: ["service: files"],
  // The multipart body (`file`, `user`) is read by the handler, not declared here: a declared form
  // body makes the validator answer a JSON request with a bare 415 instead of Dify's `no_file_uploaded`.
  description: "multipart/form-data with `file` (one file) and `user`. Limits: image 10 MB, audio 50 MB, video 100 MB, other 15 MB.",
  responses: { 201: jsonResponse("The stored file", uploadedFile) },
});

const preview = defineRoute({
  method: "get",
  path: "/v1/files/{file_id}/preview",
  policy: { auth: "app-key" },
  tags: ["service: files"],
  request: { params: z.object({ file_id: z.string().max(64) }), query: z.object({ as_attachment: z.enum(["true", "false"]).optional(), user: z.string().max(255).optional() }) },
  responses: { 200: { description: "The file's bytes", content: { "application/octet-stream": { schema: z.string() } } } },
});

function limitFor(mimeType: string): number {
  const type = fileTypeForMime(mimeType);
  return type === "image" ? UPLOAD_LIMITS.image : type === "audio" ? UPLOAD_LIMITS.audio : type === "video" ? UPLOAD_LIMITS.video : UPLOAD_LIMITS.default;
}

async function readUpload(c: Context<AppEnv>): Promise<{ file: File; user: string }> {
  if (!c.req.header("Content-Type")?.startsWith("multipart/form-data")) throw new BadRequestError("Send the file as multipart/form-data with a `file` field.", "no_file_uploaded");
  const declared = Number(c.req.header("Content-Length") ?? 0);
  if (declared > UPLOAD_LIMITS.video + 64 * 1024) throw new FileTooLargeError(`File size exceeded. The largest upload allowed is ${UPLOAD_LIMITS.video / MB} MB (video).`);
  let form: FormData;
  try {
    form = await c.req.formData();
  } catch {
    throw new BadRequestError("The multipart body could not be read.", "invalid_param");
  }
  const files = form.getAll("file").filter((entry): entry is File => typeof entry !== "string");
  if (files.length === 0) throw new BadRequestError("No file uploaded.", "no_file_uploaded");
  if (files.length > 1) throw new BadRequestError("Only one file is allowed.", "too_many_files");
  const user = form.get("user");
  if (typeof user !== "string" || !user.trim()) throw new InvalidParamError("user is required");
  return { file: files[0]!, user: user.trim().slice(0, 255) };
}

/**
 * Dify's `/v1/files/upload` and `/v1/files/{id}/preview`. An upload is stored in R2 under the
 * tenant's folder, recorded with the app and end user that sent it, and can then be passed as
 * `{transfer_method: "local_file", upload_file_id}` in that app's `files` or file inputs.
 */
export function registerFileRoutes(app: OpenAPIHono<AppEnv>): void {
  app.openapi(upload, async (c) => {
    const found = c.var.serviceApp;
    const { file, user } = await readUpload(c);
    const name = (file.name || "upload").slice(0, 255);
    const extension = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : "";
    if (BLOCKED_EXTENSIONS.has(extension)) throw new UnsupportedFileTypeError(`Files of type .${extension} cannot be uploaded.`);
    const mimeType = (file.type || mimeForExtension(extension) || "application/octet-stream").split(";")[0]!.trim().toLowerCase();
    const limit = limitFor(mimeType);
    if (file.size > limit) throw new FileTooLargeError(`File size exceeded. ${name} is ${(file.size / MB).toFixed(1)} MB; the limit for this type is ${limit / MB} MB.`);
    if (file.size === 0) throw new InvalidParamError("file: the uploaded file is empty (0 bytes).");
    const endUser = await c.var.tenant.runs.ensureEndUser(found.id, user);
    const bytes = new Uint8Array(await file.arrayBuffer());
    const id = uuidV7();
    const storageKey = `files/${id}`;
    await createR2BlobStore(c.env.FILES, found.tenantId).put(storageKey, bytes, { contentType: mimeType });
    const row = await c.var.tenant.files.insert({
      id,
      storageKey,
      name,
      size: bytes.byteLength,
      extension: extension || (extensionForMime(mimeType) ?? ".bin").slice(1),
      mimeType,
      hash: await bytesSha256(bytes),
      createdByRole: "end_user",
      createdBy: endUser.id,
      appId: found.id,
    });
    return c.json(
      {
        id: row.id,
        name: row.name,
        size: row.size,
        extension: row.extension,
        mime_type: row.mimeType,
        created_by: row.createdBy,
        created_at: row.createdAt,
        preview_url: `/v1/files/${row.id}/preview`,
        source_url: null,
      },
      201,
    );
  });

  app.openapi(preview, async (c) => {
    const found = c.var.serviceApp;
    const row = await c.var.tenant.files.get(c.req.valid("param").file_id);
    if (!row || (row.appId !== null && row.appId !== found.id)) throw new NotFoundError("File not found.");
    const object = await createR2BlobStore(c.env.FILES, found.tenantId).get(row.storageKey);
    if (!object) throw new NotFoundError("File not found.");
    const attachment = c.req.valid("query").as_attachment === "true";
    const headers: Record<string, string> = {
      "Content-Type": row.mimeType,
      "Content-Length": String(object.body.byteLength),
      // Never rendered as a page of ours: no sniffing, and a sandbox for anything a browser opens.
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox",
      "Cache-Control": "private, max-age=3600",
    };
    if (attachment) headers["Content-Disposition"] = `attachment; filename*=UTF-8''${encodeURIComponent(row.name)}`;
    return new Response(object.body, { headers }) as never;
  });
}

async function bytesSha256(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
