// The IR as the editor sees it: plain JSON typed after flows/core/ir.py (docs/ir.md).
// Unknown extra fields survive a round trip because every edit copies the node object.

export type NodeType = "tool" | "branch" | "switch" | "map" | "approval" | "value" | "output" | "llm";

export const NODE_TYPES: readonly NodeType[] = [
  "tool", "branch", "switch", "map", "approval", "value", "output", "llm",
];

export interface Position {
  x: number;
  y: number;
}

export interface Retry {
  max_attempts?: number;
  backoff_s?: number;
  multiplier?: number;
  max_backoff_s?: number;
}

export type JsonSchema = Record<string, unknown>;

interface NodeBase {
  id: string;
  type: NodeType;
  title?: string | null;
  after?: string[];
  when?: string | null;
  trigger?: "all" | "any";
  position?: Position | null;
}

export interface ToolNode extends NodeBase {
  type: "tool";
  tool: string;
  inputs?: Record<string, string>;
  timeout_s?: number | null;
  retry?: Retry | null;
}

export interface BranchNode extends NodeBase {
  type: "branch";
  condition: string;
  then?: string[];
  else?: string[];
}

export interface SwitchNode extends NodeBase {
  type: "switch";
  value: string;
  cases: Record<string, string[]>;
  default?: string[];
}

export interface MapNode extends NodeBase {
  type: "map";
  items: string;
  tool: string;
  inputs?: Record<string, string>;
  concurrency?: number;
  max_items?: number;
  timeout_s?: number | null;
  retry?: Retry | null;
}

export interface ApprovalNode extends NodeBase {
  type: "approval";
  instructions?: string;
  form_schema: JsonSchema;
  context?: Record<string, string>;
  assignees?: { users?: string[]; groups?: string[] };
  timeout_s?: number | null;
  on_timeout?: "approve" | "reject" | "fail";
  on_reject?: "skip" | "continue" | "fail";
}

export interface ValueNode extends NodeBase {
  type: "value";
  value: string | Record<string, string>;
}

export interface OutputNode extends NodeBase {
  type: "output";
  value: string | Record<string, string>;
}

export interface LlmNode extends NodeBase {
  type: "llm";
  prompt: string;
  system?: string | null;
  output_schema?: JsonSchema | null;
  model?: string | null;
  timeout_s?: number | null;
  retry?: Retry | null;
}

export type IrNode =
  | ToolNode
  | BranchNode
  | SwitchNode
  | MapNode
  | ApprovalNode
  | ValueNode
  | OutputNode
  | LlmNode;

export interface Join {
  from_tool: string;
  to_tool: string;
  mapping: Record<string, string>;
}

export interface FlowIR {
  ir_version?: "1.0";
  name: string;
  description?: string;
  input_schema?: JsonSchema;
  nodes: IrNode[];
  joins?: Join[];
  max_steps?: number;
  timeout_s?: number | null;
  metadata?: Record<string, unknown>;
}

/** One validator issue, as POST /api/v1/validate/ answers it. */
export interface Issue {
  code: string;
  message: string;
  node: string | null;
  field: string | null;
  hint: string | null;
}

/** The diff the versions and refine APIs answer (changed may come as a list or a map). */
export interface IrDiff {
  added: IrNode[];
  removed: string[];
  changed: Record<string, Record<string, { before: unknown; after: unknown }>>;
  edges_added: string[][];
  edges_removed: string[][];
  flow_changes: Record<string, { before: unknown; after: unknown }>;
}

export const NODE_ID_PATTERN = /^[a-z_][a-z0-9_]{0,63}$/;

export const RESERVED_IDS = new Set([
  "input", "item", "index", "source", "true", "false", "null",
  "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let",
  "loop", "package", "namespace", "return", "var", "void", "while",
]);
