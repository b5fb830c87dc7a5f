"""Runs in the browser: start a run from its generated form and watch it live on the graph,
survive a dropped websocket, cancel, see a failure's attempts, and follow a batch.

The worker loads the test tools (tests/runs/worker_tools.py: t_slow sleeps, t_fail fails).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from itertools import pairwise
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from flows.models import Flow, FlowVersion, Run
from flows.runs import services
from flows.runs.dispatch import enqueue_run
from tests.runs.helpers import wait_for

FINAL = "completed, failed, skipped, cancelled"


def make_flow(owner: Any, ir: dict[str, Any]) -> FlowVersion:
    flow = Flow.objects.create(name=ir["name"], owner=owner)
    return FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=True)


def node(page: Any, node_id: str) -> Any:
    return page.locator(f'[data-node-id="{node_id}"].rn')


def start_run(owner: Any, version: FlowVersion, run_input: dict[str, Any]) -> Run:
    return services.run_create(user=owner, flow_version_id=version.id, run_input=run_input)


SHOWCASE = {
    "name": "Showcase",
    "description": "Two tools in parallel, a branch and a map.",
    "input_schema": {
        "type": "object",
        "required": ["customer", "amount"],
        "properties": {
            "customer": {"type": "string", "description": "Who asks."},
            "amount": {"type": "number", "default": 120},
            "speed": {"type": "string", "enum": ["slow", "fast"], "default": "slow"},
            "items": {"type": "array", "items": {"type": "number"}, "default": [0.2, 0.2, 0.2]},
        },
    },
    "nodes": [
        {"id": "prepare", "type": "value", "value": "input.customer"},
        {"id": "left", "type": "tool", "tool": "t_slow", "title": "Left",
         "inputs": {"seconds": "6", "value": "prepare"}},
        {"id": "right", "type": "tool", "tool": "t_slow", "title": "Right",
         "inputs": {"seconds": "6", "value": "input.speed"}, "after": ["prepare"]},
        {"id": "big", "type": "branch", "condition": "input.amount > 100.0",
         "then": ["large"], "else": ["small"]},
        {"id": "large", "type": "value", "value": "\"large\""},
        {"id": "small", "type": "value", "value": "\"small\""},
        {"id": "size", "type": "value", "trigger": "any",
         "value": "large != null ? large : small"},
        {"id": "each", "type": "map", "tool": "t_slow", "items": "input.items",
         "inputs": {"seconds": "item"}, "concurrency": 2},
        {"id": "result", "type": "output",
         "value": {"left": "left.value", "right": "right.value", "size": "size",
                   "items": "size(each)"}},
    ],
    "max_steps": 20,
}


def test_a_run_started_from_its_form_shows_every_node_reach_its_final_state(
    page, live_server, staff_user, screenshot
):
    version = make_flow(staff_user, SHOWCASE)
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)

    page.goto(live_server(f"/runs?start={version.flow_id}"))
    dialog = page.get_by_test_id("start-run-dialog")
    expect(dialog.locator("#run-input_amount")).to_have_value("120")
    expect(dialog.locator("#run-input_speed option:checked")).to_have_text("slow")
    page.get_by_test_id("start-run-submit").click()
    expect(dialog.locator("#run-input_customer__error")).to_contain_text("required")
    # a form with a missing field is answered beside the field, not in the console
    assert console_errors == []
    screenshot(page, "form-errors")
    dialog.locator("#run-input_customer").fill("Ada")
    dialog.locator("#run-input_amount").fill("250")
    page.get_by_test_id("start-run-submit").click()

    page.wait_for_url(re.compile(r"/runs/[0-9a-f-]{36}$"))
    run_id = page.url.rsplit("/", 1)[1]
    # the two tools run side by side, their incoming edges animated
    page.wait_for_function(
        """() => ['left', 'right'].every(id =>
            document.querySelector(`.rn[data-node-id="${id}"]`)?.dataset.status === 'running')""",
        timeout=20_000,
    )
    expect(page.locator(".react-flow__edge.animated")).to_have_count(2)
    screenshot(page, "running")

    expected = {"prepare": "completed", "left": "completed", "right": "completed",
                "big": "completed", "large": "completed", "small": "skipped",
                "size": "completed", "each": "completed", "result": "completed"}
    for node_id, status in expected.items():
        expect(node(page, node_id)).to_have_attribute("data-status", status, timeout=30_000)
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-status", "completed")
    expect(page.get_by_test_id("run-node-items-each")).to_contain_text("3/3 items")
    expect(page.get_by_test_id("run-result")).to_contain_text('"large"')
    # the result is on the first screen, below the graph, without scrolling
    result_box = page.get_by_test_id("run-result").bounding_box()
    assert result_box is not None
    assert result_box["y"] < 900
    # on the timeline the two tools' bars overlap: they ran at the same time
    left = page.get_by_test_id("timeline-row-left").locator(".tl-bar").bounding_box()
    right = page.get_by_test_id("timeline-row-right").locator(".tl-bar").bounding_box()
    assert left is not None
    assert right is not None
    assert left["x"] < right["x"] + right["width"]
    assert right["x"] < left["x"] + left["width"]

    run = Run.objects.get(id=run_id)
    assert run.status == "completed"
    assert run.input == {"customer": "Ada", "amount": 250, "speed": "slow",
                         "items": [0.2, 0.2, 0.2]}

    node(page, "each").click()
    panel = page.get_by_test_id("node-panel")
    expect(panel).to_have_attribute("data-node-id", "each")
    expect(page.get_by_test_id("node-panel-output")).to_contain_text("value")
    # a map's count is one tool call per item, not three attempts of which #3 completed
    attempts = page.get_by_test_id("node-panel-attempts")
    expect(attempts).to_have_text("3")
    expect(panel.locator("dt", has_text="Tool calls")).to_have_count(1)
    expect(page.get_by_test_id("node-panel-retries")).to_have_count(0)
    screenshot(page, "completed")


CHAIN = {
    "name": "Chain",
    "nodes": [
        {"id": f"n{i}", "type": "tool", "tool": "t_slow", "inputs": {"seconds": "1"},
         **({"after": [f"n{i - 1}"]} if i > 1 else {})}
        for i in range(1, 11)
    ],
    "max_steps": 12,
}


def test_a_dropped_websocket_reconnects_and_misses_no_step(
    page, live_server, staff_user, screenshot
):
    version = make_flow(staff_user, CHAIN)
    run = start_run(staff_user, version, {})

    page.goto(live_server(f"/runs/{run.id}"))
    expect(page.get_by_test_id("run-connection")).to_have_attribute("data-state", "open")
    dropped_at: list[str] = []
    for drops in range(1, 4):
        # drop while a node runs that has not seen a drop yet, so drops land mid-run
        page.wait_for_function(
            """(seen) => [...document.querySelectorAll('.rn[data-status="running"]')]
                .some(n => !seen.includes(n.dataset.nodeId))""",
            arg=dropped_at, timeout=20_000,
        )
        running = page.locator('.rn[data-status="running"]').first.get_attribute("data-node-id")
        dropped_at.append(str(running))
        page.evaluate("window.__dynamicflowSocket.drop()")
        expect(page.get_by_test_id("run-offline")).to_be_visible(timeout=2_000)
        if drops == 1:
            screenshot(page, "offline")
        expect(page.get_by_test_id("run-connection")).to_have_attribute(
            "data-state", "open", timeout=10_000
        )

    expect(page.get_by_test_id("run-status")).to_have_attribute(
        "data-status", "completed", timeout=30_000
    )
    for i in range(1, 11):
        expect(node(page, f"n{i}")).to_have_attribute("data-status", "completed")
    run.refresh_from_db()
    state = page.evaluate(
        """() => { const s = window.__dynamicflowRun.state();
                   return {lastSeq: s.lastSeq, applied: s.applied, held: s.held.size,
                           starts: Object.values(s.nodes).map(n => n.starts)}; }"""
    )
    # every stored event applied exactly once, none held back, each node started once
    assert state["lastSeq"] == run.last_seq
    assert state["applied"] == run.last_seq
    assert state["held"] == 0
    assert state["starts"] == [1] * 10
    assert len(set(dropped_at)) == 3
    expect(page.get_by_test_id("run-event-count")).to_have_text(str(run.last_seq))
    expect(page.get_by_test_id("timeline").locator(".tl-row")).to_have_count(10)
    screenshot(page, "finished")


BIG_OUTPUT = {
    "name": "Big output",
    "input_schema": {"type": "object", "properties": {"texts": {"type": "array"}}},
    "nodes": [
        {"id": "wait", "type": "tool", "tool": "t_slow", "inputs": {"seconds": "2"}},
        {"id": "big", "type": "value", "value": "input.texts", "after": ["wait"]},
        {"id": "result", "type": "output", "value": "size(big)"},
    ],
}


def test_a_node_output_too_big_for_one_websocket_message_still_arrives_live(
    page, live_server, staff_user
):
    # Given a run whose second node outputs 1.2 MB (one websocket message carries 1 MiB)
    texts = [f"text {i:06d}" for i in range(100_000)]
    run = start_run(staff_user, make_flow(staff_user, BIG_OUTPUT), {"texts": texts})

    # When its page follows it live from the start
    page.goto(live_server(f"/runs/{run.id}"))
    expect(page.get_by_test_id("run-connection")).to_have_attribute("data-state", "open")

    # Then the run ends on the page, with the big output whole (read from the events API),
    # on the connection it opened with
    expect(page.get_by_test_id("run-status")).to_have_attribute(
        "data-status", "completed", timeout=30_000
    )
    expect(node(page, "big")).to_have_attribute("data-status", "completed")
    state = page.evaluate(
        """() => { const s = window.__dynamicflowRun.state();
                   return {size: s.nodes.big.output.length, last: s.nodes.big.output.at(-1),
                           lastSeq: s.lastSeq, held: s.held.size}; }"""
    )
    run.refresh_from_db()
    assert state == {"size": 100_000, "last": "text 099999", "lastSeq": run.last_seq,
                     "held": 0}  # fmt: skip
    assert page.errors == []


ORDER_LINES = {
    "name": "Order lines",
    "input_schema": {
        "type": "object",
        "required": ["lines"],
        "properties": {
            "lines": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["sku"],
                    "properties": {
                        "sku": {"type": "string", "description": "SKU."},
                        # pydantic's `float | None = None`
                        "price": {"anyOf": [{"type": "number"}, {"type": "null"}],
                                  "default": None, "description": "Unit price."},
                    },
                },
            },
        },
    },
    "nodes": [{"id": "count", "type": "output", "value": "size(input.lines)"}],
}


def test_an_optional_number_is_a_number_field_not_a_choice_of_options(
    page, live_server, staff_user, screenshot
):
    version = make_flow(staff_user, ORDER_LINES)
    page.goto(live_server(f"/runs?start={version.flow_id}"))
    dialog = page.get_by_test_id("start-run-dialog")
    dialog.locator("#run-input_lines_0_sku").fill("WIDGET-1")
    price = dialog.locator("#run-input_lines_0_price")
    # one number field, left empty when unset: no "Price option 1 / option 2" picker
    expect(price).to_have_attribute("type", "number")
    expect(price).to_have_value("")
    expect(dialog.locator("select")).to_have_count(0)
    expect(dialog).not_to_contain_text("option 2")
    expect(dialog).to_contain_text("Unit price.")
    # a description that only repeats the field's title is not shown under it
    expect(dialog.get_by_role("textbox", name="Sku")).to_have_value("WIDGET-1")
    expect(dialog).not_to_contain_text("SKU.")
    # an element of the list is headed "Item 1", not "Lines-1*"
    expect(dialog.locator("#run-input_lines_0__title")).to_have_text("Item 1")
    screenshot(page, "optional-number")

    page.get_by_test_id("start-run-submit").click()
    page.wait_for_url(re.compile(r"/runs/[0-9a-f-]{36}$"))
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-status", "completed",
                                                                timeout=20_000)
    run = Run.objects.get(id=page.url.rsplit("/", 1)[1])
    assert run.input == {"lines": [{"sku": "WIDGET-1"}]}

    # a price given is sent as a number
    page.goto(live_server(f"/runs?start={version.flow_id}"))
    dialog.locator("#run-input_lines_0_sku").fill("WIDGET-2")
    dialog.locator("#run-input_lines_0_price").fill("9.5")
    page.get_by_test_id("start-run-submit").click()
    page.wait_for_url(re.compile(r"/runs/[0-9a-f-]{36}$"))
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-status", "completed",
                                                                timeout=20_000)
    run = Run.objects.get(id=page.url.rsplit("/", 1)[1])
    assert run.input == {"lines": [{"sku": "WIDGET-2", "price": 9.5}]}


def test_a_required_list_input_needs_an_item_before_the_run_starts(page, live_server, staff_user):
    version = make_flow(staff_user, {
        "name": "Notes",
        "input_schema": {
            "type": "object",
            "required": ["emails"],
            "properties": {"emails": {"type": "array", "items": {"type": "string"}},
                           "cc": {"type": "array", "items": {"type": "string"}}},
        },
        "nodes": [{"id": "first", "type": "value", "value": "input.emails[0]"}],
    })
    page.goto(live_server(f"/runs?start={version.flow_id}"))
    dialog = page.get_by_test_id("start-run-dialog")

    # the required list starts with one item to fill in: left empty, it says so
    page.get_by_test_id("start-run-submit").click()
    expect(dialog.locator("#run-input_emails_0__error")).to_have_text(
        "Fill this in, or remove the item."
    )
    # with no item at all it is refused beside the list; the optional one may stay empty
    dialog.locator("#run-input_emails").get_by_role("button", name="Remove").click()
    page.get_by_test_id("start-run-submit").click()
    expect(dialog.locator("#run-input_emails__error")).to_have_text("Give at least 1 item.")
    expect(dialog.locator("#run-input_cc__error")).to_have_count(0)
    assert not Run.objects.filter(flow_version=version).exists()

    dialog.locator("#run-input_emails").get_by_role("button", name="+ Add item").click()
    dialog.locator("#run-input_emails_0").fill("ada@example.com")
    page.get_by_test_id("start-run-submit").click()
    page.wait_for_url(re.compile(r"/runs/[0-9a-f-]{36}$"))
    assert Run.objects.get(flow_version=version).input == {"emails": ["ada@example.com"]}


def test_the_run_form_says_what_to_enter_in_plain_words(page, live_server, staff_user,
                                                         screenshot):
    version = make_flow(staff_user, {
        "name": "Welcome",
        "description": "Checks a new customer's address, greets them by name, and opens a"
        " ticket for the support team when the address bounces. " * 4,
        "input_schema": {
            "type": "object",
            "required": ["email"],
            "properties": {"email": {"type": "string", "format": "email"},
                           "seats": {"type": "integer", "minimum": 0}},
        },
        "nodes": [{"id": "first", "type": "value", "value": "input.email"}],
    })
    page.goto(live_server(f"/runs?start={version.flow_id}"))
    dialog = page.get_by_test_id("start-run-dialog")
    # a long description shows its first lines, the rest a click away
    description = dialog.get_by_test_id("start-run-description")
    clamped = description.bounding_box()["height"]
    dialog.get_by_test_id("start-run-description-toggle").click()
    expect(dialog.get_by_test_id("start-run-description-toggle")).to_have_text("Show less")
    assert description.bounding_box()["height"] > clamped + 20
    dialog.get_by_test_id("start-run-description-toggle").click()
    dialog.locator("#run-input_email").fill("ada")
    dialog.locator("#run-input_seats").fill("-2")
    page.get_by_test_id("start-run-submit").click()
    expect(dialog.locator("#run-input_email__error")).to_have_text("Enter an email address.")
    expect(dialog.locator("#run-input_seats__error")).to_have_text("Must be 0 or more.")
    expect(dialog).not_to_contain_text("must match format")
    screenshot(page, "errors")
    assert not Run.objects.filter(flow_version=version).exists()


def test_a_long_input_form_shows_there_is_more_below_the_run_button(
    page, live_server, staff_user, screenshot
):
    fields = {f"field_{i}": {"type": "string", "description": f"Line {i}."} for i in range(12)}
    version = make_flow(staff_user, {
        "name": "Many fields",
        "input_schema": {"type": "object", "properties": fields},
        "nodes": [{"id": "out", "type": "output", "value": "input"}],
    })
    page.goto(live_server(f"/runs?start={version.flow_id}"))
    dialog = page.get_by_test_id("start-run-dialog")
    expect(dialog.locator("#run-input_field_11")).to_be_attached()
    # the form runs on under the sticky Run button: a shadow above the button says so
    expect(dialog).to_have_attribute("data-more-below", "true")
    shadow = dialog.locator(".dialog-actions").evaluate("e => getComputedStyle(e).boxShadow")
    assert shadow != "none"
    screenshot(page, "more-below")
    dialog.evaluate("e => { e.scrollTop = e.scrollHeight }")
    expect(dialog).to_have_attribute("data-more-below", "false")


def test_cancelling_a_slow_run(page, live_server, staff_user, screenshot):
    version = make_flow(staff_user, {
        "name": "Slow",
        "nodes": [
            {"id": "slow", "type": "tool", "tool": "t_slow", "inputs": {"seconds": "60"}},
            {"id": "after_it", "type": "value", "value": "slow.node"},
        ],
    })
    run = start_run(staff_user, version, {})

    page.goto(live_server(f"/runs/{run.id}"))
    expect(node(page, "slow")).to_have_attribute("data-status", "running", timeout=20_000)
    # the first click asks; keeping it changes nothing
    page.get_by_test_id("run-cancel").click()
    expect(page.get_by_test_id("run-cancel-ask")).to_contain_text("Stop it where it is?")
    page.get_by_test_id("run-cancel-keep").click()
    expect(page.get_by_test_id("run-cancel-ask")).to_have_count(0)
    expect(node(page, "slow")).to_have_attribute("data-status", "running")
    assert Run.objects.get(pk=run.pk).cancel_requested is False
    page.get_by_test_id("run-cancel").click()
    page.get_by_test_id("run-cancel-confirm").click()

    expect(page.get_by_test_id("run-status")).to_have_attribute(
        "data-status", "cancelled", timeout=20_000
    )
    expect(node(page, "slow")).to_have_attribute("data-status", "cancelled")
    expect(node(page, "after_it")).to_have_attribute("data-status", "cancelled")
    expect(page.get_by_test_id("run-cancel")).to_have_count(0)
    # the progress says the two nodes were cancelled, not only "2/2"
    expect(page.get_by_test_id("run-node-progress")).to_have_text("2/2")
    expect(page.get_by_test_id("run-node-progress-note")).to_have_text("2 cancelled")
    run.refresh_from_db()
    assert run.status == "cancelled"
    screenshot(page, "cancelled")


def test_cancelling_a_run_that_ends_meanwhile_says_so_without_an_error(
    page, live_server, staff_user, screenshot
):
    version = make_flow(staff_user, {
        "name": "Short",
        "nodes": [{"id": "slow", "type": "tool", "tool": "t_slow", "inputs": {"seconds": "0.2"}}],
    })
    # a run still queued (sent to no worker yet), so the page offers to cancel it for as
    # long as the test takes to click, however loaded the machine
    run = Run.objects.create(flow_version=version, requested_by=staff_user, input={})
    page.goto(live_server(f"/runs/{run.id}"))
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-status", "pending")

    # the click reaches the server only once the run has completed: a real 409
    held: list[Any] = []
    page.route(re.compile(r"/api/v1/runs/[0-9a-f-]+/cancel/$"), lambda route: held.append(route))
    page.get_by_test_id("run-cancel").click()
    page.get_by_test_id("run-cancel-confirm").click()

    def cancel_request_held() -> bool:
        page.wait_for_timeout(50)  # lets Playwright hand the request to the route
        return bool(held)

    wait_for(cancel_request_held, 10, 0, "the cancel request")
    enqueue_run(str(run.id))
    wait_for(lambda: Run.objects.get(pk=run.pk).status == "completed", 30, 0.1, "completion")
    held[0].continue_()

    note = page.get_by_test_id("run-action-note")
    expect(note).to_contain_text("already ended (completed)")
    expect(page.get_by_test_id("run-action-error")).to_have_count(0)
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-status", "completed")
    expect(page.get_by_test_id("run-cancel")).to_have_count(0)
    screenshot(page, "ended-meanwhile")
    note.get_by_role("button", name="Dismiss").click()
    expect(note).to_have_count(0)


def test_a_failed_step_is_opened_in_the_designer_on_the_field_that_failed(
    page, live_server, staff_user, screenshot
):
    # Given a run that failed reading a field its input's order does not have
    version = make_flow(staff_user, {
        "name": "Order mood",
        "input_schema": {"type": "object", "required": ["order"],
                         "properties": {"order": {"type": "object"}}},
        "nodes": [
            {"id": "mood", "type": "tool", "tool": "analyze_sentiment", "title": "Read the mood",
             "inputs": {"text": '"Total: " + string(input.order.total)'}},
        ],
    })
    run = start_run(staff_user, version, {"order": {"sum": 3}})
    page.goto(live_server(f"/runs/{run.id}"))

    # Then its banner says which field was missing, in words
    banner = page.get_by_test_id("run-error")
    expect(banner).to_contain_text("Read the mood failed", timeout=30_000)
    expect(banner).to_contain_text("no such key: 'total'")
    screenshot(page, "fix-in-designer")

    # When the person asks to fix it, the designer opens on that version, that step and field
    banner.get_by_test_id("run-error-fix").click()
    expect(page).to_have_url(re.compile(rf"/flows/{version.flow_id}/v/1\?node=mood&field=inputs\.text$"))
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-ready", "true")
    expect(page.locator('[data-node-id="mood"]')).to_have_class(re.compile(r"\bselected\b"))
    text = page.get_by_test_id("inspector").locator('[data-field="inputs.text"] textarea')
    expect(text).to_be_focused()
    screenshot(page, "fix-in-designer-opened")


def test_a_failed_run_is_run_again_on_the_version_that_fixed_it(
    page, live_server, staff_user, screenshot
):
    # Given a run of v1 that failed, and a v2 of its flow saved since
    broken = {
        "name": "Order mood",
        "input_schema": {"type": "object", "required": ["order"],
                         "properties": {"order": {"type": "object"}}},
        "nodes": [{"id": "mood", "type": "tool", "tool": "analyze_sentiment",
                   "inputs": {"text": '"Total: " + string(input.order.total)'}}],
    }
    v1 = make_flow(staff_user, broken)
    run = start_run(staff_user, v1, {"order": {"sum": 3}})
    wait_for(lambda: Run.objects.get(pk=run.pk).status == "failed", 30, 0.2, "the failure")
    fixed = json.loads(json.dumps(broken))
    fixed["nodes"][0]["inputs"]["text"] = '"Total: " + string(input.order.sum)'
    v2 = FlowVersion.objects.create(flow=v1.flow, number=2, ir=fixed, is_valid=True)

    # When its page is opened, it says the flow has moved on and offers that version
    page.goto(live_server(f"/runs/{run.id}"))
    note = page.get_by_test_id("run-newer-version")
    expect(note).to_contain_text("This run used v1; the flow is now at v2.")
    screenshot(page, "newer-version")
    note.get_by_test_id("run-rerun-latest").click()

    # Then a run of v2 with the same input starts, says what it repeats, and completes
    page.wait_for_url(lambda url: "/runs/" in url and str(run.id) not in url)
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-status", "completed",
                                                                 timeout=30_000)
    rerun = Run.objects.exclude(id=run.id).get(flow_version__flow=v1.flow)
    assert rerun.flow_version_id == v2.id
    assert rerun.input == run.input
    assert rerun.rerun_of == run.id
    expect(page.get_by_test_id("run-rerun-of")).to_be_visible()
    # a run of the latest version offers nothing newer
    expect(page.get_by_test_id("run-newer-version")).to_have_count(0)


def test_a_failing_tool_shows_its_error_and_attempts(page, live_server, staff_user, screenshot):
    version = make_flow(staff_user, {
        "name": "Flaky",
        "nodes": [
            {"id": "fine", "type": "tool", "tool": "t_noop"},
            {"id": "flaky", "type": "tool", "tool": "t_slow", "after": ["fine"],
             "inputs": {"seconds": "5"}, "timeout_s": 0.3,
             "retry": {"max_attempts": 3, "backoff_s": 0.2, "multiplier": 2.0}},
            {"id": "never", "type": "value", "value": "flaky.value"},
        ],
    })
    run = start_run(staff_user, version, {})

    page.goto(live_server(f"/runs/{run.id}"))
    expect(node(page, "flaky")).to_have_attribute("data-status", "failed", timeout=30_000)
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-status", "failed")
    # the failure is said first, above the graph: which node, its code and its message
    banner = page.get_by_test_id("run-error")
    expect(banner).to_contain_text("flaky failed")
    expect(banner).to_contain_text("timeout")
    graph_top = page.locator(".graph-card").bounding_box()["y"]
    assert banner.bounding_box()["y"] < graph_top
    expect(node(page, "never")).to_have_attribute("data-status", "pending")
    # the run has ended: a node that never started says so, it is not waiting for anything
    expect(node(page, "never")).to_have_attribute("data-not-run", "true")
    expect(node(page, "never")).to_contain_text("not run")
    expect(node(page, "fine")).not_to_have_attribute("data-not-run", "true")

    # "Show node" opens the failed node's details
    page.get_by_test_id("run-error-node").click()
    expect(page.get_by_test_id("node-panel-status")).to_have_attribute("data-status", "failed")
    page.get_by_test_id("node-panel-close").click()
    expect(page.get_by_test_id("node-panel-status")).to_have_count(0)

    node(page, "flaky").click()
    expect(page.get_by_test_id("node-panel-status")).to_have_attribute("data-status", "failed")
    expect(page.get_by_test_id("node-panel-attempts")).to_have_text("3")
    expect(page.get_by_test_id("node-panel-error")).to_contain_text("timeout")
    retries = page.get_by_test_id("node-panel-retries").locator("li")
    expect(retries).to_have_count(3)
    expect(retries.nth(0)).to_contain_text("retried after 200 ms")
    expect(retries.nth(1)).to_contain_text("retried after 400 ms")
    expect(retries.nth(2)).to_contain_text("gave up")
    screenshot(page, "failed-node")

    # re-run with the same input: a new run of the same version, failing the same way
    page.get_by_test_id("run-rerun").click()
    page.wait_for_url(lambda url: "/runs/" in url and str(run.id) not in url)
    expect(node(page, "flaky")).to_have_attribute("data-status", "failed", timeout=30_000)
    rerun = Run.objects.exclude(id=run.id).get(flow_version=version)
    assert rerun.input == run.input
    assert rerun.rerun_of == run.id


@pytest.mark.parametrize("size", [20])
def test_a_batch_shows_its_progress_to_the_end(page, live_server, staff_user, screenshot, size):
    version = make_flow(staff_user, {
        "name": "Batchable",
        "input_schema": {"type": "object", "required": ["n"],
                         "properties": {"n": {"type": "integer"}}},
        "nodes": [
            {"id": "work", "type": "tool", "tool": "t_slow",
             "inputs": {"seconds": "0.3", "value": "input.n"}},
            {"id": "out", "type": "output", "value": "work.value"},
        ],
    })

    page.goto(live_server(f"/runs?start={version.flow_id}"))
    page.get_by_test_id("start-tab-batch").click()
    # the greyed-out button says why until there are inputs
    expect(page.get_by_test_id("batch-start")).to_be_disabled()
    expect(page.get_by_test_id("batch-start-why")).to_contain_text("Paste or upload the inputs")
    # a template to start from: the input's fields as a CSV header, one run per line under it
    page.get_by_test_id("batch-template").click()
    expect(page.get_by_test_id("batch-inputs")).to_have_value("n\n")
    expect(page.get_by_test_id("batch-start-why")).to_have_count(0)
    expect(page.get_by_test_id("batch-hint")).to_contain_text("one line of values per run")
    page.get_by_test_id("batch-inputs").press("End")
    page.keyboard.type("7")
    expect(page.get_by_test_id("batch-count")).to_have_text("1 input ready")
    page.get_by_test_id("batch-inputs").fill(json.dumps([{"n": i} for i in range(size)]))
    page.get_by_test_id("batch-concurrency").fill("4")
    expect(page.get_by_test_id("batch-count")).to_have_text(f"{size} inputs ready")
    page.get_by_test_id("batch-start").click()

    page.wait_for_url(re.compile(r"/batches/[0-9a-f-]{36}$"))
    expect(page.get_by_test_id("batch-run-row")).to_have_count(size)
    expect(page.get_by_test_id("batch-progress")).to_be_visible()
    screenshot(page, "in-progress")
    expect(page.get_by_test_id("batch-status")).to_have_attribute(
        "data-status", "completed", timeout=60_000
    )
    expect(page.get_by_test_id("batch-done")).to_contain_text(f"{size} / {size}")
    expect(page.get_by_test_id("batch-percent")).to_have_text("100%")
    expect(page.get_by_test_id("batch-count-completed")).to_contain_text(str(size))
    # a run waiting for an approval is counted in the word every page uses for it
    expect(page.get_by_test_id("batch-count-suspended")).to_have_text("Waiting 0")
    expect(page.locator('[data-testid="batch-run-row"][data-status="completed"]')).to_have_count(
        size
    )
    assert Run.objects.filter(batch__isnull=False, status="completed").count() == size
    screenshot(page, "done")


def test_a_big_batch_shows_its_runs_a_page_at_a_time(page, live_server, staff_user, screenshot):
    from flows.models import RunBatch

    # Given a finished batch of 250 runs, every tenth of them failed
    version = make_flow(staff_user, {"name": "Big batch", "nodes": [
        {"id": "result", "type": "output", "value": "input"}]})
    total = 250
    batch = RunBatch.objects.create(
        flow_version=version, requested_by=staff_user, total=total,
        status=RunBatch.Status.COMPLETED, finished_at=timezone.now())
    Run.objects.bulk_create(
        Run(flow_version=version, flow_id=version.flow_id, requested_by=staff_user, batch=batch,
            batch_index=i, input={"n": i},
            status=Run.Status.FAILED if i % 10 == 3 else Run.Status.COMPLETED)
        for i in range(total)
    )

    page.goto(live_server(f"/batches/{batch.id}"))
    rows = page.get_by_test_id("batch-run-row")
    expect(rows).to_have_count(100)
    expect(rows.first.locator('[data-field="n"]')).to_have_text("0")
    expect(page.get_by_test_id("batch-range")).to_have_text("1\u2013100 of 250 runs")
    page.get_by_test_id("batch-next").click()
    expect(rows.first.locator('[data-field="n"]')).to_have_text("100")
    expect(page.get_by_test_id("batch-range")).to_have_text("101\u2013200 of 250 runs")
    page.get_by_test_id("batch-next").click()
    expect(rows).to_have_count(50)
    expect(page.get_by_test_id("batch-next")).to_be_disabled()

    # a status's count shows only the runs that have it, in the batch's order
    page.get_by_test_id("batch-count-failed").click()
    expect(rows).to_have_count(25)
    expect(page.locator('[data-testid="batch-run-row"][data-status="failed"]')).to_have_count(25)
    expect(rows.first.locator('[data-field="n"]')).to_have_text("3")
    expect(page.get_by_test_id("batch-count-failed")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("link", name="Big batch")).to_be_visible()
    screenshot(page, "failed")
    page.get_by_test_id("batch-count-failed").click()
    expect(rows).to_have_count(100)


def test_the_runs_list_filters_and_links_to_runs(page, live_server, staff_user, screenshot):
    first = make_flow(staff_user, {"name": "Alpha", "nodes": [{"id": "a", "type": "tool",
                                                                "tool": "t_noop"}]})
    second = make_flow(staff_user, {"name": "Beta", "nodes": [{"id": "b", "type": "tool",
                                                               "tool": "t_fail"}]})
    alpha = start_run(staff_user, first, {})
    beta = start_run(staff_user, second, {})

    page.goto(live_server("/runs"))
    rows = page.get_by_test_id("run-row")
    expect(rows).to_have_count(2)
    expect(page.locator(f'[data-run-id="{alpha.id}"]')).to_have_attribute(
        "data-status", "completed", timeout=20_000
    )
    expect(page.locator(f'[data-run-id="{beta.id}"]')).to_have_attribute(
        "data-status", "failed", timeout=20_000
    )
    # a failed run's row says where and why, without opening it
    failed_row = page.locator(f'[data-run-id="{beta.id}"]')
    expect(failed_row.get_by_test_id("run-row-error")).to_have_text("b: boom")
    passed_row = page.locator(f'[data-run-id="{alpha.id}"]')
    expect(passed_row.get_by_test_id("run-row-error")).to_have_count(0)
    # the status icons are drawn as on a run page, though no run page was opened first
    icon = passed_row.locator(".rs-badge .rs-icon")
    assert icon.evaluate("e => getComputedStyle(e).borderRadius") == "50%"
    assert icon.evaluate("e => getComputedStyle(e).backgroundColor") != "rgba(0, 0, 0, 0)"
    # the status chips use the badges' words (a suspended run is "Waiting")
    expect(page.get_by_test_id("filter-status-suspended")).to_have_text("Waiting")
    # and, with "Approval rejected" among them, they share one row with the flow and time
    # filters in a 1400 px window (the fields were pushed onto a row of their own)
    # whichever chip is chosen
    filters = page.locator(".filters").bounding_box()
    for chosen in ("all", "approval-rejected", "completed", "cancelled"):
        page.get_by_test_id(f"filter-status-{chosen}").click()
        expect(page.get_by_test_id(f"filter-status-{chosen}")).to_have_class(re.compile(r"\bon\b"))
        chips = page.locator(".status-chips").bounding_box()
        fields = page.locator(".filter-fields").bounding_box()
        assert abs((chips["y"] + chips["height"] / 2) - (fields["y"] + fields["height"] / 2)) < 4
        assert chips["x"] + chips["width"] < fields["x"]
        assert page.locator(".filters").bounding_box() == filters, chosen
    page.get_by_test_id("filter-status-all").click()
    page.get_by_test_id("filter-status-failed").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-run-id", str(beta.id))
    page.get_by_test_id("filter-status-all").click()
    expect(rows).to_have_count(2)
    page.get_by_test_id("filter-flow").select_option(str(first.flow_id))
    expect(page).to_have_url(re.compile(rf"flow={first.flow_id}"))
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-run-id", str(alpha.id))
    screenshot(page, "filtered")
    rows.first.click()
    page.wait_for_url(live_server(f"/runs/{alpha.id}"))
    expect(node(page, "a")).to_have_attribute("data-status", "completed")


def test_a_long_error_leaves_started_and_duration_on_one_line(page, live_server, staff_user):
    message = "the payment provider refused the card because the address did not match " * 3
    version = make_flow(staff_user, {"name": "Charge", "nodes": [
        {"id": "a", "type": "tool", "tool": "t_fail", "inputs": {"message": repr(message)}}]})
    run = start_run(staff_user, version, {})
    wait_for(lambda: Run.objects.get(pk=run.pk).status == "failed", 30, 0.1, "the failure")
    earlier = timezone.now() - dt.timedelta(minutes=42)  # "42 min ago": three words
    Run.objects.filter(pk=run.pk).update(created_at=earlier, started_at=earlier)

    page.goto(live_server("/runs"))
    page.reload()  # only this page's styles: signing in has loaded the flows page's too
    row = page.locator(f'[data-run-id="{run.id}"]')
    expect(row).to_have_attribute("data-status", "failed", timeout=20_000)
    one_line = """cell => { const range = document.createRange(); range.selectNodeContents(cell);
        return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size === 1; }"""
    for cell in row.locator("td.nowrap").all():
        assert cell.evaluate(one_line), cell.inner_text()
    expect(row.locator("td.nowrap")).to_have_count(2)

    # In a narrow window every column still fits in the card: the error line is cut short
    page.set_viewport_size({"width": 1000, "height": 700})
    card = page.locator(".table-card").bounding_box()
    last = page.locator(".runs-table th").last.bounding_box()
    assert card
    assert last
    assert last["x"] + last["width"] <= card["x"] + card["width"] + 1, (last, card)
    for cell in row.locator("td.nowrap").all():
        assert cell.evaluate(one_line), cell.inner_text()


def test_a_long_flow_name_keeps_its_run_on_one_line_with_its_version(
    page, live_server, staff_user
):
    long_name = "Validate the customer's email, then if the order total is over 500 ask " * 2
    nodes = [{"id": "a", "type": "tool", "tool": "t_noop"}]
    short = start_run(staff_user, make_flow(staff_user, {"name": "Quick", "nodes": nodes}), {})
    long = start_run(staff_user, make_flow(staff_user, {"name": long_name, "nodes": nodes}), {})

    page.set_viewport_size({"width": 1000, "height": 700})
    page.goto(live_server("/runs"))
    short_row = page.locator(f'[data-run-id="{short.id}"]')
    long_row = page.locator(f'[data-run-id="{long.id}"]')
    expect(long_row.locator(".flow-line")).to_have_attribute("title", long_name)
    # the name is cut short on one line; the version stays beside it, inside the cell
    heights = [row.bounding_box()["height"] for row in (long_row, short_row)]
    assert abs(heights[0] - heights[1]) <= 1, heights
    version = long_row.locator(".flow-line .small").bounding_box()
    cell = long_row.locator("td.flow-col").bounding_box()
    assert version["x"] + version["width"] <= cell["x"] + cell["width"] + 1, (version, cell)
    expect(long_row.locator(".flow-line .small")).to_have_text("v1")



def test_the_run_page_shows_a_flow_name_of_a_few_words_whole_and_a_longer_on_hover(
    page, live_server, staff_user
):
    nodes = [{"id": "a", "type": "tool", "tool": "t_noop"}]
    name = "Look up, approve and email customer"
    run = start_run(staff_user, make_flow(staff_user, {"name": name, "nodes": nodes}), {})
    page.goto(live_server(f"/runs/{run.id}"))
    fact = page.get_by_test_id("run-flow-name")
    # a name of a few words and its version, whole on one line in the run's facts
    expect(fact).to_have_text(f"{name} v1")
    assert fact.evaluate("(el) => el.scrollWidth <= el.clientWidth"), fact.inner_text()
    # and the full name on hover, for a name too long to show whole
    expect(fact).to_have_attribute("title", f"{name} v1")


def test_a_run_page_loading_shows_its_frame_and_says_what_loads(page, live_server, staff_user):
    nodes = [{"id": "a", "type": "tool", "tool": "t_noop"}]
    run = start_run(staff_user, make_flow(staff_user, {"name": "Quick", "nodes": nodes}), {})
    # the run's own answer held back, as on a slow network
    held: list[Any] = []
    pattern = re.compile(rf".*/api/v1/runs/{run.id}/(\?.*)?$")
    page.route(pattern, lambda route: held.append(route))
    page.goto(live_server(f"/runs/{run.id}"))

    # Then the page shows the frame of the run (its facts and graph), saying what loads
    loading = page.get_by_test_id("page-loading")
    expect(loading).to_be_visible()
    expect(loading.get_by_role("status")).to_have_text("Loading the run…")
    assert loading.locator(".ps-graph").bounding_box()["height"] >= 300

    # and the run once it comes
    for route in held:
        route.continue_()
    page.unroute(pattern)
    expect(page.get_by_test_id("run-graph")).to_be_visible()
    expect(loading).to_have_count(0)


def test_the_flow_filter_keeps_its_width_when_a_long_flow_name_is_chosen(
    page, live_server, staff_user, screenshot
):
    # Given runs of a short-named flow, and a flow whose name is longer than the filter
    long_name = "Validate the customer's email, then if the order total is over 500 ask " * 2
    nodes = [{"id": "a", "type": "tool", "tool": "t_noop"}]
    start_run(staff_user, make_flow(staff_user, {"name": "Quick", "nodes": nodes}), {})
    long = make_flow(staff_user, {"name": long_name, "nodes": nodes})
    start_run(staff_user, long, {})
    page.goto(live_server("/runs"))
    select = page.get_by_test_id("filter-flow")
    expect(select.locator("option")).to_have_count(3)
    before = select.bounding_box()
    filters = page.locator(".filters").bounding_box()
    expect(select).to_have_attribute("title", "All flows")

    # When the long one is chosen
    select.select_option(str(long.flow_id))
    expect(page).to_have_url(re.compile(rf"flow={long.flow_id}"))
    expect(page.locator("[data-run-id]")).to_have_count(1)

    # Then the filter and the row of filters stay as they were; the name is whole in its title
    assert select.bounding_box() == before
    assert page.locator(".filters").bounding_box() == filters
    expect(select).to_have_attribute("title", long_name)
    # and the page's lead names the flow on one line, whole in its title
    lead = page.locator(".runs-lead")
    expect(lead).to_have_attribute("title", f"Runs of {long_name}")
    assert lead.bounding_box()["height"] < 30
    screenshot(page, "long-flow-chosen")



# Every overlap on the timeline: a duration over its bar (unless drawn inside it), a label
# out of its track, two axis labels on each other, and the axis not over the bars' track.
TIMELINE_OVERLAPS = """() => {
    const found = [];
    const timeline = document.querySelector('[data-testid="timeline"]');
    const axis = timeline.querySelector('.tl-axis .tl-track').getBoundingClientRect();
    const ticks = [...timeline.querySelectorAll('.tl-tick')].map((t) => t.getBoundingClientRect());
    for (let i = 1; i < ticks.length; i += 1) {
        if (ticks[i].left < ticks[i - 1].right) found.push('tick ' + i + ' over tick ' + (i - 1));
    }
    for (const tick of ticks) {
        const out = tick.left < axis.left - 1 || tick.right > axis.right + 1;
        if (out) found.push('tick out of the axis');
    }
    for (const row of timeline.querySelectorAll('.tl-row')) {
        const id = row.dataset.testid;
        const track = row.querySelector('.tl-track').getBoundingClientRect();
        if (Math.abs(track.left - axis.left) > 1 || Math.abs(track.right - axis.right) > 1) {
            found.push(id + ': its track is not under the axis');
        }
        const bar = row.querySelector('.tl-bar').getBoundingClientRect();
        const label = row.querySelector('.tl-duration');
        const at = label.getBoundingClientRect();
        const out = at.left < track.left - 1 || at.right > track.right + 1;
        if (out) found.push(id + ': label out of the track');
        if (label.dataset.placement === 'inside') {
            const over = at.left < bar.left || at.right > bar.right;
            if (over) found.push(id + ': inside label over the edge');
        } else if (at.right > bar.left + 0.5 && at.left < bar.right - 0.5) {
            found.push(id + ': label over its bar');
        }
        if (label.scrollWidth > label.clientWidth + 1) found.push(id + ': label cut short');
    }
    return found;
}"""


@pytest.mark.parametrize("width", [1400, 1000])
def test_the_timeline_labels_do_not_overlap_when_nodes_are_short_or_many(
    page, live_server, staff_user, screenshot, width
):
    # Given a run of many short steps: seven side by side, then a chain of eight, one slow
    nodes: list[dict[str, Any]] = [{"id": "start", "type": "value", "value": "input"}]
    for i in range(1, 16):
        after = "start" if i < 8 else f"step_{i - 1}"
        nodes.append({"id": f"step_{i}", "type": "value", "value": f"'{i}'", "after": [after]})
    nodes.append({"id": "slow", "type": "tool", "tool": "t_slow", "after": ["step_15"],
                  "inputs": {"seconds": "0.3", "value": "step_15"}})
    nodes.append({"id": "result", "type": "output", "value": "[step_7, slow.value]"})
    run = start_run(staff_user, make_flow(staff_user, {"name": "Many", "nodes": nodes}), {})

    # When its page is open, in a wide and a narrow window
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server(f"/runs/{run.id}"))
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-status", "completed",
                                                              timeout=30_000)
    timeline = page.get_by_test_id("timeline")
    expect(timeline.locator(".tl-row").first).to_be_visible()
    timeline.scroll_into_view_if_needed()

    # Then no label is over another or over a bar, from the first rows to the last
    assert page.evaluate(TIMELINE_OVERLAPS) == []
    screenshot(page, f"timeline-{width}")
    timeline.locator(".tl-rows").evaluate("(rows) => rows.scrollTo(0, rows.scrollHeight)")
    expect(page.get_by_test_id("timeline-row-result")).to_be_visible()
    assert page.evaluate(TIMELINE_OVERLAPS) == []


def test_a_run_no_worker_takes_says_so_until_one_does(page, live_server, staff_user, screenshot):
    version = make_flow(staff_user, {"name": "Quick", "nodes": [
        {"id": "a", "type": "tool", "tool": "t_noop"}]})
    # Given no worker is running
    live_server.worker.stop()
    run = start_run(staff_user, version, {})

    # the page says why the run stays pending, once that is past a short grace
    page.goto(live_server(f"/runs/{run.id}"))
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-status", "pending")
    expect(page.get_by_test_id("run-no-worker")).to_have_count(0)
    note = page.get_by_test_id("run-no-worker")
    expect(note).to_contain_text("No worker has started this run yet", timeout=20_000)
    expect(note).to_contain_text("make run")
    screenshot(page, "no-worker")

    # When a worker starts, it takes the run and the note goes
    live_server.worker.start()
    expect(page.get_by_test_id("run-status")).to_have_attribute(
        "data-status", "completed", timeout=60_000)
    expect(note).to_have_count(0)


def test_a_run_that_is_not_there_says_so(page, live_server, screenshot):
    page.goto(live_server("/runs/00000000-0000-0000-0000-000000000000"))
    expect(page.get_by_test_id("run-error-load")).to_contain_text("Run not found")
    expect(page.get_by_test_id("run-error-load")).to_contain_text(
        "does not exist, or you may not see it"
    )
    page.goto(live_server("/runs/not-a-run"))
    expect(page.get_by_test_id("run-error-load")).to_contain_text("Run not found")
    page.goto(live_server("/batches/not-a-batch"))
    expect(page.get_by_test_id("batch-not-found")).to_contain_text("Batch not found")
    # the refused requests are answered on the page, none escapes as an uncaught error
    assert page.errors == []
    screenshot(page, "batch-not-found")


def test_a_node_looks_the_same_on_the_run_page_as_in_the_designer(
    page, live_server, staff_user, screenshot
):
    ir = {
        "name": "Same icons",
        "input_schema": {"type": "object", "properties": {"amount": {"type": "number"}}},
        "nodes": [
            {"id": "twice", "type": "value", "value": "2"},
            {"id": "big", "type": "branch", "condition": "twice > 1",
             "then": ["result"], "else": []},
            {"id": "result", "type": "output", "value": "twice"},
        ],
    }
    version = make_flow(staff_user, ir)

    def icons(card_selector: str) -> dict[str, tuple[str, str]]:
        """Each node's icon (its drawing) and colour, as the page shows them."""
        return page.eval_on_selector_all(card_selector, """cards => Object.fromEntries(cards.map(
            card => [card.dataset.nodeId, [card.querySelector('svg path').getAttribute('d'),
                     getComputedStyle(card.querySelector('svg').parentElement)
                       .getPropertyValue('--kind').trim() ||
                     getComputedStyle(card).getPropertyValue('--kind').trim()]]))""")

    page.goto(live_server(f"/flows/{version.flow_id}"))
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-ready", "true")
    designer = icons(".react-flow__node [data-node-id]")
    assert set(designer) == {"twice", "big", "result"}

    run = start_run(staff_user, version, {})
    page.goto(live_server(f"/runs/{run.id}"))
    expect(node(page, "result")).to_have_attribute("data-status", "completed")
    on_run = icons(".rn[data-node-id]")
    # the same drawing and the same colour for each type: a value is not '=' here and '{ }'
    # there, and an output's flag is not an approval's
    assert on_run == designer
    node(page, "big").click()
    panel_icon = page.get_by_test_id("node-panel").locator(".np-icon path")
    expect(panel_icon).to_have_attribute("d", designer["big"][0])
    screenshot(page, "icons")



