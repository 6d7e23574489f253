import { z } from "@hono/zod-openapi";

/** Dify's `user`: the caller-chosen end-user id every service-API call names. */
export const endUserField = z.string({ error: "user is required" }).trim().min(1, "user is required").max(255);

/** A file reference in `files[]` or a file input: `{type, transfer_method, upload_file_id | url}`. */
export const fileReferenceSchema = z
  .object({ type: z.string(), transfer_method: z.enum(["remote_url", "local_file"]), url: z.string().optional(), upload_file_id: z.string().optional() })
  .passthrough();

/** `files` as Dify's clients send it (the official client sends `null` when there are none). */
export const filesField = z.array(fileReferenceSchema).max(20).nullish();

/** The body of Dify's `/text-to-audio` (the service API adds `user`). */
export const textToAudioBody = z.object({
  message_id: z.string().max(64).nullish(),
  text: z.string().max(100_000).nullish(),
  voice: z.string().max(100).nullish(),
  streaming: z.boolean().nullish(),
});

/** An audio answer, for the OpenAPI document. */
export const audioResponse = { description: "The audio (`audio/mpeg` unless the model sent another type)", content: { "audio/mpeg": { schema: z.string() } } } as const;
