"""Rules the seventh round of unseen requests asked for: money with its currency before the
amount, currency codes kept as typed, wire transfers refused, single-quoted texts kept whole,
list values said another way, versions and what they are of, values written before an
input's noun, file names, switches turned on or off, values carried to a step of the same
tool family, and HTTP status codes said with "is" or as a class (5xx)."""

from __future__ import annotations

import pytest

from flows.core.ir import ApprovalNode, BranchNode, MapNode
from tests.planner.offline_plans import plan, refusal
from tests.planner.registered import eval_catalog, steps

DEPLOYS = "registered_round7_deploys.json"
DOCS = "registered_round7_docs.json"
CALENDAR = "registered_round7_calendar.json"


@pytest.mark.parametrize(
    ("prompt", "amount", "currency"),
    [
        ("Charge EUR 80 to the card for order B-2", "80.0", "EUR"),
        ("charge ¥3,500 for order 77", "3500.0", "JPY"),
        ("please charge CHF 19.90 for order Z-1", "19.9", "CHF"),
        ("charge 12.50 gbp for order 5", "12.5", "GBP"),
    ],
)
def test_money_with_its_currency_before_or_after_is_the_amount(demo, prompt, amount, currency):
    charge = steps(plan(prompt, demo))["process_payment"]
    assert charge["amount"] == amount
    assert charge["currency"] == f'"{currency}"'


def test_a_lower_case_currency_code_is_not_read_as_a_typo(demo):
    charge = steps(plan("chrage order 12 for 30 usd", demo))["process_payment"]
    assert charge["currency"] == '"USD"'


@pytest.mark.parametrize(
    "prompt",
    [
        "Make a bank transfer of 900 EUR to the landlord",
        "wire $1,200 to the contractor, then email them",
        "transfer the funds to our supplier",
    ],
)
def test_moving_money_by_transfer_is_refused_not_emailed(demo, prompt):
    error = refusal(prompt, demo)
    assert "transfer" in error.message.lower() or "wire" in error.message.lower()


def test_a_single_quoted_text_is_not_split_into_steps(demo):
    flow = plan(
        "Send ops@example.com an email with subject 'Disk alert' and body 'Check it, then "
        "restart the box.'",
        demo,
    )
    email = steps(flow)["send_email"]
    assert email["subject"] == '"Disk alert"'
    assert email["body"] == '"Check it, then restart the box."'
    assert len(flow.nodes) == 1


@pytest.mark.parametrize(
    ("prompt", "role"),
    [
        ("share file F-1 with kim@x.com with read only access", "reader"),
        ("share file F-1 with kim@x.com with edit access", "writer"),
        ("share file F-1 with kim@x.com and lou@x.com as editors", "writer"),
        ("share file F-1 with kim@x.com, they can comment", "commenter"),
    ],
)
def test_an_access_role_said_another_way_is_the_listed_one(prompt, role):
    shares = steps(plan(prompt, eval_catalog(DOCS)))["drive_share_file"]
    assert shares["role"] == f'"{role}"'


def test_a_short_environment_name_is_the_listed_one():
    release = steps(plan("deploy billing 2.3.1 to prod", eval_catalog(DEPLOYS)))["deploy.release"]
    assert release["environment"] == '"production"'


def test_a_version_and_the_name_before_it_fill_the_release():
    release = steps(plan("deploy search-api v10.2 to staging", eval_catalog(DEPLOYS)))
    assert release["deploy.release"]["version"] == '"v10.2"'
    assert release["deploy.release"]["service"] == '"search-api"'


def test_a_version_alone_names_no_service():
    release = steps(plan("deploy version 1.4.0 to staging", eval_catalog(DEPLOYS)))
    assert release["deploy.release"]["version"] == '"1.4.0"'
    assert release["deploy.release"]["service"] != '"version"'


