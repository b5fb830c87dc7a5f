"""The offline planner on requests typed into a fresh install over tools an admin registered
through the API (an exchange rate, a translation, a project board's tasks, a newsletter list,
a spreadsheet's rows, a Discord post, a link shortener): each test states the request in
other words than the walkthrough's, what went wrong before its rule, and what it plans now."""

from __future__ import annotations

import json

import pytest

from flows.core.ir import MapNode
from tests.planner.offline_plans import plan, refusal
from tests.planner.registered import eval_catalog, steps

CATALOG = "registered_walkthrough_s23.json"


@pytest.fixture
def tools():
    return eval_catalog(CATALOG)


def _maps(flow) -> dict[str, MapNode]:
    return {node.tool: node for node in flow.nodes if isinstance(node, MapNode)}


@pytest.mark.django_db
def test_what_a_translation_is_sent_as_is_the_translated_text(tools):
    # it sent the translation and its detected language as two labelled lines
    flow = plan("translate 'Order shipped' to Italian, then post it in #italia", tools)

    assert steps(flow)["post_discord_message"]["content"] == "translate_text.translated_text"


@pytest.mark.django_db
def test_an_alert_or_a_warning_says_what_the_condition_found(tools):
    # "post an alert in #fx" and "send ... a warning" asked the run for the message
    for request in (
        "if the GBP to USD rate goes above 1.40 post an alert to #treasury",
        "check the USD to CHF rate and send cfo@acme.io a warning if it's under 0.80",
    ):
        flow = plan(request, tools)
        assert "content" not in flow.input_schema.get("properties", {}), request
        assert "body" not in flow.input_schema.get("properties", {}), request
        sent = steps(flow).get("post_discord_message") or steps(flow)["send_email"]
        said = sent.get("content") or sent["body"]
        assert "get_exchange_rate.rate" in said, request


@pytest.mark.django_db
def test_a_row_added_to_a_sheet_has_the_cells_the_step_lists(tools):
    # "add a row to the ... sheet" was refused (the newsletter tool says "Add"), and the
    # cells were asked of the run
    for request, cells in {
        "add a row to the Mileage sheet with Leeds, York and 42": ["Leeds", "York", "42"],
        "add Coffee, 3.20 to the Expenses sheet": ["Coffee", "3.20"],
        "append a row to the sheet Travel: train, 58.90": ["train", "58.90"],
    }.items():
        flow = plan(request, tools)
        assert json.loads(steps(flow)["append_sheet_row"]["values"]) == cells, request


@pytest.mark.django_db
def test_cells_the_run_knows_are_not_written_nor_a_step_of_their_own(tools):
    # "... and today's date" was planned as a task, as if it were a step
    flow = plan("add a row to the Visits sheet with ann@x.io and today's date", tools)

    assert [node.tool for node in flow.nodes] == ["append_sheet_row"]
    assert steps(flow)["append_sheet_row"]["values"] == "input.values"


@pytest.mark.django_db
def test_a_task_for_someone_to_do_something_is_titled_and_assigned(tools):
    # the title was asked of the run and "for maria" dropped; "to hedge" was cut as a
    # purpose; "to call her" was refused as a phone call; "and assign it to priya" was
    # refused as a step no tool does
    for request, title, assignee in (
        ("create a task for omar to update the pricing page by 2027-01-10",
         "Update the pricing page", "omar"),
        ("add a task for legal to review the NDA", "Review the NDA", "legal"),
        ("create a task to call the landlord", "Call the landlord", None),
        ("create a task titled 'Book venue' and assign it to priya", "Book venue", "priya"),
        ("create a task called Water the plants and assign it to li", "Water the plants", "li"),
    ):  # fmt: skip
        flow = plan(request, tools)
        task = steps(flow)["create_task"]
        assert task["title"] == json.dumps(title), request
        assert task.get("assignee") == (json.dumps(assignee) if assignee else None), request


@pytest.mark.django_db
def test_no_one_is_assigned_a_day_or_a_pronoun(tools):
    flow = plan("create a task for tomorrow to renew the domain", tools)

    assert "assignee" not in steps(flow)["create_task"]