def open_completed_echo_run(page, live_server, user):
    """A one-step run that echoes its input's name ("Ada"), completed, open in the page."""
    version = make_flow(user, {
        "name": "Echo", "input_schema": {"type": "object", "properties": {
            "name": {"type": "string"}}},
        "nodes": [{"id": "result", "type": "output", "value": "input.name"}]})
    run = start_run(user, version, {"name": "Ada"})
    page.goto(live_server(f"/runs/{run.id}"))
    expect(node(page, "result")).to_have_attribute("data-status", "completed")
    return run


def test_edit_input_then_cancel_goes_back_to_the_run(page, live_server, staff_user):
    run = open_completed_echo_run(page, live_server, staff_user)
    # the way to the designer is a button like its neighbours, not a bare line of text
    expect(page.get_by_test_id("run-open-designer")).not_to_have_css(
        "border-top-color", "rgba(0, 0, 0, 0)")
    page.get_by_test_id("run-edit-input").click()
    dialog = page.get_by_test_id("start-run-dialog")
    expect(dialog.locator("#run-input_name")).to_have_value("Ada")
    dialog.get_by_role("button", name="Cancel").click()
    expect(page).to_have_url(live_server(f"/runs/{run.id}"))
    expect(page.get_by_test_id("run-page")).to_be_visible()


