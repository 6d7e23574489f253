import { createContext } from "preact";

/**
 * What a node on the canvas may ask of the editor (nodes are rendered by React Flow, not by the
 * editor): a container adds a node inside itself; a note changes its own text or colour.
 */
export interface ContainerActions {
  readOnly: boolean;
  mode: string;
  addInside: (containerId: string, type: string) => void;
  changeNote: (noteId: string, patch: Record<string, unknown>) => void;
}

export const ContainerActionsContext = createContext<ContainerActions>({ readOnly: true, mode: "workflow", addInside: () => {}, changeNote: () => {} });
