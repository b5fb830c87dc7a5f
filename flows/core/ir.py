"""The IR: the typed, versioned JSON document a planner writes and the engine runs.

Every node input is a CEL expression over the run input (`input`) and the outputs of
upstream nodes (referenced by node id). References create the dependency edges, so
parallelism follows from the data flow; `after` adds ordering edges with no data.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, field_validator, model_validator

IR_VERSION = "1.0"

#: Names that expressions bind themselves; no node may take them as its id.
RESERVED_NAMES = frozenset(
    {
        "input",
        "item",
        "index",
        "source",
        "true",
        "false",
        "null",
        "in",
        "as",
        "break",
        "const",
        "continue",
        "else",
        "for",
        "function",
        "if",
        "import",
        "let",
        "loop",
        "package",
        "namespace",
        "return",
        "var",
        "void",
        "while",
    }
)

NODE_ID_PATTERN = r"^[a-z_][a-z0-9_]{0,63}$"
NodeId = Annotated[str, Field(pattern=NODE_ID_PATTERN, description="Unique node id (snake_case).")]
Expression = Annotated[str, Field(description="A CEL expression.", min_length=1, max_length=4000)]
JsonSchema = dict[str, Any]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Retry(_Model):
    """Retries for retryable errors, with exponential backoff and jitter-free delays."""

    max_attempts: int = Field(3, ge=1, le=20, description="Attempts in all, the first included.")
    backoff_s: float = Field(0.5, ge=0, le=600, description="Delay before the second attempt.")
    multiplier: float = Field(2.0, ge=1, le=10)
    max_backoff_s: float = Field(30.0, ge=0, le=3600)

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        return min(self.backoff_s * self.multiplier ** (attempt - 1), self.max_backoff_s)


class Position(_Model):
    x: float
    y: float


class _NodeBase(_Model):
    id: NodeId
    title: str | None = Field(None, max_length=200, description="A label for people.")
    after: list[NodeId] = Field(
        default_factory=list, description="Nodes that must finish first, besides those referenced."
    )
    when: Expression | None = Field(
        None, description="Guard: when it evaluates to false the node is skipped."
    )
    trigger: Literal["all", "any"] = Field(
        "all",
        description=(
            "'all': run only when every dependency completed (a skipped dependency skips this "
            "node). 'any': run when at least one completed; references to skipped nodes are null."
        ),
    )
    position: Position | None = Field(None, description="Where the editor draws the node.")


class ToolNode(_NodeBase):
    """Call a registered tool with inputs computed from expressions."""

    type: Literal["tool"] = "tool"
    tool: str = Field(description="Id of a registered tool.")
    inputs: dict[str, Expression] = Field(
        default_factory=dict, description="Tool input field -> CEL expression."
    )
    timeout_s: float | None = Field(None, gt=0, le=86400, description="Overrides the tool's.")
    retry: Retry | None = Field(None, description="Overrides the tool's retry policy.")


class BranchNode(_NodeBase):
    """Evaluate a condition; run the `then` nodes when true and the `else` nodes when false."""

    type: Literal["branch"] = "branch"
    condition: Expression
    then: list[NodeId] = Field(default_factory=list)
    else_: list[NodeId] = Field(default_factory=list, alias="else")


class SwitchNode(_NodeBase):
    """Evaluate `value`; run the nodes of the case whose key equals it (as a string)."""

    type: Literal["switch"] = "switch"
    value: Expression
    cases: dict[str, list[NodeId]] = Field(min_length=1)
    default: list[NodeId] = Field(default_factory=list)


class MapNode(_NodeBase):
    """Call a tool once per item of a list, at most `concurrency` at a time.

    Inputs may use `item` (the element) and `index` (its position). The output is the
    list of results, in the order of the items.
    """

    type: Literal["map"] = "map"
    items: Expression = Field(description="CEL expression that yields a list.")
    tool: str
    inputs: dict[str, Expression] = Field(default_factory=dict)
    concurrency: int = Field(4, ge=1, le=256)
    max_items: int = Field(1000, ge=1, le=100_000)
    timeout_s: float | None = Field(None, gt=0, le=86400)
    retry: Retry | None = None


class Assignees(_Model):
    users: list[str] = Field(default_factory=list, description="Usernames who may complete it.")
    groups: list[str] = Field(default_factory=list, description="Groups whose members may.")


_ISO_DURATION = re.compile(
    r"^P(?!$)(?:(?P<years>\d+(?:\.\d+)?)Y)?(?:(?P<months>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<weeks>\d+(?:\.\d+)?)W)?(?:(?P<days>\d+(?:\.\d+)?)D)?"
    r"(?:T(?=\d)(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)
_DURATION_UNITS = {
    "years": 365 * 86400.0,
    "months": 30 * 86400.0,
    "weeks": 7 * 86400.0,
    "days": 86400.0,
    "hours": 3600.0,
    "minutes": 60.0,
    "seconds": 1.0,
}


def duration_seconds(value: float | int | str) -> float:
    """Seconds in `value`: a number of seconds, or an ISO 8601 duration ("PT4H", "P2DT30M").

    A year counts 365 days and a month 30. Raises ValueError for anything else.
    """
    if isinstance(value, bool):
        raise ValueError("a duration is a number of seconds or an ISO 8601 string like 'PT4H'")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        text = value.strip().upper()
        match = _ISO_DURATION.match(text)
        if match is None:
            try:
                seconds = float(text)
            except ValueError:
                raise ValueError(
                    f"{value!r} is not a duration: give seconds (3600) or ISO 8601 "
                    "('PT1H', 'P1D', 'P1DT12H')"
                ) from None
        else:
            seconds = sum(
                float(amount) * _DURATION_UNITS[unit]
                for unit, amount in match.groupdict().items()
                if amount is not None
            )
    if not seconds > 0:
        raise ValueError("a timeout must be longer than zero")
    return seconds


class ApprovalPreset(_Model):
    """A ready-made form for the common cases; it fills `form_schema` when that is empty.

    - `comment`: approve or reject, with an optional comment;
    - `amount`: approve an amount up to `max_amount` (in `currency`);
    - `choice`: choose one of `options`.
    """

    kind: Literal["comment", "amount", "choice"]
    max_amount: float | None = Field(None, gt=0, description="For 'amount': the most allowed.")
    currency: str | None = Field(None, max_length=8, description="For 'amount': e.g. 'EUR'.")
    options: list[str] = Field(default_factory=list, description="For 'choice': the options.")

    @model_validator(mode="after")
    def _complete(self) -> ApprovalPreset:
        if self.kind == "choice" and len(self.options) < 2:
            raise ValueError("the 'choice' preset needs at least two `options`")
        if self.kind == "amount" and self.max_amount is None:
            raise ValueError("the 'amount' preset needs `max_amount`")
        return self

    def form_schema(self) -> JsonSchema:
        comment = {"type": "string", "title": "Comment", "maxLength": 4000}
        if self.kind == "amount":
            unit = f" ({self.currency})" if self.currency else ""
            return {
                "type": "object",
                "properties": {
                    "amount": {
                        "type": "number",
                        "title": f"Approved amount{unit}",
                        "minimum": 0,
                        "maximum": self.max_amount,
                    },
                    "comment": comment,
                },
                "required": ["amount"],
            }
        if self.kind == "choice":
            return {
                "type": "object",
                "properties": {
                    "choice": {"type": "string", "title": "Choice", "enum": list(self.options)},
                    "comment": comment,
                },
                "required": ["choice"],
            }
        return {"type": "object", "properties": {"comment": comment}}


class ApprovalNode(_NodeBase):
    """Suspend the run until its assignees decide (or the timeout applies).

    Output: {"approved": bool, "data": <form data>, "comment": str, "by": username,
    "timed_out": bool} and, for a review of a tool call, "inputs": the approved inputs.
    """

    type: Literal["approval"] = "approval"
    instructions: str = Field("", max_length=4000)
    form_schema: JsonSchema = Field(
        default_factory=dict,
        description="JSON Schema of the form the approver fills in (or give a `preset`).",
    )
    preset: ApprovalPreset | None = Field(
        None, description="A ready-made form: comment, amount (up to a limit) or choice."
    )
    context: dict[str, Expression] = Field(
        default_factory=dict, description="Values shown to the approver, computed at suspension."
    )
    assignees: Assignees = Field(default_factory=Assignees)
    quorum: int = Field(1, ge=1, le=100, description="Approvals needed to approve the step.")
    reject_quorum: int = Field(
        1, ge=1, le=100, description="Rejections that reject it (1: one rejection rejects)."
    )
    review: NodeId | None = Field(
        None,
        description=(
            "A tool node after this one whose inputs the approver reviews and may edit; by "
            "default the one dependent that calls a tool marked requires_approval."
        ),
    )
    timeout: float | str | None = Field(
        None, description="Time to decide: seconds, or an ISO 8601 duration such as 'P2D'."
    )
    timeout_s: float | None = Field(None, gt=0, description="Seconds before on_timeout applies.")
    on_timeout: Literal["approve", "reject", "fail", "escalate"] = Field(
        "fail",
        description=(
            "When the time is up: approve, reject, fail the run, or escalate: reassign the "
            "step to the `escalate_to` group with a fresh timeout (failing if that runs out)."
        ),
    )
    escalate_to: str | None = Field(None, max_length=150, description="Group to escalate to.")
    on_reject: Literal["skip", "continue", "fail"] = Field(
        "skip",
        description=(
            "'skip': descendants are skipped; 'continue': they run and may read .approved; "
            "'fail': the run fails."
        ),
    )

    @field_validator("timeout")
    @classmethod
    def _parse_timeout(cls, value: float | str | None) -> float | str | None:
        if value is not None:
            duration_seconds(value)
        return value

    @model_validator(mode="after")
    def _check(self) -> ApprovalNode:
        if not self.form_schema and self.preset is not None:
            self.form_schema = self.preset.form_schema()
        # An escalation without its group or its timeout is reported by the validator, on
        # the field to fix (`invalid_escalation`); at run time a step without the group
        # fails when its time is up, as "fail" does.
        return self

    @property
    def timeout_seconds(self) -> float | None:
        """The time to decide in seconds (`timeout`, else `timeout_s`), or None."""
        if self.timeout is not None:
            return duration_seconds(self.timeout)
        return self.timeout_s


class ValueNode(_NodeBase):
    """Compute a value from an expression (or an object of expressions)."""

    type: Literal["value"] = "value"
    value: Expression | dict[str, Expression]


class OutputNode(_NodeBase):
    """Like `value`; the outputs of output nodes together form the run's result."""

    type: Literal["output"] = "output"
    value: Expression | dict[str, Expression]


