import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { NotFoundError } from "../../../core/errors";
import { KnowledgeRepository, type Dataset, type KnowledgeDocument } from "../../db/repositories/knowledge-repository";
import type { AppEnv } from "../../http/app-env";
import type { Policy } from "../../http/route";

/**
 * The knowledge routes exist twice with the same handlers: Dify's knowledge API under `/v1`
 * (`dataset-…` keys) and the console's under `/console/api` (sessions; reads for every member,
 * writes for editors and up).
 */
export interface KnowledgeSurface {
  prefix: "/v1" | "/console/api";
  read: Policy;
  write: Policy;
  tag: string;
  /** `retrieve` on the service API, `hit-testing` in the console (Dify's names). */
  retrievePath: "retrieve" | "hit-testing";
}

export const serviceSurface: KnowledgeSurface = { prefix: "/v1", read: { auth: "dataset-key" }, write: { auth: "dataset-key" }, tag: "knowledge", retrievePath: "retrieve" };
export const consoleSurface: KnowledgeSurface = {
  prefix: "/console/api",
  read: { auth: "session" },
  write: { auth: "session", role: "editor" },
  tag: "console: knowledge",
  retrievePath: "hit-testing",
};

export const anyJson = z.record(z.string(), z.unknown());
export const datasetParam = z.object({ dataset_id: z.string().max(64) });
export const documentParam = datasetParam.extend({ document_id: z.string().max(64) });
export const pageQuery = {
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};

export function knowledgeOf(c: Context<AppEnv>): KnowledgeRepository {
  return new KnowledgeRepository(c.var.tenant.db, c.var.tenant.tenantId);
}

/** The caller's dataset, or 404 (another tenant's is simply not found). */
export async function requireDataset(c: Context<AppEnv>, datasetId: string): Promise<Dataset> {
  const dataset = await knowledgeOf(c).getDataset(datasetId);
  if (!dataset) throw new NotFoundError("Dataset not found.");
  return dataset;
}

export async function requireDocument(c: Context<AppEnv>, datasetId: string, documentId: string): Promise<{ dataset: Dataset; document: KnowledgeDocument }> {
  const dataset = await requireDataset(c, datasetId);
  const document = await knowledgeOf(c).getDocument(dataset.id, documentId);
  if (!document) throw new NotFoundError("Document not found.");
  return { dataset, document };
}

/** Dify's paginated list envelope. */
export function page<T>(data: T[], total: number, pageNumber: number, limit: number) {
  return { data, has_more: pageNumber * limit < total, limit, total, page: pageNumber };
}
