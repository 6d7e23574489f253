import { z } from "@hono/zod-openapi";

/** Request and response shapes of the annotation routes, shared by the service API and the console. */
export const annotationBody = z.object({
  question: z.string({ error: "question is required" }).trim().min(1, "question is required").max(100_000),
  answer: z.string({ error: "answer is required" }).max(100_000),
});

export const annotationListQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  keyword: z.string().max(1000).optional(),
});

export const annotationSchema = z.object({ id: z.string(), question: z.string(), answer: z.string(), hit_count: z.number(), created_at: z.number() });

export const annotationListSchema = z.object({ data: z.array(annotationSchema), has_more: z.boolean(), limit: z.number(), total: z.number(), page: z.number() });

/** `embedding_*` are required to enable; disabling takes them too (Dify's clients always send them) but needs none. */
export const replyActionBody = z.object({
  score_threshold: z.number().min(0, "score_threshold must be between 0 and 1").max(1, "score_threshold must be between 0 and 1").nullish(),
  embedding_provider_name: z.string().max(200).nullish(),
  embedding_model_name: z.string().max(200).nullish(),
});

export const jobSchema = z.object({ job_id: z.string(), job_status: z.string() });
export const jobStatusSchema = jobSchema.extend({ error_msg: z.string() });
