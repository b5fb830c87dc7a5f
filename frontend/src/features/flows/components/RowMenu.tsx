// A row's "…" menu: a button that opens a list of actions, keyboard operable
// (arrows move, Escape closes and gives focus back to the button).
import { useEffect, useRef, useState } from "react";
import { Icon, type IconName } from "./Icon";

export interface MenuAction {
  label: string;
  icon: IconName;
  onSelect: () => void;
  testId: string;
  danger?: boolean;
  disabled?: boolean;
}

export function RowMenu({ label, actions }: { label: string; actions: MenuAction[] }) {
  const [open, setOpen] = useState(false);
  const wrapper = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (!open) return;
    const first = wrapper.current?.querySelector<HTMLButtonElement>("[role=menuitem]:not(:disabled)");
    first?.focus();
    const onPointer = (event: PointerEvent) => {
      if (!wrapper.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  function onKeyDown(event: React.KeyboardEvent) {
    if (event.key === "Escape") {
      setOpen(false);
      button.current?.focus();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    const items = Array.from(
      wrapper.current?.querySelectorAll<HTMLButtonElement>("[role=menuitem]:not(:disabled)") ?? [],
    );
    const at = items.indexOf(document.activeElement as HTMLButtonElement);
    const step = event.key === "ArrowDown" ? 1 : -1;
    items[(at + step + items.length) % items.length]?.focus();
  }

  return (
    <div
      className="row-menu"
      ref={wrapper}
      onKeyDown={onKeyDown}
      onBlur={(event) => {
        if (!wrapper.current?.contains(event.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        className="btn ghost icon small"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((value) => !value)}
        data-testid="flow-menu"
      >
        <Icon name="more" size={18} />
      </button>
      {open && (
        <div className="row-menu-list" role="menu" aria-label={label}>
          {actions.map((action) => (
            <button
              key={action.testId}
              type="button"
              role="menuitem"
              className={action.danger ? "danger" : undefined}
              disabled={action.disabled}
              data-testid={action.testId}
              onClick={() => {
                setOpen(false);
                action.onSelect();
              }}
            >
              <span className="row-menu-icon"><Icon name={action.icon} size={15} /></span>
              {action.label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