def test_escape_closes_a_nodes_details(page, live_server, staff_user, screenshot):
    run = open_completed_echo_run(page, live_server, staff_user)
    panel = page.get_by_test_id("node-panel")

    node(page, "result").click()
    expect(panel).to_be_visible()
    screenshot(page, "panel-open")
    # as a side panel closes in n8n or Dify, without reaching for its close button
    page.keyboard.press("Escape")
    expect(panel).to_have_count(0)
    expect(page).to_have_url(live_server(f"/runs/{run.id}"))
    node(page, "result").click()
    expect(panel).to_be_visible()


def test_an_empty_runs_list_says_what_to_do(page, live_server, staff_user, screenshot):
    make_flow(staff_user, {"name": "Echo", "nodes": [
        {"id": "result", "type": "output", "value": "input"}]})
    broken = make_flow(staff_user, {"name": "Broken", "nodes": [
        {"id": "result", "type": "output", "value": "nowhere.value"}]})
    FlowVersion.objects.filter(pk=broken.pk).update(is_valid=False)
    page.goto(live_server("/runs"))
    empty = page.get_by_test_id("runs-empty")
    expect(empty.get_by_role("heading", name="No runs yet")).to_be_visible()
    screenshot(page, "empty")
    # its main button starts a run: pick the flow
    empty.get_by_role("button", name="Run a flow…").click()
    picker = page.get_by_test_id("pick-flow-dialog")
    expect(picker).to_contain_text("Echo")
    # a flow whose latest version cannot run says so before it is picked
    expect(picker.get_by_role("button", name=re.compile("Broken")).get_by_test_id(
        "pick-invalid")).to_be_visible()
    expect(picker.get_by_role("button", name=re.compile("Echo")).get_by_test_id(
        "pick-invalid")).to_have_count(0)
    # Escape closes it, as it does the other dialogs
    page.keyboard.press("Escape")
    expect(picker).to_have_count(0)

    page.goto(live_server("/runs?status=failed"))
    expect(empty.get_by_role("heading", name="No runs match these filters")).to_be_visible()
    empty.get_by_role("button", name="Clear filters").click()
    expect(page).to_have_url(live_server("/runs"))
    expect(empty.get_by_role("heading", name="No runs yet")).to_be_visible()


