import { z } from "zod";

/** One thing wrong with a graph. `node_id` is null for graph-wide problems. */
export const problemSchema = z.object({
  node_id: z.string().nullable(),
  field: z.string(),
  message: z.string(),
});
export type Problem = z.infer<typeof problemSchema>;

/** Turns zod issues into problems whose `field` is the dotted path inside the node. */
export function problemsFromZod(nodeId: string | null, prefix: string, error: z.ZodError): Problem[] {
  return error.issues.map((issue) => ({
    node_id: nodeId,
    field: [prefix, ...issue.path.map(String)].filter(Boolean).join("."),
    message: issue.message,
  }));
}
