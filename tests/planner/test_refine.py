"""Edit operations: applied to a copy, validated, returned with a diff; the offline forms."""

from __future__ import annotations

import copy
import json

import pytest

from flows.core.events import ListSink
from flows.core.ir import ApprovalNode, ValueNode, parse_flow
from flows.core.planner.offline import OfflinePlanner
from flows.core.planner.refine import (
    AddInputField,
    AddNode,
    Connect,
    Disconnect,
    EditError,
    RemoveNode,
    Rename,
    SetInput,
    UpdateNode,
    apply_operations,
    diff_flows,
    parse_operations,
    rename_in_expression,
)
from flows.core.planner.session import plan_flow, refine_flow
from tests.planner.plans import VALID_PLAN

BASE = parse_flow(VALID_PLAN)


def refine(instruction, catalog, flow=BASE):
    return refine_flow(flow, instruction, planner=OfflinePlanner(), catalog=catalog)


def test_operations_apply_to_a_copy():
    before = copy.deepcopy(BASE.to_json())

    edited = apply_operations(
        BASE,
        [
            AddNode(
                node={
                    "id": "text_them",
                    "type": "tool",
                    "tool": "send_sms",
                    "inputs": {"phone": "input.phone", "message": "verify.reason"},
                },
                before=[],
            ),
            AddInputField(name="phone", schema={"type": "string"}, required=True),
            Connect(source="notify", target="text_them"),
            SetInput(node="notify", field="subject", expression='"Hi there"'),
            UpdateNode(id="notify", changes={"title": "Say hello"}),
        ],
    )

    assert BASE.to_json() == before
    assert edited.node("text_them").after == ["notify"]
    assert edited.node("notify").inputs["subject"] == '"Hi there"'
    assert edited.node("notify").title == "Say hello"
    assert edited.input_schema["required"] == ["email", "phone"]


def test_rename_rewrites_references_but_not_strings_or_fields():
    assert rename_in_expression('verify.email + "verify" + x.verify', "verify", "check") == (
        'check.email + "verify" + x.verify'
    )

    edited = apply_operations(BASE, [Rename(id="verify", new_id="check")])

    assert edited.node("notify").inputs["to"] == "check.email"
    assert [node.id for node in edited.nodes] == ["check", "notify"]


def test_removing_a_node_drops_its_edges_and_arm_entries():
    flow = parse_flow(
        {
            **VALID_PLAN,
            "nodes": [
                VALID_PLAN["nodes"][0],
                {"id": "gate", "type": "branch", "condition": "verify.ok", "then": ["notify"]},
                {**VALID_PLAN["nodes"][1], "after": ["gate"]},
            ],
        }
    )

    edited = apply_operations(flow, [RemoveNode(id="gate")])

    assert edited.node("notify").after == []
    assert [node.id for node in edited.nodes] == ["verify", "notify"]


@pytest.mark.parametrize(
    ("operation", "message"),
    [
        (RemoveNode(id="ghost"), "there is no node 'ghost'"),
        (Rename(id="verify", new_id="notify"), "already exists"),
        (Disconnect(source="verify", target="notify"), "reads the output of 'verify'"),
        (Connect(source="notify", target="notify"), "cannot run after itself"),
    ],
)
def test_an_operation_that_cannot_apply_says_which_and_why(operation, message):
    with pytest.raises(EditError) as caught:
        apply_operations(BASE, [operation])

    assert message in str(caught.value)
    assert str(caught.value).startswith("operation 1:")


def test_operations_parse_from_the_json_a_model_writes():
    operations = parse_operations(
        {
            "operations": [
                {"op": "connect", "source": "a", "target": "b"},
                {"op": "set_input", "node": "b", "field": "x", "expression": None},
            ]
        }
    )

    assert operations == [
        Connect(source="a", target="b"),
        SetInput(node="b", field="x", expression=None),
    ]


def test_the_diff_names_added_removed_renamed_and_changed_nodes_and_edges():
    edited = apply_operations(
        BASE,
        [
            Rename(id="notify", new_id="welcome"),
            SetInput(node="welcome", field="subject", expression='"Hey"'),
            AddNode(node={"id": "log", "type": "value", "value": "welcome.message_id"}),
        ],
    )

    diff = diff_flows(BASE, edited, renamed={"notify": "welcome"})

    assert diff["renamed"] == {"notify": "welcome"}
    assert [node["id"] for node in diff["added"]] == ["log"]
    assert diff["removed"] == []
    assert diff["changed"][0]["id"] == "welcome"
    assert diff["changed"][0]["changes"]["inputs"]["after"]["subject"] == '"Hey"'
    assert diff["edges_added"] == [["welcome", "log"]]
    assert diff["edges_removed"] == []


