import type { App } from "../db/repositories";

/**
 * A published web app's visitor, handed from the `/api/*` routes to the `/v1` handlers they reuse.
 * It travels on the `env` of an internal dispatch under a symbol key: a request from outside the
 * Worker has no way to set it, so it cannot stand in for an API key.
 */
export interface WebPrincipal {
  app: App;
  tenantId: string;
  tokenQuota: number | null;
  credentialsRevision: number;
  /** The end user's session id (the `user` of the service API). */
  endUserSession: string;
  siteCode: string;
}

export const WEB_PRINCIPAL: unique symbol = Symbol("waggle.webPrincipal");

export function webPrincipalOf(env: object): WebPrincipal | undefined {
  return (env as { [WEB_PRINCIPAL]?: WebPrincipal })[WEB_PRINCIPAL];
}

export function withWebPrincipal<E extends object>(env: E, principal: WebPrincipal): E {
  return { ...env, [WEB_PRINCIPAL]: principal };
}
