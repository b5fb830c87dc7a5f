"""Rules the tenth blind round asked for (`requests_round10.json`,
`registered_round10_*.json`: a recruiting ATS, banking KYC, a hotel PMS): each test states
a request the planner got wrong before its rule, and what it plans now."""

from __future__ import annotations

from flows.core.ir import ApprovalNode, BranchNode, MapNode
from tests.planner.offline_plans import plan, refusal
from tests.planner.registered import demo_catalog_with, eval_catalog, steps

ATS = "registered_round10_ats.json"
KYC = "registered_round10_kyc.json"
HOTEL = "registered_round10_hotel.json"


def test_a_verb_one_tool_says_is_not_the_step_before_again():
    # "move them" after the interview was read as the interview again, and silently
    # dropped as a side effect already planned
    for prompt, tool in (
        (
            "Schedule a phone screen for CAND-65 with sam@acme.io, then move them to screening",
            "ats.candidates.move_stage",
        ),
        (
            "Schedule an interview for CAND-65 and reject them with reason 'no show'",
            "ats.candidates.reject",
        ),
    ):
        flow = plan(prompt, eval_catalog(ATS))
        assert set(steps(flow)) == {"ats.interviews.schedule", tool}, prompt
        assert steps(flow)[tool]["candidate_id"] == '"CAND-65"'


def test_lines_whose_codes_are_words_are_data():
    # "TICKET-ADULT" opened a ticket (classified first); "2x TABLE-WAL" was refused as a
    # step no tool does
    flow = plan(
        "Check we still have 4x TICKET-ADULT and 2x TICKET-CHILD for order MU-88, then charge "
        "$62 if they're available",
        demo_catalog_with([]),
    )
    assert set(steps(flow)) == {"check_inventory", "process_payment"}
    assert '"TICKET-CHILD"' in steps(flow)["check_inventory"]["items"]
    flow = plan(
        "Check stock on 5x CHAIR-OAK and 2x TABLE-WAL and email ops@furnish.co the SKUs we're "
        "short on",
        demo_catalog_with([]),
    )
    assert steps(flow)["check_inventory"]["items"] == (
        '[{"sku": "CHAIR-OAK", "quantity": 5}, {"sku": "TABLE-WAL", "quantity": 2}]'
    )
    assert steps(flow)["send_email"]["body"] == 'check_inventory.unavailable.join("\\n")'


def test_an_id_input_named_no_takes_the_code():
    # "confirmation_no": the reservation's code was asked of the run
    flow = plan("Post a $45 minibar charge to reservation HX-7310's folio", eval_catalog(HOTEL))
    assert steps(flow)["folio.post_charge"]["confirmation_no"] == '"HX-7310"'


def test_the_code_said_for_a_noun_is_that_id_in_a_later_step():
    # "for order MU-88" was said in the stock check, which takes no order: the charge asked
    # the run for the order
    flow = plan("Check stock of 2x MUG-1 for order 55, then charge $5", demo_catalog_with([]))
    assert steps(flow)["process_payment"]["order_id"] == '"55"'
    # ("the new order" is another one)
    flow = plan(
        "Summarize 'hello there' for order 55, then charge the new order $5",
        demo_catalog_with([]),
    )
    assert steps(flow)["process_payment"]["order_id"] == "input.order_id"


def test_how_much_tax_do_we_add_is_a_question_not_a_step():
    # "do we add" opened a ticket ("add to a €450 desk membership"), and the tax asked the
    # run for its amount and country
    for prompt, amount, country in (
        ("How much VAT do we add to a €450 desk membership in Germany?", "450.0", '"DE"'),
        ("how much sales tax should I charge on a $200 order shipped to Texas", "200.0", '"US"'),
    ):
        flow = plan(prompt, demo_catalog_with([]))
        assert set(steps(flow)) == {"calculate_tax"}, prompt
        assert steps(flow)["calculate_tax"]["amount"] == amount
        assert steps(flow)["calculate_tax"]["country"] == country