# -- the offline planner's instructions -------------------------------------------------------


def test_also_adds_a_step_after_the_last_one(catalog):
    sink = ListSink()

    result = refine_flow(
        BASE, "also text the customer an SMS", planner=OfflinePlanner(), catalog=catalog, sink=sink
    )

    assert result.ok, result.error
    added = [op for op in result.operations if isinstance(op, AddNode)]
    assert [op.node.tool for op in added] == ["send_sms"]
    assert result.flow.node("send_sms").after == ["notify"]
    assert {"phone", "message"} <= set(result.flow.input_schema["properties"])
    assert result.diff["edges_added"] == [["notify", "send_sms"]]
    assert BASE.node("notify").after == []  # the original is untouched
    validated = next(e for e in sink.events if e.type == "plan.validated")
    assert validated.data["diff"] == result.diff


def test_a_step_can_be_added_before_another(catalog):
    result = refine("add refund order before notify", catalog)

    assert result.ok, result.error
    assert "refund_order" in result.flow.node("notify").after
    assert result.flow.node("refund_order").after == ["verify"]


def test_removing_a_step_rewires_what_read_it(catalog):
    result = refine("drop the verify step", catalog)

    assert result.ok, result.error
    assert [node.id for node in result.flow.nodes] == ["notify"]
    assert result.flow.node("notify").inputs["to"] == "input.email"
    assert result.diff["removed"] == ["verify"]


def test_an_approval_goes_before_the_step_it_names(catalog):
    flow = refine("also refund the order", catalog).flow

    result = refine("ask finance to approve refunds over 500", catalog, flow=flow)

    assert result.ok, result.error
    approval = next(n for n in result.flow.nodes if isinstance(n, ApprovalNode))
    join = next(n for n in result.flow.nodes if isinstance(n, ValueNode))
    assert approval.assignees.groups == ["finance"]
    assert approval.when == "input.amount > 500.0"
    assert join.id in result.flow.node("refund_order").after
    assert result.flow.node("refund_order").inputs["amount"] == "input.amount"


def test_an_unconditional_approval_before_a_step(catalog):
    result = refine("add an approval before notify", catalog)

    assert result.ok, result.error
    approval = next(n for n in result.flow.nodes if isinstance(n, ApprovalNode))
    assert result.flow.node("notify").after == [approval.id]
    assert approval.when is None


def test_rename_and_ordering_instructions(catalog):
    renamed = refine("rename notify to welcome", catalog)
    ordered = refine("run notify after verify", catalog)

    assert renamed.ok
    assert ordered.ok
    assert renamed.operations == [Rename(id="notify", new_id="welcome")]
    assert ordered.operations == [Connect(source="verify", target="notify")]


def test_set_an_input_to_a_literal(catalog):
    result = refine("set the subject of notify to 'Welcome!'", catalog)

    assert result.ok
    assert result.flow.node("notify").inputs["subject"] == '"Welcome!"'


@pytest.mark.parametrize(
    "instruction",
    [
        "make the notify subject 'Welcome!'",
        "change the notify subject to 'Welcome!'",
        "use 'Welcome!' as the subject of notify",
        "use 'Welcome!' as the notify's subject",
    ],
)
def test_an_input_set_in_other_words_is_set_not_a_step_added(catalog, instruction):
    """ "Make the payment currency EUR" added a second payment."""
    result = refine(instruction, catalog)

    assert result.ok, result.error
    assert result.operations == [SetInput(node="notify", field="subject", expression='"Welcome!"')]


def test_making_a_new_thing_after_a_step_adds_the_step_that_creates_it(demo):
    flow = plan_flow(
        "Validate the order, check inventory, then charge the card",
        planner=OfflinePlanner(),
        catalog=demo,
    ).flow

    result = refine("make a ticket after the payment", demo, flow=flow)

    assert result.ok, result.error
    added = [n for n in result.flow.nodes if n.id not in {m.id for m in flow.nodes}]
    assert [n.tool for n in added] == ["create_ticket"]
    assert "process_payment" in added[0].after