def test_a_later_step_of_the_same_tool_family_keeps_the_values_written():
    flow = plan(
        "Release payments 3.2 to production, and roll it back if the release failed",
        eval_catalog(DEPLOYS),
    )
    rollback = steps(flow)["deploy.rollback"]
    assert rollback["service"] == '"payments"'
    assert rollback["environment"] == '"production"'


def test_a_message_does_not_take_another_tools_recipient():
    flow = plan(
        "Post 'Release started' to the deploys channel on Teams and email me@corp.com",
        eval_catalog(DEPLOYS),
    )
    assert steps(flow)["send_email"]["to"] == '"me@corp.com"'


@pytest.mark.parametrize(
    ("prompt", "flag", "enabled"),
    [
        ("disable the dark_mode flag in staging", "dark_mode", "false"),
        ("switch on the beta2 feature flag in production", "beta2", "true"),
    ],
)
def test_a_switch_turned_on_or_off_sets_its_yes_no_input(prompt, flag, enabled):
    setting = steps(plan(prompt, eval_catalog(DEPLOYS)))["flags.set_flag"]
    assert setting["flag"] == f'"{flag}"'
    assert setting["enabled"] == enabled


def test_a_quoted_value_before_the_input_noun_fills_it():
    flow = plan('List the events of the "Support rota" calendar', eval_catalog(CALENDAR))
    assert steps(flow)["calendar.list_events"]["calendar"] == '"Support rota"'


def test_a_code_with_a_preposition_between_is_not_the_value():
    flow = plan("list the events for calendar team_a", eval_catalog(CALENDAR))
    assert steps(flow)["calendar.list_events"]["calendar"] == '"team_a"'


def test_a_file_name_fills_the_file_name_input():
    flow = plan(
        "summarize the notes and upload them to folder Minutes as notes-2026-03.md",
        eval_catalog(DOCS),
    )
    upload = steps(flow)["drive_upload_file"]
    assert upload["filename"] == '"notes-2026-03.md"'
    assert upload["folder"] == '"Minutes"'


@pytest.mark.parametrize(
    ("prompt", "condition"),
    [
        ("fetch https://x.io/health; if it isn't 200, open an urgent ticket", "!= 200"),
        ("fetch https://x.io/health and open a ticket if it's a 5xx", ">= 500"),
        ("fetch https://x.io/health and open a ticket if it returns a 4xx", "< 500"),
    ],
)
def test_a_status_code_said_with_is_or_as_a_class_is_compared(demo, prompt, condition):
    (branch,) = [n for n in plan(prompt, demo).nodes if isinstance(n, BranchNode)]
    assert "fetch_url.status_code" in branch.condition
    assert condition in branch.condition


def test_no_map_for_a_single_release(demo):
    flow = plan("deploy auth 1.0.1 to staging", eval_catalog(DEPLOYS))
    assert not [n for n in flow.nodes if isinstance(n, MapNode)]


def test_names_listed_after_each_of_these_loop_the_step_before():
    flow = plan(
        "Roll out 2.0.1 to production for each of these services: auth, search and billing",
        eval_catalog(DEPLOYS),
    )
    (release,) = [n for n in flow.nodes if isinstance(n, MapNode)]
    assert release.tool == "deploy.release"
    assert release.inputs["service"] == "item"
    assert "search" in release.items


def test_codes_listed_after_each_of_these_loop_the_step_before(demo):
    flow = plan("work out the tax on 250 for each of these countries: GB, NL and SE", demo)
    (tax,) = [n for n in flow.nodes if isinstance(n, MapNode)]
    assert tax.inputs["country"] == "item"
    assert "NL" in tax.items


def test_a_list_of_verbs_after_each_of_these_is_no_loop_over_words(demo):
    flow = plan("for each of these orders: validate, charge and ship", demo)
    for node in flow.nodes:
        if isinstance(node, MapNode):
            assert "charge" not in node.items


def test_values_in_brackets_after_for_each_are_looped_over(demo):
    flow = plan("for every link in (https://a.io/x, https://b.io/y) summarize the page", demo)
    (fetch,) = [n for n in flow.nodes if isinstance(n, MapNode) and n.tool == "fetch_url"]
    assert "https://b.io/y" in fetch.items


