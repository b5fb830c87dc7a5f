"""The offline planner on requests written the way people type them: typos, numbers with
separators, asides, things not to do, compound conditions, deadlines, loops that end,
capabilities the catalogue lacks. Over the fixture catalogue (specs only, no Django)."""

from __future__ import annotations

from typing import Any

import pytest

from flows.core import events as ev
from flows.core.events import ListSink
from flows.core.graph import build_graph
from flows.core.ir import ApprovalNode, BranchNode, MapNode, ToolNode
from flows.core.planner.evaluation import check_run
from flows.core.planner.offline import OfflinePlanner
from flows.core.planner.session import plan_flow
from flows.core.tools import InMemoryCatalog, ToolConfig, ToolSpec
from flows.core.validate import validate_flow
from tests.planner.tools import SPECS, fixture_catalog


def plan(prompt, catalog):
    result = plan_flow(prompt, planner=OfflinePlanner(), catalog=catalog)
    assert result.ok, result.error and result.error.to_json()
    assert validate_flow(result.flow, catalog) == []
    return result


def refusal(prompt, catalog):
    result = plan_flow(prompt, planner=OfflinePlanner(), catalog=catalog)
    assert not result.ok
    return result.error


def tools(flow):
    return [node.tool for node in flow.nodes if isinstance(node, ToolNode | MapNode)]


def ancestors(flow, node_id):
    return build_graph(flow).ancestors(node_id)


def test_typos_are_read_as_the_words_they_miss(catalog):
    flow = plan("verfy the adress, then sned an emial", catalog).flow

    assert tools(flow) == ["verify_address", "send_email"]


@pytest.mark.parametrize(
    ("prompt", "phrase"),
    [
        ("Verify the address and send a WhatsApp message to the customer.", "WhatsApp"),
        ("Verify the address, then post the result to our Slack channel.", "Slack"),
        ("Score the mood of the text and translate it into French.", "translate"),
        ("Find the customer and fax them the invoice.", "fax"),
        ("Find the customer and flag the account.", "flag"),
        ("Verify the address and reject the signup.", "reject"),
        ("Refund the order and assign it to John.", "assign"),
        ("Score the mood of the text and email it to the customer in Spanish.", "Spanish"),
        ("Score the mood of the text; if it's angry, page the on-call team.", "page"),
        ("Find the customer, then add them to our mailing list.", "mailing list"),
    ],
)
def test_a_step_no_tool_can_do_is_refused_naming_its_phrase(catalog, prompt, phrase):
    error = refusal(prompt, catalog)

    assert error.code == "unmapped_step"
    assert phrase.lower() in error.step.lower()
    assert phrase.lower() in error.message.lower()


def test_a_channel_the_catalogue_has_is_used_not_refused(catalog):
    flow = plan("Verify the address, then text the customer that it works.", catalog).flow

    assert tools(flow) == ["verify_address", "send_sms"]


def test_thousands_separators_and_currency_are_one_number(catalog):
    flow = plan("Refund the order if the amount is over $10,000.", catalog).flow

    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == "input.amount > 10000.0"


def test_or_in_a_condition_becomes_a_disjunction_on_the_tools_output(catalog):
    flow = plan("Score the mood of the text; if it is angry or neutral, send an SMS.", catalog)
    branch = next(node for node in flow.flow.nodes if isinstance(node, BranchNode))

    assert branch.condition == '(score_mood.mood == "angry") || (score_mood.mood == "neutral")'
    assert "mood" not in (flow.flow.input_schema.get("properties") or {})


def test_an_approval_deadline_and_what_happens_then(catalog):
    flow = plan(
        "Get manager approval within 48 hours (if nobody answers, approve it "
        "automatically), then refund the order.",
        catalog,
    ).flow

    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert (approval.timeout_s, approval.on_timeout) == (172800, "approve")
    assert approval.assignees.groups == ["managers"]
    assert approval.id in ancestors(flow, "refund_order")


def test_context_sentences_and_things_not_to_do_add_no_step(catalog):
    flow = plan(
        "We get a lot of fake signups, so this matters. Verify the address and send an "
        "email. Don't send an SMS. Thanks!",
        catalog,
    ).flow

    assert tools(flow) == ["verify_address", "send_email"]


def test_a_loop_ends_where_the_request_says_once(catalog):
    flow = plan("For each URL, download the page, then send one email to the team.", catalog)

    download, send = flow.flow.nodes
    assert isinstance(download, MapNode)
    assert isinstance(send, ToolNode)


def test_a_side_effect_named_again_in_a_condition_is_planned_once(catalog):
    flow = plan(
        "Refund the order, and once the order is refunded, send an email to the customer.",
        catalog,
    ).flow

    assert tools(flow).count("refund_order") == 1


def test_a_condition_nothing_can_decide_is_refused_not_invented(catalog):
    error = refusal("Send an email if the customer is a VIP.", catalog)

    assert error.code == "unmapped_condition"
    assert "VIP" in error.step


def test_a_value_the_request_sends_becomes_a_run_input_field(catalog):
    flow = plan(
        "Send an email if the customer is a VIP (this comes with the request).", catalog
    ).flow

    flags = {
        name: field
        for name, field in flow.input_schema["properties"].items()
        if field.get("type") == "boolean"
    }
    assert len(flags) == 1


def test_meanwhile_runs_beside_the_step_before(catalog):
    flow = plan("Verify the address. Meanwhile, find the customer. Then send an email.", catalog)

    graph = build_graph(flow.flow)
    assert "verify_address" not in graph.ancestors("find_customer")
    assert "find_customer" not in graph.ancestors("verify_address")
    assert {"verify_address", "find_customer"} <= graph.ancestors("send_email")


def test_a_sentence_ending_in_first_goes_first(catalog):
    flow = plan("Send an email to the customer. Verify the address first.", catalog).flow

    assert "verify_address" in ancestors(flow, "send_email")


def test_each_node_carries_the_phrase_it_came_from(catalog):
    sink = ListSink()
    result = plan_flow(
        "Verify the address; if it is ok, send an SMS.",
        planner=OfflinePlanner(),
        catalog=catalog,
        sink=sink,
    )

    assert result.sources["verify_address"] == "Verify the address"
    assert result.sources["send_sms"] == "send an SMS"
    branch = next(node for node in result.flow.nodes if isinstance(node, BranchNode))
    assert "it is ok" in result.sources[branch.id]
    validated = next(event for event in sink.events if event.type == ev.PLAN_VALIDATED)
    assert validated.data["sources"] == result.sources
    assert result.to_json()["sources"] == result.sources


def test_a_condition_inside_an_arm_nests(catalog):
    flow = plan(
        "Find the customer. If they are not found, verify the address and, if it is ok, "
        "send an SMS.",
        catalog,
    ).flow

    outer, inner = [node for node in flow.nodes if isinstance(node, BranchNode)]
    assert outer.condition == "!find_customer.found"
    assert inner.condition == "verify_address.ok"
    assert inner.id in outer.then
    assert inner.then == ["send_sms"]


def test_a_url_in_the_prompt_is_fetched_and_read(catalog):
    flow = plan("Score the mood of this page: https://example.com/review", catalog).flow

    download, score = flow.nodes
    assert (download.tool, download.inputs["url"]) == (
        "download_page",
        '"https://example.com/review"',
    )
    assert score.tool == "score_mood"
    assert score.inputs["text"] == "download_page.content"


def test_how_many_approvers_becomes_the_quorum(catalog):
    flow = plan("Get approval from two managers, then refund the order.", catalog).flow

    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert (approval.assignees.groups, approval.quorum) == (["managers"], 2)


def test_a_step_asking_a_person_for_information_is_refused(catalog):
    error = refusal("Ask the customer for their address, then send an email.", catalog)

    assert error.code == "unmapped_step"
    assert "ask the customer" in error.step.lower()


def test_one_verb_with_two_objects_is_two_steps(catalog):
    flow = plan("Find the customer and the web page.", catalog).flow

    assert tools(flow) == ["find_customer", "download_page"]


def test_an_amount_in_the_step_is_the_input(catalog):
    flow = plan("Refund $19.99 on the order.", catalog).flow

    assert flow.node("refund_order").inputs["amount"] == "19.99"


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        (
            "Verify the address, make sure the customer exists, then send an email.",
            ["verify_address", "find_customer", "send_email"],
        ),
        (
            "Find the customer, ensure the address is valid, then send an email.",
            ["find_customer", "verify_address", "send_email"],
        ),
    ],
)
def test_make_sure_and_ensure_start_a_step_of_their_own(catalog, prompt, expected):
    # not read as more words of the step before the comma
    flow = plan(prompt, catalog).flow

    assert tools(flow) == expected


def test_each_email_address_loops_over_emails_and_leaves_no_step_behind(catalog):
    flow = plan("For each email address in the list, send an email.", catalog).flow

    maps = [node for node in flow.nodes if isinstance(node, MapNode)]
    assert [node.tool for node in flow.nodes if isinstance(node, ToolNode | MapNode)] == [
        "send_email"
    ]
    assert len(maps) == 1


@pytest.mark.parametrize(
    "prompt",
    [
        "Read the customer's message and score its mood.",
        "Take the support message, then score its mood.",
    ],
)
def test_a_step_that_only_reads_the_request_is_no_step(catalog, prompt):
    # the message is the run's input: not a lookup of some customer
    flow = plan(prompt, catalog).flow

    assert tools(flow) == ["score_mood"]


def _with(*extra: ToolSpec) -> InMemoryCatalog:
    """The fixture catalogue and `extra` tools."""
    return fixture_catalog([*SPECS, *extra])


