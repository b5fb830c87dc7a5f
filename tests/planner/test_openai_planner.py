"""The LLM planner against a local OpenAI-protocol server, through the real openai client."""

from __future__ import annotations

import json
import time

from flows.core import events as ev
from flows.core.events import ListSink
from flows.core.planner.base import (
    FORMAT_UNSUPPORTED,
    INVALID,
    MALFORMED,
    RATE_LIMITED,
    SERVER_ERROR,
    TIMEOUT,
    VALID,
)
from flows.core.planner.cache import InMemoryPlanCache
from flows.core.planner.session import plan_flow, refine_flow
from tests.planner.fake_openai import Error, Hang, Reply, Stream
from tests.planner.plans import INVALID_PLAN, VALID_PLAN, text
from tests.planner.tools import many_tools

PROMPT = "Verify the email address, then send a welcome email."


def outcomes(result):
    return [attempt.outcome for attempt in result.attempts]


def test_a_valid_plan_on_the_first_attempt(fake_openai, make_llm_planner, catalog):
    fake_openai.push(Reply(text(VALID_PLAN), prompt_tokens=120, completion_tokens=80))
    sink = ListSink()

    result = plan_flow(PROMPT, planner=make_llm_planner(), catalog=catalog, sink=sink)

    assert result.ok, result.error
    assert sink.types() == [ev.PLAN_STARTED, ev.PLAN_ATTEMPT, ev.PLAN_VALIDATED, ev.PLAN_COMPLETED]
    assert outcomes(result) == [VALID]
    assert result.flow.metadata.planner == "openai"
    assert result.flow.metadata.model == "test-model"
    assert result.flow.metadata.prompt == PROMPT
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (120, 80)
    assert result.latency_ms > 0
    request = fake_openai.requests[0]["body"]
    assert request["model"] == "test-model"
    assert request["response_format"]["type"] == "json_schema"
    assert request["response_format"]["json_schema"]["name"] == "dynamicflow_ir"
    user_message = request["messages"][-1]["content"]
    assert "verify_address" in user_message
    assert PROMPT in user_message
    assert "in  {email*: string}" in user_message  # the compact catalogue


def test_an_invalid_plan_goes_back_with_the_validators_errors(
    fake_openai, make_llm_planner, catalog
):
    fake_openai.push(Reply(text(INVALID_PLAN)), Reply(text(VALID_PLAN)))
    sink = ListSink()

    result = plan_flow(PROMPT, planner=make_llm_planner(), catalog=catalog, sink=sink)

    assert result.ok
    assert outcomes(result) == [INVALID, VALID]
    attempt_events = [e for e in sink.events if e.type == ev.PLAN_ATTEMPT]
    assert attempt_events[0].data["errors"][0]["code"] == "missing_input"
    assert attempt_events[0].data["errors"][0]["node"] == "notify"
    repair = fake_openai.requests[1]["body"]["messages"]
    assert repair[-2]["role"] == "assistant"
    assert "subject" in repair[-1]["content"]
    assert "missing_input" in repair[-1]["content"]
    assert result.usage.prompt_tokens == 200


def test_malformed_json_is_sent_back_and_fixed(fake_openai, make_llm_planner, catalog):
    fake_openai.push(Reply('{"name": "broken", "nodes": ['), Reply(text(VALID_PLAN)))

    result = plan_flow(PROMPT, planner=make_llm_planner(), catalog=catalog)

    assert result.ok
    assert outcomes(result) == [MALFORMED, VALID]
    assert "not a valid JSON" in fake_openai.requests[1]["body"]["messages"][-1]["content"]


def test_json_in_a_markdown_fence_is_accepted(fake_openai, make_llm_planner, catalog):
    fake_openai.push(Reply(f"Here you go:\n```json\n{text(VALID_PLAN)}\n```"))

    result = plan_flow(PROMPT, planner=make_llm_planner(), catalog=catalog)

    assert result.ok


def test_a_reply_cut_off_at_the_token_limit_counts_as_malformed(
    fake_openai, make_llm_planner, catalog
):
    fake_openai.push(Reply(text(VALID_PLAN)[:40], finish_reason="length"), Reply(text(VALID_PLAN)))

    result = plan_flow(PROMPT, planner=make_llm_planner(), catalog=catalog)

    assert outcomes(result) == [MALFORMED, VALID]


