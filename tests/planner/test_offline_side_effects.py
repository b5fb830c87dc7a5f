"""The offline planner on what steps that change something hand on: an email's echoed
address is not where a later step gets an address, and each email or ticket says its own
words."""

from __future__ import annotations

from flows.core.ir import ToolNode
from flows.core.planner.echoes import acts, echoed_input
from tests.planner.offline_plans import plan


def node_of(flow, tool, nth=0):
    return [n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == tool][nth]


def spec(catalog, tool_id):
    return next(s for s in catalog.specs() if s.id == tool_id)


def test_a_sending_tool_acts_and_a_check_does_not(demo):
    assert acts(spec(demo, "send_email"))
    assert not acts(spec(demo, "check_inventory"))  # not cacheable, yet only looks
    assert not acts(spec(demo, "validate_email"))


def test_an_output_named_like_an_input_echoes_it(demo):
    send = spec(demo, "send_email")
    inputs = {"to": "input.customer_email", "subject": "input.subject"}

    assert echoed_input(send, "to", inputs) == "to"
    assert echoed_input(send, "message_id", inputs) is None
    assert echoed_input(spec(demo, "validate_email"), "email", {"email": "input.email"}) is None


def test_a_later_step_reads_the_address_the_email_was_sent_to(demo):
    flow = plan("Email the customer the summary of the page, then create a ticket for them", demo)

    ticket = node_of(flow, "create_ticket")
    assert ticket.inputs["email"] == "input.customer_email"
    assert "send_email" not in ticket.inputs["subject"]


def test_email_both_people_sends_one_email_copying_the_second(demo):
    flow = plan(
        "Summarize the text and email both the customer and their manager the summary", demo
    )

    email = node_of(flow, "send_email")
    assert email.inputs["to"] == "input.customer_email"
    assert email.inputs["cc"] == "[input.manager_email]"
    assert email.inputs["body"] == "summarize_text.summary"


def test_two_emails_each_have_their_own_subject_and_body(demo):
    flow = plan("Email the customer a confirmation and email the warehouse a packing request", demo)

    first, second = node_of(flow, "send_email"), node_of(flow, "send_email", 1)
    assert (first.inputs["subject"], first.inputs["body"]) == ("input.subject", "input.body")
    assert (second.inputs["subject"], second.inputs["body"]) == (
        "input.warehouse_subject",
        "input.warehouse_body",
    )
    assert {"warehouse_subject", "warehouse_body"} <= set(flow.input_schema["required"])


def test_a_message_to_the_person_the_flow_is_about_does_not_send_their_text_back(demo):
    flow = plan(
        "Analyze the sentiment of the review and if it's negative, email the customer an apology.",
        demo,
    )

    assert node_of(flow, "send_email").inputs["body"] == "input.body"


def test_a_number_a_message_names_is_written_as_text(demo):
    flow = plan("Calculate the tax for the country and email the total to accounting.", demo)

    assert node_of(flow, "send_email").inputs["body"] == "string(calculate_tax.total)"
