"""The IR validator: one failing flow per check, a realistic valid flow, and schema errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows.core.ir import Join, parse_flow
from flows.core.tools import FunctionTool, InMemoryCatalog, ToolSpec
from flows.core.validate import (
    ISSUE_CODES,
    ValidationIssue,
    format_issues,
    infer_type,
    validate_flow,
)

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]


def schema(properties: dict[str, Any], required: tuple[str, ...] = (), **extra: Any) -> dict:
    return {"type": "object", "properties": properties, "required": list(required), **extra}


STRING = {"type": "string"}
NUMBER = {"type": "number"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}

SPECS = [
    ToolSpec(
        "hr.lookup_employee",
        "Look up an employee",
        "Find an employee by username.",
        input_schema=schema({"username": STRING}, ("username",)),
        output_schema=schema({"name": STRING, "iban": STRING, "email": STRING, "age": INTEGER}),
    ),
    ToolSpec(
        "docs.scan_receipt",
        "Scan a receipt",
        "Read the amount from a receipt image.",
        input_schema=schema({"url": STRING, "position": INTEGER}, ("url",)),
        output_schema=schema({"amount": NUMBER}),
    ),
    ToolSpec(
        "finance.pay",
        "Pay",
        "Transfer money.",
        input_schema=schema(
            {
                "account": STRING,
                "amount": NUMBER,
                "currency": {"type": "string", "enum": ["EUR", "USD"]},
                "reference": STRING,
            },
            ("account", "amount", "currency"),
        ),
        output_schema=schema({"ok": BOOLEAN, "transfer_id": STRING, "payee_email": STRING}),
    ),
    ToolSpec(
        "mail.send",
        "Send mail",
        "Send an e-mail.",
        input_schema=schema({"to": STRING, "subject": STRING, "body": STRING}, ("to", "subject")),
        output_schema=schema({"id": STRING}),
    ),
    ToolSpec(
        "http.get",
        "HTTP GET",
        "Fetch a URL; extra fields become query parameters.",
        input_schema=schema({"url": STRING}, ("url",), additionalProperties=True),
        output_schema=schema({"status": INTEGER, "body": STRING, "items": {"type": "array"}}),
    ),
]

INPUT_SCHEMA = schema(
    {
        "employee": STRING,
        "amount": NUMBER,
        "count": INTEGER,
        "approved": BOOLEAN,
        "currency": {"type": "string", "enum": ["EUR", "USD"]},
        "receipts": {"type": "array", "items": schema({"url": STRING})},
    }
)


def flow(*nodes: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"name": "test flow", "input_schema": INPUT_SCHEMA, "nodes": list(nodes), **top}


def lookup(node_id: str = "lookup", **extra: Any) -> dict[str, Any]:
    return {
        "id": node_id,
        "type": "tool",
        "tool": "hr.lookup_employee",
        "inputs": {"username": "input.employee"},
        **extra,
    }


def mail(node_id: str = "mail", **extra: Any) -> dict[str, Any]:
    return {
        "id": node_id,
        "type": "tool",
        "tool": "mail.send",
        "inputs": {"to": '"a@example.com"', "subject": '"hello"'},
        **extra,
    }


def issues_of(data: Any, **kwargs: Any) -> list[ValidationIssue]:
    return validate_flow(data, SPECS, **kwargs)


def only(data: Any, code: str, **kwargs: Any) -> ValidationIssue:
    """The single issue with `code` (and fail, showing all issues, if not exactly one)."""
    found = issues_of(data, **kwargs)
    matching = [issue for issue in found if issue.code == code]
    assert len(matching) == 1, format_issues(found)
    return matching[0]


# --- a valid flow -----------------------------------------------------------------------------


def test_realistic_flow_has_no_issues():
    data = json.loads((FIXTURES / "expense_approval.json").read_text())

    assert issues_of(data) == []


def test_valid_flow_is_accepted_as_text_as_a_model_and_with_a_catalog():
    text = (FIXTURES / "expense_approval.json").read_text()
    catalog = InMemoryCatalog(FunctionTool(spec, lambda **_: None) for spec in SPECS)

    assert validate_flow(text, catalog) == []
    assert validate_flow(parse_flow(text), catalog) == []


# --- structural (pydantic) errors ---------------------------------------------------------


def test_invalid_json_text_is_one_schema_issue():
    [issue] = issues_of('{"name": "x", "nodes": [')

    assert issue.code == "schema"
    assert "not valid JSON" in issue.message
    assert "line 1" in issue.message


def test_schema_errors_name_the_node_and_the_field():
    data = flow(
        lookup(),
        {"id": "pay", "type": "tool", "tool": "finance.pay", "inputs": {"amount": ""}},
        {"id": "check", "type": "branch", "condition": "true", "colour": "red"},
    )

    found = issues_of(data)

    assert [(i.code, i.node, i.field) for i in found] == [
        ("schema", "pay", "inputs.amount"),
        ("schema", "check", "colour"),
    ]
    assert "at least 1 character" in found[0].message
    assert "Remove `colour`" in (found[1].hint or "")
    assert "condition" in (found[1].hint or "")


def test_schema_errors_for_bad_ids_tags_and_nodes_without_ids():
    data = flow(
        lookup("Lookup Step"),
        {"id": "odd", "type": "loop"},
        {"type": "value"},
    )

    found = issues_of(data)

    assert [(i.node, i.field) for i in found] == [
        ("Lookup Step", "id"),
        ("odd", "type"),
        (None, "nodes[2].id"),
        (None, "nodes[2].value"),
    ]
    assert "`lookup_step`" in (found[0].hint or "")
    assert "tool, branch, switch" in (found[1].hint or "")
    assert "Add the required field `id`" in (found[2].hint or "")


def test_schema_errors_outside_nodes_name_the_top_level_field():
    found = issues_of({"nodes": [], "joins": [{"from_tool": "a", "to_tool": "b"}]})

    assert [(i.node, i.field) for i in found] == [
        (None, "name"),
        (None, "nodes"),
        (None, "joins[0].mapping"),
    ]


# --- flow-level checks ----------------------------------------------------------------------


def test_too_many_steps():
    issue = only(flow(lookup("a"), lookup("b"), lookup("c"), max_steps=2), "too_many_steps")

    assert (issue.node, issue.field) == (None, "max_steps")
    assert "3 nodes" in issue.message
    assert "max_steps is 2" in issue.message
    assert "map node" in (issue.hint or "")


def test_duplicate_id():
    issue = only(flow(lookup("a"), mail("b"), mail("a")), "duplicate_id")

    assert (issue.node, issue.field) == ("a", "id")
    assert "nodes[2]" in issue.message
    assert "nodes[0]" in issue.message
    assert "`a_2`" in (issue.hint or "")


def test_duplicate_ids_of_different_types_are_reported_once():
    data = flow(
        {"id": "a", "type": "value", "value": "1"},
        lookup("a"),
        mail(inputs={"to": "a", "subject": '"x"'}),
    )

    found = issues_of(data)

    assert [(i.code, i.node, i.field) for i in found] == [
        ("duplicate_id", "a", "id"),
        ("type_mismatch", "mail", "inputs.to"),
    ]


def test_reserved_id():
    issue = only(flow(lookup("item")), "reserved_id")

    assert (issue.node, issue.field) == ("item", "id")
    assert "reserved" in issue.message
    assert "`item_step`" in (issue.hint or "")


# --- tools and inputs ----------------------------------------------------------------------


def test_unknown_tool_suggests_the_nearest_id():
    data = flow({"id": "who", "type": "tool", "tool": "hr.lookup_employe", "inputs": {}})

    issue = only(data, "unknown_tool")

    assert (issue.node, issue.field) == ("who", "tool")
    assert "`hr.lookup_employe`" in issue.message
    assert "Did you mean `hr.lookup_employee`?" in (issue.hint or "")


def test_unknown_tool_without_a_close_match_lists_the_catalogue():
    issue = only(flow({"id": "x", "type": "tool", "tool": "zzz"}), "unknown_tool")

    assert "`mail.send`" in (issue.hint or "")


def test_a_step_with_no_tool_chosen_yet_says_so():
    data = flow({"id": "each", "type": "map", "tool": "", "items": "input.xs"})

    issue = only(data, "unknown_tool")

    assert (issue.node, issue.field) == ("each", "tool")
    assert issue.message == "Node `each` calls no tool yet."
    assert issue.hint == "Choose the tool it calls."


def test_missing_input():
    data = flow(
        {
            "id": "pay",
            "type": "tool",
            "tool": "finance.pay",
            "inputs": {
                "account": '"NL00BANK0123"',
                "amount": "input.amount",
            },
        }
    )

    issue = only(data, "missing_input")

    assert (issue.node, issue.field) == ("pay", "inputs.currency")
    assert "required input `currency`" in issue.message
    assert "Add `inputs.currency`" in (issue.hint or "")


def test_join_provided_inputs_count_as_supplied():
    join = {
        "from_tool": "hr.lookup_employee",
        "to_tool": "mail.send",
        "mapping": {"to": "source.email", "subject": '"Welcome " + source.name'},
    }
    data = flow(
        lookup(),
        {"id": "greet", "type": "tool", "tool": "mail.send", "after": ["lookup"]},
        joins=[join],
    )

    assert issues_of(data) == []


def test_registry_joins_count_as_supplied_inputs():
    join = Join(
        from_tool="hr.lookup_employee",
        to_tool="mail.send",
        mapping={"to": "source.email", "subject": '"hi"'},
    )
    data = flow(lookup(), {"id": "greet", "type": "tool", "tool": "mail.send", "after": ["lookup"]})

    assert issues_of(data, joins=[join]) == []
    issue, _ = issues_of(data)
    assert (issue.code, issue.node, issue.field) == ("missing_input", "greet", "inputs.to")
    assert "no join from `hr.lookup_employee` to `mail.send`" in issue.message
    assert "declare a join" in (issue.hint or "")


def test_missing_input_not_mapped_by_the_join_says_so():
    join = {
        "from_tool": "hr.lookup_employee",
        "to_tool": "mail.send",
        "mapping": {"to": "source.email"},
    }
    data = flow(
        lookup(),
        {"id": "greet", "type": "tool", "tool": "mail.send", "after": ["lookup"]},
        joins=[join],
    )

    issue = only(data, "missing_input")

    assert (issue.node, issue.field) == ("greet", "inputs.subject")
    assert "join hr.lookup_employee -> mail.send" in issue.message


def test_unknown_input_suggests_the_nearest_field():
    data = flow(mail(inputs={"to": '"a@example.com"', "subject": '"hi"', "bdoy": '"text"'}))

    issue = only(data, "unknown_input")

    assert (issue.node, issue.field) == ("mail", "inputs.bdoy")
    assert "Did you mean `body`?" in (issue.hint or "")


def test_open_input_schemas_accept_extra_inputs():
    data = flow(
        {
            "id": "fetch",
            "type": "tool",
            "tool": "http.get",
            "inputs": {"url": '"https://example.com"', "page": "2"},
        }
    )

    assert issues_of(data) == []


# --- references and the graph -----------------------------------------------------------------


def test_unknown_reference_in_an_expression_suggests_the_nearest_id():
    data = flow(lookup(), mail(inputs={"to": "lokup.email", "subject": '"hi"'}))

    issue = only(data, "unknown_reference")

    assert (issue.node, issue.field) == ("mail", "inputs.to")
    assert "`lokup`" in issue.message
    assert "Did you mean `lookup`?" in (issue.hint or "")


@pytest.mark.parametrize(
    ("node", "field"),
    [
        (mail(after=["lokup"]), "after[0]"),
        (
            {
                "id": "check",
                "type": "branch",
                "condition": "input.approved",
                "then": ["mail"],
                "else": ["lokup"],
            },
            "else[0]",
        ),
        (
            {
                "id": "route",
                "type": "switch",
                "value": "input.currency",
                "cases": {"EUR": ["mail"], "USD": ["lokup"]},
            },
            "cases.USD[0]",
        ),
    ],
)
def test_unknown_reference_in_after_and_arms(node: dict[str, Any], field: str):
    nodes = [lookup(), node] if node["id"] == "mail" else [lookup(), node, mail()]

    issue = only(flow(*nodes), "unknown_reference")

    assert (issue.node, issue.field) == (node["id"], field)
    assert "Did you mean `lookup`?" in (issue.hint or "")


def test_not_upstream_reference_to_itself():
    data = flow(lookup(), mail(inputs={"to": "lookup.email", "subject": "mail.id"}))

    issue = only(data, "not_upstream")

    assert (issue.node, issue.field) == ("mail", "inputs.subject")
    assert "its own output" in issue.message
    assert not [i for i in issues_of(data) if i.code == "cycle"]


def test_not_upstream_trigger_any_reading_a_dependency_that_may_not_have_run():
    data = flow(
        lookup(),
        {"id": "ready", "type": "value", "value": "true"},
        mail(trigger="any", after=["ready"], inputs={"to": "lookup.email", "subject": '"hi"'}),
    )

    issue = only(data, "not_upstream")

    assert (issue.node, issue.field) == ("mail", "inputs.to")
    assert "trigger 'any'" in issue.message
    assert "lookup != null" in (issue.hint or "")


def test_trigger_any_may_read_a_dependency_every_path_passes_through():
    data = flow(
        lookup(),
        {"id": "checked", "type": "value", "value": 'lookup.name != ""'},
        mail(trigger="any", after=["checked"], inputs={"to": "lookup.email", "subject": '"hi"'}),
    )

    assert issues_of(data) == []


def test_a_long_cycle_is_abbreviated():
    nodes = [{"id": f"v{i}", "type": "value", "value": f"v{(i - 1) % 2000}"} for i in range(2000)]

    issue = only(flow(*nodes, max_steps=2000), "cycle")

    assert issue.node == "v0"
    assert "v0 -> v1 -> v2" in issue.message
    assert "(1992 more)" in issue.message
    assert "v1999 -> v0" in issue.message


def test_trigger_any_merge_with_null_guards_is_valid():
    data = flow(
        {
            "id": "check",
            "type": "branch",
            "condition": "input.amount > 100.0",
            "then": ["big"],
            "else": ["small"],
        },
        {"id": "big", "type": "value", "value": '"big"'},
        {"id": "small", "type": "value", "value": '"small"'},
        {
            "id": "label",
            "type": "output",
            "trigger": "any",
            "value": 'big != null ? big : (small != null ? small : "none")',
        },
    )

    assert issues_of(data) == []


def test_not_upstream_reference_into_the_other_arm():
    data = flow(
        {
            "id": "check",
            "type": "branch",
            "condition": "input.approved",
            "then": ["yes"],
            "else": ["no"],
        },
        {"id": "yes", "type": "value", "value": '"approved"'},
        {"id": "no", "type": "value", "value": 'yes + " not"'},
    )

    issue = only(data, "not_upstream")

    assert (issue.node, issue.field) == ("no", "value")
    assert "`check` takes 'then'" in issue.message
    assert "`check` takes 'else'" in issue.message
    assert "never both run" in issue.message
    assert not [i for i in issues_of(data) if i.code == "unreachable"]


def test_cycle_is_named():
    data = flow(
        {"id": "a", "type": "value", "value": "c"},
        {"id": "b", "type": "value", "value": "a"},
        {"id": "c", "type": "value", "value": "b", "after": []},
    )

    issue = only(data, "cycle")

    assert (issue.node, issue.field) == ("a", "value")
    assert "a -> b -> c -> a" in issue.message
    assert "Remove one dependency" in (issue.hint or "")


def test_unreachable_when_literally_false():
    issue = only(flow(lookup(when="false")), "unreachable")

    assert (issue.node, issue.field) == ("lookup", "when")
    assert "always skipped" in issue.message


def test_unreachable_when_listed_in_two_arms():
    data = flow(
        {
            "id": "check",
            "type": "branch",
            "condition": "input.approved",
            "then": ["mail"],
            "else": ["mail"],
        },
        mail(),
    )

    issue = only(data, "unreachable")

    assert (issue.node, issue.field) == ("check", "else[0]")
    assert "both `then` and `else`" in issue.message
    assert "one arm only" in (issue.hint or "")


def test_unreachable_when_needing_both_arms_with_trigger_all():
    data = flow(
        {
            "id": "route",
            "type": "switch",
            "value": "input.currency",
            "cases": {"EUR": ["euro"], "USD": ["dollar"]},
        },
        {"id": "euro", "type": "value", "value": '"€"'},
        {"id": "dollar", "type": "value", "value": '"$"'},
        mail(after=["euro", "dollar"]),
    )

    issue = only(data, "unreachable")

    assert (issue.node, issue.field) == ("mail", "after[1]")
    assert "case 'EUR'" in issue.message
    assert "case 'USD'" in issue.message
    assert "set trigger to 'any'" in (issue.hint or "")
    assert (
        issues_of(
            {**data, "nodes": [*data["nodes"][:3], mail(after=["euro", "dollar"], trigger="any")]}
        )
        == []
    )


def test_unreachable_arm_of_a_constant_branch():
    data = flow(
        {
            "id": "check",
            "type": "branch",
            "condition": "true",
            "then": ["lookup"],
            "else": ["mail"],
        },
        lookup(),
        mail(),
    )

    issue = only(data, "unreachable")

    assert (issue.node, issue.field) == ("check", "condition")
    assert "`else` arm (`mail`)" in issue.message


# --- expressions and types -------------------------------------------------------------------


def test_expression_error_gives_the_column():
    issue = only(
        flow(mail(inputs={"to": "input.employee +", "subject": '"x"'})), "expression_error"
    )

    assert (issue.node, issue.field) == ("mail", "inputs.to")
    assert "column 17" in issue.message
    assert "expecting a value" in issue.message
    assert "valid CEL" in (issue.hint or "")


def test_expression_error_for_the_cost_limit():
    expression = "input.receipts.map(r, r.url).filter(u, u != '').map(u, u).exists(u, true)"
    issue = only(flow({"id": "v", "type": "value", "value": expression}), "expression_error")

    assert (issue.node, issue.field) == ("v", "value")
    assert "4 comprehension macros" in issue.message
    assert "3 comprehension macros" in (issue.hint or "")


@pytest.mark.parametrize(
    ("inputs", "field", "expects", "got"),
    [
        ({"to": "42"}, "inputs.to", "expects a string", "is an integer"),
        ({"to": "input.count"}, "inputs.to", "expects a string", "is an integer"),
        ({"to": "lookup.age"}, "inputs.to", "expects a string", "is an integer"),
        ({"to": "input.amount > 3.0"}, "inputs.to", "expects a string", "is a boolean"),
        ({"to": "size(input.receipts)"}, "inputs.to", "expects a string", "is an integer"),
        ({"to": '["a@example.com"]'}, "inputs.to", "expects a string", "is a list"),
        ({"to": '{"address": "a@example.com"}'}, "inputs.to", "expects a string", "is an object"),
        ({"to": "input.receipts[0].url == null"}, "inputs.to", "expects a string", "is a boolean"),
    ],
)
def test_type_mismatch_for_inferred_types(inputs: dict, field: str, expects: str, got: str):
    data = flow(lookup(), mail(inputs={"subject": '"hi"', **inputs}))

    issue = only(data, "type_mismatch")

    assert (issue.node, issue.field) == ("mail", field)
    assert expects in issue.message
    assert got in issue.message


def test_type_mismatch_for_string_concatenation_and_enums():
    data = flow(
        lookup(),
        {
            "id": "pay",
            "type": "tool",
            "tool": "finance.pay",
            "inputs": {
                "account": "lookup.iban",
                "amount": '"1" + "00"',
                "currency": '"GBP"',
            },
        },
    )

    found = [i for i in issues_of(data) if i.code == "type_mismatch"]

    assert [(i.node, i.field) for i in found] == [
        ("pay", "inputs.amount"),
        ("pay", "inputs.currency"),
    ]
    assert "expects a number" in found[0].message
    assert "int(...)" in (found[0].hint or "")
    assert 'expects one of "EUR", "USD", but `"GBP"` is not one of them' in found[1].message


def test_a_literal_outside_an_optional_enum_names_the_allowed_values_and_a_close_one():
    ship = ToolSpec(
        "ship.create",
        "Create a shipment",
        "Make a label.",
        input_schema=schema(
            {
                "order_id": STRING,
                "carrier": {
                    "anyOf": [
                        {"type": "string", "enum": ["ups", "fedex", "dhl"]},
                        {"type": "null"},
                    ],
                    "default": None,
                },
            },
            ("order_id",),
        ),
        output_schema=schema({"tracking_number": STRING}),
    )

    def shipping(carrier: str) -> dict[str, Any]:
        return flow(
            {
                "id": "ship",
                "type": "tool",
                "tool": "ship.create",
                "inputs": {"order_id": "input.employee", "carrier": carrier},
            }
        )

    issues = validate_flow(shipping('"UPS"'), [*SPECS, ship])
    found = [i for i in issues if i.code == "type_mismatch"]
    assert len(found) == 1, format_issues(found)
    issue = found[0]

    assert (issue.node, issue.field) == ("ship", "inputs.carrier")
    assert 'expects one of "ups", "fedex", "dhl", but `"UPS"` is not one of them' in issue.message
    assert 'Did you mean "ups"?' in (issue.hint or "")
    for fine in ('"fedex"', "null"):
        assert not [
            i for i in validate_flow(shipping(fine), [*SPECS, ship]) if i.code == "type_mismatch"
        ]


def test_type_mismatch_for_a_non_boolean_branch_condition():
    data = flow(
        lookup(),
        {"id": "check", "type": "branch", "condition": "lookup.name", "then": ["mail"]},
        mail(),
    )

    issue = only(data, "type_mismatch")

    assert (issue.node, issue.field) == ("check", "condition")
    assert "expects a boolean" in issue.message
    assert "is a string" in issue.message
    assert "compare" in (issue.hint or "")


def test_type_mismatch_for_map_items_that_are_not_a_list():
    data = flow(
        {
            "id": "scan",
            "type": "map",
            "tool": "docs.scan_receipt",
            "items": "input.employee",
            "inputs": {"url": "item"},
        }
    )

    issue = only(data, "type_mismatch")

    assert (issue.node, issue.field) == ("scan", "items")
    assert "expects a list" in issue.message
    assert "input.items" in (issue.hint or "")


def test_map_inputs_see_the_item_type():
    good = {
        "id": "scan",
        "type": "map",
        "tool": "docs.scan_receipt",
        "items": "input.receipts",
        "inputs": {"url": "item.url", "position": "index"},
    }
    bad = {**good, "inputs": {"url": "item.url", "position": "item.url"}}

    assert issues_of(flow(good)) == []
    issue = only(flow(bad), "type_mismatch")
    assert (issue.node, issue.field) == ("scan", "inputs.position")


def test_unknown_types_are_never_reported():
    data = flow(
        {"id": "fetch", "type": "tool", "tool": "http.get", "inputs": {"url": '"https://x"'}},
        mail(inputs={"to": "fetch.items[0].owner", "subject": "fetch.body.title + input.x"}),
        input_schema={"type": "object"},
    )

    assert issues_of(data) == []


def test_undefined_local_item_outside_a_map():
    issue = only(flow(mail(inputs={"to": "item.email", "subject": '"hi"'})), "undefined_local")

    assert (issue.node, issue.field) == ("mail", "inputs.to")
    assert "only bound inside a map" in issue.message
    assert "use a map node" in (issue.hint or "")


def test_undefined_local_source_outside_a_join():
    issue = only(
        flow(lookup(), mail(inputs={"to": "source.email", "subject": '"hi"'})), "undefined_local"
    )

    assert (issue.node, issue.field) == ("mail", "inputs.to")
    assert "join mapping" in issue.message


def test_undefined_local_item_in_map_items():
    data = flow(
        {
            "id": "scan",
            "type": "map",
            "tool": "docs.scan_receipt",
            "items": "item.receipts",
            "inputs": {"url": "item.url"},
        }
    )

    issue = only(data, "undefined_local")

    assert (issue.node, issue.field) == ("scan", "items")
    assert "evaluated once" in (issue.hint or "")


# --- approvals and joins ------------------------------------------------------------------------


def approval(form_schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "sign_off",
        "type": "approval",
        "form_schema": form_schema,
        "assignees": {"groups": ["managers"]},
    }


def test_missing_form_schema():
    issue = only(flow(approval({})), "missing_form_schema")

    assert (issue.node, issue.field) == ("sign_off", "form_schema")
    assert '"type": "object"' in (issue.hint or "")


def test_invalid_form_schema():
    bad = {"type": "object", "properties": {"reason": {"type": "text"}}}

    issue = only(flow(approval(bad)), "invalid_form_schema")

    assert (issue.node, issue.field) == ("sign_off", "form_schema")
    assert "form_schema['properties']['reason']['type']" in issue.message
    assert "'text' is not valid" in issue.message


def test_form_schema_with_a_malformed_dialect_is_reported_not_raised():
    issue = only(flow(approval({"$schema": ["draft"], "type": "object"})), "invalid_form_schema")

    assert "$schema" in issue.message


def test_form_schema_must_describe_an_object():
    issue = only(flow(approval({"type": "string"})), "invalid_form_schema")

    assert (issue.node, issue.field) == ("sign_off", "form_schema.type")
    assert "must describe an object" in issue.message


def test_reading_a_field_an_approval_does_not_have_is_reported():
    """`sign_off.reason` (for `sign_off.data.reason`) passed validation and failed the run
    with "no such key" after the approver had decided."""
    form = {"type": "object", "properties": {"reason": STRING}, "required": ["reason"]}
    data = flow(
        approval(form),
        {"id": "note", "type": "output", "after": ["sign_off"],
         "value": "sign_off.reason + sign_off.data.reasn"},
    )

    issues = [issue for issue in issues_of(data) if issue.code == "unknown_field"]

    assert [(issue.node, issue.field) for issue in issues] == [("note", "value")] * 2
    assert "`sign_off` has no field `reason`" in issues[0].message
    assert "Did you mean `sign_off.data.reason`?" in (issues[0].hint or "")
    assert "Did you mean `sign_off.data.reason`?" in (issues[1].hint or "")


def test_fields_of_open_schemas_and_guarded_reads_are_not_reported():
    form = {"type": "object", "properties": {"reason": STRING}}
    data = flow(
        lookup(),
        approval(form),
        {"id": "note", "type": "output", "after": ["sign_off", "lookup"],
         "value": "[sign_off.data.reason, sign_off.timed_out, lookup.undeclared, "
                  "has(input.undeclared), has(sign_off.data.other)]"},
    )

    assert [issue for issue in issues_of(data) if issue.code == "unknown_field"] == []


def test_a_run_input_the_input_schema_does_not_declare_is_reported_on_the_field():
    data = flow(lookup(inputs={"username": "input.nope"}))

    issue = only(data, "unknown_field")

    assert (issue.node, issue.field) == ("lookup", "inputs.username")
    assert "reads `input.nope`, which is not a declared run input; declared: `amount`" in (
        issue.message
    )
    assert "`employee`" in issue.message
    assert "input_schema" in (issue.hint or "")


@pytest.mark.parametrize(
    "input_schema",
    [
        {"type": "object"},
        schema({"employee": STRING}, additionalProperties=True),
        schema({"employee": STRING}, patternProperties={"^x_": STRING}),
    ],
)
def test_run_inputs_of_a_schema_without_properties_or_open_to_others_are_not_reported(
    input_schema: dict[str, Any],
):
    data = flow(lookup(inputs={"username": "input.nope"}), input_schema=input_schema)

    assert [issue for issue in issues_of(data) if issue.code == "unknown_field"] == []


def test_a_flow_without_an_input_schema_reads_any_run_input():
    data = {"name": "test flow", "nodes": [lookup(inputs={"username": "input.nope"})]}

    assert [issue for issue in issues_of(data) if issue.code == "unknown_field"] == []


@pytest.mark.parametrize(
    ("target", "text"),
    [
        ("http://127.0.0.1:8931/schema.json", "points outside the schema"),
        ("https://169.254.169.254/latest/meta-data", "points outside the schema"),
        ("other.json#/x", "points outside the schema"),
        ("#/$defs/missing", "points to nothing"),
    ],
)
def test_schema_refs_stay_inside_the_schema(target: str, text: str):
    """A `$ref` out of a schema would be fetched by jsonschema when a run input or a form
    is checked: a request to any address, on behalf of whoever wrote the flow."""
    refers = {"type": "object", "properties": {"email": {"$ref": target}}}

    inputs = only(flow(lookup(), input_schema=refers), "invalid_input_schema")
    form = only(flow(approval(refers)), "invalid_form_schema")
    llm = only(
        flow({"id": "ask", "type": "llm", "prompt": "hi", "output_schema": refers}),
        "invalid_output_schema",
    )

    assert (inputs.node, inputs.field) == (None, "input_schema")
    assert "input_schema['properties']['email']['$ref']" in inputs.message
    assert text in inputs.message
    assert (form.node, form.field) == ("sign_off", "form_schema")
    assert text in form.message
    assert (llm.node, llm.field) == ("ask", "output_schema")


def test_local_refs_and_ref_shaped_data_are_accepted():
    defs = {
        "type": "object",
        "$defs": {"email": {"$anchor": "mail", "type": "string"}},
        "properties": {
            "employee": {"$ref": "#/$defs/email"},
            "manager": {"$ref": "#mail"},
            "note": {"type": "object", "default": {"$ref": "https://example.com/not-a-schema"}},
        },
    }

    assert issues_of(flow(lookup(), input_schema=defs)) == []


def test_input_schema_that_jsonschema_refuses_is_reported():
    issue = only(flow(lookup(), input_schema={"type": "objekt"}), "invalid_input_schema")

    assert "input_schema['type']" in issue.message


@pytest.mark.parametrize(
    ("mapping", "field", "text"),
    [
        ({"to": "source.email +", "subject": '"x"'}, "joins[0].mapping.to", "column"),
        (
            {"to": "source.email", "subjct": '"x"'},
            "joins[0].mapping.subjct",
            "not an input of `mail.send`",
        ),
        ({"to": "lookup.email", "subject": '"x"'}, "joins[0].mapping.to", "only read `source`"),
    ],
)
def test_invalid_join(mapping: dict[str, str], field: str, text: str):
    join = {"from_tool": "hr.lookup_employee", "to_tool": "mail.send", "mapping": mapping}

    issue = only(flow(lookup(), joins=[join]), "invalid_join")

    assert (issue.node, issue.field) == (None, field)
    assert text in issue.message


def test_invalid_join_unknown_tool_and_type_mismatch():
    join = {
        "from_tool": "hr.lookup_employe",
        "to_tool": "mail.send",
        "mapping": {"to": "source.email", "subject": "size(source.name)"},
    }
    typed = {
        "from_tool": "hr.lookup_employee",
        "to_tool": "mail.send",
        "mapping": {"to": "source.email", "subject": "size(source.name)"},
    }

    unknown = only(flow(lookup(), joins=[join]), "invalid_join")
    mismatch = only(flow(lookup(), joins=[typed]), "type_mismatch")

    assert (unknown.node, unknown.field) == (None, "joins[0].from_tool")
    assert "Did you mean `hr.lookup_employee`?" in (unknown.hint or "")
    assert (mismatch.node, mismatch.field) == (None, "joins[0].mapping.subject")
    assert "expects a string" in mismatch.message
    assert "`size(source.name)` is an integer" in mismatch.message
    assert "string(...)" in (mismatch.hint or "")


def test_a_broken_registry_join_is_reported_where_it_is_used():
    join = Join(
        from_tool="hr.lookup_employee",
        to_tool="mail.send",
        mapping={"to": "source.email", "subject": "lookup.name"},
    )
    data = flow(lookup(), {"id": "greet", "type": "tool", "tool": "mail.send", "after": ["lookup"]})

    issue = only(data, "invalid_join", joins=[join])

    assert (issue.node, issue.field) == ("greet", "inputs")
    assert "Join hr.lookup_employee -> mail.send" in issue.message


# --- the shape of the output ------------------------------------------------------------------


def test_issues_come_out_in_node_order_then_field_order():
    data = flow(
        mail("first", inputs={"to": "nobody", "subject": "42", "body": "item"}, after=["zz"]),
        {"id": "second", "type": "tool", "tool": "nope"},
        lookup("third", when="1 +"),
        max_steps=1,
    )

    found = issues_of(data)

    assert [(i.node, i.field, i.code) for i in found] == [
        (None, "max_steps", "too_many_steps"),
        ("first", "after[0]", "unknown_reference"),
        ("first", "inputs.to", "unknown_reference"),
        ("first", "inputs.subject", "type_mismatch"),
        ("first", "inputs.body", "undefined_local"),
        ("second", "tool", "unknown_tool"),
        ("third", "when", "expression_error"),
    ]
    assert issues_of(data) == found


def test_every_issue_names_its_node_and_field_and_has_a_hint():
    data = flow(
        mail("first", inputs={"to": "nobody", "subject": "42"}, after=["zz"]),
        {"id": "second", "type": "tool", "tool": "nope"},
        approval({}),
    )

    for issue in issues_of(data):
        assert issue.code in ISSUE_CODES
        assert issue.node
        assert f"`{issue.node}`" in issue.message
        assert issue.field
        assert issue.hint


def test_to_json():
    issue = ValidationIssue("cycle", "a -> a", node="a", field="after[0]", hint="remove it")

    assert issue.to_json() == {
        "code": "cycle",
        "message": "a -> a",
        "node": "a",
        "field": "after[0]",
        "hint": "remove it",
    }
    assert json.loads(json.dumps(issue.to_json())) == issue.to_json()


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("1", {"type": "integer", "const": 1}),
        ("1.5", {"type": "number", "const": 1.5}),
        ('"a" + "b"', {"type": "string", "const": "ab"}),
        ("input.count * 2", {"type": "integer"}),
        ("input.count / 2.0", {"type": "number"}),
        ("!input.approved", {"type": "boolean"}),
        ("input.employee in ['a']", {"type": "boolean"}),
        ("input.receipts.map(r, r.url)", {"type": "array", "items": STRING}),
        ("input.count > 1 ? 'many' : 'one'", {"type": "string"}),
        ("input.count > 1 ? 'many' : 1", {"type": ["integer", "string"]}),
        ("input.employee.lowerAscii()", {"type": "string"}),
        ("input.unknown", None),
        ("foo(input.count)", None),
        ("Msg{a: 1}", None),
    ],
)
def test_infer_type(expression: str, expected: dict[str, Any] | None):
    assert infer_type(expression, {"input": INPUT_SCHEMA}) == expected


# --- robustness -------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["id", "type", "tool", "inputs", "x"]), children, max_size=3
        )
    ),
    max_leaves=12,
)
node_like = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["a", "b", "c", "input", "B"]),
        "type": st.sampled_from(["tool", "branch", "value", "map", "approval", "switch"]),
    },
    optional={
        "tool": st.sampled_from(["mail.send", "finance.pay", "nope"]),
        "inputs": st.dictionaries(
            st.sampled_from(["to", "subject", "amount"]),
            st.sampled_from(["a", "b.x", "item", "1 +", '"s"', "input.count", "c == 1"]),
            max_size=2,
        ),
        "value": st.sampled_from(["a", "b", "c.x", "true", "size(input.receipts)"]),
        "condition": st.sampled_from(["a", "true", "input.approved", "b > 1"]),
        "then": st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=2),
        "else": st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=2),
        "after": st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=2),
        "trigger": st.sampled_from(["all", "any"]),
        "items": st.sampled_from(["input.receipts", "a", "input.count"]),
        "form_schema": st.sampled_from([{}, {"type": "object"}, {"type": 3}]),
        "cases": st.dictionaries(
            st.sampled_from(["x", "y"]),
            st.lists(st.sampled_from(["a", "b", "c"]), max_size=2),
            min_size=1,
            max_size=2,
        ),
        "when": st.sampled_from(["false", "a", "input.approved"]),
    },
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nodes=st.lists(node_like, min_size=1, max_size=5))
def test_never_raises_on_generated_flows(nodes: list[dict[str, Any]]):
    found = issues_of(flow(*nodes))

    assert all(isinstance(issue, ValidationIssue) for issue in found)
    assert issues_of(flow(*nodes)) == found


@settings(max_examples=200, deadline=None)
@given(data=json_values | st.text(max_size=30))
def test_never_raises_on_arbitrary_documents(data: Any):
    found = issues_of(data)

    assert found
    assert {issue.code for issue in found} == {"schema"}


def test_the_docs_explain_every_issue_code():
    docs = (ROOT / "docs" / "ir.md").read_text()

    assert [code for code in ISSUE_CODES if f"| `{code}` |" not in docs] == []


def test_the_core_does_not_import_django():
    code = (
        "import sys, flows.core.validate\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "{'django', 'rest_framework', 'channels', 'celery', 'psycopg', 'redis'}]\n"
        "assert not bad, bad\n"
    )

    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
