"""Rules the ninth blind round asked for (`requests_round9.json`, `registered_round9_*.json`):
a tool whose description says the action pays out, the tool that says the step's verb
winning a tie, the address a step before tells of the one a message names, codes after
"to"/"from" where the tool's description says what goes there, and the known wrongs the
round was given."""

from __future__ import annotations

from flows.core.ir import BranchNode
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