def test_two_flows_of_one_name_are_told_apart_in_the_flow_picker(
    page, live_server, staff_user, screenshot
):
    # Given two flows planned from two prompts that got the same name
    for description in ("Welcome every new customer", "Welcome the staff who joined today"):
        version = make_flow(staff_user, {
            "name": "Send welcome email", "description": description,
            "nodes": [{"id": "result", "type": "output", "value": "input"}]})
        Flow.objects.filter(pk=version.flow_id).update(description=description)

    # When a run is started from the runs page
    page.goto(live_server("/runs?start=pick"))
    picker = page.get_by_test_id("pick-flow-dialog")

    # Then each is listed with what it does and when it changed, not as the same line twice
    choices = picker.get_by_role("button", name=re.compile("Send welcome email"))
    expect(choices).to_have_count(2)
    expect(picker.get_by_test_id("pick-description")).to_have_text(
        ["Welcome the staff who joined today", "Welcome every new customer"])
    expect(choices.first).to_contain_text("changed")
    screenshot(page, "same-names")
    picker.get_by_role("button", name=re.compile("new customer")).click()
    expect(page.get_by_test_id("start-run-dialog")).to_contain_text("Welcome every new customer")


def test_flows_beyond_the_first_page_can_be_picked_and_filtered_on(
    page, live_server, staff_user, screenshot
):
    # Given more flows than a picker lists at once, the oldest changed first
    oldest = make_flow(staff_user, {"name": "Quarterly ledger close", "nodes": [
        {"id": "result", "type": "output", "value": "input"}]})
    Run.objects.create(flow_version=oldest, requested_by=staff_user, status=Run.Status.COMPLETED)
    for i in range(60):
        make_flow(staff_user, {"name": f"Flow {i}", "nodes": [
            {"id": "result", "type": "output", "value": "input"}]})

    # the picker asks the server: typing finds a flow the first page does not hold
    page.goto(live_server("/runs?start=pick"))
    picker = page.get_by_test_id("pick-flow-dialog")
    expect(picker.get_by_test_id("pick-more")).to_contain_text("50 most recently changed of 61")
    expect(picker.get_by_role("button", name=re.compile("Quarterly"))).to_have_count(0)
    screenshot(page, "picker")
    picker.get_by_role("searchbox", name="Search flows").fill("ledger")
    picker.get_by_role("button", name=re.compile("Quarterly ledger close")).click()
    expect(page.get_by_test_id("start-run-dialog")).to_be_visible()

    # filtering on that flow (a link from elsewhere) names it in the filter and lists its run
    page.goto(live_server(f"/runs?flow={oldest.flow_id}"))
    expect(page.get_by_test_id("filter-flow").locator("option:checked")).to_have_text(
        "Quarterly ledger close")
    rows = page.get_by_test_id("run-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Quarterly ledger close")
    screenshot(page, "filtered")


