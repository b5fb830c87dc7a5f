"""Rules the ninth blind round asked for (`requests_round9.json`, `registered_round9_*.json`):
a tool whose description says the action pays out, the tool that says the step's verb
winning a tie, the address a step before tells of the one a message names, codes after
"to"/"from" where the tool's description says what goes there, and the known wrongs the
round was given."""

from __future__ import annotations

from flows.core.ir import BranchNode, MapNode
from tests.planner.offline_plans import plan
from tests.planner.registered import eval_catalog, steps

CLAIMS = "registered_round9_claims.json"


def test_a_tool_whose_description_says_it_pays_out_pays_a_claim():
    # "Pay out an approved amount on a claim": the payout the step asks for (it was
    # refused as a payout no tool makes)
    flow = plan("Pay claim CLM-5002 $1,800", eval_catalog(CLAIMS))
    assert steps(flow)["claims.pay"] == {
        "claim_id": '"CLM-5002"',
        "amount": "1800.0",
        "currency": '"USD"',
    }


def test_pay_it_is_the_tool_that_says_pay_not_the_card_charge():
    # "pay it" ties claims.pay ("Pay out ...") with process_payment ("Charge a card"): the
    # one that says the verb is the step (the card was charged)
    flow = plan(
        "Get claim CLM-3003 and if the amount claimed is over $5,000 assign it to an "
        "adjuster in the west region, otherwise pay it",
        eval_catalog(CLAIMS),
    )
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.else_ == ["claims_pay"]
    assert "process_payment" not in steps(flow)


def test_email_the_adjuster_is_the_address_the_assignment_returns():
    flow = plan(
        "assign claim CLM-81 to an adjuster in the south region and email the adjuster the "
        "claim number",
        eval_catalog(CLAIMS),
    )
    assert steps(flow)["send_email"]["to"] == "adjusters_assign.adjuster_email"
    assert "to" not in flow.input_schema.get("properties", {})


FLEET = "registered_round9_fleet.json"
DONATIONS = "registered_round9_donations.json"


def test_a_code_after_to_is_the_id_the_description_puts_after_to():
    # "Assign a delivery job to a vehicle": "to TRK-20" is the vehicle (it was asked of the
    # run, as a place a code after "to" names)
    flow = plan("assign job J-12 to TRK-20", eval_catalog(FLEET))
    assert steps(flow)["dispatch.assign_job"] == {"job_id": '"J-12"', "vehicle_id": '"TRK-20"'}


def test_a_code_after_from_is_the_id_the_description_puts_after_from():
    # "Record a donation from a donor": "from DN-9" is the donor
    flow = plan("Record a donation of 75 GBP from DN-9", eval_catalog(DONATIONS))
    assert steps(flow)["donations.record"]["donor_id"] == '"DN-9"'


def test_codes_listed_after_of_for_a_tool_that_only_reads_are_one_call_each():
    # (one status was read, of a vehicle asked of the run)
    flow = plan("Check the status of TRK-1, TRK-2 and TRK-3", eval_catalog(FLEET))
    loop = next(node for node in flow.nodes if isinstance(node, MapNode))
    assert loop.tool == "fleet.vehicle_status"
    assert loop.items == '["TRK-1", "TRK-2", "TRK-3"]'
    assert loop.inputs == {"vehicle_id": "item"}


def test_words_after_a_colon_are_what_the_work_order_says():
    # (the issue was asked of the run)
    flow = plan("Open a high priority work order for TRK-3: brakes grinding", eval_catalog(FLEET))
    assert steps(flow)["maintenance.open_work_order"] == {
        "vehicle_id": '"TRK-3"',
        "issue": '"brakes grinding"',
        "priority": '"high"',
    }


def test_a_quote_after_saying_is_the_issue_of_a_work_order():
    flow = plan(
        "Open a work order for V-7 saying 'refuel before next run'", eval_catalog(FLEET)
    )
    assert steps(flow)["maintenance.open_work_order"]["issue"] == '"refuel before next run"'


def test_words_after_a_colon_are_what_a_ticket_says(demo):
    flow = plan("Open a billing ticket: customer was double charged", demo)
    assert steps(flow)["create_ticket"]["body"] == '"customer was double charged"'
    assert flow.input_schema.get("properties", {}) == {}