def test_a_summary_of_a_hyphened_length_is_made_before_it_is_sent():
    # "a 3-sentence summary": the page itself was emailed, with no summary made
    flow = plan(
        "grab https://news.example.org/city-council-vote and send a 3-sentence summary to "
        "desk@paper.com",
        demo_catalog_with([]),
    )
    assert steps(flow)["summarize_text"] == {"text": "fetch_url.text", "max_sentences": "3"}
    assert steps(flow)["send_email"]["body"] == "summarize_text.summary"


def test_a_tax_said_with_its_place_or_on_a_written_amount_is_worked_out_first():
    # "plus California sales tax" charged the subtotal alone; "$100 plus VAT for Germany"
    # charged $100 and asked the run for the amount taxed
    flow = plan(
        "Validate order 3002 (2x DESK-OAK) and charge the subtotal plus California sales tax",
        demo_catalog_with([]),
    )
    assert steps(flow)["calculate_tax"] == {
        "amount": "validate_order.subtotal",
        "country": '"US"',
        "region": '"CA"',
    }
    assert steps(flow)["process_payment"]["amount"] == "calculate_tax.total"
    flow = plan("charge order 5 $100 plus VAT for Germany", demo_catalog_with([]))
    assert steps(flow)["calculate_tax"] == {"amount": "100.0", "country": '"DE"'}
    assert steps(flow)["process_payment"] == {
        "order_id": '"5"',
        "amount": "calculate_tax.total",
        "currency": '"USD"',
    }


def test_text_leading_a_step_is_an_sms():
    # "Text candidate CAND-42 ...": an email was planned, asking the run for an address
    error = refusal(
        "Text candidate CAND-42 a reminder about tomorrow's interview", eval_catalog(ATS)
    )
    assert "SMS" in error.message


def test_a_wire_said_as_a_noun_moves_money():
    # "send an international wire of €25,000": an email to the supplier was planned
    for prompt in (
        "Send an international wire of €25,000 from ACC-9 to a supplier in Turkey",
        "send a wire of $500 to bob@x.com",
    ):
        assert "wire" in refusal(prompt, eval_catalog(KYC)).message, prompt


def test_a_named_platform_no_tool_names_is_refused():
    # LinkedIn was a Slack post; a credit report from Experian was the customer's profile
    # (its "KYC status" offered a credit check, lumped with identity checks)
    assert (
        "LinkedIn" in refusal("Post the senior engineer job to LinkedIn", eval_catalog(ATS)).message
    )
    error = refusal("Pull the credit report for customer CUS-12 from Experian", eval_catalog(KYC))
    assert "credit" in error.message


def test_a_yes_no_input_named_for_what_the_step_says_is_set():
    # "waive the fee" was a yes/no asked of the run (and "if a fee gets charged" read it)
    flow = plan("Cancel reservation HX-9001 and waive the fee", eval_catalog(HOTEL))
    assert steps(flow)["pms.reservation.cancel"]["waive_fee"] == "true"
    flow = plan("Cancel reservation HX-3344 without waiving the fee", eval_catalog(HOTEL))
    assert steps(flow)["pms.reservation.cancel"]["waive_fee"] == "false"
    assert "waive_fee" not in flow.input_schema.get("properties", {})


def test_a_step_a_flag_of_the_step_before_does_is_that_flag():
    # "send them the rejection email": one email per candidate id was planned (to "CAND-500")
    flow = plan(
        "reject CAND-500, CAND-501 and CAND-502 with reason 'position filled' and send them "
        "the rejection email",
        eval_catalog(ATS),
    )
    assert set(steps(flow)) == {"ats.candidates.reject"}
    assert steps(flow)["ats.candidates.reject"]["send_email"] == "true"


def test_an_amount_fills_the_one_number_named_for_money():
    # "at $172,000": `salary` was asked of the run
    flow = plan("create an offer for CAND-19 at $172,000 starting 2027-03-01", eval_catalog(ATS))
    assert steps(flow)["ats.offers.create"]["salary"] == "172000.0"