def test_the_run_graph_routes_the_edges_of_a_flow_saved_from_the_designer(
    page, live_server, staff_user, screenshot
):
    from tests.browser.test_designer import EDGES_THROUGH_CARDS, wait_routed

    # Given a flow whose cards the designer saved where a person put them (no layout's
    # places: columns 330 px apart, rows off level, a step reading one from the start)
    def at(x: int, y: int) -> dict[str, int]:
        return {"x": x, "y": y}

    version = make_flow(staff_user, {
        "name": "Arms, arranged",
        "nodes": [
            {"id": "order", "type": "value", "value": "'A1'", "position": at(0, 60)},
            {"id": "stock", "type": "value", "value": "order", "position": at(330, 40)},
            {"id": "in_stock", "type": "branch", "condition": "stock != null",
             "then": ["charge", "ship", "receipt"], "else": ["sorry"], "position": at(660, 70)},
            {"id": "charge", "type": "value", "value": "order", "after": ["in_stock"],
             "position": at(990, 0)},
            {"id": "ship", "type": "value", "value": "order", "after": ["charge"],
             "position": at(1320, 10)},
            {"id": "receipt", "type": "output", "value": "ship", "after": ["ship"],
             "position": at(1650, 0)},
            {"id": "sorry", "type": "value", "value": "'sorry'", "after": ["in_stock"],
             "position": at(990, 230)},
        ],
    })
    run = start_run(staff_user, version, {})

    # When its run page draws the graph where the designer put the cards
    page.goto(live_server(f"/runs/{run.id}"))
    expect(page.get_by_test_id("run-graph")).to_have_attribute("data-ready", "true")
    expect(node(page, "receipt")).to_be_visible()
    assert node(page, "sorry").bounding_box()["y"] > node(page, "charge").bounding_box()["y"]
    count = page.locator(".run-graph .react-flow__edge").count()
    assert count >= 8

    # Then every edge is routed with square corners (no curve) and none runs through a card
    wait_routed(page, ".run-graph", count)
    assert page.evaluate(EDGES_THROUGH_CARDS, ".run-graph") == []
    screenshot(page, "routed-saved-positions")


