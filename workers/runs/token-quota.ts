import type { Context } from "hono";
import { BadRequestError } from "../../core/errors";
import type { AppEnv } from "../http/app-env";

/**
 * Refuses a new generation once the workspace has used its monthly token quota (400
 * `provider_quota_exceeded`, as Dify answers for an exhausted provider quota). Usage is written at
 * the end of each run, so runs already going when the quota is reached still finish. Workspaces
 * without a quota pay nothing: the service API learns the quota from the key lookup it already does.
 */
export async function assertTokenQuota(c: Context<AppEnv>): Promise<void> {
  const quota = c.var.tokenQuota !== undefined ? c.var.tokenQuota : await c.var.tenant.usage.quota();
  if (quota === null || quota <= 0) return;
  const used = await c.var.tenant.usage.tokensThisMonth();
  if (used >= quota) {
    throw new BadRequestError(
      `This workspace has used its monthly token quota (${used.toLocaleString("en-US")} of ${quota.toLocaleString("en-US")} tokens). It renews on the 1st (UTC); a workspace owner can raise it under Settings.`,
      "provider_quota_exceeded",
    );
  }
}
