import { useStoreApi } from "@xyflow/react";
import { useState } from "preact/hooks";

/**
 * React Flow measures every node it starts observing, even one whose size and handles it was given,
 * and its figures (screen pixels divided by the zoom) differ from the given ones in the last digits:
 * every edge would be drawn again while the canvas takes its first clicks. This skips that first
 * measurement for a node that came with its handles and is drawn at its saved size; any later one
 * (a resize, `updateNodeInternals`, a node changed in the editor, which is a copy without them)
 * goes through. Called once in a component under the `ReactFlowProvider`, before the canvas is drawn.
 */
export function useLaidOutHandles(): void {
  const store = useStoreApi();
  useState(() => {
    const measure = store.getState().updateNodeInternals;
    const seen = new WeakSet<object>();
    const updateNodeInternals: typeof measure = (updates, params) => {
      const { nodeLookup } = store.getState();
      const remaining = new Map(updates);
      for (const [id, update] of updates) {
        const node = nodeLookup.get(id);
        const given = node?.internals.userNode as { handles?: unknown } | undefined;
        if (!node || !given?.handles || seen.has(given)) continue;
        seen.add(given);
        if (!node.hidden && node.internals.handleBounds && update.nodeElement.offsetWidth === node.measured.width && update.nodeElement.offsetHeight === node.measured.height) remaining.delete(id);
      }
      if (remaining.size) measure(remaining, params);
    };
    store.setState({ updateNodeInternals });
    return null;
  });
}
