import type { Db } from "../db/client";
import type { AnnotationSetting, App, IdentityRepository, SessionPrincipal, SiteRow, TenantRepository } from "../db/repositories";
import type { WebPrincipal } from "../middleware/web-principal";
import type { Env } from "../env";

/** Per-request values set by middleware. */
export interface AppVariables {
  db: Db;
  identity: IdentityRepository;
  /** Set by session auth (console) and API-key auth (service API): the caller's tenant. */
  tenant: TenantRepository;
  principal: SessionPrincipal;
  /** Set by app-key auth. */
  serviceApp: App;
  apiKeyId: string;
  /** Set by app-key auth: the workspace's monthly token quota (null: none). */
  tokenQuota: number | null;
  /** Set by app-key and web passport auth: the workspace's credentials revision (see `tenantCredentialSource`). */
  credentialsRevision: number;
  /** Set by app-key auth: the app's annotation reply setting, read with the key (null: none). */
  annotationSetting: AnnotationSetting | null;
  /** Set by web passport auth: the published web app's visitor and the site they use. */
  webVisitor: WebPrincipal;
  webSite: SiteRow;
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };
