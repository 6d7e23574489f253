/**
 * The visual editor for workflow and chatflow drafts: React Flow (through preact/compat) over
 * Dify's graph JSON, with a palette, node panel, undo/redo, copy/paste, auto-layout, debounced
 * autosave guarded by the draft hash, and draft runs that light nodes up live.
 */
import {
  Background,
  BezierEdge,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  applyEdgeChanges,
  applyNodeChanges,
  getViewportForBounds,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import "./editor.css";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { ApiError, api, errorMessage, type App } from "../api";
import { showToast } from "../components/toast";
import { account, canEditApps } from "../session";
import { currentRun, problemsByNodeId } from "./editor-signals";
import { GraphHistory } from "./graph-history";
import { ContainerActionsContext, type ContainerActions } from "./container-actions";
import { CONTAINER_SIZE, allowedInside, canConnect, containerAt, dropIntoContainer, edgeMembership, fitContainers, isContainerStart, isContainerType, moveOutOfContainer, newContainer, nextChildPosition, placeInContainer, selectionForCopy } from "./containers";
import { withSavedHandles } from "./handle-layout";
import { useLaidOutHandles } from "./laid-out-handles";
import { duplicate, edgeId, freeSpot, newNodeId, NOTE_SIZE, sameStructure, savedBounds, toDify, toFlow, type FlowEdge, type FlowNode } from "./graph-model";
import { parseServerProblems, problemsByNode, sameProblems, withTitles, type Problem } from "./graph-problems";
import { defaultNodeData, nodeKind, type NodeData } from "./node-catalog";
import { NodePalette } from "./node-palette";
import { NodePanel } from "./node-panel";
import { RunPanel } from "./run-panel";
import { EditorToolbar } from "./editor-toolbar";
import { EnvironmentPanel } from "./environment-panel";
import { NoteNode } from "./note-node";
import { FeaturesPanel } from "./features-panel";
import { IDLE_RUN } from "./run-state";
import { ContainerStartNode, WorkflowNode } from "./workflow-node";

export const CONFLICT_MESSAGE = "Someone else saved this draft; reload to get the latest.";
const AUTOSAVE_MS = 1500;
const MIN_ZOOM = 0.2;
const FIT_MAX_ZOOM = 1;
const FIT_PADDING = 0.2;

/** A chunk fetched on first use and kept; a failed download is forgotten, so the next use asks again. */
function lazyChunk<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () =>
    (pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    }));
}
/** The validator (`validateGraph` and its schemas): fetched when idle after a draft opens, or at the first edit. */
const loadGraphCheck = lazyChunk(() => import("./graph-check"));
/** Auto-layout (dagre, a sixth of the canvas's code): fetched with the validator, or at the first "Layout". */
const loadAutoLayout = lazyChunk(() => import("./auto-layout"));

// React Flow copies its props into its store and re-renders every node and edge when one of them
// changes identity, so what it is given is either a module constant or a stable function.
const nodeTypes = { custom: WorkflowNode, "custom-iteration-start": ContainerStartNode, "custom-loop-start": ContainerStartNode, "custom-note": NoteNode };
const edgeTypes = { custom: BezierEdge };
const DELETE_KEYS = ["Backspace", "Delete"];
const MULTI_SELECT_KEYS = ["Meta", "Control", "Shift"];
const DEFAULT_EDGE_OPTIONS = { type: "custom" };
const PRO_OPTIONS = { hideAttribution: true };
const MINIMAP_STYLE = { width: 150, height: 100 };
const minimapColour = (node: { data: unknown }) => nodeKind((node.data as NodeData).type).colour;

interface Graph {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

interface DraftExtras {
  hash?: string;
  features: Record<string, unknown>;
  environment_variables: { name?: unknown; value_type?: unknown }[];
  conversation_variables: { name?: unknown; value_type?: unknown }[];
}

/** Copied nodes survive switching apps within the tab, like Dify's clipboard. */
let clipboard: Graph | null = null;

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));

interface EditorProps {
  app: App;
  /** Set to the editor's save, so the page can save before switching to the JSON view. */
  flushRef?: { current: (() => Promise<boolean>) | null };
}

export function WorkflowEditor({ app, flushRef }: EditorProps) {
  return (
    <ReactFlowProvider>
      <Editor app={app} flushRef={flushRef} />
    </ReactFlowProvider>
  );
}

/**
 * As in Dify, the start node cannot be deleted (a run has nowhere to begin without it), nor a
 * container's start node unless the container goes too.
 */
