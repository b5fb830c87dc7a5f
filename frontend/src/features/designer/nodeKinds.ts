// What each node type looks like in the designer (label, colour, icon name) and the node a
// palette click creates.
import { uniqueId, type FlowIR, type IrNode, type NodeType, type Position } from "../../graph";

export interface NodeKind {
  type: NodeType;
  label: string;
  description: string;
  /** A CSS colour variable name defined in designer.css. */
  colour: string;
}

export const NODE_KINDS: Record<NodeType, NodeKind> = {
  tool: { type: "tool", label: "Tool", description: "Call a registered tool", colour: "--node-tool" },
  branch: { type: "branch", label: "Branch", description: "If / else on a condition", colour: "--node-branch" },
  switch: { type: "switch", label: "Switch", description: "Route by a value's case", colour: "--node-switch" },
  map: { type: "map", label: "Map", description: "Run a tool for each item", colour: "--node-map" },
  approval: { type: "approval", label: "Approval", description: "Wait for a person's decision", colour: "--node-approval" },
  value: { type: "value", label: "Value", description: "Compute a named value", colour: "--node-value" },
  output: { type: "output", label: "Output", description: "Part of the run's result", colour: "--node-output" },
  llm: { type: "llm", label: "LLM", description: "Ask the model with a prompt", colour: "--node-llm" },
};

export const CONTROL_TYPES: NodeType[] = ["branch", "switch", "map", "approval", "value", "output", "llm"];

/** A new node of `type` (or a tool node for `toolId`) with a fresh id; a tool step is titled
 *  with the tool's name (`toolName`), as a planned one is, so a run and an inbox name it in
 *  words ("Send email failed") rather than by its id. */
export function newNode(ir: FlowIR, type: NodeType, position: Position, toolId?: string, toolName?: string): IrNode {
  const taken = new Set(ir.nodes.map((node) => node.id));
  const base = toolId ? (toolId.split(".").pop() ?? toolId) : type;
  const id = uniqueId(base, taken);
  switch (type) {
    case "tool":
      return { id, type, tool: toolId ?? "", inputs: {}, position, ...(toolName ? { title: toolName } : {}) };
    case "branch":
      return { id, type, condition: "true", then: [], else: [], position };
    case "switch":
      return { id, type, value: "input", cases: { a: [] }, default: [], position };
    case "map":
      return { id, type, items: "[]", tool: toolId ?? "", inputs: {}, position };
    case "approval":
      return {
        id, type, instructions: "",
        form_schema: { type: "object", properties: { note: { type: "string" } } },
        assignees: { users: [], groups: [] }, position,
      };
    case "value":
      return { id, type, value: "null", position };
    case "output":
      return { id, type, value: "null", position };
    case "llm":
      return { id, type, prompt: "Summarise {{ input }}", position };
  }
}
