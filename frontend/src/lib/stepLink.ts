// The designer's address for one step of a flow version, and what it asks the designer to show:
// a run that failed at a step links to that step (and the field its error names) to be fixed.

export interface StepFocus {
  node: string;
  /** The validator's or the engine's field path ("inputs.body"), when the error names one. */
  field: string | null;
}

/** `/flows/<id>/v/<n>?node=<step>&field=<path>`: the designer opens there on that step. */
export function stepInDesigner(flowId: number, version: number, focus: StepFocus): string {
  const query = new URLSearchParams({ node: focus.node });
  if (focus.field) query.set("field", focus.field);
  return `/flows/${flowId}/v/${version}?${query.toString()}`;
}

/** The step an address asks the designer to show, if it names one the flow has. */
export function requestedStep(search: URLSearchParams, nodeIds: readonly string[]): StepFocus | null {
  const node = search.get("node");
  if (!node || !nodeIds.includes(node)) return null;
  return { node, field: search.get("field") || null };
}
