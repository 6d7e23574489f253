import { WaggleError } from "../errors";

/**
 * A document that cannot be indexed as it is (corrupt, empty, unsupported). The message is shown
 * to the person who uploaded it, so it says what to do.
 */
export class DocumentParseError extends WaggleError {
  override name = "DocumentParseError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("document_parse_error", message, 400, options);
  }
}

/** A chunking rule or retrieval setting outside what Dify accepts. */
export class RagConfigError extends WaggleError {
  override name = "RagConfigError";
  constructor(message: string) {
    super("invalid_param", message, 400);
  }
}
