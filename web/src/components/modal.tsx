import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

interface ModalProps {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  footer?: ComponentChildren;
  testId?: string;
  wide?: boolean;
}

/** A centred dialog; Escape and a click on the backdrop close it. */
export function Modal({ title, onClose, children, footer, testId, wide }: ModalProps) {
  const panel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") onClose();
    };
    document.addEventListener("keydown", onKey);
    const first = panel.current?.querySelector<HTMLElement>("input, textarea, select, button.btn-primary");
    first?.focus();
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  return (
    <div class="modal-backdrop" onMouseDown={(event) => event.target === event.currentTarget && onClose()}>
      <div class={`modal${wide ? " modal-wide" : ""}`} role="dialog" aria-modal="true" aria-label={title} data-testid={testId} ref={panel}>
        <div class="modal-header">
          <h2>{title}</h2>
          <button type="button" class="icon-button" aria-label="Close" data-testid="modal-close" onClick={onClose}>
            ✕
          </button>
        </div>
        <div class="modal-body">{children}</div>
        {footer && <div class="modal-footer">{footer}</div>}
      </div>
    </div>
  );
}