@pytest.mark.parametrize("role", ["director", "supervisor", "auditor", "editor"])
def test_a_role_ending_in_or_approves_before_the_step(demo, role):
    flow = plan(f"ship the order once the {role} approves it", demo)
    (approval,) = [n for n in flow.nodes if isinstance(n, ApprovalNode)]
    assert approval.assignees.groups == [f"{role}s"]
    shipment = next(n for n in flow.nodes if getattr(n, "tool", None) == "create_shipment")
    assert approval.id in shipment.after


def test_a_quoted_name_after_the_thing_a_tool_makes_is_its_title():
    flow = plan("add a calendar event 'Board dinner' starting at 7pm", eval_catalog(CALENDAR))
    assert steps(flow)["calendar.create_event"]["title"] == '"Board dinner"'


def test_two_groups_that_must_both_approve_each_get_an_approval(demo):
    flow = plan("compliance and legal need to approve before we ship order 12", demo)
    approvals = [n for n in flow.nodes if isinstance(n, ApprovalNode)]
    assert [a.assignees.groups for a in approvals] == [["compliance"], ["legal"]]
    shipment = next(n for n in flow.nodes if getattr(n, "tool", None) == "create_shipment")
    assert approvals[-1].id in shipment.after


def test_a_step_no_tool_does_behind_an_approval_is_refused_not_dropped(demo):
    error = refusal("migrate the database once the director approves", demo)
    assert "migrate" in error.message


def test_addresses_written_fill_the_one_list_of_people():
    flow = plan(
        "find a free 20 minute slot for kim@x.com, lou@x.com and max@x.com", eval_catalog(CALENDAR)
    )
    slot = steps(flow)["calendar.find_free_slot"]
    assert slot["attendees"] == '["kim@x.com", "lou@x.com", "max@x.com"]'
    assert slot["duration_minutes"] == "20"


@pytest.mark.parametrize(
    ("said", "minutes"), [("an hour", "60"), ("half an hour", "30"), ("1.5 hours", "90")]
)
def test_a_length_of_time_is_given_in_the_unit_the_input_names(said, minutes):
    flow = plan(f"set up a zoom call named 'Retro' for {said}", eval_catalog(CALENDAR))
    meeting = steps(flow)["zoom.create_meeting"]
    assert meeting["duration_minutes"] == minutes
    assert meeting["topic"] == '"Retro"'


def test_a_check_said_without_its_thing_checks_what_the_step_works_on(demo):
    flow = plan("ship order 88 only if the validation passes", demo)
    tools = [getattr(n, "tool", None) for n in flow.nodes]
    assert "validate_order" in tools
    assert "validate_email" not in tools


def test_goes_out_is_the_step_that_sends_it():
    flow = plan(
        "Finance has to approve the NDA before it goes out for signature to a@b.com",
        eval_catalog(DOCS),
    )
    (approval,) = [n for n in flow.nodes if isinstance(n, ApprovalNode)]
    send = next(n for n in flow.nodes if getattr(n, "tool", None) == "docusign_send_for_signature")
    assert approval.id in send.after


def test_an_approval_after_but_ending_in_first_goes_before_the_step():
    flow = plan(
        "release billing 4.0 to production, but the CTO must sign off first",
        eval_catalog(DEPLOYS),
    )
    (approval,) = [n for n in flow.nodes if isinstance(n, ApprovalNode)]
    release = next(n for n in flow.nodes if getattr(n, "tool", None) == "deploy.release")
    assert approval.id in release.after


def test_a_quorum_from_a_department_is_titled_by_people(demo):
    flow = plan("two people from legal must approve before we charge order 5 for 90 USD", demo)
    (approval,) = [n for n in flow.nodes if isinstance(n, ApprovalNode)]
    assert approval.title == "Approval by 2 people from legal"


