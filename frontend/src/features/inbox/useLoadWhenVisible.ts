// Calls `load` whenever the element behind the returned ref comes within 200px of the
// viewport while `enabled`: the inbox's "scroll to load more".
import { type RefObject, useEffect, useRef } from "react";

export function useLoadWhenVisible<T extends Element>(enabled: boolean, load: () => void): RefObject<T | null> {
  const ref = useRef<T | null>(null);
  useEffect(() => {
    const target = ref.current;
    if (!enabled || !target || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) load();
    }, { rootMargin: "200px" });
    observer.observe(target);
    return () => observer.disconnect();
  }, [enabled, load]);
  return ref;
}
