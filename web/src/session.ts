import { computed, signal } from "@preact/signals";
import { ApiError, api, errorMessage, setUnauthorizedHandler, type Account, type Workspace } from "./api";
import { location$, navigate } from "./router";
import { SIGNED_IN_COOKIE } from "./signed-in-cookie";

export const account = signal<Account | null>(null);
export const workspace = signal<Workspace | null>(null);
/** "idle" until a protected page asks; "error" keeps the message for a retry screen. */
export const sessionState = signal<"idle" | "loading" | "ready" | "error">("idle");
export const sessionError = signal("");

export const PUBLIC_PATHS = ["/install", "/signin", "/activate"];

export const isPublicPath = (pathname: string) => PUBLIC_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));

const role = computed(() => workspace.value?.role ?? "normal");
/** Owners and admins manage people. */
export const canManageMembers = computed(() => role.value === "owner" || role.value === "admin");
/** Workspace-wide secrets (knowledge API keys) are for owners and admins. */
export const canManageWorkspaceKeys = canManageMembers;
/** Everyone but plain members builds apps, edits drafts and manages app keys (as in Dify). */
export const canEditApps = computed(() => role.value !== "normal");
/** Model provider credentials and default models: owners and admins (the API's rule). */
export const canManageModelProviders = canManageMembers;
/** Creating datasets, uploading and deleting documents: editors and up; every member reads and tests retrieval. */
export const canEditKnowledge = canEditApps;

/** The workspace's monthly token quota is the owner's to set (the API's rule); everyone reads usage. */
export const canSetTokenQuota = computed(() => role.value === "owner");

/**
 * Whether this browser may hold a session: the server sets `SIGNED_IN_COOKIE` beside its HttpOnly
 * session cookie, with the same lifetime, and clears both at sign-out or when it refuses the
 * session. Without it a visitor goes to sign-in (or setup) at once, instead of asking for the
 * session and getting a 401, which the browser logs as an error on every first visit.
 */
export function mayBeSignedIn(): boolean {
  return `; ${document.cookie}`.includes(`; ${SIGNED_IN_COOKIE}=`);
}

let loading: Promise<void> | null = null;

/** Loads the signed-in account and workspace once; a 401 sends the user away via the handler. */
export function loadSession(): Promise<void> {
  if (loading) return loading;
  sessionState.value = "loading";
  if (!mayBeSignedIn()) return redirectToEntry();
  loading = Promise.all([api.profile(), api.currentWorkspace()])
    .then(([profile, current]) => {
      account.value = profile;
      workspace.value = current;
      sessionState.value = "ready";
    })
    .catch((error) => {
      // A 401 is already being redirected; showing an error screen meanwhile would only flash.
      if (error instanceof ApiError && error.status === 401) return;
      sessionError.value = errorMessage(error);
      sessionState.value = "error";
    })
    .finally(() => {
      loading = null;
    });
  return loading;
}

export function clearSession(): void {
  account.value = null;
  workspace.value = null;
  sessionState.value = "idle";
}

let redirecting = false;

/** Where an unauthenticated visitor belongs: the setup page until setup is done, else sign-in. */
export async function redirectToEntry(): Promise<void> {
  if (redirecting) return;
  redirecting = true;
  let target = "/signin";
  try {
    const { step } = await api.setupStatus();
    if (step === "not_started") target = "/install";
  } catch {
    // Unknown setup state: sign-in is the safe default.
  }
  // Leave the protected page first, so it does not ask for the session again.
  navigate(target, { replace: true });
  clearSession();
  redirecting = false;
}

setUnauthorizedHandler(() => {
  if (!isPublicPath(location$.value.pathname)) void redirectToEntry();
});

export async function logout(): Promise<void> {
  try {
    await api.logout();
  } finally {
    clearSession();
    navigate("/signin");
  }
}
