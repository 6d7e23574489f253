import { createContext } from "preact";

/** What a container node on the canvas may ask of the editor (nodes are rendered by React Flow, not by the editor). */
export interface ContainerActions {
  readOnly: boolean;
  mode: string;
  addInside: (containerId: string, type: string) => void;
}

export const ContainerActionsContext = createContext<ContainerActions>({ readOnly: true, mode: "workflow", addInside: () => {} });
