"""Rules the twenty-second blind round asked for (`requests_round23.json`,
`registered_round23_*.json`: tools an admin registers, modelled on SaaS and HTTP APIs):
each test states a request the planner got wrong before its rule (in other words than the
round's), and what it plans now."""

from __future__ import annotations

from flows.core.ir import ApprovalNode, BranchNode
from tests.planner.offline_plans import plan, refusal
from tests.planner.registered import demo_catalog_with, eval_catalog, steps

BILLING = "registered_round23_billing.json"


def test_an_amount_in_a_currency_goes_into_a_cents_input_in_cents():
    # "charge cus_N8xQ2 $49.00": `amount_cents` was written 49.0, a charge of 49 cents
    flow = plan("charge customer cus_Q77 $19.99 for the extra seats", eval_catalog(BILLING))
    assert steps(flow)["stripe_charge_create"]["amount_cents"] == "1999"
    # ("refund $7.50 of ch_...": a fraction of a dollar is a whole number of cents)
    flow = plan("refund $7.50 of charge ch_9Zz1", eval_catalog(BILLING))
    assert steps(flow)["stripe_refund_create"]["amount_cents"] == "750"
    # an amount said in cents stays as said
    flow = plan("charge cus_Q77 1999 cents", eval_catalog(BILLING))
    assert steps(flow)["stripe_charge_create"]["amount_cents"] == "1999"


def test_an_approval_over_an_amount_compares_what_the_gated_step_writes():
    # "find the customer ... and charge them $1,250. anything over $1000 needs sign-off":
    # the approval compared the customer's `balance_cents`, skipped for a small balance
    flow = plan(
        "look up the customer lee@ito.jp and charge them $2,400; charges above $2,000 need "
        "approval from finance",
        eval_catalog(BILLING),
    )
    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert approval.when == "2400.0 > 2000.0"
    assert steps(flow)["stripe_charge_create"]["amount_cents"] == "240000"
    flow = plan(
        "look up the customer lee@ito.jp and charge them $240; charges above $2,000 need "
        "approval from finance",
        eval_catalog(BILLING),
    )
    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert approval.when == "240.0 > 2000.0"


HELPDESK = "registered_round23_helpdesk.json"


def test_a_thing_written_with_its_number_is_the_whole_number_id_named_for_it():
    # "mark ticket 4821 as solved": an integer `ticket_id` was asked of the run
    flow = plan("set ticket #733 to pending", eval_catalog(HELPDESK))
    assert steps(flow)["zd_ticket_update"]["ticket_id"] == "733"
    flow = plan("get the satisfaction rating for ticket no. 92", eval_catalog(HELPDESK))
    assert steps(flow)["zd_satisfaction_get"]["ticket_id"] == "92"


ONCALL = "registered_round23_oncall.json"


def test_a_vendor_noun_get_tool_described_by_what_it_shows_only_looks():
    # "who's on call for schedule PXY12Z?" was refused: `pd_oncall_get` ("The person on
    # call now ...") was taken for a tool that changes something
    flow = plan("who is on call for schedule PQR77A?", eval_catalog(ONCALL))
    assert steps(flow)["pd_oncall_get"]["schedule_id"] == '"PQR77A"'


def test_the_status_of_a_thing_sent_is_looked_up_by_the_tool_named_for_the_thing():
    # "email the status of incident Q7XYZ to ...": the run was asked for the body (an
    # incident's status and a service's status, and "status" read as a plural)
    flow = plan("send the status of incident QQ12A to noc@lumen.io", eval_catalog(ONCALL))
    assert steps(flow)["pd_incident_get"]["incident_id"] == '"QQ12A"'
    assert steps(flow)["send_email"]["body"] == "pd_incident_get.status"


def test_the_code_an_address_ends_on_is_its_country():
    # "ship order ZX-90 to ..., Leeds, GB": shipped with no country
    flow = plan("ship order Q-4 to 9 Rue Cler, Paris, FR", demo_catalog_with([]))
    assert steps(flow)["create_shipment"]["country"] == '"FR"'
    # ("..., CA" is California's code too: not read as Canada)
    flow = plan("ship order Q-4 to 9 Main St, Fresno, CA", demo_catalog_with([]))
    assert steps(flow)["create_shipment"].get("country") != '"CA"'


def test_the_one_percentage_a_step_writes_is_its_one_percent_input():
    # "make a 20% off coupon": `percent_off` was asked of the run
    flow = plan("create a 35% off coupon, once", eval_catalog(BILLING))
    assert steps(flow)["stripe_coupon_create"]["percent_off"] == "35.0"


def test_a_list_of_every_record_with_a_tool_that_reads_one_is_refused():
    # "list all customers who signed up this month": one customer looked up, its address
    # asked of the run
    error = refusal("list all customers on the pro plan", eval_catalog(BILLING))
    assert error.details["reason"] == "list_of_every_record"
    assert "stripe_customer_get reads one at a time" in error.message


def test_a_question_of_a_thing_numbered_goes_to_the_tool_that_reads_it_by_number():
    # "whats the status of ticket 4821" was refused: create_ticket ranked first, and a
    # plain number was no code of a thing
    flow = plan("what's the priority of ticket 310?", eval_catalog(HELPDESK))
    assert steps(flow)["zd_ticket_get"]["ticket_id"] == "310"


def test_open_after_a_count_is_what_is_counted_not_a_step():
    # "if they have more than 3 open tickets, email ...": a ticket was opened, and the
    # condition compared a run input `have`
    flow = plan(
        "look up the zendesk user kai@ito.jp and if they have over 5 open tickets, email "
        "lead@lumen.io",
        eval_catalog(HELPDESK),
    )
    assert "create_ticket" not in steps(flow)
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == "zd_user_get.open_tickets > 5.0"


def test_a_quote_after_a_colon_that_ends_the_step_is_its_title():
    # "trigger a high urgency incident on service PSVC9: '...'": the title asked of the run
    flow = plan(
        "raise a low urgency incident on service PAPI2: 'search is slow'", eval_catalog(ONCALL)
    )
    assert steps(flow)["pd_incident_create"]["title"] == '"search is slow"'


def test_an_internal_note_is_not_public():
    # "add an internal note to 4821 ...": `public` left to the tool's default, a note the
    # requester reads
    flow = plan("add a private note to ticket 61 saying waiting on logs", eval_catalog(HELPDESK))
    assert steps(flow)["zd_ticket_comment"]["public"] == "false"
    assert steps(flow)["zd_ticket_comment"]["ticket_id"] == "61"


def test_a_look_at_a_thing_written_with_its_number_reads_it_by_that_number():
    # "check ticket 5100 and email its status": the ticket text classified (classify_ticket,
    # its text asked of the run) rather than ticket 5100 read
    flow = plan("check ticket 4410 and email its priority to a@lumen.io", eval_catalog(HELPDESK))
    assert steps(flow)["zd_ticket_get"]["ticket_id"] == "4410"
    assert "classify_ticket" not in steps(flow)
    assert steps(flow)["send_email"]["body"] == "zd_ticket_get.priority"


def test_the_one_number_after_to_is_the_id_of_the_thing_the_tool_names():
    # "add an internal note to 4821 ...": the ticket id asked of the run
    flow = plan("add an internal note to 5120 saying refund sent", eval_catalog(HELPDESK))
    assert steps(flow)["zd_ticket_comment"]["ticket_id"] == "5120"
