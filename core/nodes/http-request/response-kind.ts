/**
 * Whether a response body becomes a file (Dify's `Response.is_file`): attachments and named
 * downloads always; text, JSON, XML and similar types never; other application types when the
 * first bytes are not UTF-8 text; media types always.
 */
export function isFileResponse(contentType: string, contentDisposition: string | null, head: Uint8Array): boolean {
  const type = contentType.split(";")[0].trim().toLowerCase();
  if (contentDisposition) {
    const disposition = contentDisposition.split(";")[0].trim().toLowerCase();
    if (disposition === "attachment" || filenameFromDisposition(contentDisposition) !== undefined) return true;
  }
  if (type.startsWith("text/")) return type.includes("csv");
  if (type.startsWith("application/")) {
    if (/json|xml|javascript|x-www-form-urlencoded|yaml|graphql/.test(type)) return false;
    const sample = head.subarray(0, 1024);
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(sample);
    } catch {
      return true;
    }
    if (/[{[<]|function|var |const |let /.test(text)) return false;
    return true;
  }
  return /^(image|audio|video)\//.test(type);
}

/** `filename*=UTF-8''...` wins over `filename="..."`, as RFC 6266 says. */
export function filenameFromDisposition(header: string | null): string | undefined {
  if (!header) return undefined;
  const extended = /filename\*\s*=\s*([^']*)'[^']*'([^;]+)/i.exec(header);
  if (extended) {
    try {
      return sanitiseFilename(decodeURIComponent(extended[2].trim()));
    } catch {
      // fall through to the plain parameter
    }
  }
  const plain = /filename\s*=\s*("((?:[^"\\]|\\.)*)"|[^;]+)/i.exec(header);
  if (!plain) return undefined;
  const value = plain[2] !== undefined ? plain[2].replace(/\\(.)/g, "$1") : plain[1].trim();
  return sanitiseFilename(value);
}

export function filenameFromUrl(url: string): string | undefined {
  try {
    const last = new URL(url).pathname.split("/").filter(Boolean).at(-1);
    return last ? sanitiseFilename(decodeURIComponent(last)) : undefined;
  } catch {
    return undefined;
  }
}

function sanitiseFilename(name: string): string | undefined {
  const base = name.split(/[\\/]/).at(-1)?.replace(/[\u0000-\u001f]/g, "").trim();
  return base ? base.slice(0, 255) : undefined;
}
