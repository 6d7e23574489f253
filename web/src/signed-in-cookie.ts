/**
 * The cookie the server sets beside its HttpOnly session cookie (`SIGNED_IN_COOKIE` in
 * `workers/middleware/session-auth.ts`, which the web app may not import): no credential, only a
 * sign that this browser may hold a session. Read by `mayBeSignedIn` and the boot script.
 */
export const SIGNED_IN_COOKIE = "waggle_signed_in";
