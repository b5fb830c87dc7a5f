// Whether the flow on screen differs from the one the validator last answered for in a way
// that can change its verdict. Moving a card (its position) cannot, so it does not count.
import type { FlowIR } from "../../graph";

const keys = new WeakMap<FlowIR, string>();

function verdictKey(ir: FlowIR): string {
  let key = keys.get(ir);
  if (key === undefined) {
    key = JSON.stringify({ ...ir, nodes: ir.nodes.map(({ position: _position, ...node }) => node) });
    keys.set(ir, key);
  }
  return key;
}

/** The validator's answer is for another flow than the one on screen: an edit is being checked. */
export function awaitingCheck(validated: FlowIR | null, current: FlowIR): boolean {
  if (validated === null || validated === current) return false;
  return verdictKey(validated) !== verdictKey(current);
}