def test_a_code_whose_letters_abbreviate_a_thing_reads_that_thing():
    # "Pull customer CUS-9012", "Pull up CAND-1203": the demo's user lookup was planned with
    # the code as a user id, and the customer's or candidate's record asked of the run
    flow = plan(
        "Pull customer CUS-9012 and screen them against the sanctions lists", eval_catalog(KYC)
    )
    assert steps(flow)["customers.get"] == {"customer_id": '"CUS-9012"'}
    assert steps(flow)["aml.screen"]["full_name"] == "customers_get.full_name"
    assert "lookup_user" not in steps(flow)
    flow = plan(
        "Pull up CAND-1203 and if they're in the offer stage, email them a reminder to sign",
        eval_catalog(ATS),
    )
    assert steps(flow)["ats.candidates.get"] == {"candidate_id": '"CAND-1203"'}
    assert steps(flow)["send_email"]["to"] == "ats_candidates_get.email"


def test_the_words_of_an_address_pick_no_tool():
    # "onboarding@bank.com" made "email their KYC status" the welcome email
    flow = plan(
        "Look up CUS-3030 and email their KYC status to onboarding@bank.com", eval_catalog(KYC)
    )
    assert steps(flow)["send_email"]["to"] == '"onboarding@bank.com"'
    assert steps(flow)["send_email"]["body"] == "customers_get.kyc_status"
    assert "send_welcome_email" not in steps(flow)


def test_of_near_ties_the_tool_whose_id_the_step_says_goes_first():
    # "to HX-812's folio": the card was charged (process_payment) and the reservation's
    # code asked of the run
    flow = plan("Charge room damages of €380 to HX-812's folio", eval_catalog(HOTEL))
    assert set(steps(flow)) == {"folio.post_charge"}
    assert steps(flow)["folio.post_charge"]["confirmation_no"] == '"HX-812"'
    assert steps(flow)["folio.post_charge"]["amount"] == "380.0"


def test_two_kinds_of_one_thing_are_each_read():
    # "a potential or confirmed match": only a confirmed match froze the account; the quoted
    # name and the date of birth were asked of the run
    flow = plan(
        "Screen 'Viktor Petrov', born 1971-04-02, against sanctions and PEP lists; if there's a "
        "potential or confirmed match, freeze account ACC-5531 with reason 'sanctions hit'",
        eval_catalog(KYC),
    )
    assert steps(flow)["aml.screen"] == {
        "full_name": '"Viktor Petrov"',
        "date_of_birth": '"1971-04-02"',
    }
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == (
        '(aml_screen.match_status == "potential_match") || '
        '(aml_screen.match_status == "confirmed_match")'
    )


def test_what_to_do_in_that_case_after_unless_is_done_when_it_holds():
    # "- in that case email the customer instead": the email was dropped
    flow = plan(
        "Ship order 7781 to 12 Baker St, London NW1 6XE, UK unless the 3x TEA-EARL are out of "
        "stock - in that case email the customer at priya@tea.co.uk instead",
        demo_catalog_with([]),
    )
    assert set(steps(flow)) == {"check_inventory", "create_shipment", "send_email"}
    conditions = sorted(node.condition for node in flow.nodes if isinstance(node, BranchNode))
    assert conditions == ["!check_inventory.in_stock", "check_inventory.in_stock"]


def test_things_of_one_kind_need_an_approval_only_they_get():
    # "high-risk customers need a compliance officer's approval": every customer needed it
    flow = plan(
        "Get the risk rating for customer CUS-77; high-risk customers need a compliance "
        "officer's approval before we open a business account for them",
        eval_catalog(KYC),
    )
    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert approval.when == 'risk_score_customer.rating == "high"'
    # (no tool named for "value" lists "high": a high-value order's approval is not a
    # ticket's high priority)
    flow = plan(
        "Charge order 5 $900; high-value orders need a manager's approval first",
        demo_catalog_with([]),
    )
    assert "classify_ticket" not in steps(flow)