@pytest.mark.django_db
def test_links_listed_are_one_call_each_and_each_result_is_what_is_sent(tools):
    # "shorten https://a... and https://b..." shortened the first alone; "for each link,
    # shorten it and post it" posted the long links
    both = plan("shorten https://x.io/one and https://x.io/two", tools)
    each = plan("for each of https://x.io/1, https://x.io/2: shorten it and post it to #l", tools)

    assert _maps(both)["shorten_url"].items == '["https://x.io/one", "https://x.io/two"]'
    post = _maps(each)["post_discord_message"]
    assert (post.items, post.inputs["content"]) == ("shorten_url", "item.short_url")


@pytest.mark.django_db
def test_what_a_loop_made_named_in_the_plural_is_sent_in_one_message(tools):
    # "email the translations" after a loop asked the run for the body; "post them" posted
    # each result as a raw map
    emailed = plan("translate 'thanks' into Dutch and Polish and email the translations to a@b.co",
                   tools)  # fmt: skip
    posted = plan("translate 'thanks' into Dutch and Polish and post them to #intl", tools)

    body = steps(emailed)["send_email"]["body"]
    assert "translate_text[i].translated_text" in body
    assert "detected_language" not in body
    assert _maps(posted)["post_discord_message"].inputs["content"] == "item.translated_text"


@pytest.mark.django_db
def test_a_tool_that_is_not_there_is_still_refused(tools):
    error = refusal("shorten https://acme.io/launch and tweet it", tools)

    assert error.code == "unmapped_step"


@pytest.mark.django_db
def test_a_rate_named_by_its_pair_of_codes_is_looked_up_and_sent(tools):
    # "post the EUR to USD rate to #fx" asked the run for the message; "USD/JPY" was no
    # pair; the subject of "email ... the USD to JPY rate" was "USD"
    posted = plan("post the GBP to EUR rate in #fx", tools)
    emailed = plan("email cfo@acme.io the CHF/USD rate", tools)

    for flow, base, quote in ((posted, "GBP", "EUR"), (emailed, "CHF", "USD")):
        looked_up = steps(flow)["get_exchange_rate"]
        assert (looked_up["base"], looked_up["quote"]) == (json.dumps(base), json.dumps(quote))
    assert "get_exchange_rate.rate" in steps(posted)["post_discord_message"]["content"]
    assert steps(emailed)["send_email"]["subject"] == json.dumps("CHF-USD rate")


@pytest.mark.django_db
def test_a_task_made_with_what_a_step_found_is_titled_with_it(tools):
    # the title was asked of the run: the task has no description to carry it in
    summarized = plan("summarize the meeting notes, then create a task with the summary", tools)
    translated = plan("translate the ticket text into English and add a task with the translation",
                      tools)  # fmt: skip

    assert steps(summarized)["create_task"]["title"] == "summarize_text.summary"
    assert steps(translated)["create_task"]["title"] == "translate_text.translated_text"


@pytest.mark.django_db
def test_a_number_between_two_bounds_is_within_both(tools):
    # "between 1.05 and 1.10" was refused, or read as "at least 1.05" alone
    looked_up = plan("if the USD to CAD rate is between 1.30 and 1.40, post it in #fx", tools)
    given = plan("if the amount is between 50 and 75, validate the order", tools)

    conditions = [n.condition for f in (looked_up, given) for n in f.nodes if n.type == "branch"]
    assert conditions == [
        "get_exchange_rate.rate >= 1.3 && get_exchange_rate.rate <= 1.4",
        "input.amount >= 50.0 && input.amount <= 75.0",
    ]


@pytest.mark.django_db
def test_a_value_the_step_before_was_given_is_what_is_sent(tools):
    # "post their email in #signups" asked the run for the message
    flow = plan("subscribe lee@x.io to the newsletter, then post the email to #signups", tools)

    assert steps(flow)["post_discord_message"]["content"] == json.dumps("lee@x.io")


@pytest.mark.django_db
def test_two_pairs_of_codes_listed_are_a_lookup_each(tools):
    # the second pair was dropped
    flow = plan("check the EUR/CHF and EUR/SEK rates and post both to #fx", tools)

    pairs = [
        (node.inputs["base"], node.inputs["quote"])
        for node in flow.nodes
        if getattr(node, "tool", None) == "get_exchange_rate"
    ]
    assert pairs == [('"EUR"', '"CHF"'), ('"EUR"', '"SEK"')]


@pytest.mark.django_db
def test_a_branch_on_a_step_failing_is_refused_saying_why(tools):
    # it was refused as if no step came before the condition
    error = refusal("translate 'hi' into Welsh and if that fails, post in #i18n", tools)

    assert error.details["reason"] == "branch_on_failure"
    assert "retry" in error.message
