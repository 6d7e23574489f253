import { InvalidParamError, NotFoundError } from "../../core/errors";
import { uuidV7 } from "../../core/ports";
import type { Annotation, AnnotationJob, AnnotationSetting, TenantRepository } from "../db/repositories";
import type { Env } from "../env";
import { assertEmbeddingModelUsable, indexAnnotations, unindexAnnotations } from "./annotation-index";

type Json = Record<string, unknown>;

/** A job still `waiting` or `processing` after this long died with its Worker; a new one may start. */
const STALE_JOB_SECONDS = 15 * 60;

export const annotationReplyActions = ["enable", "disable"] as const;
export type AnnotationReplyAction = (typeof annotationReplyActions)[number];

/** Dify's annotation fields. */
export function serializeAnnotation(row: Annotation): { id: string; question: string; answer: string; hit_count: number; created_at: number } {
  return { id: row.id, question: row.question, answer: row.content, hit_count: row.hitCount, created_at: row.createdAt };
}

/** `annotation_reply` as `/parameters` and the model config report it (Dify's `annotation_reply_dict`). */
export function annotationReplyFeature(setting: AnnotationSetting | undefined): Json {
  if (!setting?.enabled) return { enabled: false };
  return {
    id: setting.id,
    enabled: true,
    score_threshold: setting.scoreThreshold,
    embedding_model: { embedding_provider_name: setting.embeddingProviderName, embedding_model_name: setting.embeddingModelName },
  };
}

/** What runs in the background of a request (`executionCtx.waitUntil`), or just runs when there is none. */
export type Background = (work: Promise<unknown>) => void;

export class AnnotationService {
  constructor(
    private readonly env: Env,
    private readonly tenant: TenantRepository,
    private readonly appId: string,
  ) {}

  private get repo() {
    return this.tenant.annotations;
  }

  async list(page: number, limit: number, keyword?: string) {
    const { rows, total } = await this.repo.list(this.appId, { page, limit, keyword });
    return { data: rows.map(serializeAnnotation), has_more: page * limit < total, limit, total, page };
  }

  /** Writes an annotation; with reply on, its question is indexed first, so a model failure stores nothing. */
  async create(input: { question: string; answer: string }, accountId: string | null) {
    // Time-ordered, so annotations written in the same second still list newest first.
    const id = uuidV7();
    const setting = await this.repo.setting(this.appId);
    if (setting?.enabled) await indexAnnotations(this.env, this.tenant.tenantId, this.appId, setting, [{ id, question: input.question }]);
    return serializeAnnotation(await this.repo.insert({ id, appId: this.appId, question: input.question, content: input.answer, createdBy: accountId }));
  }

  async update(id: string, input: { question: string; answer: string }) {
    const existing = await this.repo.get(this.appId, id);
    if (!existing) throw new NotFoundError("Annotation not found.");
    const setting = await this.repo.setting(this.appId);
    if (setting?.enabled && existing.question !== input.question) await indexAnnotations(this.env, this.tenant.tenantId, this.appId, setting, [{ id, question: input.question }]);
    const updated = await this.repo.update(this.appId, id, { question: input.question, content: input.answer });
    if (!updated) throw new NotFoundError("Annotation not found.");
    return serializeAnnotation(updated);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.repo.delete(this.appId, id))) throw new NotFoundError("Annotation not found.");
    if (await this.repo.setting(this.appId)) await unindexAnnotations(this.env, this.tenant.tenantId, this.appId, [id]);
  }

  /**
   * Starts enabling (index every question with the chosen model, then switch reply on) or
   * disabling (switch off, drop the index). A job of the same action still running is returned
   * instead of starting another, as Dify does.
   */
  async requestAction(action: string, body: { score_threshold?: number | null; embedding_provider_name?: string | null; embedding_model_name?: string | null }, accountId: string | null, background: Background) {
    if (!annotationReplyActions.includes(action as AnnotationReplyAction)) throw new InvalidParamError(`Unsupported annotation reply action "${action}": use enable or disable.`);
    let model: { embeddingProviderName: string; embeddingModelName: string; scoreThreshold: number } | undefined;
    if (action === "enable") {
      if (body.score_threshold === undefined || body.score_threshold === null) throw new InvalidParamError("score_threshold is required to enable annotation reply (a similarity between 0 and 1, e.g. 0.9).");
      model = { embeddingProviderName: body.embedding_provider_name ?? "", embeddingModelName: body.embedding_model_name ?? "", scoreThreshold: body.score_threshold };
      await assertEmbeddingModelUsable(this.env, this.tenant.tenantId, model);
    }
    const now = Math.floor(Date.now() / 1000);
    const running = (await this.repo.activeJobs(this.appId)).find((job) => job.action === action && job.createdAt > now - STALE_JOB_SECONDS);
    if (running) return { job_id: running.id, job_status: "processing" };
    const job = await this.repo.createJob(this.appId, action as AnnotationReplyAction);
    background(this.runJob(job, model, accountId));
    return { job_id: job.id, job_status: job.status };
  }

  async jobStatus(action: string, jobId: string) {
    if (!annotationReplyActions.includes(action as AnnotationReplyAction)) throw new InvalidParamError(`Unsupported annotation reply action "${action}": use enable or disable.`);
    const job = await this.repo.getJob(this.appId, jobId);
    if (!job || job.action !== action) throw new NotFoundError("The job does not exist.");
    return { job_id: job.id, job_status: job.status, error_msg: job.status === "error" ? (job.error ?? "") : "" };
  }

  private async runJob(job: AnnotationJob, model: { embeddingProviderName: string; embeddingModelName: string; scoreThreshold: number } | undefined, accountId: string | null): Promise<void> {
    try {
      await this.repo.setJobStatus(this.appId, job.id, "processing");
      if (job.action === "enable") {
        const rows = await this.repo.all(this.appId);
        await indexAnnotations(this.env, this.tenant.tenantId, this.appId, model!, rows);
        await this.repo.enable(this.appId, { ...model!, accountId });
        // Written or edited while the first pass ran (reply was not on yet, so not indexed by the write itself).
        const indexed = new Map(rows.map((row) => [row.id, row.question]));
        const missed = (await this.repo.all(this.appId)).filter((row) => indexed.get(row.id) !== row.question);
        await indexAnnotations(this.env, this.tenant.tenantId, this.appId, model!, missed);
      } else {
        await this.repo.disable(this.appId);
        const rows = await this.repo.all(this.appId);
        await unindexAnnotations(this.env, this.tenant.tenantId, this.appId, rows.map((row) => row.id));
      }
      await this.repo.setJobStatus(this.appId, job.id, "completed");
    } catch (error) {
      console.error(`annotation reply ${job.action} job failed`, error);
      const message = error instanceof Error ? error.message : String(error);
      await this.repo.setJobStatus(this.appId, job.id, "error", message).catch((failure: unknown) => console.error("recording the job's failure failed", failure));
    }
  }
}