def test_deliverable_is_what_the_email_check_says_valid(demo):
    flow = plan("check the address and greet them only if it is deliverable", demo)
    (branch,) = [n for n in flow.nodes if isinstance(n, BranchNode)]
    assert branch.condition == "validate_email.valid"


def test_the_person_a_message_is_sent_to_by_name_is_its_name(demo):
    flow = plan("Give Omar the welcome email at omar@shop.io", demo)
    assert steps(flow)["send_welcome_email"]["name"] == '"Omar"'


def test_them_after_a_lookup_of_a_written_address_is_that_address(demo):
    flow = plan("find the user li@corp.io and if they're not found, welcome them as Li", demo)
    assert steps(flow)["send_welcome_email"]["email"] == '"li@corp.io"'


def test_where_a_message_goes_after_a_trailing_condition_is_the_steps(demo):
    flow = plan("check ana@x.io and let me know if it is valid via email to me@x.io", demo)
    assert steps(flow)["send_email"]["to"] == '"me@x.io"'
    (branch,) = [n for n in flow.nodes if isinstance(n, BranchNode)]
    assert "@" not in branch.title


def test_listed_people_with_names_loop_with_each_name_and_address(demo):
    flow = plan(
        "email each of these speakers a thank-you: Ada Byron <ada@x.io>, Alan <alan@y.io>", demo
    )
    (send,) = [n for n in flow.nodes if isinstance(n, MapNode)]
    assert '"name": "Ada Byron"' in send.items
    assert '"email": "alan@y.io"' in send.items
    assert send.inputs["to"] == "item.email"


def test_a_pronoun_that_says_where_is_not_what_the_step_works_on():
    flow = plan(
        "find a free 45 minute slot for a@x.io and b@x.io, then add a calendar event "
        "titled 'Planning' in it",
        eval_catalog(CALENDAR),
    )
    tools = [getattr(n, "tool", None) for n in flow.nodes]
    assert tools.count("calendar.find_free_slot") == 1
    assert steps(flow)["calendar.create_event"]["start"] == "calendar_find_free_slot.start"


def test_a_street_address_keeps_its_quarter_city_and_country(demo):
    flow = plan("ship order 9 to 55 King St E, Toronto, Canada by express", demo)
    shipment = steps(flow)["create_shipment"]
    assert shipment["address"] == '"55 King St E, Toronto, Canada"'
    assert shipment["country"] == '"CA"'


def test_put_it_in_a_place_adds_it_there():
    flow = plan(
        "create a zoom meeting named 'Kickoff', then put it on the calendar for a@x.io",
        eval_catalog(CALENDAR),
    )
    tools = [getattr(n, "tool", None) for n in flow.nodes]
    assert tools == ["zoom.create_meeting", "calendar.create_event"]


def test_a_thing_carried_with_the_step_goes_in_its_free_text_input():
    flow = plan(
        "set up a zoom meeting named 'Demo', then add it to the calendar with its join url",
        eval_catalog(CALENDAR),
    )
    assert steps(flow)["calendar.create_event"]["description"] == "zoom_create_meeting.join_url"


def test_of_two_close_tools_the_one_the_step_before_feeds_does_it():
    flow = plan(
        "find a free 15 minute slot for a@x.io and b@x.io, then schedule a meeting "
        "called 'Standup' in it",
        eval_catalog(CALENDAR),
    )
    event = steps(flow)["calendar.create_event"]
    assert event["start"] == "calendar_find_free_slot.start"
    assert event["title"] == '"Standup"'


def test_taking_money_from_the_card_is_a_charge(demo):
    charge = steps(plan("take £40 off the card for order K-1", demo))["process_payment"]
    assert charge["amount"] == "40.0"
    assert charge["currency"] == '"GBP"'


@pytest.mark.parametrize(
    "prompt", ["switch on two-factor login for user 12", "activate the loyalty programme for them"]
)
def test_turning_a_setting_on_is_refused_when_no_tool_does_it(demo, prompt):
    error = refusal(prompt, demo)
    assert "on or off" in error.message
