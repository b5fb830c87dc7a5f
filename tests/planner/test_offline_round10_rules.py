"""Rules the ninth blind round asked for (`requests_round9.json`, `registered_round9_*.json`):
a tool whose description says the action pays out, the tool that says the step's verb
winning a tie, the address a step before tells of the one a message names, codes after
"to"/"from" where the tool's description says what goes there, and the known wrongs the
round was given."""

from __future__ import annotations

from flows.core.ir import ApprovalNode, BranchNode, MapNode
from tests.planner.offline_plans import plan, refusal
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
    flow = plan("Open a work order for V-7 saying 'refuel before next run'", eval_catalog(FLEET))
    assert steps(flow)["maintenance.open_work_order"]["issue"] == '"refuel before next run"'


def test_words_after_a_colon_are_what_a_ticket_says(demo):
    flow = plan("Open a billing ticket: customer was double charged", demo)
    assert steps(flow)["create_ticket"]["body"] == '"customer was double charged"'
    assert flow.input_schema.get("properties", {}) == {}


def test_a_value_the_tool_does_not_list_is_refused_in_plain_words(demo):
    error = refusal(
        "Classify this message: 'my invoice is wrong'. If it's urgent open an urgent "
        "ticket, otherwise a normal priority ticket",
        demo,
    )
    # (it said "could not build a valid flow" and named node `create_ticket_2`)
    assert "valid flow" not in error.message
    assert "create_ticket_2" not in error.message
    assert "'normal' as the priority of create_ticket" in error.message
    assert "low, medium, high or urgent" in error.message


CLINIC = "registered_round8_clinic.json"


def test_a_confirmation_after_a_step_in_a_case_is_sent_in_that_case():
    flow = plan(
        "Book patient P-310 with C-21 at 2027-03-01T08:00 for imaging unless it's not "
        "covered, and text them a confirmation",
        eval_catalog(CLINIC),
    )
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    # (the text went out when nothing was booked)
    assert branch.condition == "insurance_verify_coverage.covered"
    assert set(branch.then) == {"appointments_book", "twilio_sms_send"}
    assert branch.else_ == []
    # the coverage checked is of the visit the step books (it was asked of the run)
    assert steps(flow)["insurance.verify_coverage"]["visit_type"] == '"imaging"'


CRM = "registered_round6_crm.json"


def test_that_amount_after_a_conversion_is_the_amount_converted():
    # (the charge asked the run for its amount)
    flow = plan("convert 100 EUR to GBP and charge order 5 that amount", eval_catalog(CRM))
    assert steps(flow)["process_payment"] == {
        "order_id": '"5"',
        "amount": "fx_convert.converted",
        "currency": '"GBP"',
    }
    assert "amount" not in flow.input_schema.get("properties", {})


def test_fewer_than_n_of_a_sku_in_the_warehouse_is_the_stock_check(demo):
    # (it read a number `warehouse` from the run)
    flow = plan("Charge order 77 $40 unless the warehouse has fewer than 5 of SKU-9", demo)
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert steps(flow)["check_inventory"] == {"items": '[{"sku": "SKU-9", "quantity": 5}]'}
    assert branch.condition == "check_inventory.in_stock"
    assert branch.then == ["process_payment"]
    assert flow.input_schema.get("properties", {}) == {}


def test_lines_written_as_count_and_sku_are_the_lines_checked(demo):
    flow = plan("Check stock for 2x LAMP-3 and 1x DESK-9", demo)
    assert steps(flow)["check_inventory"]["items"] == (
        '[{"sku": "LAMP-3", "quantity": 2}, {"sku": "DESK-9", "quantity": 1}]'
    )


def test_tell_me_if_positive_and_email_the_result_is_one_email_of_the_sentiment(demo):
    # (an email to me on a condition that always held, then one to marketing)
    flow = plan(
        "Pull https://blog.example.com/launch-post, tell me if the tone is positive or "
        "negative and email the result to marketing@brand.io",
        demo,
    )
    sent = [node for node in flow.nodes if getattr(node, "tool", None) == "send_email"]
    assert len(sent) == 1
    assert sent[0].inputs["to"] == '"marketing@brand.io"'
    assert "analyze_sentiment.sentiment" in sent[0].inputs["body"]
    assert not any(isinstance(node, BranchNode) for node in flow.nodes)


def test_never_inside_a_quoted_text_does_not_turn_the_condition_around(demo):
    # (the ticket was opened when the review was NOT negative)
    flow = plan(
        "if 'cold food, waited an hour, never again' is negative open a ticket for the "
        "manager, otherwise email owner@bistro.com",
        demo,
    )
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == 'analyze_sentiment.sentiment == "negative"'
    assert branch.then == ["create_ticket"]


def test_a_quote_someone_wrote_said_first_is_what_it_refers_to(demo):
    # (it was refused as a step "got", or taken for a heading and the text asked of the run)
    flow = plan(
        "got this review from a diner: 'cold food, waited an hour, never again'. if its "
        "negative open a ticket for the manager",
        demo,
    )
    assert steps(flow)["analyze_sentiment"]["text"] == '"cold food, waited an hour, never again"'
    flow = plan(
        "Tenant in 14B wrote: 'The boiler is leaking water all over the basement floor'. "
        "classify it and open a ticket in whatever category it comes back with",
        demo,
    )
    assert steps(flow)["classify_ticket"]["text"] == (
        '"The boiler is leaking water all over the basement floor"'
    )


def test_her_is_the_address_the_charge_was_given_for_the_customer(demo):
    # (the email asked the run for `customer_email`, which the request wrote)
    flow = plan(
        "Charge $12.99 for order SUB-42 to customer ella@mail.com. If it's declined email "
        "her the reason",
        demo,
    )
    assert steps(flow)["send_email"]["to"] == '"ella@mail.com"'
    assert flow.input_schema.get("properties", {}) == {}


def test_a_message_naming_an_output_by_its_first_word_sends_that_output():
    # "text the ETA": the assignment's `eta_minutes` (the text was asked of the run)
    flow = plan(
        "Assign job J-900 to vehicle TRK-2, then text the ETA to the driver at +1 303 555 0123",
        eval_catalog(FLEET),
    )
    assert steps(flow)["sms.send"] == {
        "phone": '"+1 303 555 0123"',
        "message": '"Eta minutes: %s".format([dispatch_assign_job.eta_minutes])',
    }


def test_a_number_compared_named_by_the_first_word_of_a_field_is_read_first():
    # (it compared a number `fuel` asked of the run; no status was read)
    flow = plan(
        "if van V-7 has less than 20% fuel, open a work order for it saying 'refuel'",
        eval_catalog(FLEET),
    )
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert steps(flow)["fleet.vehicle_status"] == {"vehicle_id": '"V-7"'}
    assert branch.condition == "fleet_vehicle_status.fuel_percent < 20.0"


def test_a_number_compared_in_the_unit_a_field_ends_on_is_read_first():
    flow = plan(
        "Dispatch job J-4410 with truck TRK-8 only if the route from Reno to Sacramento is "
        "under 300 km; otherwise email dispatch@fleet.io",
        eval_catalog(FLEET),
    )
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert steps(flow)["routes.estimate"] == {"origin": '"Reno"', "destination": '"Sacramento"'}
    assert branch.condition == "routes_estimate.distance_km < 300.0"
    assert branch.then == ["dispatch_assign_job"]
    assert branch.else_ == ["send_email"]


def test_from_and_to_are_the_start_and_the_end_not_the_start_twice():
    flow = plan(
        "assign job J-5520 to TRK-14 from 100 Pier Rd, Oakland to 55 Main St, Fresno",
        eval_catalog(FLEET),
    )
    job = steps(flow)["dispatch.assign_job"]
    assert job["pickup_address"] == '"100 Pier Rd, Oakland"'
    assert job["dropoff_address"] == '"55 Main St, Fresno"'


