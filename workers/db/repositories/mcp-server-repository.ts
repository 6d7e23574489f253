import { and, eq } from "drizzle-orm";
import { hashToken, randomToken } from "../../../core/security";
import type { Db } from "../client";
import { nowSeconds } from "../client";
import { appMcpServers, apps, workspaces } from "../schema";

export type McpServerRow = typeof appMcpServers.$inferSelect;
type App = typeof apps.$inferSelect;

/** A new server code (24 letters and digits) with what is stored of it. */
async function newServerCode(): Promise<{ code: string; serverCodeHash: string; codeHint: string }> {
  const code = randomToken(24);
  return { code, serverCodeHash: await hashToken(code), codeHint: `${code.slice(0, 2)}…${code.slice(-2)}` };
}

/** One tenant's apps exposed as MCP servers (at most one server per app). */
export class McpServerRepository {
  constructor(private readonly db: Db, private readonly tenantId: string) {}

  async forApp(appId: string): Promise<McpServerRow | undefined> {
    const rows = await this.db.select().from(appMcpServers).where(and(eq(appMcpServers.tenantId, this.tenantId), eq(appMcpServers.appId, appId))).limit(1);
    return rows[0];
  }

  /** Creates the app's server; the plain code is returned this once. */
  async create(appId: string, values: { description: string; parameters: Record<string, string> }): Promise<{ row: McpServerRow; code: string }> {
    const { code, ...stored } = await newServerCode();
    const rows = await this.db
      .insert(appMcpServers)
      .values({ id: crypto.randomUUID(), tenantId: this.tenantId, appId, ...stored, description: values.description, parameters: values.parameters, status: "active" })
      .returning();
    return { row: rows[0]!, code };
  }

  /** Replaces the code (the old URL stops working); the plain code is returned this once. */
  async renewCode(appId: string): Promise<{ row: McpServerRow; code: string } | undefined> {
    const { code, ...stored } = await newServerCode();
    const row = await this.update(appId, stored);
    return row ? { row, code } : undefined;
  }

  async update(appId: string, values: Partial<Pick<McpServerRow, "description" | "parameters" | "status" | "serverCodeHash" | "codeHint">>): Promise<McpServerRow | undefined> {
    const rows = await this.db
      .update(appMcpServers)
      .set({ ...values, updatedAt: nowSeconds() })
      .where(and(eq(appMcpServers.tenantId, this.tenantId), eq(appMcpServers.appId, appId)))
      .returning();
    return rows[0];
  }
}

export interface ResolvedMcpServer {
  server: McpServerRow;
  app: App;
  tenantStatus: string;
}

/** Finds the server behind a code, with its app and workspace status (the code is the credential, as an API key is). */
export async function resolveMcpServer(db: Db, serverCode: string): Promise<ResolvedMcpServer | undefined> {
  const serverCodeHash = await hashToken(serverCode);
  const rows = await db
    .select({ server: appMcpServers, app: apps, tenantStatus: workspaces.status })
    .from(appMcpServers)
    .innerJoin(apps, and(eq(apps.id, appMcpServers.appId), eq(apps.tenantId, appMcpServers.tenantId)))
    .innerJoin(workspaces, eq(workspaces.id, appMcpServers.tenantId))
    .where(eq(appMcpServers.serverCodeHash, serverCodeHash))
    .limit(1);
  return rows[0];
}