def test_the_repair_budget_is_bounded(fake_openai, make_llm_planner, catalog):
    fake_openai.push(*[Reply(text(INVALID_PLAN)) for _ in range(3)])
    sink = ListSink()

    result = plan_flow(PROMPT, planner=make_llm_planner(max_attempts=3), catalog=catalog, sink=sink)

    assert not result.ok
    assert result.error.code == "invalid_plan"
    assert "subject" in result.error.message
    assert outcomes(result) == [INVALID, INVALID, INVALID]
    assert len(fake_openai.requests) == 3
    assert sink.events[-1].type == ev.PLAN_FAILED
    assert sink.events[-1].data["attempts"] == 3


def test_429_waits_as_long_as_retry_after_says(fake_openai, make_llm_planner, catalog):
    fake_openai.push(
        Error(429, "Rate limit reached", headers={"Retry-After": "1"}), Reply(text(VALID_PLAN))
    )
    sink = ListSink()
    planner = make_llm_planner(sleep=time.sleep)

    started = time.monotonic()
    result = plan_flow(PROMPT, planner=planner, catalog=catalog, sink=sink)
    elapsed = time.monotonic() - started

    assert result.ok
    assert elapsed >= 1.0
    assert outcomes(result) == [RATE_LIMITED, VALID]
    first = next(e for e in sink.events if e.type == ev.PLAN_ATTEMPT)
    assert first.data["retry_after_s"] == 1.0
    assert first.data["errors"][0]["status"] == 429


def test_an_http_date_retry_after_is_understood(fake_openai, make_llm_planner, catalog, sleeps):
    from email.utils import formatdate

    fake_openai.push(
        Error(429, "slow down", headers={"Retry-After": formatdate(time.time() + 5, usegmt=True)}),
        Reply(text(VALID_PLAN)),
    )

    result = plan_flow(PROMPT, planner=make_llm_planner(), catalog=catalog)

    assert result.ok
    assert len(sleeps.calls) == 1
    assert 3.0 <= sleeps.calls[0] <= 5.0


def test_a_retry_after_beyond_the_limit_fails_instead_of_calling_early(
    fake_openai, make_llm_planner, catalog, sleeps
):
    fake_openai.push(Error(429, "quota", headers={"Retry-After": "120"}))

    result = plan_flow(PROMPT, planner=make_llm_planner(max_retry_after_s=30), catalog=catalog)

    assert not result.ok
    assert result.error.code == "rate_limited"
    assert "120" in result.error.message
    assert sleeps.calls == []
    assert len(fake_openai.requests) == 1


def test_5xx_is_retried_with_backoff(fake_openai, make_llm_planner, catalog, sleeps):
    fake_openai.push(Error(500, "boom"), Error(503, "busy"), Reply(text(VALID_PLAN)))

    result = plan_flow(PROMPT, planner=make_llm_planner(max_retries=2), catalog=catalog)

    assert result.ok
    assert outcomes(result) == [SERVER_ERROR, SERVER_ERROR, VALID]
    assert sleeps.calls == [0.5, 1.0]


def test_5xx_retries_are_bounded(fake_openai, make_llm_planner, catalog, sleeps):
    fake_openai.push(Error(500, "boom"), Error(500, "boom"), Error(500, "boom"))

    result = plan_flow(PROMPT, planner=make_llm_planner(max_retries=2), catalog=catalog)

    assert not result.ok
    assert result.error.code == "server_error"
    assert "after 3 tries" in result.error.message
    assert len(fake_openai.requests) == 3


def test_a_hang_past_the_timeout_fails_fast(fake_openai, make_llm_planner, catalog):
    fake_openai.push(Hang(10))
    sink = ListSink()

    started = time.monotonic()
    result = plan_flow(
        PROMPT,
        planner=make_llm_planner(timeout_s=0.3, max_retries=0),
        catalog=catalog,
        sink=sink,
    )

    assert time.monotonic() - started < 5
    assert not result.ok
    assert result.error.code == "timeout"
    assert outcomes(result) == [TIMEOUT]
    assert sink.events[-1].type == ev.PLAN_FAILED


def test_a_timeout_is_retried(fake_openai, make_llm_planner, catalog):
    fake_openai.push(Hang(10), Reply(text(VALID_PLAN)))

    # the timeout must outlast the good reply on a busy machine, not only the hang
    result = plan_flow(
        PROMPT, planner=make_llm_planner(timeout_s=2.0, max_retries=1), catalog=catalog
    )

    assert result.ok
    assert outcomes(result) == [TIMEOUT, VALID]


def test_a_refusal_fails_the_plan_and_says_why(fake_openai, make_llm_planner, catalog):
    fake_openai.push(Reply(None, refusal="I can't help with that."))

    result = plan_flow(PROMPT, planner=make_llm_planner(), catalog=catalog)

    assert not result.ok
    assert result.error.code == "refused"
    assert "can't help" in result.error.message