def test_a_question_about_a_code_is_told_by_the_tool_its_id_and_output_name():
    # (check_inventory, which says "unavailable", was planned for the truck)
    flow = plan("Is truck TRK-14 available? If so assign it to job J-5520", eval_catalog(FLEET))
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert steps(flow)["fleet.vehicle_status"] == {"vehicle_id": '"TRK-14"'}
    assert branch.condition == "fleet_vehicle_status.available"
    assert steps(flow)["dispatch.assign_job"]["vehicle_id"] == '"TRK-14"'
    assert "check_inventory" not in steps(flow)


def test_matching_donations_is_refused_not_a_user_lookup():
    # (lookup_user "returns found=false when nobody matches" was planned for each donation)
    error = refusal(
        "Match every donation this month 1:1 from the corporate sponsor's account",
        eval_catalog(DONATIONS),
    )
    assert "matching gifts" in error.message


def test_pay_it_pays_the_amount_of_the_record_got_by_the_same_id():
    flow = plan(
        "Get claim CLM-3003 and if the amount claimed is over $5,000 assign it to an "
        "adjuster in the west region, otherwise pay it",
        eval_catalog(CLAIMS),
    )
    assert steps(flow)["claims.pay"]["amount"] == "claims_get.amount_claimed"
    assert "amount" not in flow.input_schema.get("properties", {})


def test_a_spaced_dash_after_a_code_parts_the_step_from_its_condition(demo):
    # ("look up u_5512 - if ..." was one step, and the ticket was never planned)
    flow = plan(
        "look up u_5512 - if their account is suspended open an account ticket saying KYC "
        "review needed",
        demo,
    )
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert steps(flow)["lookup_user"] == {"user_id": '"u_5512"'}
    assert branch.condition == "!lookup_user.user.active"
    assert branch.then == ["create_ticket"]


def test_a_count_said_of_what_happened_is_no_repeated_call():
    # (refused as "donations.refund twice"); the reason is what happened
    flow = plan("Refund donation DON-5521, the donor was charged twice", eval_catalog(DONATIONS))
    assert steps(flow)["donations.refund"] == {
        "donation_id": '"DON-5521"',
        "reason": '"the donor was charged twice"',
    }


def test_we_dont_have_her_is_the_lookup_finding_nobody():
    flow = plan(
        "Find the donor with email kay@home.net; if we don't have her, add her to newsletter "
        "list NL-1 with first name Kay",
        eval_catalog(DONATIONS),
    )
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == "!donors_find.found"
    assert branch.then == ["mailchimp_add_to_list"]


def test_it_after_a_preposition_ends_the_condition_before_the_step(demo):
    flow = plan(
        "Validate order 6610. If anything's wrong with it open a billing ticket, otherwise "
        "charge $27",
        demo,
    )
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == "!validate_order.valid"
    assert branch.then == ["create_ticket"]
    assert branch.else_ == ["process_payment"]


def test_a_letter_sent_by_email_is_no_letter_by_post(demo):
    flow = plan(
        "Email the signed engagement letter to client@northwind-legal.com, but a partner has "
        "to approve it first",
        demo,
    )
    assert steps(flow)["send_email"]["to"] == '"client@northwind-legal.com"'
    assert any(isinstance(node, ApprovalNode) for node in flow.nodes)


def test_once_the_payment_goes_through_charges_first_whatever_the_street(demo):
    # ("Hauptstr. 5" ended the sentence, and "once the payment of €64.50" was no charge:
    # the parcel was shipped unpaid)
    flow = plan(
        "Once the payment of €64.50 for order 9001 goes through, ship it express to "
        "Hauptstr. 5, 10115 Berlin, Germany",
        demo,
    )
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert steps(flow)["process_payment"] == {
        "order_id": '"9001"',
        "amount": "64.5",
        "currency": '"EUR"',
    }
    assert branch.condition == "process_payment.approved"
    assert branch.then == ["create_shipment"]


def test_how_long_is_the_drive_is_an_estimate_of_it():
    flow = plan("how long is the drive from Denver to Boulder?", eval_catalog(FLEET))
    assert steps(flow)["routes.estimate"] == {"origin": '"Denver"', "destination": '"Boulder"'}


