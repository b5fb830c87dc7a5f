// A guard against leaving with unsaved changes: the browser's own prompt on reload/close,
// and a confirm before in-app navigation (react-router's useBlocker under a data router,
// else a capture-phase check of link clicks).
import { useCallback, useContext, useEffect } from "react";
import { UNSAFE_DataRouterContext, useBlocker, useNavigate, type NavigateOptions } from "react-router-dom";

export const LEAVE_MESSAGE = "This flow has unsaved changes. Leave without saving them?";

function BeforeUnload({ when }: { when: boolean }) {
  useEffect(() => {
    if (!when) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = LEAVE_MESSAGE;
      return LEAVE_MESSAGE;
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [when]);
  return null;
}

function RouterBlocker({ when }: { when: boolean }) {
  const blocker = useBlocker(({ currentLocation, nextLocation }) =>
    when && currentLocation.pathname !== nextLocation.pathname && !(nextLocation.state as { saved?: boolean } | null)?.saved);
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    if (window.confirm(LEAVE_MESSAGE)) blocker.proceed();
    else blocker.reset();
  }, [blocker]);
  return null;
}

function LinkBlocker({ when }: { when: boolean }) {
  useEffect(() => {
    if (!when) return;
    const onClick = (event: MouseEvent) => {
      const link = (event.target as Element | null)?.closest?.("a[href]");
      if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
      const url = new URL((link as HTMLAnchorElement).href, window.location.href);
      if (url.origin !== window.location.origin || url.pathname === window.location.pathname) return;
      if (!window.confirm(LEAVE_MESSAGE)) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    document.addEventListener("click", onClick, true);
    return () => document.removeEventListener("click", onClick, true);
  }, [when]);
  return null;
}

export function UnsavedGuard({ when }: { when: boolean }) {
  const dataRouter = useContext(UNSAFE_DataRouterContext);
  return (
    <>
      <BeforeUnload when={when} />
      {dataRouter ? <RouterBlocker when={when} /> : <LinkBlocker when={when} />}
    </>
  );
}

/**
 * `navigate` that asks first when there are unsaved changes (under a data router the
 * blocker asks instead). `state.saved` marks a navigation that leaves nothing behind.
 */
export function useGuardedNavigate(dirty: boolean) {
  const navigate = useNavigate();
  const dataRouter = useContext(UNSAFE_DataRouterContext);
  return useCallback((to: string, options?: NavigateOptions) => {
    const safe = (options?.state as { saved?: boolean } | null)?.saved;
    if (dirty && !dataRouter && !safe && !window.confirm(LEAVE_MESSAGE)) return;
    navigate(to, options);
  }, [dirty, dataRouter, navigate]);
}
