"""The validator checks an approval's escalation and the tool call it reviews, naming the node
and the field, and agrees with the engine: what it accepts compiles, what the engine would
refuse it reports first."""

from __future__ import annotations

from typing import Any

import pytest

from flows.core.engine import EngineError, compile_flow
from flows.core.ir import parse_flow
from flows.core.validate import validate_flow
from tools_registry.catalog import default_catalog

FORM = {"type": "object", "properties": {"note": {"type": "string"}}}


def _flow(approval: dict[str, Any], *extra: dict[str, Any], send_after: list[str] | None = None
          ) -> dict[str, Any]:
    """draft (a value) -> ok (the approval) -> send (a tool call)."""
    return {
        "name": "review",
        "nodes": [
            {"id": "draft", "type": "value", "value": "'Thanks for your order'"},
            {"id": "ok", "type": "approval", "after": ["draft"], "form_schema": FORM,
             "assignees": {"users": ["bob"]}, **approval},
            {"id": "send", "type": "tool", "tool": "analyze_sentiment",
             "after": send_after if send_after is not None else ["ok"],
             "inputs": {"text": "draft"}},
            *extra,
        ],
    }


def _issues(ir: dict[str, Any]) -> list[tuple[str, str | None, str | None]]:
    return [(i.code, i.node, i.field) for i in validate_flow(ir, default_catalog())]


def test_escalation_needs_a_group() -> None:
    issues = validate_flow(_flow({"on_timeout": "escalate", "timeout": 60}), default_catalog())

    assert [(i.code, i.node, i.field) for i in issues] == [
        ("invalid_escalation", "ok", "escalate_to")
    ]
    assert "managers" in (issues[0].hint or "")


def test_escalation_needs_a_timeout() -> None:
    assert _issues(_flow({"on_timeout": "escalate", "escalate_to": "managers"})) == [
        ("invalid_escalation", "ok", "timeout")
    ]


def test_a_blank_group_is_no_group() -> None:
    assert _issues(_flow({"on_timeout": "escalate", "escalate_to": "  ", "timeout": "PT1H"})) == [
        ("invalid_escalation", "ok", "escalate_to")
    ]


def test_a_complete_escalation_and_review_pass_and_compile() -> None:
    ir = _flow({"on_timeout": "escalate", "escalate_to": "managers", "timeout": 60,
                "review": "send"})

    assert _issues(ir) == []
    compiled = compile_flow(parse_flow(ir), default_catalog())
    assert compiled.steps["ok"].review == "send"


@pytest.mark.parametrize(
    ("ir", "expected", "words"),
    [
        (_flow({"review": "sned"}), ("unknown_reference", "ok", "review"), "Did you mean `send`"),
        (_flow({"review": "draft"}), ("invalid_review", "ok", "review"), "a value node"),
        (_flow({"review": "send"}, send_after=[]), ("invalid_review", "ok", "review"),
         'Add `ok` to the `after` of `send`'),
        (_flow({"review": "send"}, {"id": "other", "type": "value", "value": "1"},
               send_after=["ok", "other"]),
         ("invalid_review", "ok", "review"), "Add `other` to the `after` of `ok`"),
    ],
    ids=["unknown", "not-a-tool", "not-right-after", "waits-for-more"],
)
def test_a_bad_review_target_is_named_on_the_review_field(
    ir: dict[str, Any], expected: tuple[str, str, str], words: str
) -> None:
    issues = [i for i in validate_flow(ir, default_catalog()) if i.field == "review"]

    assert [(i.code, i.node, i.field) for i in issues] == [expected]
    assert words in f"{issues[0].message} {issues[0].hint}"


def test_the_engine_refuses_what_the_validator_reports() -> None:
    # (the engine would have found these only when the flow was compiled for a run)
    for ir in (_flow({"review": "draft"}), _flow({"review": "send"}, send_after=[])):
        with pytest.raises(EngineError, match="not a tool node that runs after it"):
            compile_flow(parse_flow(ir), default_catalog())


def test_two_approvals_may_not_review_one_tool_call() -> None:
    second = {"id": "ok2", "type": "approval", "after": ["draft"], "form_schema": FORM,
              "review": "send"}
    ir = _flow({"review": "send"}, second, send_after=["ok", "ok2"])

    issues = validate_flow(ir, default_catalog())

    assert [(i.code, i.node, i.field) for i in issues] == [
        ("invalid_review", "ok", "review"),  # `send` also waits for ok2, not before ok
        ("invalid_review", "ok2", "review"),
    ]
    assert "both review `send`" in issues[1].message
    with pytest.raises(EngineError, match="reviewed by two approvals"):
        compile_flow(parse_flow(ir), default_catalog())