def test_a_verb_of_a_tool_said_as_the_noun_compared_stays_in_the_condition():
    # "the fraud score for claim CLM-77 is above 0.8": "score" is the thing compared (the
    # condition was cut at "score", and refused as "the fraud")
    flow = plan(
        "If the fraud score for claim CLM-77 is above 0.8, deny it with the reason 'suspected "
        "fraud', otherwise pay out $1,250",
        eval_catalog(CLAIMS),
    )
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert steps(flow)["fraud.score_claim"] == {"claim_id": '"CLM-77"'}
    assert branch.condition == "fraud_score_claim.score > 0.8"
    assert branch.then == ["claims_deny"]
    assert branch.else_ == ["claims_pay"]


def test_pay_is_a_verb_that_starts_a_step_midway():
    # (", and only pay claim ... if it's covered" was read into the coverage check, and
    # refused as a check claims.pay does not make)
    flow = plan(
        "Check coverage of policy POL-8812 for a travel claim, and only pay claim CLM-6060 "
        "the $640 if it's covered",
        eval_catalog(CLAIMS),
    )
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == "policies_check_coverage.covered"
    assert branch.then == ["claims_pay"]
    assert steps(flow)["claims.pay"]["amount"] == "640.0"


def test_a_us_address_keeps_its_state_and_zip_code(demo):
    # (the parcel went to "9 Oak Lane, Austin": the state and ZIP code were cut off)
    flow = plan("Ship order 7710 to 9 Oak Lane, Austin, TX 78701", demo)
    assert steps(flow)["create_shipment"]["address"] == '"9 Oak Lane, Austin, TX 78701"'


def test_a_count_inside_a_quote_is_no_repeated_call_and_this_complaint_is_the_quote(demo):
    # ("charged three times" in the quote refused the ticket as asked three times; then
    # the quote became the ticket's subject instead of the text summarised)
    flow = plan(
        "Summarize this complaint in one sentence and open a ticket with the summary as the "
        "subject: 'I ordered the vegan box twice and was charged three times. I want my money "
        "back.'",
        demo,
    )
    assert steps(flow)["summarize_text"]["text"] == (
        '"I ordered the vegan box twice and was charged three times. I want my money back."'
    )
    assert steps(flow)["create_ticket"]["subject"] == "summarize_text.summary"


def test_its_noun_after_a_quote_said_first_is_that_of_the_quote(demo):
    # ("its" was read as "it's": "Analyze '...' is sentiment")
    flow = plan(
        "The customer said: 'I love the new app but it crashes'. Analyze its sentiment",
        demo,
    )
    assert steps(flow)["analyze_sentiment"] == {"text": '"I love the new app but it crashes"'}


def test_paid_is_told_by_a_payment_not_by_an_order_validation(demo):
    # (it read validate_order.valid, and shipped what nobody had paid for)
    error = refusal("Validate order 5 and if they paid, ship it to 5 Main St, Boston", demo)
    assert "they paid" in error.message
    flow = plan("Charge order 5 $20 and if they paid, ship it to 5 Main St, Boston", demo)
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == "process_payment.approved"


def test_email_the_tracking_sends_the_tracking_number(demo):
    # (the body was asked of the run)
    flow = plan("Ship order 12 to 1 Elm Rd, Leeds LS1 4AP and email the tracking to b@y.com", demo)
    assert "create_shipment.tracking_number" in steps(flow)["send_email"]["body"]


def test_a_quote_someone_wrote_is_what_the_ticket_after_it_says(demo):
    # (a lookup of "a customer" was planned, and the ticket's text asked of the run)
    flow = plan("A customer wrote: 'The app crashes on login'. Open a technical ticket", demo)
    assert steps(flow) == {
        "create_ticket": {
            "subject": '"The app crashes on login"',
            "body": '"The app crashes on login"',
            "category": '"technical"',
        }
    }


def test_codes_listed_after_of_and_their_noun_are_one_call_each():
    flow = plan("Check the status of trucks TRK-1 and TRK-2", eval_catalog(FLEET))
    loop = next(node for node in flow.nodes if isinstance(node, MapNode))
    assert loop.items == '["TRK-1", "TRK-2"]'
