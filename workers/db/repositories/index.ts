export { IdentityRepository, type Account, type SessionPrincipal } from "./identity-repository";
export { TenantRepository } from "./tenant-repository";
export { resolveApiKey, touchApiKey, KEY_USE_RESOLUTION_SECONDS, type ResolvedKey } from "./api-key-resolver";
export type { App, AppPatch } from "./app-repository";
export type { AppVersion, DraftContent } from "./version-repository";
export type { ApiKey, ApiKeyOwner } from "./api-key-repository";
export type { Member } from "./member-repository";
export type { WorkflowRunRow, NodeExecutionRow, EndUser, RunLogFilter } from "./run-repository";
export type { CredentialKey, ProviderCredentialRow } from "./provider-credential-repository";
