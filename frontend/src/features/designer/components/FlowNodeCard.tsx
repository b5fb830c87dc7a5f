// One node on the canvas: type colour and icon, title, tool, key inputs, a problem badge,
// and its handles (arms of a branch or switch each get their own source handle).
import { Handle, Position, type NodeProps } from "@xyflow/react";
import { memo } from "react";
import { armsOf, keyRows, NODE_WIDTH, type FlowNode, type IrNode, type KeyRowKind } from "../../../graph";
import { clampToLines } from "../../../lib/clampTitle";
import { measureCardTitle } from "../../../lib/measureText";
import { cardValue } from "../cardValue";
import { NODE_KINDS } from "../nodeKinds";
import { useDesigner } from "../store";
import { Icon } from "./Icon";
import { countOf } from "../../../lib/plural";

function subtitle(node: IrNode, toolName: string | undefined): string {
  if (node.type === "tool" || node.type === "map") {
    const tool = node.tool || "no tool chosen";
    return node.type === "map" ? `for each · ${toolName ?? tool}` : toolName ?? tool;
  }
  return NODE_KINDS[node.type].description;
}

/** The room a card's header leaves its title: the card (NODE_WIDTH) less its borders, the
 * header's padding, the icon and the gap after it (designer.css .fn-head), and a little
 * for the canvas's measure and the page's to differ by. */
const TITLE_ROOM = NODE_WIDTH - 2 - 2 * 10 - 28 - 9 - 3;
/** What each badge beside the title takes, with its gap. */
const BADGE_ROOM = { problems: 29, status: 72, when: 46 } as const;

/** The title cut, if it must be, after its last whole word in the header's two lines. */
function cardTitle(title: string, badges: Record<keyof typeof BADGE_ROOM, boolean>): string {
  const room = TITLE_ROOM - (Object.keys(BADGE_ROOM) as (keyof typeof BADGE_ROOM)[]).reduce((sum, badge) => sum + (badges[badge] ? BADGE_ROOM[badge] : 0), 0);
  return clampToLines(title, room, 2, measureCardTitle);
}

function armText(node: IrNode, arm: string): { label: string; detail?: string } {
  if (node.type === "branch") return arm === "then" ? { label: "IF", detail: node.condition } : { label: "ELSE" };
  if (arm === "default") return { label: "DEFAULT" };
  return { label: "CASE", detail: arm.slice(5) };
}

/** A row's value: text as text, with any `{{ }}` parts marked, or the expression as code. */
function RowValue({ value, kind }: { value: string; kind: KeyRowKind }) {
  const shown = cardValue(value, kind);
  if (shown.expression) return <code className="fn-value" data-value-kind="expression" title={value}>{value}</code>;
  const text = shown.pieces.map((piece) => (piece.expression ? `{{ ${piece.text} }}` : piece.text)).join("");
  return (
    <span className="fn-value fn-text" data-value-kind="text" title={text}>
      {shown.pieces.map((piece, index) => piece.expression
        ? <code key={index} className="fn-part">{piece.text}</code>
        : <span key={index}>{piece.text}</span>)}
    </span>
  );
}

function FlowNodeCardImpl({ id, data, selected }: NodeProps<FlowNode>) {
  const node = data.node;
  const kind = NODE_KINDS[node.type];
  const status = data.status;
  const problems = useDesigner((state) => (status ? 0 : state.issueCounts[id] ?? 0));
  const checked = useDesigner((state) => state.validatedIr !== null);
  const toolName = useDesigner((state) =>
    node.type === "tool" || node.type === "map" ? state.tools[node.tool]?.name : undefined);
  const rows = keyRows(node);
  const arms = armsOf(node);
  const title = node.title || node.id;
  return (
    <div
      className={`fn-card${selected ? " selected" : ""}${problems ? " has-problems" : ""}${status ? ` status-${status}` : ""}`}
      style={{ "--kind": `var(${kind.colour})` } as React.CSSProperties}
      data-node-id={id}
      data-node-type={node.type}
      data-valid={problems === 0 ? "true" : "false"}
      data-checked={checked ? "true" : "false"}
    >
      <Handle type="target" position={Position.Left} id="in" className="fn-handle fn-handle-in" />
      <div className="fn-head">
        <span className="fn-icon"><Icon name={node.type} /></span>
        <div className="fn-titles">
          <div className="fn-title" title={title}>{cardTitle(title, { problems: problems > 0, status: !!status && status !== "same", when: !!node.when })}</div>
          <div className="fn-sub" title={node.title ? `${node.id} · ${subtitle(node, toolName)}` : subtitle(node, toolName)}>
            {node.title ? <span className="fn-id">{node.id}</span> : null}
            {subtitle(node, toolName)}
          </div>
        </div>
        {problems > 0 && (
          <span className="fn-problems" title={countOf(problems, "problem")} aria-label={countOf(problems, "problem")}>
            {problems}
          </span>
        )}
        {status && status !== "same" ? <span className={`fn-status fn-status-${status}`}>{status}</span> : null}
        {node.when ? <span className="fn-flag" title={`Only when ${node.when}`}>when</span> : null}
      </div>
      <Handle type="source" position={Position.Right} id="out" className="fn-handle fn-handle-out" />
      {(rows.length > 0 || arms.length > 0) && (
        <div className="fn-body">
          {rows.map(([label, value, kind], index) => (
            <div className="fn-row" key={index}>
              <span className="fn-key" title={label}>{label}</span>
              <RowValue value={value} kind={kind} />
            </div>
          ))}
          {arms.map(({ arm, targets }) => {
            const text = armText(node, arm);
            return (
              <div className="fn-arm" key={arm}>
                <span className={`fn-arm-label arm-${arm === "then" ? "then" : arm === "else" || arm === "default" ? "else" : "case"}`}>{text.label}</span>
                {text.detail ? <code className="fn-value" title={text.detail}>{text.detail}</code> : <span className="fn-muted">{targets.length ? "" : "—"}</span>}
                <Handle type="source" position={Position.Right} id={arm} className="fn-handle fn-handle-arm" />
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}

export const FlowNodeCard = memo(FlowNodeCardImpl);
