// A 100-node workflow draft in Dify's JSON, for `bench:web`'s canvas figure: start → 32 IF/ELSE
// steps, each branching to a Code node (true) or a Template node (false) that join again at the
// next step → a closing chain of Code and Template nodes → end. Laid out ten to a row.

const COLUMNS = 10;
const at = (index) => ({ x: (index % COLUMNS) * 300, y: Math.floor(index / COLUMNS) * 180 });

/** The graph's `{ nodes, edges }`, `size` nodes in all (at least 5). */
export function hundredNodeGraph(size = 100) {
  const nodes = [];
  const edges = [];
  const add = (id, data) => {
    nodes.push({ id, type: "custom", position: at(nodes.length), width: 244, height: 90, data: { desc: "", selected: false, ...data } });
    return id;
  };
  const link = (source, target, sourceHandle = "source") => {
    const sourceType = nodes.find((n) => n.id === source).data.type;
    const targetType = nodes.find((n) => n.id === target).data.type;
    edges.push({ id: `${source}-${sourceHandle}-${target}-target`, type: "custom", source, sourceHandle, target, targetHandle: "target", data: { sourceType, targetType, isInIteration: false }, zIndex: 0 });
  };
  const code = (id, title) =>
    add(id, {
      type: "code",
      title,
      code_language: "javascript",
      code: `function main({ arg1 }) {\n  return { result: arg1 + " / ${title}" };\n}\n`,
      variables: [{ variable: "arg1", value_selector: ["start", "topic"] }],
      outputs: { result: { type: "string", children: null } },
    });
  const template = (id, title) => add(id, { type: "template-transform", title, template: `{{ arg1 }} — ${title}`, variables: [{ variable: "arg1", value_selector: ["start", "topic"] }] });

  add("start", { type: "start", title: "Start", variables: [{ variable: "topic", label: "Topic", type: "text-input", required: false, max_length: 256, options: [] }] });
  // The branches' two nodes and the join in front of each: three nodes a step, while room remains
  // for at least the closing chain's last node and the end.
  let tails = ["start"];
  let step = 0;
  while (nodes.length + 3 <= size - 2) {
    step += 1;
    const test = add(`ifelse${step}`, {
      type: "if-else",
      title: `Check ${step}`,
      cases: [{ case_id: "true", logical_operator: "and", conditions: [{ id: `c${step}`, varType: "string", variable_selector: ["start", "topic"], comparison_operator: "contains", value: String(step % 10) }] }],
    });
    for (const tail of tails) link(tail, test);
    const yes = code(`code${step}`, `Code ${step}`);
    const no = template(`template${step}`, `Template ${step}`);
    link(test, yes, "true");
    link(test, no, "false");
    tails = [yes, no];
  }
  let last = 0;
  while (nodes.length < size - 1) {
    last += 1;
    const id = last % 2 ? code(`tail${last}`, `Tail code ${last}`) : template(`tail${last}`, `Tail template ${last}`);
    for (const tail of tails) link(tail, id);
    tails = [id];
  }
  const end = add("end", { type: "end", title: "End", outputs: [{ variable: "result", value_selector: [tails[0], last % 2 ? "result" : "output"] }] });
  for (const tail of tails) link(tail, end);
  return { nodes, edges };
}