def test_the_run_graph_draws_edges_around_the_cards_they_skip(
    page, live_server, staff_user, screenshot
):
    from tests.browser.test_designer import EDGES_THROUGH_CARDS, wait_routed

    # Given a branch whose then arm reaches steps two and three columns on, and a step that
    # reads one from the start of the flow
    version = make_flow(staff_user, ARMS)
    run = start_run(staff_user, version, {})

    # When its run page draws the graph
    page.goto(live_server(f"/runs/{run.id}"))
    expect(page.get_by_test_id("run-graph")).to_have_attribute("data-ready", "true")
    expect(node(page, "receipt")).to_be_visible()
    count = page.locator(".run-graph .react-flow__edge").count()
    assert count >= 8

    # Then every edge follows its route and none runs through a card it does not join
    wait_routed(page, ".run-graph", count)
    assert page.evaluate(EDGES_THROUGH_CARDS, ".run-graph") == []
    screenshot(page, "routed")


ARMS = {
    "name": "Arms",
    "nodes": [
        {"id": "order", "type": "value", "value": "'A1'"},
        {"id": "stock", "type": "value", "value": "order"},
        {"id": "in_stock", "type": "branch", "condition": "stock != null",
         "then": ["charge", "ship", "receipt"], "else": ["sorry"]},
        {"id": "charge", "type": "value", "value": "order", "after": ["in_stock"]},
        {"id": "ship", "type": "value", "value": "order", "after": ["charge"]},
        {"id": "receipt", "type": "output", "value": "ship", "after": ["ship"]},
        {"id": "sorry", "type": "value", "value": "'sorry'", "after": ["in_stock"]},
    ],
}

# Whether an edge is drawn to be seen (a shortcut is hidden, as in the designer).
EDGE_SHOWN = "(edge) => getComputedStyle(edge).opacity !== '0'"


def test_the_run_graph_hides_the_reads_the_designer_hides_until_a_step_is_picked(
    page, live_server, staff_user, screenshot
):
    # Given a run of a flow where charge reads order, which it already waits for through
    # stock and the branch (the designer draws that read only while either step is picked)
    run = start_run(staff_user, make_flow(staff_user, ARMS), {})
    page.goto(live_server(f"/runs/{run.id}"))
    expect(page.get_by_test_id("run-graph")).to_have_attribute("data-ready", "true")
    shortcut = page.get_by_test_id("rf__edge-data:order->charge")
    expect(shortcut).to_have_count(1)

    # Then the run page does not draw it, and draws the order it is implied by
    assert not shortcut.evaluate(EDGE_SHOWN)
    assert page.get_by_test_id("rf__edge-data:order->stock").evaluate(EDGE_SHOWN)
    screenshot(page, "shortcut-hidden")

    # When charge is picked, what it reads shows, and hides again when it is let go
    node(page, "charge").click()
    expect(page.get_by_test_id("node-panel")).to_have_attribute("data-node-id", "charge")
    expect(shortcut).to_have_class(re.compile(r"\bedge-lit\b"))
    page.wait_for_function(
        f"() => ({EDGE_SHOWN})(document.querySelector("
        "'[data-testid=\"rf__edge-data:order->charge\"]'))"
    )
    screenshot(page, "shortcut-picked")
    page.mouse.move(5, 5)  # off the card: pointing at it shows its reads too
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("node-panel")).to_have_count(0)
    expect(shortcut).not_to_have_class(re.compile(r"\bedge-lit\b"))


# A fork with one long arm, joined at the end.
FORKED = {
    "name": "Forked",
    "nodes": [
        {"id": "order", "type": "value", "value": "'A1'"},
        {"id": "a", "type": "value", "value": "order"},
        {"id": "b", "type": "value", "value": "order"},
        {"id": "c", "type": "value", "value": "a"},
        {"id": "d", "type": "value", "value": "c"},
        {"id": "result", "type": "output", "value": "[d, b]"},
    ],
}

# Each card's place on screen at every frame, until the graph is laid out for good.
TRACK_CARDS = """() => {
    window.__cardFrames = [];
    const frame = () => {
        const places = {};
        for (const card of document.querySelectorAll('.run-graph .rn[data-node-id]')) {
            const box = card.getBoundingClientRect();
            places[card.dataset.nodeId] = [Math.round(box.x), Math.round(box.y)];
        }
        window.__cardFrames.push(places);
        const graph = document.querySelector('[data-testid="run-graph"]');
        if (graph?.dataset.ready !== 'true' && window.__cardFrames.length < 2000) {
            requestAnimationFrame(frame);
        }
    };
    requestAnimationFrame(frame);
}"""


