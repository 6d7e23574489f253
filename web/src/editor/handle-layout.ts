/**
 * Where a node's handles are, from its type, its data and its size, without drawing it. React Flow
 * draws an edge only once it knows both ends' handle positions; unless it is given them
 * (`node.handles`), it measures them from the page after the nodes are drawn, so a draft opens in
 * two passes: nodes, then nodes and edges. Given them, it draws everything at once
 * (`withSavedHandles`), and `useLaidOutHandles` (`laid-out-handles.ts`) spares it measuring again
 * what it was given.
 *
 * The figures mirror `editor.css` and React Flow's handle styles: a 10 × 10 handle centred on the
 * padding edge of a node with a 2 px border (`top: 50%`, `left: 0` / `right: 0`, translated by half
 * its size), branch handles centred on 20 px rows at the bottom of the node (`.wf-branch`,
 * `right: -17px`), and a container start badge's handle on the node's outer edge. `test/e2e/editor-panels-suite.ts` checks them against what React Flow measures
 * for every kind of node; a change to those styles must change this too.
 */
import { isContainerStart, isContainerType } from "./containers";
import { hasTargetHandle, sourceHandles, type FlowNode } from "./graph-model";

/** A handle as React Flow's `node.handles` takes it: top-left corner relative to the node, in canvas pixels. */
export interface NodeHandle {
  id: string;
  type: "source" | "target";
  position: "left" | "right";
  x: number;
  y: number;
  width: number;
  height: number;
}

const HANDLE = 10;
const BORDER = 2;
const PADDING_BOTTOM = 10;
const BRANCH_ROW = 20;
/** A branch handle's centre lies this far right of the node's outer edge (`right: -17px` from the content edge, 12 px padding). */
const BRANCH_OUTSET = 17 - 12 - BORDER;

/**
 * The handles of a node drawn at `width` × `height`, or undefined when only the page can tell
 * (containers, whose handles sit halfway down a box sized by their children; notes, which have none).
 */
export function handleLayout(node: Pick<FlowNode, "type" | "data">, width: number, height: number): NodeHandle[] | undefined {
  const type = node.data?.type;
  if (typeof type !== "string" || isContainerType(type)) return undefined;
  const box = (id: string, kind: "source" | "target", centreX: number, centreY: number): NodeHandle => ({
    id,
    type: kind,
    position: kind === "source" ? "right" : "left",
    x: centreX - HANDLE / 2,
    y: centreY - HANDLE / 2,
    width: HANDLE,
    height: HANDLE,
  });
  // A container's start badge is not positioned, so its handle sits on the node's own edge.
  if (node.type === "custom-iteration-start" || node.type === "custom-loop-start" || isContainerStart(type)) return [box("source", "source", width, height / 2)];
  if (node.type !== "custom") return undefined;
  const handles: NodeHandle[] = hasTargetHandle(node.data) ? [box("target", "target", BORDER, height / 2)] : [];
  const sources = sourceHandles(node.data);
  if (sources.length > 1 || sources[0]?.label) {
    // The rows are the last thing in the node, so they are counted up from its bottom edge.
    const firstRowTop = height - BORDER - PADDING_BOTTOM - sources.length * BRANCH_ROW;
    sources.forEach((source, index) => handles.push(box(source.id, "source", width + BRANCH_OUTSET, firstRowTop + index * BRANCH_ROW + BRANCH_ROW / 2)));
  } else for (const source of sources) handles.push(box(source.id, "source", width - BORDER, height / 2));
  return handles;
}

/**
 * Gives each node with a saved size its handles, for React Flow to draw the draft's edges with its
 * nodes. They are not enumerable, so they are never saved and no copy of the node carries them: a
 * node changed in the editor (new data, selected, measured) is a copy, and React Flow keeps the
 * handles it last had or measured for it rather than positions that may no longer hold.
 */
export function withSavedHandles<T extends FlowNode>(nodes: T[]): T[] {
  for (const node of nodes) {
    const width = node.measured?.width;
    const height = node.measured?.height;
    if (typeof width !== "number" || typeof height !== "number" || !(width > 0) || !(height > 0)) continue;
    const handles = handleLayout(node, width, height);
    if (handles) Object.defineProperty(node, "handles", { value: handles, enumerable: false, configurable: true, writable: true });
  }
  return nodes;
}