def test_a_field_of_the_record_named_by_its_code_is_read_first():
    # the resume's link, the candidate's address and the guest's phone were asked of the
    # run (and the candidate named by CAND-88 lost)
    flow = plan(
        "Score the resume of candidate CAND-88 against job JOB-12 and if the score is below "
        "40 reject them with the reason 'not enough experience'",
        eval_catalog(ATS),
    )
    assert steps(flow)["ats.candidates.get"] == {"candidate_id": '"CAND-88"'}
    assert steps(flow)["resume.score"]["resume_url"] == "ats_candidates_get.resume_url"
    flow = plan(
        "Order a standard background check for candidate CAND-301 and post in #hiring once "
        "it's ordered",
        eval_catalog(ATS),
    )
    assert steps(flow)["bgcheck.order"]["candidate_email"] == "ats_candidates_get.email"
    flow = plan(
        "Cancel reservation HX-9001 and waive the fee, then text the guest a cancellation "
        "confirmation",
        eval_catalog(HOTEL),
    )
    assert steps(flow)["pms.reservation.get"] == {"confirmation_no": '"HX-9001"'}
    assert steps(flow)["guest.message"]["phone"] == "pms_reservation_get.guest_phone"
    # (an address written is no record to read: the reply goes to the customer's address)
    flow = plan("Reply to the customer from support@example.com.", demo_catalog_with([]))
    assert "validate_email" not in steps(flow)


def test_a_schedule_sent_is_no_scheduling():
    # "email her the new holiday schedule" was refused as scheduling something
    flow = plan(
        "Email the October schedule to coach@gym.com and cc frontdesk@gym.com, subject "
        "'October classes'",
        demo_catalog_with([]),
    )
    assert steps(flow)["send_email"]["cc"] == '["frontdesk@gym.com"]'
    assert steps(flow)["send_email"]["subject"] == '"October classes"'


def test_a_value_the_tool_takes_is_no_capability_it_lacks_and_a_day_at_a_time_is_its_start():
    # "a 45 minute video interview": refused as video no tool makes; "on 2026-12-10 at
    # 15:00" was asked of the run
    flow = plan(
        "schedule a 45 minute video interview for CAND-4412 with priya@acme.io on 2026-12-10 "
        "at 15:00",
        eval_catalog(ATS),
    )
    assert steps(flow)["ats.interviews.schedule"]["kind"] == '"video"'
    assert steps(flow)["ats.interviews.schedule"]["start"] == '"2026-12-10T15:00:00"'


def test_whatsapp_and_text_are_verbs_and_channels():
    # "look it up and WhatsApp the guest": one step, the lookup dropped and the message
    # sent to each code; "text the guest" left the channel to the tool
    flow = plan(
        "For reservations HX-1, HX-2 and HX-3, look each up and WhatsApp the guest: 'Your "
        "airport shuttle leaves at 7am from the lobby'",
        eval_catalog(HOTEL),
    )
    lookups = next(node for node in flow.nodes if isinstance(node, MapNode))
    assert lookups.tool == "pms.reservation.get"
    assert lookups.items == '["HX-1", "HX-2", "HX-3"]'
    assert steps(flow)["guest.message"]["channel"] == '"whatsapp"'
    assert steps(flow)["guest.message"]["phone"] == "item.guest_phone"
    flow = plan(
        "Cancel reservation HX-9001 and waive the fee, then text the guest a cancellation "
        "confirmation",
        eval_catalog(HOTEL),
    )
    assert steps(flow)["guest.message"]["channel"] == '"sms"'


def test_why_a_ticket_is_opened_is_no_step():
    # "so the front desk can call him" was refused as a phone call no tool makes
    flow = plan(
        "new gym member: Tomas Berg, tomas.berg@gmial.com. check the email, if it's fine send "
        "the welcome email, if not open an account ticket so the front desk can call him",
        demo_catalog_with([]),
    )
    assert set(steps(flow)) == {"validate_email", "send_welcome_email", "create_ticket"}
    assert steps(flow)["validate_email"]["email"] == '"tomas.berg@gmial.com"'