def test_the_run_graph_is_drawn_before_the_layout_engine_answers(page, live_server, staff_user):
    from tests.browser.test_designer import settled_box

    # Given a run of a flow never laid out (one whose quick layout ELK's moves: the long arm
    # of a fork), and the layout engine's worker held back
    held: list[Any] = []
    page.context.route(re.compile(r"elk-worker[^/]*\.js$"), lambda route: held.append(route))
    # (with motion, as most people see it: the test watches the cards ease to their places)
    page.emulate_media(reduced_motion="no-preference")
    run = start_run(staff_user, make_flow(staff_user, FORKED), {})
    page.goto(live_server(f"/runs/{run.id}"))

    # Then every card is drawn at once, in reading order (left to right, a row folded under
    # the one before as the designer opens a flow), and shows the run's live status,
    # while the graph says it is not laid out for good yet
    graph = page.get_by_test_id("run-graph")
    expect(graph).to_have_attribute("data-drawn", "true")
    for step in FORKED["nodes"]:
        expect(node(page, step["id"])).to_be_visible()
    expect(node(page, "result")).to_have_attribute("data-status", "completed", timeout=30_000)
    expect(graph).to_have_attribute("data-ready", "false")
    quick = {s["id"]: node(page, s["id"]).bounding_box() for s in FORKED["nodes"]}
    chain = [quick[step] for step in ("order", "a", "c", "d", "result")]
    assert all(b["x"] > a["x"] or b["y"] >= a["y"] + a["height"] for a, b in pairwise(chain)), chain
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the layout worker was never requested"

    # When the worker arrives, the cards move to ELK's places over several frames (no jump)
    page.evaluate(TRACK_CARDS)
    for route in held:
        route.continue_()
    expect(graph).to_have_attribute("data-ready", "true")
    settled = {s["id"]: settled_box(node(page, s["id"])) for s in FORKED["nodes"]}
    frames = page.evaluate("window.__cardFrames")
    # (a card that moves a pixel or two has fewer places to be seen at than frames)
    moved = [
        card for card in quick
        if card in frames[0] and max(abs(frames[0][card][0] - settled[card]["x"]),
                                     abs(frames[0][card][1] - settled[card]["y"])) > 8
    ]
    assert moved, "ELK's layout is where the quick one put every card: nothing to ease"
    for card in moved:
        places = {tuple(f[card]) for f in frames if card in f}
        assert len(places) >= 4, (card, places)

    # and those are the places a reload (ELK's layout kept in the browser) draws at once
    page.reload()
    expect(graph).to_have_attribute("data-ready", "true")
    assert {s["id"]: settled_box(node(page, s["id"])) for s in FORKED["nodes"]} == settled
    assert page.errors == []


def test_a_run_started_from_another_links_back_to_it(page, live_server, staff_user, screenshot):
    run = open_completed_echo_run(page, live_server, staff_user)
    expect(page.get_by_test_id("run-rerun-of")).to_have_count(0)

    # its input edited, then started: a new run that says which run it repeats
    page.get_by_test_id("run-edit-input").click()
    dialog = page.get_by_test_id("start-run-dialog")
    expect(dialog.locator("#run-input_name")).to_have_value("Ada")
    dialog.locator("#run-input_name").fill("Grace")
    dialog.get_by_test_id("start-run-submit").click()
    page.wait_for_url(lambda url: "/runs/" in url and str(run.id) not in url)
    back = page.get_by_test_id("run-rerun-of")
    expect(back).to_contain_text(f"Re-run of run {str(run.id)[:8]}")
    expect(node(page, "result")).to_have_attribute("data-status", "completed")
    edited = Run.objects.exclude(id=run.id).get(flow_version=run.flow_version)
    assert (edited.input, edited.rerun_of) == ({"name": "Grace"}, run.id)
    screenshot(page, "rerun-of")

    back.get_by_role("link").click()
    expect(page).to_have_url(live_server(f"/runs/{run.id}"))
    expect(page.get_by_test_id("run-page")).to_have_attribute("data-run-status", "completed")


def test_the_event_log_lists_each_event_live_and_filters_to_problems_or_a_node(
    page, live_server, staff_user, screenshot
):
    version = make_flow(
        staff_user,
        {
            "name": "Flaky log",
            "nodes": [
                {"id": "fine", "type": "tool", "tool": "t_noop"},
                {
                    "id": "flaky",
                    "type": "tool",
                    "tool": "t_slow",
                    "title": "Flaky step",
                    "after": ["fine"],
                    "inputs": {"seconds": "5"},
                    "timeout_s": 0.3,
                    "retry": {"max_attempts": 3, "backoff_s": 0.5, "multiplier": 2.0},
                },
            ],
        },
    )
    run = start_run(staff_user, version, {})

    # Given the run page open on its events while the run goes
    page.goto(live_server(f"/runs/{run.id}"))
    page.get_by_test_id("tab-events").click()
    events = page.get_by_test_id("run-events")
    # When the run fails after its retries, each event arrives as a line, in order
    expect(events.locator('[data-type="run.failed"]')).to_have_count(1, timeout=30_000)
    expect(events.locator('[data-type="node.retrying"]')).to_have_count(2)
    lines = events.locator("li")
    stored = Run.objects.get(id=run.id).events.count()
    expect(lines).to_have_count(stored)
    expect(lines.first).to_have_attribute("data-type", "run.started")
    expect(lines.last).to_have_attribute("data-type", "run.failed")
    failed = events.locator('[data-type="node.failed"]')
    expect(failed).to_contain_text("Flaky step")
    expect(failed).to_contain_text("timeout")
    expect(failed).to_contain_text("after 3 attempts")
    expect(events.locator('[data-type="node.retrying"]').first).to_contain_text("again in 500 ms")
    screenshot(page, "events")

    # Then "Problems only" keeps the retries and the failures
    page.get_by_test_id("run-events-problems").check()
    expect(lines).to_have_count(4)
    page.get_by_test_id("run-events-problems").uncheck()

    # and a node's name opens its details, and the log can keep to that node
    events.locator('[data-type="node.output"]').get_by_role("button", name="fine").click()
    expect(page.get_by_test_id("node-panel-status")).to_have_attribute("data-status", "completed")
    page.get_by_test_id("run-events-selected").check()
    expect(lines).to_have_count(2)
    for i in range(2):
        expect(lines.nth(i).get_by_role("button", name="fine")).to_be_visible()


def test_a_waiting_run_says_in_the_runs_list_which_step_and_who_it_waits_for(
    page, live_server, staff_user, screenshot
):
    version = make_flow(staff_user, {
        "name": "Needs a yes",
        "nodes": [
            {"id": "first", "type": "tool", "tool": "t_noop"},
            {"id": "ok", "type": "approval", "title": "Approve the refund", "after": ["first"],
             "assignees": {"users": ["cyd"], "groups": ["finance"]}},
        ],
    })
    run = start_run(staff_user, version, {})
    wait_for(lambda: Run.objects.get(id=run.id).status == "suspended", timeout=30)

    page.goto(live_server("/runs"))
    row = page.locator(f'[data-testid="run-row"][data-run-id="{run.id}"]')
    expect(row.get_by_test_id("run-row-waiting")).to_have_text(
        "Waiting for Approve the refund, by group finance, cyd"
    )
    screenshot(page, "waiting-row")


def test_a_big_output_reads_as_numbered_folded_items_and_a_long_text_as_its_start(
    page, live_server, staff_user, screenshot
):
    # Given a value node whose output is a list of 120 records, one with a long text
    records = [{"n": i, "text": "word " * (400 if i == 0 else 2)} for i in range(120)]
    version = make_flow(staff_user, {
        "name": "Records",
        "input_schema": {"type": "object", "properties": {"records": {"type": "array"}}},
        "nodes": [{"id": "all", "type": "value", "value": "input.records"}],
    })
    run = start_run(staff_user, version, {"records": records})

    # When its details are opened
    page.goto(live_server(f"/runs/{run.id}"))
    expect(node(page, "all")).to_have_attribute("data-status", "completed", timeout=30_000)
    node(page, "all").click()
    output = page.get_by_test_id("node-panel-output")

    # Then the first 50 items show folded, one numbered line each, the rest a click away
    folded = output.locator(".jv-children > [data-folded]")
    expect(folded).to_have_count(50)
    expect(folded.nth(7)).to_contain_text('7: {2} {"n":7,')
    output.get_by_role("button", name="Show 70 more").click()
    expect(folded).to_have_count(120)

    # and a long text shows its start until asked for all of it
    folded.first.get_by_role("button").click()
    more = output.get_by_test_id("json-string-more")
    expect(more).to_have_text("show all 2,000 characters")
    screenshot(page, "big-output")
    more.click()
    expect(more).to_have_count(0)


def test_an_empty_required_cell_in_a_batch_csv_is_reported_before_the_batch_starts(
    page, live_server, staff_user
):
    version = make_flow(staff_user, {
        "name": "Welcome",
        "input_schema": {"type": "object", "required": ["email", "name"],
                         "properties": {"email": {"type": "string", "format": "email"},
                                        "name": {"type": "string"}}},
        "nodes": [{"id": "out", "type": "output", "value": "input.email"}],
    })
    page.goto(live_server(f"/runs?start={version.flow_id}"))
    page.get_by_test_id("start-tab-batch").click()

    # A row whose email cell is empty is missing its email, as a row without the column is
    page.get_by_test_id("batch-inputs").fill("email,name\nann@example.com,Ann\n,Dana\n")
    expect(page.get_by_test_id("batch-invalid")).to_contain_text('"email" is missing')
    expect(page.get_by_test_id("batch-start")).to_be_disabled()
    page.get_by_test_id("batch-inputs").fill("email,name\nann@example.com,Ann\ndana@example.com,Dana\n")
    expect(page.get_by_test_id("batch-count")).to_have_text("2 inputs ready")

    # A value the schema refuses is said in plain words, not in the validator's
    page.get_by_test_id("batch-inputs").fill('[{"email": "ann", "name": "Ann"}]')
    invalid = page.get_by_test_id("batch-invalid")
    expect(invalid).to_contain_text('input 1: "email" should be an email address')
    expect(invalid).not_to_contain_text("must match format")
    expect(page.get_by_test_id("batch-start")).to_be_disabled()
    assert not Run.objects.filter(flow_version=version).exists()