def _text_tool(tool_id: str, description: str, output: str, **config: Any) -> ToolSpec:
    return ToolSpec(
        id=tool_id,
        name=tool_id.replace("_", " ").capitalize(),
        description=description,
        input_schema={"type": "object", "properties": {"text": {"type": "string"}}},
        output_schema={"type": "object", "properties": {output: {"type": "string"}}},
        config=ToolConfig(**config),
    )


def test_reading_is_a_step_when_a_tool_does_it():
    reader = _text_tool("read_message", "Read the next message from the support inbox.", "text")

    flow = plan("Read the message and score its mood.", _with(reader)).flow

    assert tools(flow) == ["read_message", "score_mood"]


SUMMARIZER = _text_tool(
    "summarize_text", "Summarise a text in a few sentences.", "summary", cacheable=True
)


@pytest.mark.parametrize(
    "prompt",
    [
        "Email me a summary of the text.",
        "Email me a short summary of the text.",
        "Give me a summary of the text by email.",
    ],
)
def test_a_summary_to_send_is_made_first(prompt):
    flow = plan(prompt, _with(SUMMARIZER)).flow

    assert tools(flow) == ["summarize_text", "send_email"]
    send = next(n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == "send_email")
    assert "summarize_text.summary" in send.inputs.values()


def test_what_sends_a_word_of_another_noun_makes_nothing_first():
    flow = plan("Email the customer their account summary.", _with(SUMMARIZER)).flow

    assert tools(flow) == ["send_email"]


def test_a_tool_that_changes_something_is_not_added_to_make_what_is_sent():
    summarizer = _text_tool("summarize_text", "Summarise a text.", "summary")  # not cacheable

    flow = plan("Email me a summary of the text.", _with(summarizer)).flow

    assert tools(flow) == ["send_email"]


def test_by_email_after_a_lookup_is_how_to_find_not_how_to_send(catalog):
    flow = plan("Find the customer by email.", catalog).flow

    assert tools(flow) == ["find_customer"]


def _cacheable(*tool_ids: str) -> InMemoryCatalog:
    """The fixture catalogue with `tool_ids` marked as changing nothing."""
    from dataclasses import replace

    return fixture_catalog(
        [
            replace(spec, config=ToolConfig(cacheable=True)) if spec.id in tool_ids else spec
            for spec in SPECS
        ]
    )


def test_a_condition_nothing_upstream_decides_gets_the_tool_that_tells(catalog):
    # "if the mood is angry": nothing before it scores the mood, a tool that changes
    # nothing does, so it runs first and the branch reads it
    flow = plan("If the mood of the text is angry, send an email.", _cacheable("score_mood")).flow

    assert tools(flow) == ["score_mood", "send_email"]
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert "score_mood.mood" in branch.condition
    assert "angry" in branch.condition
    # its verb says it only looks, so a check that is not cached is added the same way
    # (stock or a score can change by the minute)
    fresh = plan("If the mood of the text is angry, send an email.", catalog).flow
    assert tools(fresh) == ["score_mood", "send_email"]
    # a tool that changes something is never added so: the condition is refused
    from dataclasses import replace

    logging = [
        replace(s, id="record_mood", name="Record mood") if s.id == "score_mood" else s
        for s in SPECS
    ]
    error = refusal("If the mood of the text is angry, send an email.", fixture_catalog(logging))
    assert error.code == "unmapped_condition"


def test_a_tool_is_not_added_to_compare_a_field_with_words_of_the_condition():
    # find_customer's email compared with "invalid" says nothing of validity, and no
    # tool's output says whether an address is valid: refused, not planned on a lookup
    prompt = "If the customer's email is invalid, send an SMS; otherwise send an email."
    error = refusal(prompt, _cacheable("find_customer", "verify_address"))

    assert error.code == "unmapped_condition"


def test_a_word_that_is_a_noun_here_does_not_start_a_step(catalog):
    # "request" starts a step only with an object of its own ("request a refund")
    prompt = "Whenever a support request comes in, score its mood and send an email."
    flow = plan(prompt, catalog).flow

    assert tools(flow) == ["score_mood", "send_email"]


def test_if_they_reject_it_reads_the_approval(catalog):
    prompt = "Verify the address, then have a manager approve it; if they reject it, send an SMS."
    flow = plan(prompt, catalog).flow

    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert branch.condition == f"!{approval.id}.approved"
    sms = next(n for n in flow.nodes if isinstance(n, ToolNode) and n.tool == "send_sms")
    assert branch.then == [sms.id]


def test_a_rejection_is_never_a_tools_yes_or_no(catalog):
    # only an approval is rejected: verify_address's `ok` does not say so
    error = refusal("Verify the address; if it is rejected, send an SMS.", catalog)

    assert error.code == "unmapped_condition"