def test_an_instruction_it_cannot_map_fails_with_the_reason(catalog):
    result = refine("translate everything to Klingon", catalog)

    assert not result.ok
    assert result.error.code == "unmapped_step"
    assert "translate" in result.error.message


def test_an_edit_that_breaks_the_flow_fails_with_the_validators_words(catalog):
    result = refine("set the to of notify to nobody.email", catalog)

    assert not result.ok
    assert result.error.code == "invalid_plan"
    assert result.issues
    assert result.issues[0]["node"] == "notify"
    assert result.diff is not None  # the preview still shows what the edit would do


@pytest.fixture
def shipped(demo):
    return plan_flow(
        "Validate the order, charge the card, then ship it", planner=OfflinePlanner(), catalog=demo
    ).flow


@pytest.mark.parametrize(
    ("instruction", "field", "value"),
    [
        ("use DHL for shipping", "carrier", '"dhl"'),
        ("use fedex", "carrier", '"fedex"'),
        ("switch to express", "service", '"express"'),
    ],
)
def test_a_listed_value_said_alone_sets_the_input_that_takes_it(
    demo, shipped, instruction, field, value
):
    """ "Use DHL for shipping" added a second shipment."""
    result = refine(instruction, demo, flow=shipped)

    assert result.ok, result.error
    assert result.operations == [SetInput(node="create_shipment", field=field, expression=value)]
    assert [n.tool for n in result.flow.nodes if getattr(n, "tool", None) == "create_shipment"] == [
        "create_shipment"
    ]


def test_retrying_a_step_sets_its_attempts_and_adds_no_step(demo, shipped):
    """ "Retry the payment 3 times" added a second payment."""
    result = refine("retry the payment 3 times", demo, flow=shipped)

    assert result.ok, result.error
    assert len(result.flow.nodes) == len(shipped.nodes)
    assert result.flow.node("process_payment").retry.max_attempts == 4


def test_renaming_to_words_sets_the_title_too(catalog):
    result = refine("rename notify to Say welcome", catalog)

    assert result.ok, result.error
    assert result.flow.node("say_welcome").title == "Say welcome"


@pytest.mark.parametrize(
    ("instruction", "node", "field", "value"),
    [
        (
            "Change the address to 9 Oak Lane, Austin, TX 78701",
            "create_shipment",
            "address",
            '"9 Oak Lane, Austin, TX 78701"',
        ),
        ("change the amount to 40", "process_payment", "amount", "40"),
    ],
)
def test_an_input_said_with_no_step_is_the_one_step_that_has_it(
    demo, shipped, instruction, node, field, value
):
    """ "Change the address to ..." was refused (read as a step to add)."""
    result = refine(instruction, demo, flow=shipped)

    assert result.ok, result.error
    assert result.operations == [SetInput(node=node, field=field, expression=value)]
    assert len(result.flow.nodes) == len(shipped.nodes)


@pytest.mark.parametrize(
    ("instruction", "node", "guard"),
    [
        ("Only charge it if the order is valid", "process_payment", "validate_order.valid"),
        (
            "ship it only if the payment is approved",
            "create_shipment",
            'process_payment.status == "approved"',
        ),
    ],
)
def test_only_if_guards_the_step_already_there(demo, shipped, instruction, node, guard):
    """ "Only charge it if the order is valid" added a second charge after the first."""
    result = refine(instruction, demo, flow=shipped)

    assert result.ok, result.error
    assert result.operations == [UpdateNode(id=node, changes={"when": guard})]
    assert [n.id for n in result.flow.nodes] == [n.id for n in shipped.nodes]


def test_only_if_nothing_tells_is_refused_not_done_twice(demo, shipped):
    result = refine("Only charge it if the customer is happy", demo, flow=shipped)

    assert not result.ok
    assert "process_payment" in result.error.message


def test_two_listed_values_said_together_set_both_inputs(demo, shipped):
    result = refine("Use UPS express", demo, flow=shipped)

    assert result.ok, result.error
    assert result.operations == [
        SetInput(node="create_shipment", field="carrier", expression='"ups"'),
        SetInput(node="create_shipment", field="service", expression='"express"'),
    ]


