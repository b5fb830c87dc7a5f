"""Rules the eighth round of unseen requests asked for: codes left for a step's id, a
vendor's namespace that is no sign of the wrong tool, quotes read where the request says
they are, "don't X if Y" as X unless Y, states listed as regions, a guardian found before
"email them", an approval of nothing refused, the amount a step writes in the condition of
its approval, abbreviations spelled out, what someone wants said first left out."""

from __future__ import annotations

import pytest

from flows.core.ir import ApprovalNode, BranchNode, MapNode
from flows.core.planner.leftover_codes import leftover_codes
from flows.core.planner.places import regions_listed
from flows.core.planner.quotes import quote_below_in_place
from tests.planner.offline_plans import plan, refusal
from tests.planner.registered import eval_catalog, steps

SCHOOL = "registered_round8_school.json"
CLINIC = "registered_round8_clinic.json"
PLANT = "registered_round8_plant.json"

_ID = {"type": "string"}


def test_a_code_no_rule_took_is_the_one_id_left():
    assert leftover_codes(
        {"order_id": _ID, "amount": {"type": "number"}},
        ["order_id", "amount"],
        "Charge £840 for booking TRV-5521",
        {"amount": "840.0"},
    ) == {"order_id": '"TRV-5521"'}


def test_a_code_after_in_is_the_place_and_the_other_code_the_other_id():
    found = leftover_codes(
        {"course_id": _ID, "assignment_id": _ID, "student_email": _ID},
        ["course_id", "assignment_id", "student_email"],
        "Get the submission of omar@school.edu for lab5 in PHYS-150",
        {"student_email": '"omar@school.edu"'},
    )
    assert found == {"course_id": '"PHYS-150"', "assignment_id": '"lab5"'}


def test_a_code_is_the_id_its_letters_start():
    found = leftover_codes(
        {"patient_id": _ID, "clinician_id": _ID},
        ["patient_id", "clinician_id"],
        "book them with C-21",
        {},
    )
    assert found == {"clinician_id": '"C-21"'}


@pytest.mark.parametrize(
    "action",
    [
        "Add tom@school.edu to MATH-300 as a TA",  # where to, not which order
        "Charge order 12 for $30 and ship it",  # no code with a letter and a digit
        "book A-1 and B-2",  # two codes for one id
    ],
)
def test_no_code_is_guessed_when_it_is_not_clear(action):
    assert leftover_codes({"order_id": _ID}, ["order_id"], action, {}) == {}


def test_a_vendor_namespace_left_unsaid_does_not_lose_the_step_to_another_tool():
    flow = plan(
        "Give kai@school.edu a score of 87 on assignment hw3 in ENG-110 with the comment "
        "'Strong argument, watch citations'",
        eval_catalog(SCHOOL),
    )
    grade = steps(flow)["canvas.post_grade"]
    assert grade["score"] == "87.0"
    assert grade["course_id"] == '"ENG-110"'
    assert grade["comment"] == '"Strong argument, watch citations"'


def test_the_british_spelling_of_enrol_finds_the_enroll_tool_for_each_listed_student():
    flow = plan(
        "enrol these students in CHEM-210: a1@school.edu, b2@school.edu", eval_catalog(SCHOOL)
    )
    (loop,) = [node for node in flow.nodes if isinstance(node, MapNode)]
    assert loop.tool == "canvas.enroll"
    assert loop.inputs["student_email"] == "item"
    assert loop.inputs["course_id"] == '"CHEM-210"'


def test_them_after_looking_up_a_guardian_is_the_guardian():
    flow = plan(
        "Look up the guardian of student S-1020 and email them that the grades are posted",
        eval_catalog(SCHOOL),
    )
    assert steps(flow)["send_email"]["to"] == "sis_guardian_lookup.guardian_email"


@pytest.mark.parametrize(
    ("prompt", "tool", "text"),
    [
        (
            "Check the sentiment of this comment: 'Your staff are liars'. If it's negative, "
            "open a ticket",
            "analyze_sentiment",
            "Your staff are liars",
        ),
        (
            "Classify the email below and open a ticket if it is technical: 'Our API is down'",
            "classify_ticket",
            "Our API is down",
        ),
    ],
)
def test_a_quote_is_read_by_the_step_that_says_where_it_is(demo, prompt, tool, text):
    flow = plan(prompt, demo)
    assert steps(flow)[tool]["text"] == f'"{text}"'
    assert text not in steps(flow)["create_ticket"].get("body", "")


def test_the_quote_a_request_ends_on_is_written_where_it_is_said_to_be_below():
    moved = quote_below_in_place("Summarise the feedback below and email it to ed@x.io: 'Good.'")
    assert moved == "Summarise the feedback below: 'Good.' and email it to ed@x.io"
    unchanged = "Email ed@x.io the summary: 'Good.'"
    assert quote_below_in_place(unchanged) == unchanged


def test_the_summary_of_a_quote_below_is_what_is_emailed(demo):
    flow = plan(
        "Summarise the feedback below in two sentences and email it to events@conf.org: "
        "'Great talks. The venue was cold. Lunch ran out.'",
        demo,
    )
    assert steps(flow)["summarize_text"]["text"].startswith('"Great talks.')
    assert "summarize_text" in steps(flow)["send_email"]["body"]