@pytest.mark.parametrize(
    "prompt",
    [
        "Score the mood of the text. If it is angry, stop. Verify the address, then send an email.",
        "Score the mood of the text; if it is angry, abort. Then verify the address and send "
        "an email.",
    ],
)
def test_if_it_holds_stop_gates_every_step_after_it(catalog, prompt):
    # the steps after "stop" run only when the condition does not hold, across sentences
    flow = plan(prompt, catalog).flow
    specs = {spec.id: spec for spec in catalog.specs()}
    after_stop = ["verify_address", "send_email"]

    angry = {"name": "angry", "outputs": {"score_mood": {"mood": "angry"}}, "not_ran": after_stop}
    happy = {"name": "happy", "outputs": {"score_mood": {"mood": "happy"}}, "ran": after_stop}
    assert check_run(flow, angry, specs) == []
    assert check_run(flow, happy, specs) == []


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        # the mood is what the step is about, not the customer it belongs to
        ("Check the customer's mood, then send an email.", ["score_mood", "send_email"]),
        # where nothing maps without the possessor, it counts as before
        ("Get the customer's record, then send an email.", ["find_customer", "send_email"]),
    ],
)
def test_a_possessor_gives_way_to_what_it_owns(catalog, prompt, expected):
    flow = plan(prompt, catalog).flow

    assert tools(flow) == expected


@pytest.mark.parametrize(
    "prompt",
    [
        "Verify the address and wait for a manager to approve it, then send an email.",
        "Verify the address, wait for a manager's approval, then send an email.",
    ],
)
def test_waiting_for_approval_of_a_step_comes_after_it(catalog, prompt):
    flow = plan(prompt, catalog).flow

    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert "verify_address" in ancestors(flow, approval.id)
    assert approval.id in ancestors(flow, "send_email")


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        # "email" here is the thing checked, not a verb asking to send one
        (
            "Make sure the email address is deliverable, then send an email.",
            ["verify_address", "send_email"],
        ),
        ("Email the customer.", ["send_email"]),
    ],
)
def test_a_message_word_asks_to_send_only_when_it_leads_the_step(catalog, prompt, expected):
    flow = plan(prompt, catalog).flow

    assert tools(flow) == expected


@pytest.mark.parametrize(
    "prompt",
    [
        "Check if the customer exists; if not, send an email.",
        "Check whether the customer exists. Otherwise send an email.",
    ],
)
def test_if_not_after_a_check_reads_the_check_negated(catalog, prompt):
    flow = plan(prompt, catalog).flow

    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == "!find_customer.found"
    assert branch.then == ["send_email"]


@pytest.mark.parametrize(
    "prompt",
    [
        "Verify the address, handle the mood scoring, then send an email.",
        "Verify the address, do the mood scoring and send an email.",
        "Verify the address, take the text's mood and send an email.",
    ],
)
def test_a_step_led_by_a_plain_verb_after_a_comma_is_not_dropped(catalog, prompt):
    flow = plan(prompt, catalog).flow

    assert tools(flow) == ["verify_address", "score_mood", "send_email"]


def test_a_title_before_a_colon_is_not_a_step(catalog):
    prompt = "Mood report: download the page at https://example.com, then score it."
    flow = plan(prompt, catalog).flow

    assert tools(flow) == ["download_page", "score_mood"]


def test_a_title_before_a_colon_says_what_it_is(catalog):
    flow = plan("The customer: check it, then send an email.", catalog).flow

    assert tools(flow) == ["find_customer", "send_email"]


@pytest.mark.parametrize(
    "prompt",
    [
        "Find out how the customer feels, then send an email.",
        "Work out whether the customer is happy or angry, then send an email.",
    ],
)
def test_a_question_about_someone_asks_for_the_quality_it_names(catalog, prompt):
    # how the customer feels is their mood, not a lookup of the customer
    flow = plan(prompt, catalog).flow

    assert tools(flow) == ["score_mood", "send_email"]


def test_what_a_message_is_about_is_its_topic():
    topics = ToolSpec(
        id="label_text",
        name="Label text",
        description="Put a text in a category.",
        input_schema={"type": "object", "properties": {"text": {"type": "string"}}},
        output_schema={"type": "object", "properties": {"category": {"type": "string"}}},
    )

    flow = plan("Figure out what the message is about, then send an email.", _with(topics)).flow

    assert tools(flow) == ["label_text", "send_email"]


def test_a_feeling_reads_the_sentiment_it_is():
    sentiment = ToolSpec(
        id="rate_mood",
        name="Rate mood",
        description="Rate the sentiment of a text: does it sound happy or upset?",
        input_schema={"type": "object", "properties": {"text": {"type": "string"}}},
        output_schema={
            "type": "object",
            "properties": {"sentiment": {"type": "string", "enum": ["positive", "negative"]}},
        },
        config=ToolConfig(cacheable=True),
    )

    flow = plan("If the customer is upset, send an email.", _with(sentiment)).flow

    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == 'rate_mood.sentiment == "negative"'
    assert tools(flow) == ["rate_mood", "send_email"]