# --------------------------------------------------------------------------- a step's values
# A value said for a step the flow has changes that step: it was planned as a second step.


@pytest.fixture
def receipt(demo):
    return plan_flow(
        "Validate order 42, then charge it $120 and email the receipt to ana@shop.io",
        planner=OfflinePlanner(),
        catalog=demo,
    ).flow


@pytest.fixture
def tracked(demo):
    return plan_flow(
        "Check stock for 2 units of SKU-9, ship order 7 to 5 Elm St, Springfield via UPS and "
        "email tracking to joe@x.com",
        planner=OfflinePlanner(),
        catalog=demo,
    ).flow


def _changed_inputs(result, before):
    """{node: {field: expression}} of the inputs the edit changed."""
    assert result.ok, result.error
    assert [n.id for n in result.flow.nodes] == [n.id for n in before.nodes]  # none added
    return {
        node.id: {
            field: value
            for field, value in node.inputs.items()
            if value != before.node(node.id).inputs.get(field)
        }
        for node in result.flow.nodes
        if getattr(node, "inputs", None) != getattr(before.node(node.id), "inputs", None)
    }


@pytest.mark.parametrize(
    ("instruction", "changed"),
    [
        ("charge in EUR instead", {"process_payment": {"currency": '"EUR"'}}),
        ("send the receipt to bob@shop.io instead", {"send_email": {"to": '"bob@shop.io"'}}),
        ("make the amount 150", {"process_payment": {"amount": "150"}}),
        ("make the amount $150", {"process_payment": {"amount": "150"}}),
        # the order id is text, and the charge reads it from the validation
        ("change the order to 43", {"validate_order": {"order_id": '"43"'}}),
    ],
)
def test_a_value_said_for_a_step_the_flow_has_changes_that_step(
    demo, receipt, instruction, changed
):
    assert _changed_inputs(refine(instruction, demo, flow=receipt), receipt) == changed


@pytest.mark.parametrize(
    ("instruction", "changed"),
    [
        (
            "ship to 10 Pine Rd, Dover instead",
            {"create_shipment": {"address": '"10 Pine Rd, Dover"'}},
        ),
        ("ship express", {"create_shipment": {"service": '"express"'}}),
        ("ship it via dhl", {"create_shipment": {"carrier": '"dhl"'}}),
        ("send it by fedex", {"create_shipment": {"carrier": '"fedex"'}}),
    ],
)
def test_a_shipment_said_again_with_other_values_changes_the_shipment(
    demo, tracked, instruction, changed
):
    assert _changed_inputs(refine(instruction, demo, flow=tracked), tracked) == changed


def test_another_recipient_said_instead_is_set_on_the_step_that_sends(demo):
    flow = plan_flow(
        "Look up user 12 and send them a welcome email", planner=OfflinePlanner(), catalog=demo
    ).flow

    result = refine("send it to kim@x.com instead", demo, flow=flow)

    assert _changed_inputs(result, flow) == {"send_welcome_email": {"email": '"kim@x.com"'}}


def test_a_title_that_said_the_old_value_says_the_new_one(demo, receipt, tracked):
    assert refine("make the amount 150", demo, flow=receipt).flow.node(
        "process_payment"
    ).title == "Charge it $150"
    assert refine("use FedEx", demo, flow=tracked).flow.node(
        "create_shipment"
    ).title == "Ship order 7 to 5 Elm St, Springfield via FedEx"
    assert refine("change the order to 43", demo, flow=receipt).flow.node(
        "validate_order"
    ).title == "Validate order 43"


def test_retries_said_with_if_it_fails_set_the_attempts(demo, receipt):
    result = refine("retry the payment 3 times if it fails", demo, flow=receipt)

    assert result.ok, result.error
    assert len(result.flow.nodes) == len(receipt.nodes)
    assert result.flow.node("process_payment").retry.max_attempts == 4


@pytest.mark.parametrize("instruction", ["don't check stock", "no need to check the stock"])
def test_a_step_said_not_to_be_done_is_removed(demo, tracked, instruction):
    result = refine(instruction, demo, flow=tracked)

    assert result.ok, result.error
    assert [n.id for n in result.flow.nodes] == ["create_shipment", "send_email"]
    assert result.flow.node("create_shipment").after == []