@pytest.mark.parametrize(
    ("prompt", "welcome_name"),
    [
        (
            "Validate dev@startup.io and don't send the welcome email if it's a disposable "
            "address; otherwise welcome Dev",
            '"Dev"',
        ),
        ("Never send the welcome email to ann@x.com if her address is disposable", None),
    ],
)
def test_dont_do_it_if_is_doing_it_unless(demo, prompt, welcome_name):
    flow = plan(prompt, demo)
    welcomes = [n for n in flow.nodes if getattr(n, "tool", None) == "send_welcome_email"]
    assert len(welcomes) == 1  # one welcome, not one per reading of the sentence
    (branch,) = [node for node in flow.nodes if isinstance(node, BranchNode)]
    assert branch.condition == "!validate_email.disposable"
    assert welcomes[0].id in branch.then
    assert steps(flow)["validate_email"]["email"] != "input.email"
    if welcome_name is not None:
        assert steps(flow)["send_welcome_email"]["name"] == welcome_name


def test_listed_states_are_regions_of_their_country(demo):
    flow = plan("What's the sales tax on $250 in each of these states: NY, TX, WA", demo)
    (loop,) = [node for node in flow.nodes if isinstance(node, MapNode)]
    assert loop.inputs["region"] == "item"
    assert loop.inputs["country"] == '"US"'


def test_regions_are_listed_only_when_the_request_calls_them_states():
    assert regions_listed(["NY", "texas"], "each of these states: NY, texas") == "US"
    assert regions_listed(["DE", "FR"], "each of these countries: DE, FR") is None
    assert regions_listed(["DE", "IN"], "for the states DE and IN") == "US"
    assert regions_listed(["ON", "QC"], "in these provinces: ON, QC") == "CA"


def test_an_approval_whose_step_maps_to_nothing_is_refused(demo):
    error = refusal(
        "Pay supplier invoice PO-3391 for $14,500, but anything over $10,000 needs finance "
        "approval first",
        demo,
    )
    assert "pay" in error.message.lower()


def test_an_approval_of_the_request_alone_is_still_planned(demo):
    flow = plan("Ask a manager to approve the request within 24 hours", demo)
    assert [type(node) for node in flow.nodes if isinstance(node, ApprovalNode)]


def test_a_policy_over_an_amount_compares_the_amount_the_step_charges(demo):
    flow = plan("Charge 7,400 EUR for order 55; finance has to approve any charge over 5,000", demo)
    (approval,) = [node for node in flow.nodes if isinstance(node, ApprovalNode)]
    assert approval.when == "7400.0 > 5000.0"
    assert "amount" not in (flow.input_schema.get("properties") or {})


def test_an_abbreviation_is_the_words_of_the_request_it_stands_for():
    flow = plan(
        "Raise a purchase order to supplier SUP-118 for 7,400 EUR; procurement has to "
        "approve any PO over 5,000",
        eval_catalog(PLANT),
    )
    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    create = next(node for node in flow.nodes if getattr(node, "tool", None) == "coupa.create_po")
    assert approval.when == "7400.0 > 5000.0"
    assert approval.id in _ancestors(flow, create.id)


def test_what_someone_wants_said_first_is_no_step(demo):
    flow = plan(
        "A buyer wants a viewing of 12 Elm Street on Friday; open a sales ticket with high "
        "priority so an agent calls them back",
        demo,
    )
    assert [getattr(node, "tool", None) for node in flow.nodes] == ["create_ticket"]
    assert steps(flow)["create_ticket"]["priority"] == '"high"'


def test_a_title_with_a_stop_does_not_end_the_step():
    flow = plan(
        "Book patient P-2231 with Dr. Osei (clinician C-12) at 2027-01-14T09:30",
        eval_catalog(CLINIC),
    )
    booking = steps(flow)["appointments.book"]
    assert booking["clinician_id"] == '"C-12"'
    assert booking["patient_id"] == '"P-2231"'


def test_a_named_group_fills_an_assignment_group():
    flow = plan(
        "Open a high urgency incident for the maintenance group about boiler 2",
        eval_catalog(PLANT),
    )
    assert steps(flow)["servicenow_create_incident"]["assignment_group"] == '"maintenance"'


def _ancestors(flow, node_id: str) -> set[str]:
    by_id = {node.id: node for node in flow.nodes}
    seen: set[str] = set()
    todo = list(by_id[node_id].after)
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(by_id[current].after)
    return seen


def test_the_one_moment_a_booking_writes_is_its_start():
    flow = plan(
        "Book patient P-3 with clinician C-1 on 2027-06-01 at 10:00 for a consult",
        eval_catalog(CLINIC),
    )
    assert steps(flow)["appointments.book"]["start"] == '"2027-06-01T10:00"'


def test_text_them_a_reminder_sends_a_reminder_not_the_record_found():
    flow = plan(
        "Look up patient P-61 and text them a reminder for tomorrow 9am", eval_catalog(CLINIC)
    )
    sms = steps(flow)["twilio_sms_send"]
    assert sms["to"] == "patients_lookup.phone"
    assert "patients_lookup" not in sms["body"]