APPROVER_FLOW = {
    "name": "Refund",
    "input_schema": {"type": "object", "properties": {"customer": {"type": "string"}}},
    "nodes": [
        {"id": "lookup", "type": "value", "title": "Look up the order",
         "value": "input.customer + ' ordered a kettle'"},
        {"id": "ledger", "type": "value", "title": "Ledger note", "value": "'ledger-only-owner'"},
        {"id": "ok", "type": "approval", "title": "Approve the refund", "after": ["lookup"],
         "form_schema": {"type": "object", "properties": {"note": {"type": "string"}}},
         "assignees": {"groups": ["refunds"]}},
        {"id": "pay", "type": "value", "title": "Pay", "after": ["ok"],
         "value": "'paid-' + ledger"},
        {"id": "result", "type": "output", "value": "pay"},
    ],
}


def test_an_approver_sees_the_run_read_only_up_to_their_step(
    new_page, live_server, staff_user, user, django_user_model, screenshot
):
    from django.contrib.auth.models import Group

    from tests.browser.conftest import PASSWORD

    # Given ada's run waiting for the "refunds" group, which bob is in and dan is not
    bob = django_user_model.objects.create_user("bob", password=PASSWORD)
    dan = django_user_model.objects.create_user("dan", password=PASSWORD)
    Group.objects.create(name="refunds").user_set.add(bob)
    version = make_flow(user, APPROVER_FLOW)
    run = start_run(user, version, {"customer": "Jo"})
    wait_for(lambda: Run.objects.get(pk=run.pk).status == "suspended", 30, 0.2, "suspension")

    # When bob opens the run
    page = new_page(bob)
    page.goto(live_server(f"/runs/{run.id}"))

    # Then he sees its graph and timeline, read only: no cancel, re-run, input or designer
    expect(page.get_by_test_id("run-page")).to_have_attribute("data-run-status", "suspended")
    expect(node(page, "ok")).to_have_attribute("data-status", "waiting")
    expect(page.get_by_test_id("run-read-only")).to_be_visible()
    expect(page.get_by_test_id("run-approver-note")).to_contain_text("Approve the refund")
    for control in ("run-cancel", "run-rerun", "run-edit-input", "run-open-designer"):
        expect(page.get_by_test_id(control)).to_have_count(0)
    expect(page.get_by_test_id("timeline-row-lookup")).to_be_visible()
    # what the steps before his read and produced, not the others'
    node(page, "lookup").click()
    expect(page.get_by_test_id("node-panel-output")).to_contain_text("Jo ordered a kettle")
    node(page, "ledger").click()
    expect(page.get_by_test_id("node-panel-withheld")).to_be_visible()
    expect(page.get_by_test_id("node-panel-output")).to_have_count(0)
    page.get_by_test_id("node-panel-close").click()
    screenshot(page, "approver-waiting")

    # and he decides from there; the run finishes before his eyes, its result not his
    page.get_by_test_id("run-open-inbox").click()
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("step-closed")).to_contain_text("Decided by bob")
    page.get_by_test_id("step-watch-run").click()
    expect(page.get_by_test_id("run-page")).to_have_attribute(
        "data-run-status", "completed", timeout=30_000
    )
    expect(node(page, "pay")).to_have_attribute("data-status", "completed")
    expect(page.get_by_test_id("run-result-withheld")).to_be_visible()
    assert "ledger-only-owner" not in page.content()
    screenshot(page, "approver-completed")

    # while dan, who decides nothing in it, finds no run at all
    other = new_page(dan)
    other.goto(live_server(f"/runs/{run.id}"))
    expect(other.get_by_test_id("run-error-load")).to_be_visible()
    expect(other.get_by_test_id("run-page")).to_have_count(0)


def _field_ids(dialog: Any) -> list[str]:
    """The run form's top-level fields, top to bottom."""
    ids = dialog.locator("input[id^='run-input_'], select[id^='run-input_']").evaluate_all(
        "els => els.map(e => e.id.replace('run-input_', ''))"
    )
    return [i for i in dict.fromkeys(ids) if "_" not in i or i.startswith("address_")]


def test_the_start_run_form_lists_its_fields_in_the_flows_order(
    page, live_server, staff_user
):
    from django.db import connection

    schema = {
        "type": "object",
        "required": ["name"],
        "properties": {
            "zip": {"type": "string"},
            "name": {"type": "string"},
            "amount": {"type": "integer"},
            "address": {"type": "object",
                        "properties": {"street": {"type": "string"}, "city": {"type": "string"}}},
            "accept": {"type": "boolean"},
        },
    }
    ir = {"name": "Ordered", "input_schema": schema,
          "nodes": [{"id": "out", "type": "output", "value": "input"}]}
    version = make_flow(staff_user, ir)

    # Given a flow saved with its fields in an order of its own, not alphabetical
    page.goto(live_server(f"/runs?start={version.flow_id}"))
    dialog = page.get_by_test_id("start-run-dialog")
    expect(dialog.locator("#run-input_zip")).to_be_visible()
    # the form lists them as the flow does, the nested object's too
    assert _field_ids(dialog) == [
        "zip", "name", "amount", "address_street", "address_city", "accept"
    ]
    # and the run's input reads in that order too (the database keeps it sorted)
    dialog.locator("#run-input_zip").fill("75001")
    dialog.locator("#run-input_name").fill("Ada")
    page.get_by_test_id("start-run-submit").click()
    page.wait_for_url(re.compile(r"/runs/[0-9a-f-]{36}$"))
    page.get_by_test_id("tab-input").click()
    shown = page.get_by_test_id("run-input").inner_text()
    assert shown.index("zip") < shown.index("name"), shown

    # and a version stored before the order was kept still opens, required field first
    old = make_flow(staff_user, {**ir, "name": "Old"})
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE flows_flowversion SET ir = jsonb_set(ir, '{input_schema}',"
            " (ir->'input_schema') - 'x-order') WHERE id = %s",
            [old.id],
        )
    page.goto(live_server(f"/runs?start={old.flow_id}"))
    dialog = page.get_by_test_id("start-run-dialog")
    expect(dialog.locator("#run-input_name")).to_be_visible()
    assert _field_ids(dialog)[0] == "name"


def test_with_less_motion_asked_for_nothing_on_the_run_page_moves(
        page, live_server, staff_user, screenshot):
    # The failed node's panel was caught mid-slide, faded; status dots pulsed on
    version = make_flow(staff_user, {
        "name": "Slow",
        "nodes": [{"id": "slow", "type": "tool", "tool": "t_slow", "title": "Wait a while",
                   "inputs": {"seconds": "60"}}],
    })
    run = start_run(staff_user, version, {})
    page.goto(live_server(f"/runs/{run.id}"))  # the page's context asks for reduced motion
    expect(node(page, "slow")).to_have_attribute("data-status", "running", timeout=20_000)
    expect(page.locator(".conn-open")).to_have_count(1)  # the live dot, which blinked

    node(page, "slow").click()
    expect(page.get_by_test_id("node-panel")).to_be_visible()
    page.wait_for_function(
        "() => document.getAnimations().every((a) => a.playState !== 'running')",
        timeout=3_000)
    assert page.locator(".node-drawer").evaluate("(el) => getComputedStyle(el).opacity") == "1"
    screenshot(page, "still")
    services.run_cancel(user=staff_user, run_id=run.id)


def test_every_required_field_left_empty_turns_red_and_an_url_reads_as_one(
        page, live_server, staff_user, screenshot):
    # Started with its required fields empty, only the textarea turned red (an input's
    # border lost to a stronger rule), and the field for `url` was labelled "Url".
    version = make_flow(staff_user, {
        "name": "Fetch",
        "input_schema": {
            "type": "object",
            "required": ["url", "order_id", "note"],
            "properties": {"url": {"type": "string"}, "order_id": {"type": "integer"},
                           "note": {"type": "string", "format": "textarea"}},
        },
        "nodes": [{"id": "first", "type": "value", "value": "input.url"}],
    })
    page.goto(live_server(f"/runs?start={version.flow_id}"))
    dialog = page.get_by_test_id("start-run-dialog")
    expect(dialog.locator("label[for=run-input_url]")).to_have_text(re.compile(r"^URL\*?$"))
    expect(dialog.locator("label[for=run-input_order_id]")).to_have_text(
        re.compile(r"^Order ID\*?$"))
    danger = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--danger').trim()")
    red = page.evaluate("""(color) => { const probe = document.createElement('div');
        probe.style.color = color; document.body.append(probe);
        const value = getComputedStyle(probe).color; probe.remove(); return value; }""", danger)
    border = "(el) => getComputedStyle(el).borderTopColor"
    assert dialog.locator("#run-input_url").evaluate(border) != red

    page.get_by_test_id("start-run-submit").click()
    expect(dialog.locator("#run-input_url__error")).to_be_visible()
    for field in ("url", "order_id", "note"):
        expect(dialog.locator(f"#run-input_{field}__error")).to_be_visible()
        control = dialog.locator(f"#run-input_{field}")
        control.blur()
        assert control.evaluate(border) == red, field
    # focused, a field in error stays red
    dialog.locator("#run-input_order_id").focus()
    assert dialog.locator("#run-input_order_id").evaluate(border) == red
    screenshot(page, "required")
    assert not Run.objects.filter(flow_version=version).exists()


def test_a_batchs_runs_show_their_input_in_the_forms_order(page, live_server, staff_user,
                                                           screenshot):
    # The batch page listed each run's input as stored, the shortest key first
    # ({"body": ..., "email": ..., "total": ..., "subject": ...}), not as the form asks it
    version = make_flow(staff_user, {
        "name": "Confirm orders",
        "input_schema": {"type": "object", "required": ["email", "total", "subject", "body"],
                         "properties": {"email": {"type": "string"}, "total": {"type": "number"},
                                        "subject": {"type": "string"},
                                        "body": {"type": "string"}}},
        "nodes": [{"id": "out", "type": "output", "value": "input.email"}],
    })
    page.goto(live_server(f"/runs?start={version.flow_id}"))
    page.get_by_test_id("start-tab-batch").click()
    page.get_by_test_id("batch-inputs").fill(
        "email,total,subject,body\nada@example.com,100,Hi,Thanks\n")
    page.get_by_test_id("batch-start").click()
    page.wait_for_url(re.compile(r"/batches/[0-9a-f-]{36}$"))
    # each field of the input is a column, in the form's order, its value as it reads
    expect(page.get_by_test_id("batch-input-column")).to_have_text(
        ["email", "total", "subject", "body"])
    expect(page.get_by_test_id("batch-run-input-cell")).to_have_text(
        ["ada@example.com", "100", "Hi", "Thanks"])
    screenshot(page, "inputs")
