/** Shapes of Dify's web API that the published web app reads. */

export type AppMode = "chat" | "completion" | "agent-chat" | "advanced-chat" | "workflow";

export interface SiteInfo {
  app_id: string;
  end_user_id: string;
  mode: AppMode;
  site: {
    title: string;
    description: string | null;
    icon: string;
    icon_type: string;
    icon_background: string;
    icon_url: string | null;
    chat_color_theme: string | null;
    copyright: string | null;
    privacy_policy: string | null;
    custom_disclaimer: string;
    show_workflow_steps: boolean;
  };
}

export interface InputField {
  kind: "text-input" | "paragraph" | "select" | "number" | "checkbox" | "file" | "file-list" | string;
  variable: string;
  label: string;
  required: boolean;
  options: string[];
  maxLength?: number;
  defaultValue?: unknown;
  /** `file` / `file-list`: Dify's `allowed_file_types` (`image`, `document`, `audio`, `video`, `custom`). */
  fileTypes?: string[];
  /** `file` / `file-list`: the extensions a `custom` type allows (`.csv`). */
  fileExtensions?: string[];
}

export interface Parameters {
  opening_statement: string;
  suggested_questions: string[];
  suggested_questions_after_answer: { enabled: boolean };
  retriever_resource?: { enabled: boolean };
  /** Text generators: offer "More like this" under a result. */
  more_like_this?: { enabled: boolean };
  user_input_form: Array<Record<string, Record<string, unknown>>>;
  file_upload?: {
    enabled?: boolean;
    image?: { enabled?: boolean; number_limits?: number };
    number_limits?: number;
    allowed_file_types?: string[];
    allowed_file_extensions?: string[];
  };
}

/** A file input's value as Dify's API takes it (`inputs.<name>` or `files[]`). */
export interface FileReference {
  type: string;
  transfer_method: "local_file";
  upload_file_id: string;
}

/** The fields of `user_input_form` (`[{"text-input": {...}}, …]`) in one flat shape. */
export function inputFields(form: Parameters["user_input_form"]): InputField[] {
  const fields: InputField[] = [];
  for (const item of form ?? []) {
    const [kind, config] = Object.entries(item ?? {})[0] ?? [];
    if (!kind || !config || typeof config.variable !== "string") continue;
    fields.push({
      kind,
      variable: config.variable,
      label: typeof config.label === "string" && config.label ? config.label : config.variable,
      required: config.required !== false,
      options: Array.isArray(config.options) ? config.options.map(String) : [],
      maxLength: typeof config.max_length === "number" && config.max_length > 0 ? config.max_length : undefined,
      defaultValue: kind === "file" || kind === "file-list" ? undefined : config.default,
      ...(kind === "file" || kind === "file-list"
        ? { fileTypes: Array.isArray(config.allowed_file_types) ? config.allowed_file_types.map(String) : [], fileExtensions: Array.isArray(config.allowed_file_extensions) ? config.allowed_file_extensions.map(String) : [] }
        : {}),
    });
  }
  return fields;
}

/** Values to send as `inputs`: numbers as numbers, empty optional fields left out. */
export function inputsToSend(fields: InputField[], values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.variable];
    if (value === undefined || value === "") continue;
    out[field.variable] = field.kind === "number" && typeof value === "string" ? Number(value) : value;
  }
  return out;
}

/** The first required field left empty, if any (the form names it to the visitor). */
export function missingInput(fields: InputField[], values: Record<string, unknown>): InputField | undefined {
  return fields.find((field) => field.required && field.kind !== "checkbox" && (values[field.variable] === undefined || values[field.variable] === "" || (Array.isArray(values[field.variable]) && (values[field.variable] as unknown[]).length === 0)));
}

/** Dify's extensions per file type (web/app/components/base/file-uploader: FILE_EXTS). */
const EXTENSIONS: Record<string, string[]> = {
  image: ["jpg", "jpeg", "png", "gif", "webp", "svg"],
  document: ["txt", "markdown", "md", "mdx", "pdf", "html", "htm", "xlsx", "xls", "vtt", "properties", "doc", "docx", "csv", "eml", "msg", "pptx", "xml", "epub", "ppt"],
  audio: ["mp3", "m4a", "wav", "amr", "mpga"],
  video: ["mp4", "mov", "mpeg", "webm"],
};

const dotted = (extension: string) => (extension.startsWith(".") ? extension : `.${extension}`).toLowerCase();

/**
 * The `accept` attribute for a file picker that allows these Dify file types (and, for `custom`,
 * these extensions); empty when anything goes.
 */
export function acceptFor(types: string[] = [], extensions: string[] = []): string {
  const accepted = new Set<string>();
  for (const type of types) {
    if (type === "custom") extensions.forEach((extension) => accepted.add(dotted(extension)));
    else (EXTENSIONS[type] ?? []).forEach((extension) => accepted.add(`.${extension}`));
  }
  return [...accepted].join(",");
}

/**
 * The reference Dify's API takes for an uploaded file: its `type` from the MIME type (and the
 * extension), or `custom` when that type is not allowed but custom extensions are.
 */
export function fileReference(uploaded: { id: string; name: string; mime_type: string }, allowedTypes: string[] = []): FileReference {
  const extension = uploaded.name.includes(".") ? uploaded.name.slice(uploaded.name.lastIndexOf(".") + 1).toLowerCase() : "";
  const byExtension = Object.entries(EXTENSIONS).find(([, list]) => list.includes(extension))?.[0];
  const inferred = byExtension ?? fileTypeOf(uploaded.mime_type);
  const type = allowedTypes.length && !allowedTypes.includes(inferred) && allowedTypes.includes("custom") ? "custom" : inferred;
  return { type, transfer_method: "local_file", upload_file_id: uploaded.id };
}

/** The file types a chat's attachments may have (Dify's `file_upload`: all its types, or images only). */
export function chatUploadTypes(parameters: Parameters): { types: string[]; extensions: string[]; limit: number } {
  const upload = parameters.file_upload ?? {};
  if (upload.enabled) return { types: upload.allowed_file_types ?? [], extensions: upload.allowed_file_extensions ?? [], limit: upload.number_limits ?? 3 };
  return { types: ["image"], extensions: [], limit: upload.image?.number_limits ?? 3 };
}

/** Whether visitors may attach files to a chat message. */
export function fileUploadEnabled(parameters: Parameters): boolean {
  const upload = parameters.file_upload;
  return Boolean(upload?.enabled || upload?.image?.enabled);
}

/** Dify's file `type` for a file reference, from its MIME type. */
export function fileTypeOf(mime: string): "image" | "audio" | "video" | "document" {
  if (mime.startsWith("image/")) return "image";
  if (mime.startsWith("audio/")) return "audio";
  if (mime.startsWith("video/")) return "video";
  return "document";
}

/** `/chat/{code}`, `/chatbot/{code}` (the embed bubble), `/completion/{code}` or `/workflow/{code}`. */
export function parseLocation(pathname: string): { kind: "chat" | "chatbot" | "completion" | "workflow"; code: string } | undefined {
  const match = /^\/(chat|chatbot|completion|workflow)\/([A-Za-z0-9]{1,64})\/?$/.exec(pathname);
  return match ? { kind: match[1] as "chat", code: match[2]! } : undefined;
}

/** Inputs given in the page's query string (the embed's `inputs`), for fields the app has. */
export function inputsFromQuery(fields: InputField[], search: string): Record<string, unknown> {
  const params = new URLSearchParams(search);
  return Object.fromEntries(fields.filter((f) => params.has(f.variable)).map((f) => [f.variable, params.get(f.variable)!]));
}
