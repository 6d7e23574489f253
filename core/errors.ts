/**
 * Waggle's error vocabulary. Every error a person can act on is a `WaggleError` with a stable
 * `code` (Dify's snake_case codes where Dify has one) and the HTTP `status` it maps to. Only the
 * Worker's single error handler turns these into responses, in Dify's `{code, message, status}`
 * envelope. Expected outcomes (a node failing, a validation problem) are data, not exceptions.
 *
 * @example
 * throw new InvalidParamError("inputs.name is required");
 */
export class WaggleError extends Error {
  override name = "WaggleError";
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export class InvalidParamError extends WaggleError {
  override name = "InvalidParamError";
  constructor(message: string, options?: { cause?: unknown }) {
    super("invalid_param", message, 400, options);
  }
}

export class BadRequestError extends WaggleError {
  override name = "BadRequestError";
  constructor(message: string, code = "bad_request") {
    super(code, message, 400);
  }
}

export class UnauthorizedError extends WaggleError {
  override name = "UnauthorizedError";
  constructor(message = "Unauthorized.") {
    super("unauthorized", message, 401);
  }
}

export class ForbiddenError extends WaggleError {
  override name = "ForbiddenError";
  constructor(message = "You do not have permission to do this.", code = "forbidden") {
    super(code, message, 403);
  }
}

export class NotFoundError extends WaggleError {
  override name = "NotFoundError";
  constructor(message = "Not found.") {
    super("not_found", message, 404);
  }
}

export class ConflictError extends WaggleError {
  override name = "ConflictError";
  constructor(code: string, message: string) {
    super(code, message, 409);
  }
}

export class TooManyRequestsError extends WaggleError {
  override name = "TooManyRequestsError";
  constructor(
    message = "Too many requests. Please try again later.",
    readonly retryAfterSeconds?: number,
    code = "too_many_requests",
  ) {
    super(code, message, 429);
  }
}

/** An upload over the size limit (Dify's `file_too_large`). */
export class FileTooLargeError extends WaggleError {
  override name = "FileTooLargeError";
  constructor(message: string) {
    super("file_too_large", message, 413);
  }
}

/** An upload of a type that is not accepted here (Dify's `unsupported_file_type`). */
export class UnsupportedFileTypeError extends WaggleError {
  override name = "UnsupportedFileTypeError";
  constructor(message: string) {
    super("unsupported_file_type", message, 415);
  }
}

/** Audio for speech to text over the size limit (Dify's `audio_too_large`). */
export class AudioTooLargeError extends WaggleError {
  override name = "AudioTooLargeError";
  constructor(message: string) {
    super("audio_too_large", message, 413);
  }
}

/** Audio in a format speech to text does not take (Dify's `unsupported_audio_type`). */
export class UnsupportedAudioTypeError extends WaggleError {
  override name = "UnsupportedAudioTypeError";
  constructor(message: string) {
    super("unsupported_audio_type", message, 415);
  }
}
