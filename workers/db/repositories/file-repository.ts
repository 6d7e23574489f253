import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../client";
import { uploadFiles } from "../schema";

export type UploadFileRow = typeof uploadFiles.$inferSelect;

/** Uploaded files of one tenant (their bytes are in R2 under the tenant's folder). */
export class FileRepository {
  constructor(private readonly db: Db, private readonly tenantId: string) {}

  async insert(values: Omit<typeof uploadFiles.$inferInsert, "tenantId">): Promise<UploadFileRow> {
    return (await this.db.insert(uploadFiles).values({ ...values, tenantId: this.tenantId }).returning())[0]!;
  }

  async get(id: string): Promise<UploadFileRow | undefined> {
    return (await this.db.select().from(uploadFiles).where(and(eq(uploadFiles.tenantId, this.tenantId), eq(uploadFiles.id, id))).limit(1))[0];
  }

  async getMany(ids: string[]): Promise<UploadFileRow[]> {
    if (ids.length === 0) return [];
    return this.db.select().from(uploadFiles).where(and(eq(uploadFiles.tenantId, this.tenantId), inArray(uploadFiles.id, ids)));
  }
}
