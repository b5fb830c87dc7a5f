"""Rules the twenty-fourth blind round asked for (`requests_round25.json`,
`registered_round25_*.json`: an Okta-style identity admin, a Xero-style accounting API and a
Sentry/Datadog-style monitoring API an admin registers): each test states a request the
planner got wrong before its rule (in other words than the round's), and what it plans now."""

from __future__ import annotations

from flows.core.ir import ApprovalNode, BranchNode, MapNode
from tests.planner.offline_plans import plan
from tests.planner.registered import eval_catalog, steps

IDENTITY = "registered_round25_identity.json"
BOOKS = "registered_round25_accounting.json"
MONITORING = "registered_round25_monitoring.json"


def branch_of(flow):
    return next(node for node in flow.nodes if isinstance(node, BranchNode))


def test_an_address_input_named_otherwise_takes_the_one_address():
    # "suspend dana.ng@acme.com": the `login` (format email) was asked of the run
    flow = plan("please deactivate Tom.Reyes@Acme.com", eval_catalog(IDENTITY))
    assert steps(flow)["okta_user_deactivate"]["login"] == '"Tom.Reyes@Acme.com"'


def test_addresses_listed_for_a_login_are_one_call_each():
    # "add ana@, ben@ and cy@ to the Finance group" added one user asked of the run
    flow = plan("suspend a@acme.com, b@acme.com and c@acme.com", eval_catalog(IDENTITY))
    (loop,) = [node for node in flow.nodes if isinstance(node, MapNode)]
    assert loop.tool == "okta_user_suspend"
    assert loop.inputs["login"] == "item"


def test_a_name_and_a_description_that_both_look_make_a_reader():
    # "whats the balance of account 090?" was refused: `xero_account_balance` ends on
    # "balance", a verb, so it was read as a tool that changes something
    flow = plan("what is the balance of account 200? email it to cfo@lumen.co", eval_catalog(BOOKS))
    assert steps(flow)["xero_account_balance"]["account_code"] == '"200"'
    assert "xero_account_balance" in steps(flow)["send_email"]["body"]


def test_a_state_said_before_its_noun_asks_no_approval():
    # "list the authorised bills due before 2026-04-01" put an approval first
    flow = plan("list all authorised bills and email them to ap@lumen.co", eval_catalog(BOOKS))
    assert not any(isinstance(node, ApprovalNode) for node in flow.nodes)
    assert steps(flow)["xero_bills_list"]["status"] == '"AUTHORISED"'


def test_a_message_named_by_the_noun_of_a_tools_doing_is_that_tools_work():
    # "send a reminder for INV-0099" sent an email asked wholly of the run
    flow = plan("send the client a reminder about INV-0311", eval_catalog(BOOKS))
    assert steps(flow) == {"xero_invoice_remind": {"invoice_number": '"INV-0311"'}}


def test_codes_listed_after_the_noun_of_a_tools_doing_are_one_call_each():
    # "send payment reminders for INV-0101, INV-0102 and INV-0103": one, for the first
    flow = plan("send reminders for INV-0201, INV-0202 and INV-0203", eval_catalog(BOOKS))
    (loop,) = [node for node in flow.nodes if isinstance(node, MapNode)]
    assert loop.tool == "xero_invoice_remind"
    assert loop.items == '["INV-0201", "INV-0202", "INV-0203"]'


def test_a_name_an_input_gives_as_its_example_is_its_value():
    # "give omar@acme.com access to Salesforce" was refused as a product no tool offers
    flow = plan("give kim@acme.com access to GitHub", eval_catalog(IDENTITY))
    assert steps(flow)["okta_app_assign"] == {"app": '"GitHub"', "login": '"kim@acme.com"'}


def test_a_question_goes_to_the_tool_that_tells_of_two_as_near():
    # "who is in the Design group?" was refused: adding to a group ranked as high
    flow = plan("who's in the Engineering group?", eval_catalog(IDENTITY))
    assert steps(flow) == {"okta_group_members_list": {"group": '"Engineering"'}}


def test_a_state_checked_goes_to_the_one_reader_that_lists_it():
    # "check whether sam@acme.com is suspended" went to the tool that suspends
    flow = plan(
        "see if lee@acme.com is locked out; if so, reset his password", eval_catalog(IDENTITY)
    )
    assert steps(flow)["okta_user_get"]["login"] == '"lee@acme.com"'
    assert branch_of(flow).condition == 'okta_user_get.status == "LOCKED_OUT"'