def test_a_dotted_id_whose_last_part_looks_only_reads():
    # "pms.room.status", "kyc.verify_identity": refused as tools that act where a check
    # was asked for
    flow = plan(
        "Check the status of room 302 and if it's dirty create a rush cleaning task",
        eval_catalog(HOTEL),
    )
    assert steps(flow)["pms.room.status"] == {"room_number": '"302"'}
    assert steps(flow)["housekeeping.create_task"]["priority"] == '"rush"'
    flow = plan(
        "Verify the identity of customer CUS-100 using their passport; if the result is clear "
        "open a savings account for them, otherwise email kyc@bank.com to review it manually",
        eval_catalog(KYC),
    )
    assert steps(flow)["kyc.verify_identity"] == {
        "customer_id": '"CUS-100"',
        "document_type": '"passport"',
    }


def test_a_value_of_two_words_a_tool_lists_picks_it():
    # "Verify the driving licence of CUS-61": validate_order was planned with the customer's
    # code as an order id
    flow = plan(
        "Verify the driving licence of CUS-61. If it's rejected, email the customer that we "
        "couldn't verify them",
        eval_catalog(KYC),
    )
    assert steps(flow)["kyc.verify_identity"] == {
        "customer_id": '"CUS-61"',
        "document_type": '"driving_licence"',
    }
    assert "validate_order" not in steps(flow)
    assert steps(flow)["send_email"]["to"] == "customers_get.email"


def test_an_address_is_checked_by_the_tool_that_takes_one():
    # "check dan@x.com": the stock was checked, its lines asked of the run; "a throwaway
    # address" was no field of any tool, and the dash parted no step from "reject it"
    flow = plan("check dan@x.com", demo_catalog_with([]))
    assert steps(flow) == {"validate_email": {"email": '"dan@x.com"'}}
    flow = plan(
        "Check signup dan@mailinator.com — reject it if it's a throwaway address, otherwise "
        "look them up by email",
        demo_catalog_with([]),
    )
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == "!validate_email.disposable"
    assert branch.then == ["lookup_user"]


def test_a_region_after_its_city_is_the_tax_region():
    # "Vancouver, British Columbia": "British" was refused as an action no tool does
    flow = plan(
        "Work out GST/PST on a $640 order shipped to Vancouver, British Columbia",
        demo_catalog_with([]),
    )
    assert steps(flow)["calculate_tax"] == {
        "amount": "640.0",
        "country": '"CA"',
        "region": '"BC"',
    }


def test_a_step_for_those_of_a_kind_in_a_loop_over_listed_codes():
    # "For each of u_1, u_2, u_3: ..." was refused (a loop over "u_"); "for any that aren't
    # found" opens a ticket for those only
    flow = plan(
        "For each of u_1, u_2, u_3: look them up and open an account ticket for any that "
        "aren't found",
        demo_catalog_with([]),
    )
    tickets = next(
        node for node in flow.nodes if isinstance(node, MapNode) and node.tool == "create_ticket"
    )
    assert "!lookup_user[i].found" in tickets.items


def test_time_given_after_a_comma_is_the_approvals_deadline():
    # ", give them a day" was a step no tool does
    flow = plan(
        "Take the $7,500 deposit for wedding booking WED-19. Anything above $5k needs the "
        "venue manager's OK first, give them a day",
        demo_catalog_with([]),
    )
    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert approval.timeout_s == 86400
    assert steps(flow)["process_payment"]["amount"] == "7500.0"


def test_not_approved_in_time_is_rejected_and_what_follows_happens_then():
    # "If they don't approve within 3 days, email ...": read as "approve on no answer",
    # and "within 3 days" was a step of its own
    flow = plan(
        "Before charging the $1,200 annual membership on order ANN-5, get approval from "
        "finance. If they don't approve within 3 days, email member@club.org that we couldn't "
        "process it",
        demo_catalog_with([]),
    )
    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert (approval.timeout_s, approval.on_timeout) == (259200, "reject")
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == f"!{approval.id}.approved"
    assert branch.then == ["send_email"]


