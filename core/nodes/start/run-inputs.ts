import { workflowGraphSchema } from "../../dsl";
import { startNodeDataSchema, type StartVariable } from "./schema";
import { validateStartInputs } from "./validate-inputs";

/**
 * The input form of a graph: the variables of its top-level start node (empty when there is
 * none). The Worker uses it for `/parameters` (`user_input_form`) and to check inputs up front.
 */
export function startVariablesOf(graph: unknown): StartVariable[] {
  const parsed = workflowGraphSchema.safeParse(graph);
  if (!parsed.success) return [];
  const start = parsed.data.nodes.find((node) => node.data.type === "start" && !node.parentId && !node.data.iteration_id && !node.data.loop_id);
  if (!start) return [];
  const data = startNodeDataSchema.safeParse(start.data);
  return data.success ? data.data.variables : [];
}

/**
 * Checks a run's inputs against the graph's start form before the run starts, so a bad request
 * gets a 400 `invalid_param` instead of a failed run. Throws `InvalidParamError`.
 *
 * @example
 * const inputs = validateRunInputs(app.graph, body.inputs);
 */
export function validateRunInputs(graph: unknown, inputs: Record<string, unknown>): Record<string, unknown> {
  return validateStartInputs(startVariablesOf(graph), inputs);
}