def test_if_so_then_a_verb_without_a_comma():
    # "...; if so unsuspend him" read "so unsuspend him" as the condition
    flow = plan(
        "check whether jo@acme.com is suspended; if so unsuspend her", eval_catalog(IDENTITY)
    )
    assert branch_of(flow).condition == 'okta_user_get.status == "SUSPENDED"'
    assert branch_of(flow).then == ["okta_user_unsuspend"]


def test_of_readers_of_a_written_address_the_one_whose_output_comes_next():
    # "look up eli@acme.com and email their manager": the demo user lookup has no manager
    flow = plan(
        "find ada@acme.com and email her manager that her badge is ready", eval_catalog(IDENTITY)
    )
    assert steps(flow)["okta_user_get"]["login"] == '"ada@acme.com"'
    assert steps(flow)["send_email"]["to"] == "okta_user_get.manager_email"


def test_a_tools_own_verb_ignore_before_a_code_is_a_step():
    # "ignore API-1A2 for 60 minutes" was dropped as something not to do
    flow = plan("ignore WEB-9Z for 2 hours", eval_catalog(MONITORING))
    assert steps(flow) == {
        "sentry_issue_ignore": {"short_id": '"WEB-9Z"', "ignore_duration": "120"}
    }


def test_assign_a_thing_to_someone_sets_the_assignee():
    # "assign WEB-3KF to nina@acme.dev" read the assignee from the issue
    flow = plan("assign API-77 to team:payments", eval_catalog(MONITORING))
    assert steps(flow) == {
        "sentry_issue_assign": {"short_id": '"API-77"', "assignee": '"team:payments"'}
    }


def test_a_code_fitting_an_inputs_pattern_picks_the_tool_that_takes_it():
    # "check issue API-1A2" classified a support message; "what's the level of WEB-3KF"
    # was refused
    flow = plan("how many users does WEB-4K2 affect?", eval_catalog(MONITORING))
    assert steps(flow) == {"sentry_issue_get": {"short_id": '"WEB-4K2"'}}
    # (a value the best tool lists is no thing's code: "a SEV-2 incident")
    flow = plan("open a SEV-2 incident 'Login errors'", eval_catalog(MONITORING))
    assert steps(flow)["datadog_incident_create"]["severity"] == '"SEV-2"'


def test_a_condition_on_a_value_shaped_like_an_inputs_example_reads_it_first():
    # "if avg:system.cpu.user{host:web-1} is above 90" compared a run input `amount`
    flow = plan(
        "if max:disk.used{host:db-2} goes over 85, post 'db-2 disk filling' to #oncall",
        eval_catalog(MONITORING),
    )
    assert steps(flow)["datadog_metric_query"]["query"] == '"max:disk.used{host:db-2}"'
    assert branch_of(flow).condition == "datadog_metric_query.value > 85.0"


def test_ask_someone_first_is_their_approval():
    # "..., but ask my manager before" was refused as a step no tool does
    flow = plan(
        "unmute monitor 5550001, but check with the SRE lead first", eval_catalog(MONITORING)
    )
    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert "datadog_monitor_unmute" in [n.id for n in flow.nodes if approval.id in (n.after or [])]
    flow = plan("ask the controller before voiding INV-0009", eval_catalog(BOOKS))
    assert any(isinstance(node, ApprovalNode) for node in flow.nodes)
    assert steps(flow)["xero_invoice_void"]["invoice_number"] == '"INV-0009"'


def test_an_addresss_words_ask_for_nothing():
    # "open a ticket for refunds@zx.io" was refused as a refund no tool gives
    flow = plan("open a ticket for payouts@zx.io about the late transfer", eval_catalog(BOOKS))
    assert steps(flow)["create_ticket"]["email"] == '"payouts@zx.io"'


def test_a_quote_after_a_word_meaning_the_tools_own_is_its_text():
    # "check the mood of 'love the new update!!'" asked the run for the text
    flow = plan("what's the tone of 'this is the third delay, unacceptable'", eval_catalog(BOOKS))
    assert steps(flow)["analyze_sentiment"]["text"] == '"this is the third delay, unacceptable"'


