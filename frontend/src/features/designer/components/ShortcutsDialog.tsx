// The keyboard shortcuts, listed (the `?` key or the canvas's keyboard button opens it).
import { useEffect, useId, useRef } from "react";
import { SHORTCUTS, keyLabel } from "../shortcuts";
import { Icon } from "./Icon";

const MAC = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal?.();
    return () => dialog?.close?.();
  }, []);
  return (
    <dialog ref={ref} className="dialog shortcuts-dialog" aria-labelledby={titleId} data-testid="shortcuts-dialog"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => event.target === ref.current && onClose()}>
      <div className="shortcuts-head">
        <h2 id={titleId}>Keyboard shortcuts</h2>
        <button type="button" className="btn ghost icon small" aria-label="Close" onClick={onClose}>
          <Icon name="close" size={15} />
        </button>
      </div>
      <table className="shortcuts-table">
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.does}>
              <td>{shortcut.does}</td>
              <td className="shortcuts-keys">
                {shortcut.keys.map((combo, index) => (
                  <span key={index}>
                    {index > 0 && <span className="muted"> or </span>}
                    {combo.map((key, at) => (
                      <span key={key}>{at > 0 && "+"}<kbd>{keyLabel(key, MAC)}</kbd></span>
                    ))}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </dialog>
  );
}