def test_a_check_asked_for_again_right_after_it_is_the_same_step(catalog):
    flow = plan("Score the mood of the text and check its tone, then send an email.", catalog).flow

    assert tools(flow) == ["score_mood", "send_email"]


def test_a_condition_naming_a_checks_output_field_plans_that_check_first():
    checker = ToolSpec(
        id="inspect_contact",
        name="Inspect contact",
        description="Look into a contact's details.",
        input_schema={"type": "object", "properties": {"email": {"type": "string"}}},
        output_schema={"type": "object", "properties": {"disposable": {"type": "boolean"}}},
        config=ToolConfig(cacheable=True),
    )

    flow = plan("Send an email unless the address is disposable.", _with(checker)).flow

    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == "!inspect_contact.disposable"
    assert tools(flow) == ["inspect_contact", "send_email"]


def test_an_address_written_in_the_step_is_its_recipient(catalog):
    flow = plan("Verify the address, then send an email to ops@example.com.", catalog).flow

    verify, send = (node for node in flow.nodes if isinstance(node, ToolNode))
    assert send.inputs["to"] == '"ops@example.com"'
    assert verify.inputs["email"] == "input.email"


def test_a_count_before_a_word_of_an_inputs_name_is_that_input():
    summarizer = ToolSpec(
        id="shorten_text",
        name="Shorten text",
        description="Shorten a text.",
        input_schema={
            "type": "object",
            "properties": {"text": {"type": "string"}, "max_sentences": {"type": "integer"}},
        },
        output_schema={"type": "object", "properties": {"summary": {"type": "string"}}},
    )

    flow = plan("Shorten the text to 3 sentences.", _with(summarizer)).flow

    assert flow.nodes[0].inputs["max_sentences"] == "3"


def test_an_optional_inputs_enum_value_named_in_the_step_is_a_literal():
    shipper = ToolSpec(
        id="ship_parcel",
        name="Ship parcel",
        description="Ship a parcel.",
        input_schema={
            "type": "object",
            "properties": {
                "address": {"type": "string"},
                "carrier": {
                    "anyOf": [{"type": "string", "enum": ["ups", "dhl"]}, {"type": "null"}]
                },
            },
            "required": ["address"],
        },
        output_schema={"type": "object", "properties": {"tracking": {"type": "string"}}},
    )

    flow = plan("Ship the parcel with DHL.", _with(shipper)).flow

    assert flow.nodes[0].inputs["carrier"] == '"dhl"'


def test_a_condition_that_cannot_hold_in_the_arm_before_it_is_a_branch_beside_it(catalog):
    prompt = "Score the mood of the text; if it's angry, send an email, if it's happy, send an SMS."
    flow = plan(prompt, catalog).flow

    angry, happy = (node for node in flow.nodes if isinstance(node, BranchNode))
    assert angry.condition == 'score_mood.mood == "angry"'
    assert happy.condition == 'score_mood.mood == "happy"'
    assert happy.id not in angry.then
    assert "send_sms" in happy.then


def test_a_step_before_a_colon_and_a_condition_on_its_outcome(catalog):
    flow = plan("Score the mood of the text: if it's angry, send an email.", catalog).flow

    score, send = (node for node in flow.nodes if isinstance(node, ToolNode))
    assert (score.tool, score.when) == ("score_mood", None)
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == 'score_mood.mood == "angry"'
    assert branch.then == [send.id]


@pytest.mark.parametrize(
    ("prompt", "field"),
    [
        ("Find the customer, then email the admin.", "admin_email"),
        ("Find the customer and email the support team about them.", "support_team_email"),
        ("Find the customer and send the manager an email with the result.", "manager_email"),
        ("Find the customer and notify finance by email.", "finance_email"),
        ("Find the customer, then send an email to me.", "my_email"),
    ],
)
def test_a_message_to_someone_other_than_the_subject_goes_to_their_own_address(
    catalog, prompt, field
):
    flow = plan(prompt, catalog).flow

    send = next(node for node in flow.nodes if getattr(node, "tool", None) == "send_email")
    assert send.inputs["to"] == f"input.{field}"
    assert flow.input_schema["properties"][field]["description"]
    assert field in flow.input_schema["required"]


def test_a_message_to_the_subject_goes_to_the_subjects_address(catalog):
    flow = plan("Find the customer, then email the customer.", catalog).flow

    send = next(node for node in flow.nodes if getattr(node, "tool", None) == "send_email")
    assert send.inputs["to"].startswith("find_customer.")


def test_an_approval_asks_for_no_form_fields_beside_the_pages_own_comment(catalog):
    flow = plan("Refund the order after a manager approves it.", catalog).flow

    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert approval.form_schema == {"type": "object", "properties": {}}