def test_a_step_added_first_goes_before_every_step_the_flow_starts_with(demo, tracked):
    result = refine("add a step to validate the order first", demo, flow=tracked)

    assert result.ok, result.error
    added = [n for n in result.flow.nodes if n.id not in {m.id for m in tracked.nodes}]
    assert [n.tool for n in added] == ["validate_order"]
    assert added[0].after == []
    assert result.flow.node("check_inventory").after == [added[0].id]


# --------------------------------------------------------------------------- approvals, gates


@pytest.fixture
def gated(demo):
    """An approval only big orders need, and its gate (what lets the charge through)."""
    return plan_flow(
        "When an order over $500 comes in, get manager approval, then charge it and ship it "
        "via DHL",
        planner=OfflinePlanner(),
        catalog=demo,
    ).flow


@pytest.mark.parametrize("instruction", ["remove the approval", "drop manager_approval_passed"])
def test_removing_an_approval_removes_its_gate_too(demo, gated, instruction):
    """ "Remove the approval" removed the gate alone: rejected orders were charged."""
    result = refine(instruction, demo, flow=gated)

    assert result.ok, result.error
    ids = [n.id for n in result.flow.nodes]
    assert "manager_approval" not in ids
    assert "manager_approval_passed" not in ids
    assert result.flow.node("process_payment").after == ["request"]


@pytest.mark.parametrize(
    ("instruction", "changes"),
    [
        (
            "ask finance to approve instead",
            {"assignees": {"groups": ["finance"], "users": []}, "title": "Finance approval"},
        ),
        (
            "have Jane approve it instead",
            {"assignees": {"groups": [], "users": ["jane"]}, "title": "Approval by Jane"},
        ),
        ("the approval should time out after 2 days", {"timeout_s": 172800.0}),
        ("give the manager 3 hours to approve", {"timeout_s": 10800.0}),
    ],
)
def test_the_flows_one_approval_changes_who_decides_and_how_long(
    demo, gated, instruction, changes
):
    result = refine(instruction, demo, flow=gated)

    assert result.ok, result.error
    assert result.operations == [UpdateNode(id="manager_approval", changes=changes)]


def test_the_threshold_a_condition_compares_with_changes(demo, gated):
    result = refine("make the threshold 1000", demo, flow=gated)

    assert result.ok, result.error
    assert result.flow.node("manager_approval").when == "input.amount > 1000.0"
    assert len(result.flow.nodes) == len(gated.nodes)


def test_a_map_retries_each_item(demo):
    flow = plan_flow(
        "For each email in the list, validate it and send a welcome email to the valid ones",
        planner=OfflinePlanner(),
        catalog=demo,
    ).flow

    result = refine("retry validation twice", demo, flow=flow)

    assert result.ok, result.error
    assert [n.id for n in result.flow.nodes] == [n.id for n in flow.nodes]
    assert result.flow.node("validate_email").retry.max_attempts == 3


def test_an_input_is_set_on_the_step_the_words_name_that_has_it(demo):
    """ "Make the ticket category billing" named the classification (no category input)
    and planned a second one."""
    flow = plan_flow(
        "Classify the ticket text, and if it's urgent create an urgent ticket, otherwise "
        "email support@acme.io",
        planner=OfflinePlanner(),
        catalog=demo,
    ).flow

    result = refine("make the ticket category billing", demo, flow=flow)

    assert _changed_inputs(result, flow) == {"create_ticket": {"category": '"billing"'}}


@pytest.mark.parametrize(
    ("instruction", "changed"),
    [
        ("use GBP", {"process_payment": {"currency": '"GBP"'}}),
        ("amount should be 99.99", {"process_payment": {"amount": "99.99"}}),
        ("the currency is EUR", {"process_payment": {"currency": '"EUR"'}}),
        ("instead of 120 charge 80", {"process_payment": {"amount": "80"}}),
        ("charge 80 instead", {"process_payment": {"amount": "80"}}),
    ],
)
def test_values_said_in_other_words_change_the_step(demo, receipt, instruction, changed):
    assert _changed_inputs(refine(instruction, demo, flow=receipt), receipt) == changed


