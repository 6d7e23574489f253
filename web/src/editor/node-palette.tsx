import { paletteGroups } from "./node-catalog";

/** The node types to add, in Dify's groups: click to drop one in view, or drag it onto the canvas. */
export function NodePalette({ mode, onAdd }: { mode: string; onAdd: (type: string) => void }) {
  return (
    <aside class="wf-palette" data-testid="palette" aria-label="Add a node">
      {paletteGroups(mode).map(({ group, kinds }) => (
        <div key={group} class="wf-palette-group">
          <div class="wf-palette-title">{group}</div>
          {kinds.map((kind) => (
            <button
              type="button"
              key={kind.type}
              class="wf-palette-item"
              draggable
              onDragStart={(event) => {
                event.dataTransfer?.setData("application/x-waggle-node", kind.type);
                if (event.dataTransfer) event.dataTransfer.effectAllowed = "move";
              }}
              onClick={() => onAdd(kind.type)}
              data-testid={`palette-${kind.type}`}
              title={`Add ${kind.label} (or drag it onto the canvas)`}
            >
              <span class="wf-node-icon" style={{ background: kind.colour }} aria-hidden="true">
                {kind.icon}
              </span>
              {kind.label}
            </button>
          ))}
        </div>
      ))}
    </aside>
  );
}