def test_an_upstream_output_the_step_names_feeds_the_input_of_its_type():
    pricer = ToolSpec(
        id="price_order",
        name="Price order",
        description="Price an order: its amount, fees and total.",
        input_schema={"type": "object", "properties": {"order_id": {"type": "string"}}},
        output_schema={
            "type": "object",
            "properties": {
                "amount": {"type": "number"},
                "fees": {"type": "number"},
                "total": {"type": "number"},
            },
        },
    )

    flow = plan("Price the order, then refund the total.", _with(pricer)).flow

    refund = next(node for node in flow.nodes if getattr(node, "tool", None) == "refund_order")
    assert refund.inputs["amount"] == "price_order.total"


def test_a_step_where_the_lookup_found_nothing_reads_the_run_input(catalog):
    prompt = "Find the customer; if they don't exist, verify the address, otherwise verify it."
    flow = plan(prompt, catalog).flow

    missing, found = [node for node in flow.nodes if isinstance(node, ToolNode)][1:]
    assert missing.inputs["email"] == "input.email"
    assert found.inputs["email"] == "find_customer.customer.email"


@pytest.mark.parametrize(
    ("condition", "expression"),
    [
        ("if the status code is not 200", "ping_site.status_code != 200"),
        ("if the status code is 404", "ping_site.status_code == 404"),
        ("if the status code isn't 200", "ping_site.status_code != 200"),
    ],
)
def test_a_number_an_output_field_is_or_is_not_is_compared_with_it(condition, expression):
    pinger = ToolSpec(
        id="ping_site",
        name="Ping site",
        description="Request a site and report its HTTP status code.",
        input_schema={"type": "object", "properties": {"url": {"type": "string"}}},
        output_schema={"type": "object", "properties": {"status_code": {"type": "integer"}}},
    )

    flow = plan(f"Ping the site; {condition}, send an email.", _with(pinger)).flow

    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == expression


def test_what_a_loop_step_made_named_in_the_singular_is_looped_over_too(catalog):
    flow = plan("Download each page in the list and score the mood of the content.", catalog).flow

    download, score = flow.nodes
    assert isinstance(score, MapNode)
    assert score.items == download.id


def test_let_someone_know_after_emailing_the_customer_is_a_second_message():
    email_only = fixture_catalog([spec for spec in SPECS if spec.id != "send_sms"])
    flow = plan("Find the customer, email them and let the sales team know.", email_only).flow

    first, second = (node for node in flow.nodes if getattr(node, "tool", None) == "send_email")
    assert first.inputs["to"] == "find_customer.customer.email"
    assert second.inputs["to"] == "input.sales_team_email"


def test_alert_someone_by_email_sends_them_an_email(catalog):
    flow = plan("Score the mood of the text and alert the on-call engineer by email.", catalog).flow

    assert tools(flow) == ["score_mood", "send_email"]
    assert flow.nodes[1].inputs["to"] == "input.on_call_engineer_email"


def test_a_named_output_feeds_only_an_input_whose_name_is_like_its_own(catalog):
    flow = plan("Download the page at the URL and score the mood of the page.", catalog).flow

    download, score = flow.nodes
    assert score.inputs["text"] == f"{download.id}.content"


@pytest.mark.parametrize("lead", ["Every time", "Each time", "As soon as"])
def test_a_trigger_before_the_steps_is_not_a_step(catalog, lead):
    flow = plan(f"{lead} a customer writes in, score the mood of the text.", catalog).flow

    assert tools(flow) == ["score_mood"]


def test_a_loop_over_only_the_items_a_step_judged_one_way_is_refused(catalog):
    error = refusal("Score the mood of each text and send an email for every angry one.", catalog)

    assert error.code == "unmapped_step"
    assert "angry" in error.details["phrase"]


def test_for_every_new_item_is_the_trigger_not_a_loop_or_a_step(catalog):
    flow = plan("For every new customer, find the customer and send an email.", catalog).flow

    assert tools(flow) == ["find_customer", "send_email"]
    assert not any(isinstance(node, MapNode) for node in flow.nodes)


def test_a_failure_reads_only_a_yes_no_field_that_says_how_the_step_went():
    fetcher = ToolSpec(
        id="get_page",
        name="Get page",
        description="Get a web page.",
        input_schema={"type": "object", "properties": {"url": {"type": "string"}}},
        output_schema={
            "type": "object",
            "properties": {"text": {"type": "string"}, "truncated": {"type": "boolean"}},
        },
    )

    error = refusal("Get the page; if it fails, send an email.", _with(fetcher))

    assert error.code == "unmapped_condition"


def test_a_message_to_the_customer_no_step_knows_goes_to_an_input_named_after_them(catalog):
    flow = plan("Score the mood of the text, then email the customer.", catalog).flow

    send = next(node for node in flow.nodes if getattr(node, "tool", None) == "send_email")
    assert send.inputs["to"] == "input.customer_email"
    assert "customer" in flow.input_schema["properties"]["customer_email"]["description"]