def test_a_title_keeps_its_words_when_a_free_text_input_changes(demo, receipt):
    """The subject "Receipt" changed the title's "the receipt" to "the Your receipt"."""
    result = refine("change the subject to 'Your receipt'", demo, flow=receipt)

    assert result.ok, result.error
    assert result.flow.node("send_email").inputs["subject"] == '"Your receipt"'
    assert result.flow.node("send_email").title == receipt.node("send_email").title


def test_moving_a_step_before_one_it_reads_is_refused_with_the_reason(demo, receipt):
    """ "Put the email before the charge" planned a validation of an email address."""
    result = refine("put the email before the charge", demo, flow=receipt)

    assert not result.ok
    assert "send_email cannot run before process_payment" in result.error.message


def test_moving_a_step_after_another_makes_it_wait(demo, tracked):
    side_by_side = parse_flow(
        {
            "name": "two at once",
            "nodes": [
                {"id": "validate_email", "type": "tool", "tool": "validate_email",
                 "inputs": {"email": '"bob@x.com"'}},
                {"id": "summarize_text", "type": "tool", "tool": "summarize_text",
                 "inputs": {"text": '"Long text"'}},
            ],
        }
    )  # fmt: skip

    result = refine("move the summary after the validation", demo, flow=side_by_side)

    assert result.ok, result.error
    assert result.operations == [Connect(source="validate_email", target="summarize_text")]
    already = refine("move the email after the stock check", demo, flow=tracked)
    assert not already.ok
    assert "already runs after check_inventory" in already.error.message


def test_swapping_a_step_for_another_puts_the_new_one_where_it_was(demo, receipt):
    result = refine("Swap the email for a ticket", demo, flow=receipt)

    assert result.ok, result.error
    assert "send_email" not in [n.id for n in result.flow.nodes]
    added = [n for n in result.flow.nodes if n.id not in {m.id for m in receipt.nodes}]
    assert [n.tool for n in added] == ["create_ticket"]
    assert added[0].after == ["process_payment"]


@pytest.mark.parametrize(
    ("instruction", "said"),
    [("undo", "open Versions"), ("what does this flow do?", "does not answer questions")],
)
def test_what_is_not_an_edit_is_said_to_be_none(demo, receipt, instruction, said):
    result = refine(instruction, demo, flow=receipt)

    assert not result.ok
    assert said in result.error.message


@pytest.fixture
def welcome_if_valid(demo):
    return plan_flow(
        "Validate the email a@b.com and, if valid, send a welcome email to Ann",
        planner=OfflinePlanner(),
        catalog=demo,
    ).flow


@pytest.mark.parametrize(
    "instruction",
    ["make the welcome email go to ann@b.com instead", "have the welcome email sent to ann@b.com"],
)
def test_a_step_made_to_go_to_an_address_is_readdressed(demo, welcome_if_valid, instruction):
    """The words after the step's name were set as its address ("go to ann@b.com
    instead")."""
    result = refine(instruction, demo, flow=welcome_if_valid)

    assert result.ok, result.error
    assert result.operations == [
        SetInput(node="send_welcome_email", field="email", expression='"ann@b.com"')
    ]


def test_a_step_on_the_other_case_of_a_branch_goes_in_its_other_arm(demo, welcome_if_valid):
    """It was a branch of its own after the welcome email, which runs only when the email
    is valid: the ticket could never have been opened."""
    result = refine("also open a ticket if the email is invalid", demo, flow=welcome_if_valid)

    assert result.ok, result.error
    branch = result.flow.node("if_valid")
    assert branch.else_ == ["create_ticket"]
    assert result.flow.node("create_ticket").after == ["if_valid"]
    assert [n.type for n in result.flow.nodes].count("branch") == 1


def test_a_step_on_the_same_case_goes_in_that_arm(demo, welcome_if_valid):
    result = refine("if the email is valid, also email ann@b.com", demo, flow=welcome_if_valid)

    assert result.ok, result.error
    assert result.flow.node("if_valid").then == ["send_welcome_email", "send_email"]


def test_changing_what_no_step_takes_is_refused(demo, welcome_if_valid):
    """A tax calculation was added for "change the amount to eighty dollars"."""
    result = refine("change the amount to eighty dollars", demo, flow=welcome_if_valid)

    assert not result.ok
    assert "No step of this flow takes 'amount'" in result.error.message