def test_a_server_without_json_schema_gets_json_mode(fake_openai, make_llm_planner, catalog):
    fake_openai.push(
        Error(400, "response_format json_schema is not supported", param="response_format"),
        Reply(text(VALID_PLAN)),
        Reply(text(VALID_PLAN)),
    )
    planner = make_llm_planner()

    result = plan_flow(PROMPT, planner=planner, catalog=catalog)
    again = plan_flow(PROMPT + " Again.", planner=planner, catalog=catalog)

    assert result.ok
    assert again.ok
    assert outcomes(result) == [FORMAT_UNSUPPORTED, VALID]
    assert fake_openai.requests[1]["body"]["response_format"] == {"type": "json_object"}
    # The fallback is remembered: the next plan does not try json_schema again.
    assert fake_openai.requests[2]["body"]["response_format"] == {"type": "json_object"}
    assert planner.response_format == "json_object"


def test_streaming_turns_the_reply_into_plan_token_events(fake_openai, make_llm_planner, catalog):
    document = text(VALID_PLAN)
    pieces = [document[i : i + 25] for i in range(0, len(document), 25)]
    fake_openai.push(Stream(pieces, prompt_tokens=70, completion_tokens=30))
    sink = ListSink()

    result = plan_flow(PROMPT, planner=make_llm_planner(stream=True), catalog=catalog, sink=sink)

    assert result.ok
    tokens = [e for e in sink.events if e.type == ev.PLAN_TOKEN]
    assert len(tokens) == len(pieces)
    assert "".join(e.data["text"] for e in tokens) == document
    assert all(e.data["attempt"] == 1 for e in tokens)
    assert [e.seq for e in sink.events] == list(range(1, len(sink.events) + 1))
    assert fake_openai.requests[0]["body"]["stream"] is True
    assert (result.usage.prompt_tokens, result.usage.completion_tokens) == (70, 30)


def test_a_large_catalogue_is_cut_down_by_retrieval(fake_openai, make_llm_planner):
    fake_openai.push(Reply(text(VALID_PLAN)))
    catalog = many_tools(40)
    sink = ListSink()

    result = plan_flow(PROMPT, planner=make_llm_planner(), catalog=catalog, sink=sink)

    assert result.ok
    selection = sink.events[0].data["tools"]
    assert selection["method"] == "retrieval"
    assert selection["total"] == 47
    kept = set(selection["kept"])
    assert {"verify_address", "send_email"} <= kept
    assert len(kept) <= 15
    prompt_text = fake_openai.requests[0]["body"]["messages"][-1]["content"]
    for spec in catalog.specs():
        assert (f"- {spec.id}:" in prompt_text) == (spec.id in kept)


def test_a_cache_hit_returns_the_stored_plan_without_the_model(
    fake_openai, make_llm_planner, catalog
):
    fake_openai.push(Reply(text(VALID_PLAN)))
    cache = InMemoryPlanCache()
    planner = make_llm_planner()
    first = plan_flow(PROMPT, planner=planner, catalog=catalog, cache=cache)
    sink = ListSink()

    second = plan_flow(
        "  " + PROMPT.upper() + " ", planner=planner, catalog=catalog, cache=cache, sink=sink
    )

    assert first.ok
    assert second.ok
    assert second.cache_hit
    assert not first.cache_hit
    assert len(fake_openai.requests) == 1
    assert second.ir["nodes"] == first.ir["nodes"]
    assert sink.types() == [ev.PLAN_STARTED, ev.PLAN_VALIDATED, ev.PLAN_COMPLETED]
    assert sink.events[-1].data["cache_hit"] is True


def test_refine_asks_for_operations_and_validates_the_result(
    fake_openai, make_llm_planner, catalog
):
    operations = {
        "operations": [
            {
                "op": "add_node",
                "node": {
                    "id": "text_them",
                    "type": "tool",
                    "tool": "send_sms",
                    "inputs": {"phone": "input.phone", "message": '"Hi"'},
                    "after": ["notify"],
                },
            },
            {
                "op": "add_input_field",
                "name": "phone",
                "schema": {"type": "string"},
                "required": True,
            },
        ]
    }
    fake_openai.push(
        Reply(json.dumps({"operations": [{"op": "remove_node", "id": "nope"}]})),
        Reply(json.dumps(operations)),
    )

    result = refine_flow(
        VALID_PLAN, "also text the customer", planner=make_llm_planner(), catalog=catalog
    )

    assert result.ok, result.error
    assert outcomes(result) == [INVALID, VALID]
    assert "no node 'nope'" in fake_openai.requests[1]["body"]["messages"][-1]["content"]
    assert [node["id"] for node in result.diff["added"]] == ["text_them"]
    assert result.diff["edges_added"] == [["notify", "text_them"]]
    assert "phone" in result.flow.input_schema["properties"]
    assert [node.id for node in result.flow.nodes][-1] == "text_them"


