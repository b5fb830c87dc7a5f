// The designer draws a never-laid-out flow at once with the quick layered layout; ELK's
// layout, when its worker answers (a second or more on a first open), then eases the cards
// into place over a few frames instead of making them jump. The person's own edits win:
// an edit or a drag before ELK answers keeps what is on screen.
import { useCallback, useEffect, useRef, useState } from "react";
import { animatePositions, EASE_MS, layoutGraph, positionsDiffer, type FlowEdge, type FlowNode, type Position } from "../../../graph";
import { designer, useDesigner } from "../store";

/** How long the cards take to move from the quick layout to ELK's. */
export const REFINE_MS = EASE_MS;

interface Refinement {
  cancelled: boolean;
  stop?: () => void;
}

export interface LayoutRefinement {
  /** Waiting for ELK's layout, or easing into it. */
  refining: boolean;
  /** Easing into it: cards move every frame (edges draw as plain steps meanwhile). */
  moving: boolean;
  /** Asks ELK to lay out `nodes` (drawn now at the store's quick positions); `onArrive` is
   * called with ELK's nodes as the move starts, to move the view with them. */
  refine: (nodes: readonly FlowNode[], edges: readonly FlowEdge[], onArrive: (laid: FlowNode[]) => void, arrange?: (laid: FlowNode[]) => FlowNode[]) => void;
  /** Stops waiting: what is on screen stays. */
  cancel: () => void;
}

export function useLayoutRefinement(): LayoutRefinement {
  const current = useRef<Refinement | null>(null);
  const [refining, setRefining] = useState(false);
  const [moving, setMoving] = useState(false);

  const cancel = useCallback(() => {
    if (!current.current) return;
    current.current.cancelled = true;
    current.current.stop?.();
    current.current = null;
    setRefining(false);
    setMoving(false);
  }, []);

  const refine = useCallback((nodes: readonly FlowNode[], edges: readonly FlowEdge[], onArrive: (laid: FlowNode[]) => void, arrange?: (laid: FlowNode[]) => FlowNode[]) => {
    if (current.current) {
      current.current.cancelled = true;
      current.current.stop?.();
    }
    const token: Refinement = { cancelled: false };
    current.current = token;
    const irAtStart = useDesigner.getState().ir;
    setRefining(true);
    const finish = () => {
      if (current.current !== token) return;
      current.current = null;
      setRefining(false);
      setMoving(false);
    };
    void layoutGraph(nodes, edges).then((answer) => {
      const laid = arrange ? arrange(answer) : answer;
      performance.mark("designer:elk-answered");
      if (token.cancelled) return;
      const state = useDesigner.getState();
      // Edited meanwhile: the quick layout stays rather than moving cards under the person.
      if (state.ir !== irAtStart) return finish();
      const from = state.layoutPositions;
      const to: Record<string, Position> = { ...from };
      for (const node of laid) if (!node.data.placed) to[node.id] = node.position;
      if (!positionsDiffer(from, to)) return finish();
      onArrive(laid);
      setMoving(true);
      token.stop = animatePositions(from, to, (positions, done) => {
        if (token.cancelled) return;
        designer.setLayoutPositions(positions);
        if (done) finish();
      });
    }, finish);
  }, []);

  useEffect(() => () => {
    if (current.current) current.current.cancelled = true;
  }, []);

  return { refining, moving, refine, cancel };
}
