import type { ToolDefinition } from "../../models";

/**
 * The ReAct system prompt, in the format of Dify's chat template (`core/agent/prompt/template.py`):
 * a JSON blob with `action` and `action_input`, "Final Answer" to finish.
 */
export function reactSystemPrompt(instruction: string, tools: ToolDefinition[]): string {
  const toolList = tools.length ? tools.map((tool) => JSON.stringify({ name: tool.name, description: tool.description ?? "", parameters: tool.parameters })).join("\n") : "(no tools)";
  const names = tools.map((tool) => JSON.stringify(tool.name)).join(", ");
  return `Respond to the human as helpfully and accurately as possible.

${instruction}

You have access to the following tools:

${toolList}

Use a json blob to specify a tool by providing an action key (tool name) and an action_input key (tool input).
Valid "action" values: "Final Answer"${names ? ` or ${names}` : ""}

Provide only ONE action per $JSON_BLOB, as shown:

\`\`\`
{
  "action": $TOOL_NAME,
  "action_input": $ACTION_INPUT
}
\`\`\`

Follow this format:

Question: input question to answer
Thought: consider previous and subsequent steps
Action:
\`\`\`
$JSON_BLOB
\`\`\`
Observation: action result
... (repeat Thought/Action/Observation N times)
Thought: I know what to respond
Action:
\`\`\`
{
  "action": "Final Answer",
  "action_input": "Final response to human"
}
\`\`\`

Begin! Reminder to ALWAYS respond with a valid json blob of a single action. Use tools if necessary. Respond directly if appropriate. Format is Action:\`\`\`$JSON_BLOB\`\`\`then Observation:.`;
}

export interface ReactStep {
  thought: string;
  /** The tool the model chose, or null when it answered. */
  action: { name: string; input: unknown } | null;
  finalAnswer: string | null;
}

const FINAL = /^final[ _-]?answer$/i;

function balancedObject(text: string, from: number): string | null {
  let depth = 0;
  let quote = false;
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (quote) {
      if (char === "\\") i++;
      else if (char === '"') quote = false;
    } else if (char === '"') quote = true;
    else if (char === "{") depth++;
    else if (char === "}" && --depth === 0) return text.slice(from, i + 1);
  }
  return null;
}

/** The first JSON object in the text that has an `action` key, with where it starts. */
function actionBlob(text: string): { value: { action: unknown; action_input?: unknown }; at: number } | null {
  for (let at = text.indexOf("{"); at !== -1; at = text.indexOf("{", at + 1)) {
    const candidate = balancedObject(text, at);
    if (!candidate) continue;
    try {
      const value = JSON.parse(candidate) as Record<string, unknown>;
      if (value && typeof value === "object" && "action" in value) return { value: value as { action: unknown; action_input?: unknown }, at };
    } catch {
      // not JSON; keep looking
    }
  }
  return null;
}

function stripLabel(text: string, label: string): string {
  return text.replace(new RegExp(`^\\s*${label}\\s*:\\s*`, "i"), "").trim();
}

function asAnswer(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * Reads one ReAct step from model output: the JSON blob form (`{"action", "action_input"}`), the
 * classic `Action: name` / `Action Input: …` lines, or `Final Answer: …`. Output with no action
 * at all is the final answer, as Dify treats it.
 *
 * @example
 * parseReactOutput('Thought: add\nAction:\n```\n{"action": "add", "action_input": {"a": 1}}\n```')
 * // { thought: "add", action: { name: "add", input: { a: 1 } }, finalAnswer: null }
 */
export function parseReactOutput(output: string): ReactStep {
  const observation = output.search(/\n\s*Observation\s*:/i);
  const text = observation === -1 ? output : output.slice(0, observation);
  const blob = actionBlob(text);
  if (blob) {
    const before = text.slice(0, blob.at).replace(/```(?:json)?\s*$/i, "");
    const thought = stripLabel(before.replace(/\bAction\s*:\s*$/i, ""), "Thought");
    const name = String(blob.value.action ?? "").trim();
    if (FINAL.test(name)) return { thought, action: null, finalAnswer: asAnswer(blob.value.action_input ?? "") };
    return { thought, action: { name, input: blob.value.action_input ?? {} }, finalAnswer: null };
  }
  const actionLine = /^\s*Action\s*:\s*(.+)$/im.exec(text);
  const inputLine = /^\s*Action Input\s*:\s*([\s\S]*)$/im.exec(text);
  if (actionLine) {
    const thought = stripLabel(text.slice(0, actionLine.index), "Thought");
    const name = actionLine[1]!.trim().replace(/^[`"']|[`"']$/g, "");
    const rawInput = (inputLine?.[1] ?? "").trim().replace(/^```(?:json)?\s*|\s*```$/g, "");
    if (FINAL.test(name)) return { thought, action: null, finalAnswer: rawInput };
    let input: unknown = rawInput;
    try {
      input = rawInput ? (JSON.parse(rawInput) as unknown) : {};
    } catch {
      input = rawInput;
    }
    return { thought, action: { name, input }, finalAnswer: null };
  }
  const final = /Final Answer\s*:\s*([\s\S]*)$/i.exec(text);
  if (final) return { thought: stripLabel(text.slice(0, final.index), "Thought"), action: null, finalAnswer: final[1]!.trim() };
  return { thought: "", action: null, finalAnswer: stripLabel(text, "Thought").trim() };
}
