"""Plans that were wrong in silence over the demo tools (`requests_probed_s9.json`), each said
here another way: what a lookup found, sent on; a condition on an outcome no planned step has;
a name checked beside an email; a step that assigns to a team; an approval said after the
charge it comes before; a thank-you written from the request."""

from __future__ import annotations

from flows.core.graph import build_graph
from flows.core.ir import ApprovalNode, BranchNode, ToolNode
from tests.planner.offline_plans import plan, refusal


def tool_node(flow, tool):
    return next(n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == tool)


def test_what_a_lookup_found_is_what_it_sends_on(demo):
    flow = plan("find user u_12 and send it to ops@acme.io", demo)

    email = tool_node(flow, "send_email")
    assert "lookup_user.user" in email.inputs["body"]
    assert email.inputs["subject"] == '"User lookup: details"'
    assert not {"subject", "body"} & set(flow.input_schema["properties"])


def test_an_outcome_of_a_step_nobody_planned_is_refused_by_its_words(demo):
    error = refusal("validate the order and if the payment goes through, ship it", demo)

    assert error.step == "the payment goes through"
    assert error.details["tool"] == "process_payment"


def test_the_outcome_of_a_planned_step_is_still_read(demo):
    flow = plan("validate the order, charge it, and if the payment goes through, ship it", demo)

    branch = next(n for n in flow.nodes if isinstance(n, BranchNode))
    assert branch.condition == "process_payment.approved"


def test_a_name_checked_with_an_email_is_the_runs_input(demo):
    flow = plan("verify the email and name of the customer, then send the welcome email", demo)

    assert "lookup_user" not in {n.tool for n in flow.nodes if isinstance(n, ToolNode)}
    assert tool_node(flow, "send_welcome_email").inputs["name"] == "input.name"


def test_a_lookup_said_as_a_step_of_its_own_is_kept(demo):
    flow = plan("validate the email and look up the user, then send welcome", demo)

    assert tool_node(flow, "send_welcome_email").inputs["name"] == "lookup_user.user.name"


def test_assigning_to_a_team_no_tool_does_is_refused(demo):
    error = refusal("classify the ticket, then assign it to support", demo)

    assert error.step == "assign it to support"


def test_an_approval_before_the_charge_said_after_its_branches_comes_first(demo):
    flow = plan(
        "Check the stock and charge the card. If the charge fails, email ops@acme.io; "
        "otherwise ship it. If the total is over 1000 a manager must approve it before we "
        "charge it.",
        demo,
    )

    approval = next(n for n in flow.nodes if isinstance(n, ApprovalNode))
    charge = tool_node(flow, "process_payment")
    assert approval.id in build_graph(flow).ancestors(charge.id)
    assert approval.instructions.startswith("Approve the request to charge the card")
    branches = [n for n in flow.nodes if isinstance(n, BranchNode)]
    assert branches
    assert all("process_payment.approved" in b.condition for b in branches)


def test_a_thank_you_is_written_from_what_the_request_is_about(demo):
    flow = plan(
        "Score the sentiment of the review; if it's positive send the customer a thank-you email",
        demo,
    )

    email = tool_node(flow, "send_email")
    assert email.inputs["subject"] == '"Thank you for your review"'
    assert email.inputs["body"] == '"Thank you for your review."'


def test_an_apology_is_still_written_by_a_person(demo):
    flow = plan("Email the customer an apology", demo)

    assert tool_node(flow, "send_email").inputs["body"] == "input.body"


def test_how_a_step_no_tool_does_went_is_refused_after_a_charge(demo):
    error = refusal(
        "charge order 9 for 20 USD; if the reimbursement fails, email ops@acme.io", demo
    )

    assert error.step == "the reimbursement fails"


def test_what_a_message_sends_to_someone_names_its_subject(demo):
    flow = plan("classify the ticket and email the priority to the support lead", demo)

    assert tool_node(flow, "send_email").inputs["subject"] == '"Priority"'


def test_a_second_thing_to_check_that_no_tool_checks_is_refused(demo):
    error = refusal("validate the email and the phone number, then send the welcome email", demo)

    assert error.step == "validate the phone number"


def test_a_thing_the_check_takes_is_checked_with_it(demo):
    flow = plan("validate the order and the items then charge it", demo)

    assert [n.tool for n in flow.nodes if isinstance(n, ToolNode)] == [
        "validate_order",
        "process_payment",
    ]


def test_how_a_step_that_reports_no_outcome_went_is_refused(demo):
    error = refusal("open a ticket, and if the ticket fails, email help@acme.io", demo)

    assert error.step == "the ticket fails"
    assert error.details["reason"] == "outcome_not_reported"
