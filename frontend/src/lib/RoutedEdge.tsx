// An edge drawn along the layout's orthogonal route (rounded corners), so an edge that
// skips a column goes around the cards between instead of through them. While the route
// is stale (a card is being dragged: routes are recomputed when it is let go) or there is
// none, a plain square step between the handles, so the edge keeps its shape mid-drag at
// no cost per frame.
import {
  BaseEdge,
  getSmoothStepPath,
  useInternalNode,
  type Edge,
  type EdgeProps,
} from "@xyflow/react";
import { createContext, memo, useContext, useEffect, useMemo, useState } from "react";
import { CORNER_RADIUS, ROUTE_STUB, edgeRoutes, routedPath, type EdgeRoute, type FlowEdge, type FlowNode } from "../graph";

/** The routes of the graph being drawn, by edge id. */
export const EdgeRoutesContext = createContext<Readonly<Record<string, EdgeRoute>>>({});

function RoutedEdgeComponent({
  id,
  source,
  target,
  sourceX,
  sourceY,
  targetX,
  targetY,
  sourcePosition,
  targetPosition,
  label,
  labelStyle,
  labelShowBg,
  labelBgStyle,
  labelBgPadding,
  labelBgBorderRadius,
  style,
  markerEnd,
  markerStart,
  interactionWidth,
}: EdgeProps<Edge>) {
  const route = useContext(EdgeRoutesContext)[id];
  const sourceNode = useInternalNode(source)?.internals.positionAbsolute;
  const targetNode = useInternalNode(target)?.internals.positionAbsolute;
  const routed = routedPath(route, sourceNode, targetNode, { x: sourceX, y: sourceY }, { x: targetX, y: targetY });
  let path: string;
  let labelX: number;
  let labelY: number;
  if (routed) {
    ({ path, labelX, labelY } = routed);
  } else {
    [path, labelX, labelY] = getSmoothStepPath({
      sourceX,
      sourceY,
      sourcePosition,
      targetX,
      targetY,
      targetPosition,
      borderRadius: CORNER_RADIUS,
      offset: ROUTE_STUB,
    });
  }
  return (
    <BaseEdge
      id={id}
      path={path}
      labelX={labelX}
      labelY={labelY}
      label={label}
      labelStyle={labelStyle}
      labelShowBg={labelShowBg}
      labelBgStyle={labelBgStyle}
      labelBgPadding={labelBgPadding}
      labelBgBorderRadius={labelBgBorderRadius}
      style={style}
      markerEnd={markerEnd}
      markerStart={markerStart}
      interactionWidth={interactionWidth}
      data-routed={routed ? "true" : "step"}
    />
  );
}

export const RoutedEdge = memo(RoutedEdgeComponent);

export const edgeTypes = { routed: RoutedEdge };

/**
 * ELK's routes for the graph's edges, recomputed when its structure (nodes, their sizes
 * and handles, edges) changes; moving a node does not recompute them.
 */
export function useEdgeRoutes(nodes: readonly FlowNode[], edges: readonly FlowEdge[]): Readonly<Record<string, EdgeRoute>> {
  const [routes, setRoutes] = useState<Readonly<Record<string, EdgeRoute>>>({});
  const key = useMemo(() => structureKey(nodes, edges), [nodes, edges]);
  const latest = useMemo(() => ({ nodes, edges }), [key]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    let cancelled = false;
    void edgeRoutes(latest.nodes, latest.edges).then((found) => {
      if (!cancelled) setRoutes(found);
    });
    return () => {
      cancelled = true;
    };
  }, [latest]);
  return routes;
}

function structureKey(nodes: readonly FlowNode[], edges: readonly FlowEdge[]): string {
  const parts: string[] = [];
  for (const node of nodes) {
    const handles = (node.handles ?? []).map((handle) => `${handle.id}@${handle.y}`).join(",");
    parts.push(`${node.id}:${node.measured?.height ?? node.initialHeight ?? ""}:${handles}`);
  }
  parts.push("|");
  for (const edge of edges) parts.push(`${edge.id}:${edge.source}.${edge.sourceHandle}>${edge.target}.${edge.targetHandle}`);
  return parts.join(";");
}