def test_not_in_our_system_reads_whether_the_lookup_found_them(catalog):
    flow = plan("Find the customer; if they're not in our system, send an email.", catalog).flow

    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == "!find_customer.found"


def test_a_step_after_tell_someone_in_an_arm_stays_in_the_arm(catalog):
    prompt = "Score the mood of the text; if it's angry, tell the customer and send an SMS."
    flow = plan(prompt, catalog).flow

    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    sms = next(node for node in flow.nodes if getattr(node, "tool", None) == "send_sms")
    assert branch.id in ancestors(flow, sms.id)
    assert not any(node.type == "value" for node in flow.nodes)


def test_a_second_recipient_is_copied_when_the_tool_takes_copies():
    mailer = ToolSpec(
        id="send_mail",
        name="Send mail",
        description="Send an email.",
        input_schema={
            "type": "object",
            "properties": {
                "to": {"type": "string"},
                "body": {"type": "string"},
                "cc": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["to", "body"],
        },
        output_schema={"type": "object", "properties": {"id": {"type": "string"}}},
    )

    flow = plan("Send mail to the admin and the manager.", fixture_catalog([mailer])).flow

    assert flow.nodes[0].inputs["to"] == "input.admin_email"
    assert flow.nodes[0].inputs["cc"] == "[input.manager_email]"


def test_dont_do_anything_in_an_arm_is_no_step(catalog):
    flow = plan("Verify the address and if it's disposable, don't send anything.", catalog).flow

    assert tools(flow) == ["verify_address"]


def test_a_subscriber_named_as_a_noun_is_not_a_request_to_subscribe(catalog):
    flow = plan("Send an email to the new subscriber.", catalog).flow

    assert tools(flow) == ["send_email"]


def test_a_side_effect_named_again_toward_a_team_is_the_same_step():
    ticketing = ToolSpec(
        id="open_ticket",
        name="Open ticket",
        description="Open a support ticket.",
        input_schema={"type": "object", "properties": {"subject": {"type": "string"}}},
        output_schema={"type": "object", "properties": {"ticket_id": {"type": "string"}}},
    )

    flow = plan("Open a ticket. Send it to the support team.", _with(ticketing)).flow

    assert tools(flow).count("open_ticket") <= 1


def test_a_condition_on_an_address_field_is_not_a_word_equal_to_it(catalog):
    error = refusal("Find the customer; send an SMS if their email is glowing.", catalog)

    assert error.code == "unmapped_condition"


def test_two_addresses_written_in_the_step_are_the_recipient_and_a_copy():
    mailer = ToolSpec(
        id="send_mail",
        name="Send mail",
        description="Send an email.",
        input_schema={
            "type": "object",
            "properties": {
                "to": {"type": "string"},
                "cc": {"type": "array", "items": {"type": "string"}},
            },
            "required": ["to"],
        },
        output_schema={"type": "object", "properties": {"id": {"type": "string"}}},
    )

    flow = plan("Send mail to a@example.com and b@example.com.", fixture_catalog([mailer])).flow

    assert flow.nodes[0].inputs == {"to": '"a@example.com"', "cc": '["b@example.com"]'}


def test_a_step_before_a_bare_gerund_comes_first(catalog):
    flow = plan("Send an email to the admin before refunding.", catalog).flow

    assert tools(flow) == ["send_email", "refund_order"]


def test_a_condition_with_a_part_nothing_can_read_is_not_bound_to_the_other_part(catalog):
    error = refusal("Verify the address; if it's ok and in stock, send an email.", catalog)

    assert error.code == "unmapped_condition"


def test_their_manager_is_a_recipient_of_their_own(catalog):
    flow = plan("Find the customer and email their account manager.", catalog).flow

    send = next(node for node in flow.nodes if getattr(node, "tool", None) == "send_email")
    assert send.inputs["to"] == "input.account_manager_email"


@pytest.mark.parametrize(
    "prompt",
    [
        "Get the user's details, then check their email.",
        "Look up the user, then check their email.",
    ],
)
def test_a_possessive_says_whose_and_the_noun_after_it_is_the_object(prompt):
    from tools_registry.catalog import default_catalog

    flow = plan(prompt, default_catalog()).flow

    assert tools(flow) == ["lookup_user", "validate_email"]
    check = next(node for node in flow.nodes if getattr(node, "tool", None) == "validate_email")
    assert check.inputs["email"] == "lookup_user.user.email"


def test_otherwise_with_another_step_after_a_threshold_approval_is_refused():
    from tools_registry.catalog import default_catalog

    error = refusal(
        "Validate the order. If the subtotal is over 2000, wait for a manager to approve it "
        "and then charge the card; otherwise email the customer.",
        default_catalog(),
    )
    assert error.code == "unmapped_condition"
    assert error.step == "email the customer"
    # the same step again is what runs when no approval is needed: planned as before
    flow = plan(
        "If the amount is over 2000, get a manager's approval before charging the card; "
        "otherwise just charge it.",
        default_catalog(),
    ).flow
    assert tools(flow) == ["process_payment"]


def test_a_new_thing_after_an_approval_on_a_case_is_for_that_case():
    from tools_registry.catalog import default_catalog

    # given an approval under a condition on a case (not a threshold)
    flow = plan(
        "Classify the support ticket. If it's urgent, wait for a manager to approve it and "
        "then create a ticket; otherwise email the customer.",
        default_catalog(),
    ).flow

    # then the ticket is made for urgent ones only, and the email is the other case
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == 'classify_ticket.priority == "urgent"'
    assert branch.then == ["create_ticket"]
    assert branch.else_ == ["send_email"]
    assert "manager_approval_passed" in ancestors(flow, "create_ticket")


@pytest.mark.parametrize(
    "prompt",
    [
        "Every morning, verify the address, then send an email.",
        "Daily at 9am, verify the address, then send an email.",
        "On Mondays verify the address, then send an email.",
    ],
)
def test_a_schedule_says_when_the_flow_runs_and_makes_no_step(catalog, prompt):
    flow = plan(prompt, catalog).flow

    assert tools(flow) == ["verify_address", "send_email"]


def test_checking_a_comparison_no_tool_makes_is_no_step(catalog):
    # refund_order only echoes the amount it is given: the condition compares the input
    flow = plan(
        "Check whether the amount is over 500. If it is, ask a manager to approve it, "
        "then refund the order.",
        catalog,
    ).flow
    specs = {spec.id: spec for spec in catalog.specs()}

    assert tools(flow) == ["refund_order"]
    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert approval.when == "input.amount > 500.0"
    big = {"name": "big", "input": {"amount": 900}, "approve": False, "not_ran": ["refund_order"]}
    small = {"name": "small", "input": {"amount": 100}, "approve": False, "ran": ["refund_order"]}
    assert check_run(flow, big, specs) == []
    assert check_run(flow, small, specs) == []


def test_checking_what_a_tool_reports_keeps_the_tool(catalog):
    flow = plan("Check whether the mood score is below 0.3; if so, send an email.", catalog).flow

    assert tools(flow) == ["score_mood", "send_email"]
    branch = next(node for node in flow.nodes if isinstance(node, BranchNode))
    assert branch.condition == "score_mood.score < 0.3"


def test_an_approval_said_first_at_the_end_of_a_sentence_goes_before_its_step(catalog):
    flow = plan(
        "Refund the order, but if the amount is above 500 get a manager's approval first.",
        catalog,
    ).flow
    specs = {spec.id: spec for spec in catalog.specs()}

    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    refund = next(node for node in flow.nodes if isinstance(node, ToolNode))
    assert approval.id in ancestors(flow, refund.id)
    big = {"name": "big", "input": {"amount": 900}, "approve": False, "not_ran": ["refund_order"]}
    assert check_run(flow, big, specs) == []


@pytest.mark.parametrize(
    "prompt",
    [
        "Find the customer. If they don't exist, send an SMS; if they do, send an email.",
        "Find the customer. If they aren't found, send an SMS. If they are, send an email.",
    ],
)
def test_they_do_after_a_negative_condition_is_its_opposite(catalog, prompt):
    flow = plan(prompt, catalog).flow
    specs = {spec.id: spec for spec in catalog.specs()}

    missing = {"name": "missing", "outputs": {"find_customer": {"found": False}},
               "ran": ["send_sms"], "not_ran": ["send_email"]}  # fmt: skip
    found = {"name": "found", "outputs": {"find_customer": {"found": True}},
             "ran": ["send_email"], "not_ran": ["send_sms"]}  # fmt: skip
    assert check_run(flow, missing, specs) == []
    assert check_run(flow, found, specs) == []


def test_an_approval_deadline_with_automatically_is_the_timeout_and_the_title_says_who(catalog):
    flow = plan(
        "Get finance to sign off within 2 days, otherwise reject it automatically, then "
        "refund the order.",
        catalog,
    ).flow

    approval = next(node for node in flow.nodes if isinstance(node, ApprovalNode))
    assert (approval.timeout_s, approval.on_timeout) == (172800.0, "reject")
    assert approval.title == "Finance approval"
    assert approval.instructions.startswith("Approve ")
    assert "within 2 days; after that it is rejected" in approval.instructions
    assert approval.assignees.groups == ["finance"]
    assert tools(flow) == ["refund_order"]


def test_whose_approver_it_is_makes_no_lookup(catalog):
    flow = plan("Ask the customer's manager to approve the refund, then refund the order.", catalog)

    assert tools(flow.flow) == ["refund_order"]