def test_a_team_known_by_name_after_for_is_the_assignment_group():
    flow = plan("Open an incident 'Boiler 2 pressure drop' for facilities", eval_catalog(PLANT))
    incident = steps(flow)["servicenow_create_incident"]
    assert incident["assignment_group"] == '"facilities"'
    assert incident["short_description"] == '"Boiler 2 pressure drop"'
    other = steps(plan("Open an incident for the outage of line 2", eval_catalog(PLANT)))
    assert "assignment_group" not in other["servicenow_create_incident"]


def test_a_number_compared_of_a_tools_thing_is_read_first():
    flow = plan(
        "If sensor TEMP-3 reads more than 90, page the boiler team with P1", eval_catalog(PLANT)
    )
    (branch,) = [node for node in flow.nodes if isinstance(node, BranchNode)]
    assert branch.condition == "iot_read_sensor.value > 90.0"
    assert steps(flow)["iot.read_sensor"]["sensor_id"] == '"TEMP-3"'
    assert "reads" not in (flow.input_schema.get("properties") or {})


def test_an_amount_compared_with_no_tool_named_stays_a_run_input(demo):
    flow = plan("If the amount is over 500, email finance@x.com", demo)
    (branch,) = [node for node in flow.nodes if isinstance(node, BranchNode)]
    assert branch.condition == "input.amount > 500.0"


def test_codes_listed_right_after_the_verb_are_one_call_each():
    flow = plan(
        "Read TEMP-3 and PRES-4 and open an incident if either is above 100", eval_catalog(PLANT)
    )
    (loop,) = [node for node in flow.nodes if isinstance(node, MapNode)]
    assert loop.items == '["TEMP-3", "PRES-4"]'
    (branch,) = [node for node in flow.nodes if isinstance(node, BranchNode)]
    assert branch.condition == "iot_read_sensor.exists(r, r.value > 100.0)"


def test_codes_listed_for_an_id_that_takes_one_are_refused_not_cut_to_the_first():
    error = refusal("cancel the appointment of A-1, A-2", eval_catalog(CLINIC))
    assert "A-1, A-2" in error.message
    assert error.details["reason"] == "several_values_for_one"


def test_after_the_payment_goes_through_the_step_runs_only_if_it_did(demo):
    flow = plan(
        "after the payment of $40 for order 9 goes through, email receipts@shop.com the "
        "transaction id",
        demo,
    )
    (branch,) = [node for node in flow.nodes if isinstance(node, BranchNode)]
    assert branch.condition == "process_payment.approved"
    assert "send_email" in branch.then


def test_if_it_is_then_a_verb_is_the_check_passing(demo):
    flow = plan("check order 5521 is valid, and if it is charge $75.50 to it", demo)
    (branch,) = [node for node in flow.nodes if isinstance(node, BranchNode)]
    assert branch.condition == "validate_order.valid"
    assert "process_payment" in branch.then


def test_two_amounts_for_a_tool_that_takes_one_are_refused(demo):
    error = refusal("Charge the customer 30 dollars for order 77 and 15 dollars for order 78", demo)
    assert "30, 15" in error.message


def test_her_is_the_one_address_the_request_writes_unless_it_is_someone_elses(demo):
    flow = plan(
        "Open a billing ticket for jane@acme.com about a double charge, then email her the "
        "ticket number",
        demo,
    )
    assert steps(flow)["send_email"]["to"] == '"jane@acme.com"'
    other = plan(
        "Classify the message and if it's urgent tell the support lead at lead@acme.io, "
        "otherwise email them a thank-you note",
        demo,
    )
    thanks = next(node for node in other.nodes if node.title == "Email them a thank-you note")
    assert thanks.inputs["to"] == "input.customer_email"


def test_a_tax_emailed_is_calculated_first(demo):
    flow = plan("email finance@corp.com the VAT for 1,000 EUR in Spain", demo)
    tax = steps(flow)["calculate_tax"]
    assert (tax["amount"], tax["country"]) == ("1000.0", '"ES"')
    assert "calculate_tax" in steps(flow)["send_email"]["body"]


def test_an_approval_of_a_message_that_was_never_planned_is_refused(demo):
    error = refusal(
        "Have the legal team review and approve the contract email to vendor@supplier.com "
        "within 48 hours, otherwise don't send it",
        demo,
    )
    assert "vendor@supplier.com" in error.message


def test_managers_qualified_by_a_word_that_is_no_department_are_managers():
    flow = plan(
        "Create a PO for supplier SUP-300 for $48,000; two plant managers must approve it first",
        eval_catalog(PLANT),
    )
    (approval,) = [node for node in flow.nodes if isinstance(node, ApprovalNode)]
    assert approval.assignees.groups == ["managers"]
    assert approval.quorum == 2


def test_a_departments_manager_is_still_the_department(demo):
    flow = plan("a finance manager must approve the charge of $900 for order 5 first", demo)
    (approval,) = [node for node in flow.nodes if isinstance(node, ApprovalNode)]
    assert approval.assignees.groups == ["finance"]