def test_a_thing_the_steps_own_flag_sends_is_no_message_of_its_own():
    # "reset the password for raj@... and email him the link" sent a second email
    flow = plan("reset kim@acme.com's password and send her the link.", eval_catalog(IDENTITY))
    assert steps(flow) == {"okta_password_reset": {"login": '"kim@acme.com"', "send_email": "true"}}


def test_an_example_value_picks_a_tool_only_for_a_step_that_grants():
    # ("remove lee@… from the Engineering group" must not add them, nor deactivate them)
    from tests.planner.offline_plans import refusal

    assert refusal("remove lee@acme.com from the Engineering group", eval_catalog(IDENTITY))


def test_a_state_no_ranked_tool_lists_goes_to_the_one_reader_that_does():
    # "is ben@acme.com active?" checked that the address is well formed
    flow = plan("is ben@acme.com active? if not, email it-ops@acme.com", eval_catalog(IDENTITY))
    assert steps(flow)["okta_user_get"] == {"login": '"ben@acme.com"'}
    assert branch_of(flow).condition == 'okta_user_get.status != "ACTIVE"'


def test_the_thing_a_tool_makes_said_as_a_verb_makes_it():
    # "invoice Acme Corp $2,000 due ..." read an invoice by a number asked of the run
    flow = plan("invoice Northwind Traders 4800 EUR due 2026-07-31", eval_catalog(BOOKS))
    assert steps(flow)["xero_invoice_create"]["contact_name"] == '"Northwind Traders"'
    assert steps(flow)["xero_invoice_create"]["amount"] == "4800.0"


def test_each_member_of_a_named_group_is_read_from_the_tool_that_lists_them():
    # "for each member of the Design group, suspend them" planned the group's name as a step
    flow = plan("for each member of the Finance group, suspend them", eval_catalog(IDENTITY))
    assert steps(flow)["okta_group_members_list"] == {"group": '"Finance"'}
    (loop,) = [node for node in flow.nodes if isinstance(node, MapNode)]
    assert (loop.tool, loop.items) == ("okta_user_suspend", "okta_group_members_list.members")
    assert loop.inputs["login"] == "item.login"


def test_everyone_in_a_named_group_is_each_member_and_their_address():
    # "suspend everyone in the Contractors group" suspended one user asked of the run
    flow = plan("email everyone in the Ops group that the vpn is back", eval_catalog(IDENTITY))
    assert steps(flow)["okta_group_members_list"] == {"group": '"Ops"'}
    (loop,) = [node for node in flow.nodes if isinstance(node, MapNode)]
    assert loop.tool == "send_email"
    assert loop.inputs["to"] == "item.login"


def test_a_name_in_capitals_after_the_tools_own_noun_is_its_name():
    # "find the contact Northwind Traders" asked the run for the contact's email
    flow = plan("look up the contact Blue Harbor Ltd", eval_catalog(BOOKS))
    assert steps(flow) == {"xero_contact_find": {"name": '"Blue Harbor Ltd"'}}


def test_it_is_the_one_value_written_that_fits_the_inputs_pattern():
    # "comment '...' on WEB-3KF and assign it to me": the comment's own `id` was the issue
    flow = plan(
        "comment 'on it' on API-9Q and then ignore it for 30 minutes", eval_catalog(MONITORING)
    )
    assert steps(flow)["sentry_issue_ignore"] == {"short_id": '"API-9Q"', "ignore_duration": "30"}


def test_names_in_capitals_listed_for_a_group_are_one_call_each():
    # "add lee@acme.com to Engineering and Design" added them to Engineering alone
    flow = plan("add mo@acme.com to the Finance and Legal groups", eval_catalog(IDENTITY))
    (loop,) = [node for node in flow.nodes if isinstance(node, MapNode)]
    assert (loop.tool, loop.items) == ("okta_group_add_user", '["Finance", "Legal"]')
    assert loop.inputs == {"group": "item", "login": '"mo@acme.com"'}


def test_names_listed_for_one_input_are_no_two_steps():
    # ("the Support and Legal groups": "Support" had opened a support ticket beside the adds)
    flow = plan("add mo@acme.com to the Support and Legal groups", eval_catalog(IDENTITY))
    (loop,) = [node for node in flow.nodes if isinstance(node, MapNode)]
    assert (loop.tool, loop.items) == ("okta_group_add_user", '["Support", "Legal"]')
    assert "create_ticket" not in steps(flow)