class LlmNode(_NodeBase):
    """Render a prompt template (`{{ expr }}` placeholders are CEL) and ask the model.

    With `output_schema`, the answer is parsed as JSON and checked against it; otherwise
    the output is {"text": answer}.
    """

    type: Literal["llm"] = "llm"
    prompt: str = Field(min_length=1, max_length=20000)
    system: str | None = Field(None, max_length=20000)
    output_schema: JsonSchema | None = None
    model: str | None = Field(None, description="Overrides the configured model.")
    timeout_s: float | None = Field(None, gt=0, le=3600)
    retry: Retry | None = None


Node = Annotated[
    ToolNode | BranchNode | SwitchNode | MapNode | ApprovalNode | ValueNode | OutputNode | LlmNode,
    Field(discriminator="type"),
]
NODE_TYPES = ("tool", "branch", "switch", "map", "approval", "value", "output", "llm")


class Join(_Model):
    """How to feed one tool's output into another's input when they are wired without inputs.

    Each mapping value is a CEL expression over `source`, the upstream tool's output.
    """

    from_tool: str
    to_tool: str
    mapping: dict[str, Expression] = Field(min_length=1)


class Metadata(_Model):
    prompt: str | None = None
    planner: str | None = Field(
        None, description="Which planner wrote it: offline, openai, editor."
    )
    model: str | None = None
    created_at: datetime | None = None
    tags: list[str] = Field(default_factory=list)
    notes: list[str] = Field(
        default_factory=list,
        description="What the planner read in the request but the graph does not do, for "
        "the person who checks the plan (a schedule: runs start when they are started).",
    )