def test_an_amount_in_words_is_set_as_its_number(demo, receipt):
    result = refine("change the amount to eighty dollars", demo, flow=receipt)

    assert result.ok, result.error
    assert SetInput(node="process_payment", field="amount", expression="80") in result.operations


def test_removing_what_a_branch_decides_on_says_so(demo, welcome_if_valid):
    result = refine("remove the validation step", demo, flow=welcome_if_valid)

    assert not result.ok
    assert "if_valid decides on the result of validate_email" in result.error.message
    removed = refine("remove the if_valid branch", demo, flow=welcome_if_valid)
    assert removed.ok, removed.error
    assert "if_valid" not in [n.id for n in removed.flow.nodes]


@pytest.mark.parametrize(
    ("instruction", "cc"),
    [
        ("also cc bob@shop.io on the receipt", ["bob@shop.io"]),
        ("copy ops@x.com and me@x.com in on the email", ["ops@x.com", "me@x.com"]),
    ],
)
def test_copying_someone_in_adds_them_to_the_cc_of_the_step_that_sends(
    demo, receipt, instruction, cc
):
    """ "also cc bob@shop.io on the receipt" was refused: no tool does "cc"."""
    result = refine(instruction, demo, flow=receipt)

    assert result.ok, result.error
    assert result.operations == [SetInput(node="send_email", field="cc", expression=json.dumps(cc))]


def test_an_approval_over_an_amount_compares_the_amount_the_step_writes(demo, receipt):
    """It compared a run input `amount` the run was asked for, while $120 was charged."""
    result = refine("add a manager approval for charges over $100", demo, flow=receipt)

    assert result.ok, result.error
    approval = next(n for n in result.flow.nodes if isinstance(n, ApprovalNode))
    assert approval.when == "120.0 > 100.0"
    assert "amount" not in result.flow.input_schema.get("properties", {})


# --------------------------------------------------------------------------- the same again
# "also email the receipt to bob": read from the new step's place after the email, "the
# receipt" was the email's own (message id, status), not the charge's receipt.


@pytest.mark.parametrize(
    "instruction",
    [
        "also email the receipt to bob@shop.io",
        "send the receipt to bob@shop.io too",
        "email the receipt to bob@shop.io and cy@shop.io",
    ],
)
def test_a_second_message_of_what_a_step_sends_says_the_same(demo, receipt, instruction):
    result = refine(instruction, demo, flow=receipt)
    assert result.ok, result.error
    added = [n for n in result.flow.nodes if n.id not in {m.id for m in receipt.nodes}]
    assert [n.tool for n in added] == ["send_email"]
    first = receipt.node("send_email")
    assert added[0].inputs["body"] == first.inputs["body"]
    assert "process_payment." in added[0].inputs["body"]
    assert added[0].inputs["subject"] == first.inputs["subject"]
    assert added[0].inputs["to"] == '"bob@shop.io"'


def test_a_message_of_something_else_says_its_own(demo, receipt):
    result = refine("also email a summary of the order to bob@shop.io", demo, flow=receipt)
    assert result.ok, result.error
    added = [n for n in result.flow.nodes if n.tool == "send_email" and n.id != "send_email"]
    assert added
    assert added[0].inputs["body"] != receipt.node("send_email").inputs["body"]


@pytest.mark.parametrize(
    ("instruction", "attempts"),
    [
        ("retry the charge if it fails", 3),
        ("retry the payment if needed", 3),
        ("retry the payment a few times", 4),
        ("retry the payment twice", 3),
    ],
)
def test_retries_said_without_a_count_take_the_planners(demo, shipped, instruction, attempts):
    """They were refused: only "retry the payment 3 times" was understood."""
    result = refine(instruction, demo, flow=shipped)

    assert result.ok, result.error
    assert len(result.flow.nodes) == len(shipped.nodes)
    assert result.flow.node("process_payment").retry.max_attempts == attempts


@pytest.mark.parametrize("instruction", ["charge 99.50 instead", "charge $99.50 instead"])
def test_an_amount_said_again_replaces_the_one_read_from_a_step(demo, shipped, instruction):
    """The charge read the validation's subtotal: "charge 99.50 instead" was refused as
    saying no new value ("99.50" is not how 99.5 is written)."""
    result = refine(instruction, demo, flow=shipped)

    assert result.ok, result.error
    assert float(result.flow.node("process_payment").inputs["amount"]) == 99.5