def test_some_of_a_number_named_is_more_than_nothing():
    # "if a fee gets charged" after a cancellation returning `fee_charged` was refused; "email
    # the guest" reads the reservation's address
    flow = plan(
        "Cancel reservation HX-3344 without waiving the fee; if a fee gets charged, email the "
        "guest explaining our cancellation policy",
        eval_catalog(HOTEL),
    )
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == "pms_reservation_cancel.fee_charged > 0"
    assert steps(flow)["send_email"]["to"] == "pms_reservation_get.guest_email"


def test_the_code_given_to_a_step_before_fills_the_same_input_later():
    # "charge $60 to its folio" after "look up reservation HX-204": the reservation's code
    # was asked of the run
    flow = plan(
        "Look up reservation HX-204 and if the guest is still checked in, charge $60 to its "
        "folio for late checkout",
        eval_catalog(HOTEL),
    )
    assert steps(flow)["folio.post_charge"]["confirmation_no"] == '"HX-204"'


def test_the_list_said_after_the_second_step_is_the_first_steps_things():
    # "fetch these two pages and summarize each one: <a> and <b>" was refused (the pages
    # summarized, none fetched)
    flow = plan(
        "Fetch these two pages and summarize each one: https://a.example.com/terms and "
        "https://b.example.com/terms",
        demo_catalog_with([]),
    )
    fetches = next(node for node in flow.nodes if isinstance(node, MapNode))
    assert fetches.tool == "fetch_url"
    assert fetches.items == '["https://a.example.com/terms", "https://b.example.com/terms"]'
    assert steps(flow)["summarize_text"]["text"] == "item.text"


def test_everything_is_in_stock_reads_the_stock_check_not_every_step():
    # refused as a condition on every step before (some in arms); "if everything succeeds"
    # is still refused so
    flow = plan(
        "Validate the order; if it's valid, check stock, and if everything is in stock charge "
        "the customer the subtotal. If something's out of stock, email kitchen@prep.com which "
        "SKUs are missing.",
        demo_catalog_with([]),
    )
    conditions = [node.condition for node in flow.nodes if isinstance(node, BranchNode)]
    assert "check_inventory.in_stock" in conditions
    refusal(
        "Validate the order; if it is valid, check stock; if it's in stock, charge; if charging "
        "fails, email the customer; if everything succeeds, ship.",
        demo_catalog_with([]),
    )


def test_send_it_after_a_made_offer_sends_that_offer():
    # "send it" after "ats.offers.create": an email asked of the run for an address (the
    # verb of a dotted id leads its last part); "send it to the candidate" was a rejection
    # of the candidate (the id naming the candidate broke a tie it has no verb in)
    flow = plan(
        "Create an offer for CAND-3 at €70,000 in EUR starting 2027-02-01 and send it",
        eval_catalog(ATS),
    )
    assert steps(flow)["ats.offers.send"] == {"offer_id": "ats_offers_create.offer_id"}
    flow = plan(
        "Create an offer for CAND-3 at $70,000 starting 2027-02-01, then send it to the candidate",
        eval_catalog(ATS),
    )
    assert "ats.candidates.reject" not in steps(flow)


def test_a_room_said_is_no_chat_room_for_an_input_that_lists_its_channels():
    # "their room is ready" wrote "is" as the channel (sms or whatsapp), and the plan was
    # refused as invalid
    flow = plan(
        "Look up reservation HX-5 and text the guest that their room is ready",
        eval_catalog(HOTEL),
    )
    assert steps(flow)["guest.message"]["channel"] == '"sms"'
    flow = plan(
        "Look up reservation HX-5 and whatsapp the guest their room number", eval_catalog(HOTEL)
    )
    assert steps(flow)["guest.message"]["channel"] == '"whatsapp"'


def test_it_is_there_after_a_stock_check_is_in_stock():
    # "if it's there" planned a user lookup and shipped when a user was found
    flow = plan(
        "Check stock for 2x MUG-1 for order 77 and if it's there, ship order 77 to 1 Main St, "
        "Boston, MA 02110",
        demo_catalog_with([]),
    )
    assert "lookup_user" not in steps(flow)
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == "check_inventory.in_stock"
