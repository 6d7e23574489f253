import { z } from "zod";
import { baseNodeDataSchema, selectorSchema } from "../../dsl";

export const httpAuthorizationSchema = z.looseObject({
  type: z.string().default("no-auth"),
  config: z
    .looseObject({
      type: z.string().nullish(),
      api_key: z.string().nullish(),
      header: z.string().nullish(),
    })
    .nullish(),
});

export const httpBodyItemSchema = z.looseObject({
  id: z.string().nullish(),
  key: z.string().default(""),
  type: z.string().default("text"),
  value: z.string().nullish(),
  file: selectorSchema.nullish(),
});

export const httpBodySchema = z.looseObject({
  type: z.string().default("none"),
  // Older DSL stores the raw body as a string.
  data: z.union([z.array(httpBodyItemSchema), z.string()]).nullish(),
});

export const httpTimeoutSchema = z.looseObject({
  connect: z.number().nullish(),
  read: z.number().nullish(),
  write: z.number().nullish(),
});

export const httpRequestNodeDataSchema = baseNodeDataSchema.extend({
  type: z.literal("http-request"),
  method: z.string().default("get"),
  url: z.string().default(""),
  authorization: httpAuthorizationSchema.default({ type: "no-auth" }),
  headers: z.string().default(""),
  params: z.string().default(""),
  body: httpBodySchema.nullish(),
  timeout: httpTimeoutSchema.nullish(),
  ssl_verify: z.boolean().nullish(),
});
export type HttpRequestNodeData = z.infer<typeof httpRequestNodeDataSchema>;
export type HttpBodyItem = z.infer<typeof httpBodyItemSchema>;
