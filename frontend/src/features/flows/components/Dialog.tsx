// A modal dialog on the native <dialog> element: focus stays inside, Escape closes it.
import { useEffect, useId, useRef } from "react";
import { Icon } from "./Icon";

interface DialogProps {
  title: string;
  onClose: () => void;
  children: React.ReactNode;
  footer?: React.ReactNode;
  testId?: string;
  tone?: "default" | "danger";
}

export function Dialog({ title, onClose, children, footer, testId, tone = "default" }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal?.();
    // Focus the dialog's chosen control (the safe choice), not the first one (the close icon).
    dialog?.querySelector<HTMLElement>("[data-autofocus]")?.focus();
    return () => dialog?.close?.();
  }, []);

  return (
    <dialog
      ref={ref}
      className={`dialog flows-dialog ${tone}`}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        if (event.target === ref.current) onClose(); // a click on the backdrop
      }}
    >
      <div className="flows-dialog-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="btn ghost icon small" aria-label="Close dialog" onClick={onClose}>
          <Icon name="close" size={15} />
        </button>
      </div>
      <div className="flows-dialog-body">{children}</div>
      {footer && <div className="flows-dialog-foot">{footer}</div>}
    </dialog>
  );
}