async function keepStartNode({ nodes, edges }: { nodes: { id: string; data: unknown; parentId?: string }[]; edges: { source: string; target: string; selected?: boolean }[] }) {
  const removed = new Set(nodes.map((n) => n.id));
  const kept = nodes.filter((n) => {
    const type = (n.data as NodeData).type;
    return type !== "start" && !(isContainerStart(type) && !(n.parentId && removed.has(n.parentId)));
  });
  if (kept.length === nodes.length) return true;
  const ids = new Set(kept.map((n) => n.id));
  return { nodes: kept, edges: edges.filter((e) => e.selected || ids.has(e.source) || ids.has(e.target)) } as never;
}

function Editor({ app, flushRef }: EditorProps) {
  const flow = useReactFlow();
  useLaidOutHandles();
  const readOnly = !canEditApps.value;
  const [graph, setGraph] = useState<Graph | null>(null);
  const [extras, setExtras] = useState<DraftExtras>({ features: {}, environment_variables: [], conversation_variables: [] });
  const [loadError, setLoadError] = useState("");
  const [saveError, setSaveError] = useState("");
  const [conflict, setConflict] = useState(false);
  const [saving, setSaving] = useState(false);
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [runOpen, setRunOpen] = useState(false);
  const [envOpen, setEnvOpen] = useState(false);
  const [featuresOpen, setFeaturesOpen] = useState(false);
  const [serverProblems, setServerProblems] = useState<Problem[]>([]);
  /** The draft as it came from the server (see the local check below). */
  const asLoaded = useRef<{ graph: Graph; extras: DraftExtras } | null>(null);
  const [, setTick] = useState(0);

  // Mirrors of state for handlers that outlive a render (timers, key listeners).
  const graphRef = useRef<Graph | null>(null);
  graphRef.current = graph;
  const extrasRef = useRef(extras);
  extrasRef.current = extras;
  const history = useRef<GraphHistory<Graph> | null>(null);
  const dirtyVersion = useRef(0);
  const savedVersion = useRef(0);
  const saveTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const savingNow = useRef<Promise<boolean> | null>(null);
  const conflictRef = useRef(false);
  conflictRef.current = conflict;
  const wrapper = useRef<HTMLDivElement>(null);
  /** "saved": fit the draft as loaded from its saved node sizes; "measured": fit once React Flow has measured. */
  const fitPending = useRef<false | "saved" | "measured">(false);
  // React Flow takes new node positions in its own effects, which run before this one (children
  // first), so fitting here sees the laid-out graph; a timer or frame could run before them.
  useEffect(() => {
    const fit = fitPending.current;
    if (!fit || !graph) return;
    fitPending.current = false;
    // A draft opened with saved node sizes is framed before its nodes are first drawn, so they do
    // not appear unframed and jump once measured (React Flow's fitView waits for measurements).
    const bounds = fit === "saved" ? savedBounds(graph.nodes) : null;
    const pane = wrapper.current?.querySelector<HTMLElement>(".react-flow");
    if (bounds && pane && pane.clientWidth > 0 && pane.clientHeight > 0) void flow.setViewport(getViewportForBounds(bounds, pane.clientWidth, pane.clientHeight, MIN_ZOOM, FIT_MAX_ZOOM, FIT_PADDING));
    else void flow.fitView({ padding: FIT_PADDING, maxZoom: FIT_MAX_ZOOM });
  }, [graph]);

  const load = async () => {
    setLoadError("");
    setConflict(false);
    try {
      const draft = await api.workflowDraft(app.id).catch((caught) => {
        if (caught instanceof ApiError && caught.status === 404) return null;
        throw caught;
      });
      const loaded = toFlow(draft?.graph as never);
      // Nodes with a saved size come with their handles, so their edges are drawn with them.
      withSavedHandles(loaded.nodes);
      const loadedExtras: DraftExtras = {
        hash: draft?.hash,
        features: draft?.features ?? {},
        environment_variables: (draft?.environment_variables ?? []) as DraftExtras["environment_variables"],
        conversation_variables: (draft?.conversation_variables ?? []) as DraftExtras["conversation_variables"],
      };
      asLoaded.current = { graph: loaded, extras: loadedExtras };
      setExtras(loadedExtras);
      setServerProblems((draft?.problems ?? []).map((p) => ({ node_id: p.node_id, field: p.field ?? "", message: p.message })));
      history.current = new GraphHistory<Graph>(loaded);
      dirtyVersion.current = savedVersion.current = 0;
      setSavedAt(draft?.updated_at ?? null);
      setGraph(loaded);
      const viewport = draft?.graph?.viewport;
      if (viewport && viewport.zoom) requestAnimationFrame(() => void flow.setViewport(viewport));
      else fitPending.current = "saved";
    } catch (caught) {
      setLoadError(errorMessage(caught));
    }
  };

  useEffect(() => {
    currentRun.value = IDLE_RUN;
    void load();
    return () => {
      clearTimeout(saveTimer.current);
      currentRun.value = IDLE_RUN;
      problemsByNodeId.value = new Map();
    };
  }, [app.id]);

  /** Saves now if anything changed; false when it could not (conflict or error). */
  const save = async (): Promise<boolean> => {
    clearTimeout(saveTimer.current);
    if (savingNow.current) await savingNow.current;
    const current = graphRef.current;
    if (!current || readOnly || conflictRef.current) return !conflictRef.current;
    const version = dirtyVersion.current;
    if (version === savedVersion.current && extrasRef.current.hash) return true;
    const attempt = (async () => {
      setSaving(true);
      setSaveError("");
      try {
        const result = await api.saveWorkflowDraft(app.id, {
          graph: toDify(current.nodes, current.edges, flow.getViewport()) as never,
          features: extrasRef.current.features,
          environment_variables: extrasRef.current.environment_variables,
          conversation_variables: extrasRef.current.conversation_variables,
          hash: extrasRef.current.hash,
        });
        extrasRef.current = { ...extrasRef.current, hash: result.hash };
        setExtras(extrasRef.current);
        // What the server's checks (the real node schemas) find in the saved graph, shown on the
        // nodes — unless the graph changed while it saved: the next save brings the current ones.
        if (result.problems && dirtyVersion.current === version) setServerProblems(result.problems.map((p) => ({ node_id: p.node_id, field: p.field ?? "", message: p.message })));
        savedVersion.current = Math.max(savedVersion.current, version);
        setSavedAt(result.updated_at);
        return true;
      } catch (caught) {
        if (caught instanceof ApiError && (caught.code === "draft_workflow_not_sync" || caught.status === 409)) {
          conflictRef.current = true;
          setConflict(true);
        } else setSaveError(errorMessage(caught));
        return false;
      } finally {
        setSaving(false);
        savingNow.current = null;
      }
    })();
    savingNow.current = attempt;
    return attempt;
  };

  if (flushRef) flushRef.current = save;

  const scheduleSave = () => {
    clearTimeout(saveTimer.current);
    if (!readOnly) saveTimer.current = setTimeout(() => void save(), AUTOSAVE_MS);
  };

  /** A change to what is saved beside the graph (environment variables, features): saved, not undone. */
  const changeExtras = (change: Partial<DraftExtras>) => {
    if (readOnly) return;
    extrasRef.current = { ...extrasRef.current, ...change };
    setExtras(extrasRef.current);
    dirtyVersion.current += 1;
    scheduleSave();
  };

  /** A change worth an undo step and a save. */
  const commit = (next: Graph, coalesceKey?: string) => {
    setGraph(next);
    graphRef.current = next;
    history.current?.push(next, coalesceKey);
    dirtyVersion.current += 1;
    setTick((t) => t + 1);
    scheduleSave();
  };

  // Leaving with unsaved changes: save on the way out when possible, and warn on reloads.
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (dirtyVersion.current !== savedVersion.current) event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => {
      window.removeEventListener("beforeunload", warn);
      if (dirtyVersion.current !== savedVersion.current) void save();
    };
  }, []);

  // Validation reads what nodes say and how they connect, so moving or measuring nodes (every
  // frame of a drag, every node of a freshly opened graph) keeps the last result.
  const structure = useRef<Graph | null>(null);
  if (graph && (!structure.current || structure.current.edges !== graph.edges || !sameStructure(structure.current.nodes, graph.nodes))) structure.current = graph;
  const checked = structure.current;
  // Validation arrives a moment after the graph: the nodes are drawn first. The draft as loaded
  // needs none here: the server checked it with the real node schemas and sent its problems with
  // it, so the checker's chunk loads later, ready for the first edit (or with it).
  const [localProblems, setLocalProblems] = useState<Problem[]>([]);
  useEffect(() => {
    if (!checked) return;
    if (checked === asLoaded.current?.graph && extras === asLoaded.current.extras) {
      // Not while the canvas settles and takes its first clicks: a few seconds on, when idle.
      const idle = window.requestIdleCallback ?? ((run: () => void) => window.setTimeout(run, 0));
      // Only a head start: a chunk that fails here is asked for again when it is used.
      const timer = window.setTimeout(() => idle(() => void Promise.all([loadGraphCheck(), loadAutoLayout()]).catch(() => undefined), { timeout: 5000 }), 3000);
      return () => window.clearTimeout(timer);
    }
    let current = true;
    const names = (list: { name?: unknown }[]) => list.map((v) => String(v.name ?? ""));
    void loadGraphCheck().then(({ checkGraph }) => {
      if (!current) return;
      const found = checkGraph(toDify(checked.nodes, checked.edges, { x: 0, y: 0, zoom: 1 }), app.mode, names(extras.environment_variables), names(extras.conversation_variables));
      // No problems before or after: nothing to draw again.
      setLocalProblems((previous) => (found.length === 0 && previous.length === 0 ? previous : found));
    });
    return () => {
      current = false;
    };
  }, [checked, extras]);
  const problems = useMemo(() => {
    if (!checked) return [];
    const key = (p: Problem) => `${p.node_id}|${p.field}|${p.message}`;
    const seen = new Set(localProblems.map(key));
    return [...localProblems, ...serverProblems.filter((p) => !seen.has(key(p)))].map((p) => ({ ...p, message: withTitles(p.message, checked.nodes) }));
  }, [checked, localProblems, serverProblems]);
  useEffect(() => {
    // Every node reads this signal: a new map that says the same would re-render them all.
    const next = problemsByNode(problems);
    if (!sameProblems(problemsByNodeId.value, next)) problemsByNodeId.value = next;
  }, [problems]);

  // One deletion reaches us as edge changes and then node changes, in the same task: one undo step.
  const deletion = useRef<string | null>(null);
  const deletionStep = () => {
    if (!deletion.current) {
      deletion.current = `delete:${Date.now()}:${Math.random()}`;
      queueMicrotask(() => (deletion.current = null));
    }
    return deletion.current;
  };

  const onNodesChange = (changes: NodeChange[]) => {
    const current = graphRef.current;
    if (!current) return;
    let nodes = applyNodeChanges(changes, current.nodes as never) as unknown as FlowNode[];
    // A child moved or measured may need a bigger container.
    if (changes.some((c) => c.type !== "select" && c.type !== "remove" && "id" in c && nodes.find((n) => n.id === c.id)?.parentId)) nodes = fitContainers(nodes);
    const removed = changes.some((c) => c.type === "remove");
    const next = { nodes, edges: removed ? current.edges.filter((e) => nodes.some((n) => n.id === e.source) && nodes.some((n) => n.id === e.target)) : current.edges };
    if (removed && !readOnly) commit(next, deletionStep());
    else {
      setGraph(next);
      graphRef.current = next;
      history.current?.replace(next);
    }
  };

  const onEdgesChange = (changes: EdgeChange[]) => {
    const current = graphRef.current;
    if (!current) return;
    const next = { ...current, edges: applyEdgeChanges(changes, current.edges as never) as unknown as FlowEdge[] };
    if (changes.some((c) => c.type === "remove") && !readOnly) commit(next, deletionStep());
    else {
      setGraph(next);
      graphRef.current = next;
      history.current?.replace(next);
    }
  };

  const onConnect = (connection: Connection) => {
    const current = graphRef.current;
    if (!current || readOnly || connection.source === connection.target) return;
    const source = current.nodes.find((n) => n.id === connection.source);
    const target = current.nodes.find((n) => n.id === connection.target);
    if (!source || !target || !canConnect(source, target)) return;
    const sourceHandle = connection.sourceHandle ?? "source";
    const id = edgeId(source.id, sourceHandle, target.id);
    if (current.edges.some((e) => e.id === id)) return;
    const membership = edgeMembership(source, current.nodes);
    const edge: FlowEdge = {
      id,
      type: "custom",
      source: source.id,
      sourceHandle,
      target: target.id,
      targetHandle: "target",
      ...membership,
      data: { sourceType: source.data.type, targetType: target.data.type, ...membership.data },
    };
    commit({ ...current, edges: [...current.edges, edge] });
  };

  /** A title not yet used by a node of this type ("Code", "Code 2", …). */
  const titleFor = (type: string, nodes: FlowNode[]) => {
    const label = nodeKind(type).label;
    const sameType = nodes.filter((n) => n.data.type === type).length;
    return sameType ? `${label} ${sameType + 1}` : label;
  };

  /** Adds a node, and a container's start node with it; `at` is its top-left corner on the canvas. */
  const insert = (current: Graph, added: FlowNode[]) => {
    const nodes = fitContainers([...current.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...added]);
    commit({ nodes, edges: current.edges });
    setSelectedId(added[0].id);
  };

  const makeNode = (type: string, nodes: FlowNode[], position: { x: number; y: number }): FlowNode[] => {
    const id = newNodeId(new Set(nodes.map((n) => n.id)));
    const data = defaultNodeData(type, titleFor(type, nodes));
    if (isContainerType(type)) {
      const [container, start] = newContainer(type, id, data, position);
      return [{ ...container, selected: true }, start];
    }
    return [{ id, type: "custom", position, data, selected: true }];
  };

  /**
   * Adds a node from the palette: dropped at `drop` (the cursor, on the canvas) — inside the
   * container there, if any — or, on a click, in view where it covers nothing.
   */
  const addNode = (type: string, drop?: { x: number; y: number }) => {
    const current = graphRef.current;
    if (!current || readOnly) return;
    const container = drop ? containerAt(drop, current.nodes) : undefined;
    if (drop && container && allowedInside(type, container.data.type as "iteration" | "loop")) {
      const relative = { x: Math.max(24, Math.round(drop.x - container.position.x - 120)), y: Math.max(60, Math.round(drop.y - container.position.y - 30)) };
      insert(current, [placeInContainer(makeNode(type, current.nodes, relative)[0], container, relative)]);
      return;
    }
    if (drop) {
      insert(current, makeNode(type, current.nodes, { x: Math.round(drop.x - 120), y: Math.round(drop.y - 30) }));
      return;
    }
    const box = wrapper.current?.querySelector(".react-flow")?.getBoundingClientRect();
    const centre = box ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }) : { x: 200, y: 200 };
    const size = isContainerType(type) ? CONTAINER_SIZE : { width: 240, height: 90 };
    const position = freeSpot({ x: Math.round(centre.x - 120), y: Math.round(centre.y - 40) }, current.nodes, size);
    insert(current, makeNode(type, current.nodes, position));
    // The free spot may be below what is in view: bring the new node into view.
    if (box) {
      const topLeft = flow.screenToFlowPosition({ x: box.left, y: box.top });
      const bottomRight = flow.screenToFlowPosition({ x: box.right, y: box.bottom });
      if (position.x < topLeft.x || position.y < topLeft.y || position.x + size.width > bottomRight.x || position.y + size.height > bottomRight.y) {
        void flow.setCenter(position.x + size.width / 2, position.y + size.height / 2, { zoom: flow.getZoom() });
      }
    }
  };

  /** Adds a node inside a container, right of its last child (the container's "+"). */
  const addInside = (containerId: string, type: string) => {
    const current = graphRef.current;
    const container = current?.nodes.find((n) => n.id === containerId);
    if (!current || !container || readOnly || !isContainerType(container.data.type) || !allowedInside(type, container.data.type)) return;
    const position = nextChildPosition(containerId, current.nodes);
    insert(current, [placeInContainer(makeNode(type, current.nodes, position)[0], container, position)]);
  };
  const addInsideRef = useRef(addInside);
  addInsideRef.current = addInside;
  // Stable, so container nodes do not re-render for every change of the editor.
  const containerActions = useMemo<ContainerActions>(
    () => ({ readOnly, mode: app.mode, addInside: (id, type) => addInsideRef.current(id, type), changeNote: (id, patch) => changeNoteRef.current(id, patch) }),
    [readOnly, app.mode],
  );

  const updateNodeData = (id: string, data: NodeData) => {
    const current = graphRef.current;
    if (!current || readOnly) return;
    commit({ ...current, nodes: current.nodes.map((n) => (n.id === id ? { ...n, data } : n)) }, `data:${id}`);
    if (serverProblems.some((p) => p.node_id === id)) setServerProblems(serverProblems.filter((p) => p.node_id !== id));
  };

  // A note edits its own text and colour on the canvas; each note's typing folds into one undo step.
  const changeNote = (id: string, patch: Record<string, unknown>) => {
    const note = graphRef.current?.nodes.find((n) => n.id === id);
    if (note) updateNodeData(id, { ...note.data, ...patch } as NodeData);
  };
  const changeNoteRef = useRef(changeNote);
  changeNoteRef.current = changeNote;

  /** Adds a note (Dify's `custom-note`) where the canvas has room, signed by the current user. */
  const addNote = () => {
    const current = graphRef.current;
    if (!current || readOnly) return;
    const box = wrapper.current?.querySelector(".react-flow")?.getBoundingClientRect();
    const centre = box ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }) : { x: 200, y: 200 };
    const position = freeSpot({ x: Math.round(centre.x - NOTE_SIZE.width / 2), y: Math.round(centre.y - NOTE_SIZE.height) }, current.nodes, NOTE_SIZE);
    const id = newNodeId(new Set(current.nodes.map((n) => n.id)));
    const note: FlowNode = {
      id,
      type: "custom-note",
      position,
      ...NOTE_SIZE,
      data: { type: "", title: "", desc: "", text: "", theme: "blue", author: account.value?.name ?? "", showAuthor: true, ...NOTE_SIZE } as unknown as NodeData,
    };
    commit({ nodes: [...current.nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), { ...note, selected: true }], edges: current.edges });
    setSelectedId(null);
    focusNote.current = id;
    // Where free room was found may be off screen: bring the note into view.
    void flow.setCenter(position.x + NOTE_SIZE.width / 2, position.y + NOTE_SIZE.height / 2, { zoom: flow.getZoom(), duration: 200 });
  };
  // A new note is ready to type in once it is drawn.
  const focusNote = useRef<string | null>(null);
  useEffect(() => {
    if (!focusNote.current) return;
    const area = wrapper.current?.querySelector<HTMLTextAreaElement>(`.react-flow__node[data-id="${focusNote.current}"] textarea`);
    if (!area) return;
    focusNote.current = null;
    area.focus({ preventScroll: true });
  }, [graph]);

  const restore = (state: Graph | undefined) => {
    if (!state) return;
    setGraph(state);
    graphRef.current = state;
    dirtyVersion.current += 1;
    setTick((t) => t + 1);
    scheduleSave();
  };
  const undo = () => restore(history.current?.undo());
  const redo = () => restore(history.current?.redo());

  const copy = () => {
    const current = graphRef.current;
    if (!current) return;
    const selection = selectionForCopy(new Set(current.nodes.filter((n) => n.selected).map((n) => n.id)), current.nodes, current.edges);
    const nodes = selection.nodes.filter((n) => !isContainerStart(n.data.type));
    if (!nodes.length) return;
    clipboard = selection;
    showToast(`Copied ${nodes.length} node${nodes.length > 1 ? "s" : ""}`);
  };

  const paste = () => {
    const current = graphRef.current;
    if (!current || !clipboard || readOnly) return;
    // The clipboard holds whole containers or top-level nodes (see selectionForCopy).
    const copies = duplicate(clipboard.nodes, clipboard.edges, new Set(current.nodes.map((n) => n.id)));
    commit({ nodes: [...current.nodes.map((n) => ({ ...n, selected: false })), ...copies.nodes], edges: [...current.edges, ...copies.edges] });
  };

  const layout = async () => {
    if (!graphRef.current || readOnly) return;
    const loaded = await loadAutoLayout().catch((caught: unknown) => {
      setSaveError(`Auto-layout could not load: ${errorMessage(caught)}`);
      return null;
    });
    if (!loaded) return;
    const { autoLayout } = loaded;
    // The graph as it is once the code is here (an edit may have come in between).
    const current = graphRef.current;
    if (!current) return;
    fitPending.current = "measured";
    commit({ ...current, nodes: autoLayout(current.nodes, current.edges) });
  };

  // A container's start node has nothing to configure.
  // Container start nodes have nothing to set; notes are edited where they are.
  const onNodeClick = (_: unknown, node: { id: string; type?: string; data?: unknown }) => (node.type === "custom-note" ? setSelectedId(null) : !isContainerStart((node.data as NodeData | undefined)?.type ?? "") && setSelectedId(node.id));
  const onPaneClick = () => setSelectedId(null);
  // A top-level node dropped over a container goes inside it (one undo step with the move).
  const onNodeDragStop = (dragged: { id: string }[]) => {
    const current = graphRef.current;
    if (!current) return;
    let next = current;
    if (!readOnly) for (const { id } of dragged) next = dropIntoContainer(next, id) ?? next;
    commit(next);
  };
  /** The selected child taken out of its container, below it. */
  const moveOut = (nodeId: string) => {
    const current = graphRef.current;
    const next = current && !readOnly ? moveOutOfContainer(current, nodeId) : null;
    if (next) commit(next);
  };
  const latest = useRef({ onNodesChange, onEdgesChange, onConnect, onNodeClick, onPaneClick, onNodeDragStop });
  latest.current = { onNodesChange, onEdgesChange, onConnect, onNodeClick, onPaneClick, onNodeDragStop };
  // Shown while dragging a connection: no edge may cross a container's boundary.
  const isValidConnection = useMemo(
    () => (connection: { source: string; target: string }) => {
      const nodes = graphRef.current?.nodes ?? [];
      const source = nodes.find((n) => n.id === connection.source);
      const target = nodes.find((n) => n.id === connection.target);
      return Boolean(source && target && canConnect(source, target));
    },
    [],
  );
  const flowHandlers = useMemo(
    () => ({
      onNodesChange: (changes: NodeChange[]) => latest.current.onNodesChange(changes),
      onEdgesChange: (changes: EdgeChange[]) => latest.current.onEdgesChange(changes),
      onConnect: (connection: Connection) => latest.current.onConnect(connection),
      onNodeClick: (event: unknown, node: { id: string; data?: unknown }) => latest.current.onNodeClick(event, node),
      onPaneClick: () => latest.current.onPaneClick(),
      onNodeDragStop: (_event: unknown, _node: unknown, dragged: { id: string }[]) => void latest.current.onNodeDragStop(dragged),
    }),
    [],
  );

  const onKeyDown = (event: KeyboardEvent) => {
    if (isTyping(event.target) || document.querySelector("[role=dialog]")) return;
    // Copying text someone selected on the page is theirs to do.
    if (event.key.toLowerCase() === "c" && String(window.getSelection() ?? "")) return;
    const mod = event.ctrlKey || event.metaKey;
    const key = event.key.toLowerCase();
    if (mod && key === "z" && !event.shiftKey) (event.preventDefault(), undo());
    else if (mod && (key === "y" || (key === "z" && event.shiftKey))) (event.preventDefault(), redo());
    else if (mod && key === "c") copy();
    else if (mod && key === "v") (event.preventDefault(), paste());
    else if (event.altKey && key === "r" && !readOnly) (event.preventDefault(), setEnvOpen(false), setFeaturesOpen(false), setRunOpen(true));
    else if (mod && key === "s") (event.preventDefault(), void save().then((ok) => ok && showToast("Draft saved")));
  };

  // On the window, not the editor element: after a click on the canvas or a closed panel, focus
  // is on the body, and the shortcuts must still work.
  const keyHandler = useRef(onKeyDown);
  keyHandler.current = onKeyDown;
  useEffect(() => {
    const listener = (event: KeyboardEvent) => keyHandler.current(event);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);

  const publish = async () => {
    if (!(await save())) return;
    try {
      await api.publish(app.id, {});
      setServerProblems([]);
      showToast("Published");
    } catch (caught) {
      const found = caught instanceof ApiError ? parseServerProblems(caught.message) : [];
      setServerProblems(found);
      setSaveError(withTitles(errorMessage(caught), graphRef.current?.nodes ?? []));
    }
  };

  if (loadError) {
    return (
      <div class="card">
        <div class="error-text" role="alert" data-testid="draft-error">
          {loadError}
        </div>
        <button type="button" class="btn btn-small" onClick={() => void load()}>
          Try again
        </button>
      </div>
    );
  }
  if (!graph) return <p class="muted">Loading draft…</p>;

  const selected = selectedId ? graph.nodes.find((n) => n.id === selectedId) : undefined;
  const dirty = dirtyVersion.current !== savedVersion.current;
  const graphProblems = problems.filter((p) => !p.node_id);
  return (
    <div class="wf-editor" ref={wrapper} data-testid="workflow-editor">
      <EditorToolbar
        readOnly={readOnly}
        canUndo={Boolean(history.current?.canUndo)}
        canRedo={Boolean(history.current?.canRedo)}
        state={conflict ? "Not saved" : saving ? "Saving…" : dirty ? "Unsaved changes" : savedAt ? "All changes saved" : "Not saved yet"}
        saving={saving}
        problems={problems}
        onUndo={undo}
        onRedo={redo}
        onLayout={() => void layout()}
        onSave={() => void save().then((ok) => ok && showToast("Draft saved"))}
        onPublish={() => void publish()}
        onRun={() => (setEnvOpen(false), setFeaturesOpen(false), setRunOpen(true))}
        onEnvironment={() => (setRunOpen(false), setFeaturesOpen(false), setSelectedId(null), setEnvOpen(!envOpen))}
        onAddNote={addNote}
        onFeatures={app.mode === "advanced-chat" ? () => (setRunOpen(false), setEnvOpen(false), setSelectedId(null), setFeaturesOpen(!featuresOpen)) : undefined}
      />
      {conflict && (
        <div class="banner banner-warning" role="alert" data-testid="draft-conflict">
          <span>{CONFLICT_MESSAGE}</span>
          <button type="button" class="btn btn-small" data-testid="reload-draft" onClick={() => void load()}>
            Reload
          </button>
        </div>
      )}
      {saveError && (
        <div class="error-text wf-error" role="alert" data-testid="draft-error">
          {saveError}
        </div>
      )}
      {graphProblems.length > 0 && (
        <div class="wf-graph-problems small" data-testid="graph-problems">
          {graphProblems.slice(0, 3).map((p, i) => (
            <div key={i}>⚠ {p.message}</div>
          ))}
        </div>
      )}
      <div class="wf-body">
        {!readOnly && <NodePalette mode={app.mode} onAdd={addNode} />}
        <div
          class="wf-canvas"
          onDragOver={(event) => {
            event.preventDefault();
            if (event.dataTransfer) event.dataTransfer.dropEffect = "move";
          }}
          onDrop={(event) => {
            const type = event.dataTransfer?.getData("application/x-waggle-node");
            if (!type) return;
            event.preventDefault();
            addNode(type, flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }));
          }}
        >
          <ContainerActionsContext.Provider value={containerActions}>
            <ReactFlow
              nodes={graph.nodes as never}
              edges={graph.edges as never}
              nodeTypes={nodeTypes}
              edgeTypes={edgeTypes}
              onBeforeDelete={keepStartNode}
              isValidConnection={isValidConnection}
              {...flowHandlers}
              nodesDraggable={!readOnly}
              nodesConnectable={!readOnly}
              deleteKeyCode={readOnly ? null : DELETE_KEYS}
              multiSelectionKeyCode={MULTI_SELECT_KEYS}
              selectionKeyCode="Shift"
              minZoom={MIN_ZOOM}
              maxZoom={2}
              defaultEdgeOptions={DEFAULT_EDGE_OPTIONS}
              proOptions={PRO_OPTIONS}
            >
              <Background gap={16} />
              <Controls />
              <MiniMap pannable zoomable style={MINIMAP_STYLE} nodeColor={minimapColour} />
            </ReactFlow>
          </ContainerActionsContext.Provider>
        </div>
        {selected && !runOpen && !envOpen && !featuresOpen && (
          <NodePanel
            key={selected.id}
            node={selected}
            nodes={graph.nodes}
            edges={graph.edges}
            mode={app.mode}
            readOnly={readOnly}
            environmentVariables={extras.environment_variables}
            conversationVariables={extras.conversation_variables}
            problems={problems.filter((p) => p.node_id === selected.id)}
            onChange={(data) => updateNodeData(selected.id, data)}
            onClose={() => setSelectedId(null)}
            onMoveOut={selected.parentId ? () => moveOut(selected.id) : undefined}
            appId={app.id}
            beforeRun={save}
          />
        )}
        {envOpen && !runOpen && (
          <EnvironmentPanel
            variables={extras.environment_variables as Record<string, unknown>[]}
            readOnly={readOnly}
            onClose={() => setEnvOpen(false)}
            onChange={(environment_variables) => changeExtras({ environment_variables })}
            conversation={
              app.mode === "advanced-chat"
                ? { variables: extras.conversation_variables as Record<string, unknown>[], onChange: (conversation_variables) => changeExtras({ conversation_variables: conversation_variables as DraftExtras["conversation_variables"] }) }
                : undefined
            }
          />
        )}
        {featuresOpen && !runOpen && !envOpen && <FeaturesPanel appId={app.id} features={extras.features} readOnly={readOnly} onClose={() => setFeaturesOpen(false)} onChange={(features) => changeExtras({ features })} />}
        {runOpen && <RunPanel app={app} nodes={graph.nodes} beforeRun={save} onClose={() => setRunOpen(false)} />}
      </div>
    </div>
  );
}