class Flow(_Model):
    """A complete execution graph."""

    ir_version: Literal["1.0"] = "1.0"
    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=4000)
    input_schema: JsonSchema = Field(
        default_factory=lambda: {"type": "object"}, description="JSON Schema of the run input."
    )
    nodes: list[Node] = Field(min_length=1)
    joins: list[Join] = Field(default_factory=list)
    max_steps: int = Field(100, ge=1, le=10_000, description="Upper bound on node count.")
    timeout_s: float | None = Field(None, gt=0, description="Whole-run timeout.")
    metadata: Metadata = Field(default_factory=lambda: Metadata())

    def node(self, node_id: str) -> Node:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


_flow_adapter: TypeAdapter[Flow] = TypeAdapter(Flow)


def parse_flow(data: dict[str, Any] | str | bytes) -> Flow:
    """Parse and structurally validate an IR document (raises pydantic.ValidationError)."""
    if isinstance(data, str | bytes):
        return Flow.model_validate_json(data)
    return Flow.model_validate(data)


def ir_json_schema() -> dict[str, Any]:
    """The published JSON Schema of the IR (used by planners, the API and the editor)."""
    schema = Flow.model_json_schema(by_alias=True, mode="validation")
    schema["$id"] = f"https://dynamicflow.dev/schemas/ir/{IR_VERSION}.json"
    schema["title"] = "DynamicFlow IR"
    return schema


def ir_json_schema_text() -> str:
    return json.dumps(ir_json_schema(), indent=2, sort_keys=True)
