/**
 * A note on the canvas (Dify's `custom-note` node): coloured, resizable, its text edited in place.
 * It runs nothing; the engine and validation skip it. Its changes reach the editor through the
 * canvas's actions context, as a container's "+" does.
 */
import { NodeResizer, type NodeProps } from "@xyflow/react";
import { useContext, useEffect, useState } from "preact/hooks";
import { ContainerActionsContext } from "./container-actions";
import { NOTE_THEMES, noteToText, textToNote } from "./note-text";
import "./note-node.css";

export function NoteNode({ id, data, selected }: NodeProps) {
  const theme = NOTE_THEMES.includes(data.theme as never) ? String(data.theme) : "blue";
  const saved = noteToText(data.text);
  const [text, setText] = useState(saved);
  // An outside change (undo, a reload) replaces what is shown unless it is what was typed.
  useEffect(() => {
    if (noteToText(textToNote(text)) !== saved) setText(saved);
  }, [saved]);
  const actions = useContext(ContainerActionsContext);
  const readOnly = actions.readOnly;
  return (
    <div class={`wf-note wf-note-${theme}${selected ? " selected" : ""}`} data-testid="canvas-note">
      {!readOnly && <NodeResizer isVisible={selected} minWidth={160} minHeight={80} lineClassName="wf-note-resize" handleClassName="wf-note-handle" />}
      {selected && !readOnly && (
        <div class="wf-note-themes nodrag" role="group" aria-label="Note colour">
          {NOTE_THEMES.map((name) => (
            <button key={name} type="button" class={`wf-note-swatch wf-note-${name}`} aria-label={name} aria-pressed={name === theme} onClick={() => actions.changeNote(id, { theme: name })} />
          ))}
        </div>
      )}
      <textarea
        class="wf-note-text nodrag nowheel"
        value={text}
        readOnly={readOnly}
        placeholder="Write a note…"
        aria-label="Note"
        data-testid="canvas-note-text"
        onInput={(event) => {
          const next = event.currentTarget.value;
          setText(next);
          actions.changeNote(id, { text: textToNote(next) });
        }}
      />
      {data.showAuthor !== false && typeof data.author === "string" && data.author && <div class="wf-note-author">{data.author}</div>}
    </div>
  );
}