def test_a_4xx_that_is_not_about_the_format_fails_at_once(fake_openai, make_llm_planner, catalog):
    fake_openai.push(Error(404, "The model `test-model` does not exist"))

    result = plan_flow(PROMPT, planner=make_llm_planner(), catalog=catalog)

    assert not result.ok
    assert result.error.code == "bad_request"
    assert "does not exist" in result.error.message
    assert len(fake_openai.requests) == 1


def test_bad_credentials_fail_at_once(fake_openai, make_llm_planner, catalog):
    fake_openai.push(Error(401, "Incorrect API key provided"))

    result = plan_flow(PROMPT, planner=make_llm_planner(), catalog=catalog)

    assert result.error.code == "auth_error"
    assert len(fake_openai.requests) == 1


def test_the_repair_message_lists_every_issue_with_node_field_and_hint(
    fake_openai, make_llm_planner, catalog
):
    # Given a draft with three faults, one of them structural (a field the IR lacks)
    draft = json.loads(text(VALID_PLAN))
    draft["nodes"][0]["timeout"] = 5
    draft["nodes"][0]["tool"] = "send_mail_now"
    del draft["nodes"][1]["inputs"]["subject"]
    fake_openai.push(Reply(json.dumps(draft)), Reply(text(VALID_PLAN)))

    # When it is planned
    result = plan_flow(PROMPT, planner=make_llm_planner(), catalog=catalog)

    # Then one repair round names all three, each with its node, field and a fix
    assert result.ok
    repair = fake_openai.requests[1]["body"]["messages"][-1]["content"]
    assert "[node 'verify', field 'timeout'] schema" in repair
    assert "[node 'verify', field 'tool'] unknown_tool" in repair
    assert "[node 'notify', field 'inputs.subject'] missing_input" in repair
    assert repair.count("Fix:") >= 3


def test_an_unknown_tool_gets_a_suggestion_only_when_close_in_meaning(
    fake_openai, make_llm_planner, catalog
):
    close = json.loads(text(VALID_PLAN))
    close["nodes"][1]["tool"] = "send_mail"
    unrelated = json.loads(text(VALID_PLAN))
    unrelated["nodes"][1]["tool"] = "post_to_slack"
    fake_openai.push(Reply(json.dumps(close)), Reply(json.dumps(unrelated)), Reply("x"))

    plan_flow(PROMPT, planner=make_llm_planner(), catalog=catalog)

    first = fake_openai.requests[1]["body"]["messages"][-1]["content"]
    second = fake_openai.requests[2]["body"]["messages"][-1]["content"]
    assert "Did you mean `send_email`" in first
    assert "Did you mean" not in second
    assert "No tool in the catalogue does what `post_to_slack` suggests" in second


def test_a_plain_text_refusal_is_a_refusal_with_the_models_words(
    fake_openai, make_llm_planner, catalog
):
    words = "Cannot plan: step 2 asks for a fax, and no tool in the catalogue sends faxes."
    fake_openai.push(Reply(words))

    result = plan_flow(PROMPT, planner=make_llm_planner(), catalog=catalog)

    assert not result.ok
    assert result.error.code == "refused"
    assert words in result.error.message
    assert len(fake_openai.requests) == 1  # not sent back as "invalid JSON"
    assert result.attempts[0].outcome == "refused"


def test_prose_that_is_not_a_refusal_still_gets_the_json_repair(
    fake_openai, make_llm_planner, catalog
):
    fake_openai.push(Reply("Sure, here is what I would do."), Reply(text(VALID_PLAN)))

    result = plan_flow(PROMPT, planner=make_llm_planner(), catalog=catalog)

    assert result.ok
    assert outcomes(result) == [MALFORMED, VALID]


def test_a_model_written_plan_is_explained_phrase_by_phrase(fake_openai, make_llm_planner, catalog):
    fake_openai.push(Reply(text(VALID_PLAN)))
    sink = ListSink()

    result = plan_flow(PROMPT, planner=make_llm_planner(), catalog=catalog, sink=sink)

    assert result.sources == {
        "verify": "Verify the email address",
        "notify": "send a welcome email",
    }
    validated = next(event for event in sink.events if event.type == ev.PLAN_VALIDATED)
    assert validated.data["sources"] == result.sources
