"""Planning in the browser: a prompt (and chosen tools) planned by the offline planner on the
worker, its progress streamed over the websocket, landing in the designer with the graph;
the same when the websocket is refused (the page polls); and a prompt the planner cannot
do, which shows the planner's message and the phrase, and keeps the prompt."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from flows.models import Flow, PlanRequest, Run

PROMPT = "validate the email, then send a welcome email"
DESIGNER = re.compile(r"/flows/(\d+)/v/(\d+)$")


def plan(page: Any, prompt: str) -> None:
    page.get_by_test_id("plan-prompt").fill(prompt)
    page.get_by_test_id("planner-offline").click()
    page.get_by_test_id("plan-submit").click()


def test_plan_from_a_prompt_and_land_in_the_designer(page, live_server, staff_user, screenshot):
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.goto(live_server("/flows/new"))
    screenshot(page, "empty")

    picker = page.get_by_test_id("tool-picker")
    picker.get_by_test_id("tool-picker-toggle").click()
    picker.get_by_test_id("tool-picker-search").fill("email")
    for tool in ("validate_email", "send_welcome_email"):
        picker.locator(f'[data-testid="tool-option"][data-tool-id="{tool}"] input').check()
    expect(picker.get_by_test_id("tool-chip")).to_have_count(2)
    screenshot(page, "tools")

    plan(page, PROMPT)
    page.wait_for_url(DESIGNER, timeout=30_000)
    match = DESIGNER.search(page.url)
    assert match is not None
    request = PlanRequest.objects.get()
    assert request.status == PlanRequest.Status.SUCCEEDED
    assert sorted(request.tool_ids) == ["send_welcome_email", "validate_email"]
    assert request.planner == "offline"
    assert request.resulting_version is not None
    assert int(match.group(1)) == request.resulting_version.flow_id
    assert int(match.group(2)) == request.resulting_version.number
    assert any(f"/ws/plans/{request.pk}/" in url for url in sockets), sockets

    expect(page.locator("[data-node-id]").first).to_be_visible(timeout=15_000)
    node_ids = {
        page.locator("[data-node-id]").nth(i).get_attribute("data-node-id")
        for i in range(page.locator("[data-node-id]").count())
    }
    assert {"validate_email", "send_welcome_email"} <= node_ids
    screenshot(page, "designer")


def test_the_page_polls_when_the_websocket_is_refused(page, live_server, screenshot):
    polls: list[str] = []
    page.route_web_socket(re.compile(r"/ws/plans/"), lambda ws: ws.close(code=1011))
    plan_url = re.compile(r"/api/v1/plan/[0-9a-f-]{36}/$")
    page.on("request", lambda r: polls.append(r.url) if plan_url.search(r.url) else None)
    page.goto(live_server("/flows/new"))
    plan(page, PROMPT)

    page.wait_for_url(DESIGNER, timeout=30_000)
    assert polls, "the page never read the plan request"
    assert PlanRequest.objects.get().status == PlanRequest.Status.SUCCEEDED
    screenshot(page, "landed")


def test_a_prompt_the_planner_cannot_do_keeps_the_prompt(page, live_server, screenshot):
    prompt = "teleport the cat to the moon, then send a welcome email"
    page.goto(live_server("/flows/new"))
    plan(page, prompt)

    error = page.get_by_test_id("plan-error")
    expect(error).to_be_visible(timeout=30_000)
    expect(error.get_by_test_id("plan-error-message")).to_contain_text("Could not map")
    expect(error.get_by_test_id("plan-error-step")).to_contain_text("teleport the cat to the moon")
    expect(page.get_by_test_id("plan-phase")).to_have_attribute("data-phase", "failed")
    expect(page.get_by_test_id("plan-attempt")).to_contain_text("teleport the cat to the moon")
    expect(page.get_by_test_id("plan-prompt")).to_have_value(prompt)
    # staff may register the tool that is missing, in the admin, in another tab
    register = error.get_by_test_id("plan-register-tool")
    expect(register).to_have_attribute("href", "/admin/tools_registry/tool/add/")
    expect(register).to_have_attribute("target", "_blank")
    request = PlanRequest.objects.get()
    assert request.status == PlanRequest.Status.FAILED
    assert "teleport the cat to the moon" in request.error
    assert page.url == live_server(f"/flows/new?plan={request.pk}")
    screenshot(page, "failed")

    # The plan request is the record: a reload shows the same outcome and the same prompt.
    page.reload()
    expect(page.get_by_test_id("plan-error-step")).to_contain_text("teleport the cat to the moon")
    expect(page.get_by_test_id("plan-prompt")).to_have_value(prompt)

    # The prompt can be edited and planned again from the same page.
    page.get_by_role("button", name="Edit the prompt").click()
    expect(page.get_by_test_id("plan-prompt")).to_be_focused()
    page.get_by_test_id("plan-prompt").fill(PROMPT)
    page.get_by_test_id("plan-submit").click()
    page.wait_for_url(DESIGNER, timeout=30_000)

    # Back from the designer: the finished plan offers a link rather than leaving again.
    page.go_back()
    expect(page.get_by_test_id("plan-open")).to_be_visible()
    assert "/flows/new?plan=" in page.url
    expect(page.get_by_test_id("plan-prompt")).to_have_value(PROMPT)


def test_a_tool_page_link_preselects_the_tool(page, live_server):
    page.goto(live_server("/tools"))
    card = page.locator('[data-testid="tool-card"][data-tool-id="fetch_url"]')
    card.get_by_test_id("tool-expand").click()
    expect(card.get_by_test_id("tool-inputs")).to_contain_text("url")
    card.get_by_test_id("tool-plan-with").click()
    page.wait_for_url("**/flows/new?tools=fetch_url")
    expect(page.get_by_test_id("tool-chip")).to_have_count(1)
    expect(page.get_by_test_id("tool-chip")).to_have_attribute("data-tool-id", "fetch_url")


def test_a_prompt_the_planner_cannot_do_can_be_built_by_hand(
    page, live_server, staff_user, screenshot
):
    # Given a prompt the planner refuses
    prompt = "Fly a drone over the warehouse and photograph the roof. Then email the photos."
    page.goto(live_server("/flows/new"))
    plan(page, prompt)
    error = page.get_by_test_id("plan-error")
    expect(error).to_be_visible(timeout=30_000)

    # When the person chooses to build it by hand
    error.get_by_test_id("plan-build-by-hand").click()

    # Then the designer opens on a draft named from the prompt, and no flow is made yet
    page.wait_for_url(re.compile(r"/flows/draft$"))
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-ready", "true")
    expect(page.get_by_test_id("canvas-hint")).to_contain_text("Add the next step")
    expect(page.locator(".toolbar-title h1")).to_have_text(
        "Fly a drone over the warehouse and photograph the roof"
    )
    expect(page.get_by_test_id("dirty-indicator")).to_have_attribute("data-draft", "true")
    expect(page.get_by_test_id("save-version")).to_be_enabled()
    screenshot(page, "draft")
    page.evaluate("document.documentElement.dataset.theme = 'dark'")
    screenshot(page, "draft-dark")
    assert not Flow.objects.exists()

    # and leaving it untouched leaves nothing in the Flows list (nothing asks either)
    page.get_by_role("link", name="Back to flows").click()
    page.wait_for_url(re.compile(r"/flows$"))
    expect(page.get_by_test_id("flows-empty").first).to_be_visible()
    assert not Flow.objects.exists()

    # When the person comes back to the draft and saves it
    page.go_back()
    page.wait_for_url(re.compile(r"/flows/draft$"))
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-ready", "true")
    page.get_by_test_id("save-version").click()

    # Then it becomes a flow, described by the prompt, with the draft as its version 1
    page.wait_for_url(DESIGNER)
    expect(page.get_by_test_id("dirty-indicator")).to_have_text("Saved")
    expect(page.get_by_test_id("version-select")).to_have_value("1")
    flow = Flow.objects.get(owner=staff_user)
    assert page.url.endswith(f"/flows/{flow.pk}/v/1")
    assert flow.name == "Fly a drone over the warehouse and photograph the roof"
    assert flow.description == prompt
    version = flow.versions.get()
    assert version.ir["metadata"]["prompt"] == prompt
    assert [node["id"] for node in version.ir["nodes"]] == ["result"]


def test_a_draft_built_by_hand_can_be_saved_and_run_at_once(page, live_server, staff_user):
    # Given a draft opened from a prompt the planner refuses
    page.goto(live_server("/flows/new"))
    plan(page, "Fly a drone over the warehouse and photograph the roof.")
    page.get_by_test_id("plan-build-by-hand").click(timeout=30_000)
    page.wait_for_url(re.compile(r"/flows/draft$"))
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-ready", "true")

    # When the person presses Save & run
    run = page.get_by_test_id("run")
    expect(run).to_have_text("Save & run")
    run.click()

    # Then the flow is made, and its version 1 runs (it takes no input): the run's page shows it
    page.wait_for_url(re.compile(r"/runs/[0-9a-f-]{36}$"))
    flow = Flow.objects.get(owner=staff_user)
    assert flow.versions.count() == 1
    run_ = Run.objects.get(id=page.url.rsplit("/", 1)[1])
    assert run_.flow_version == flow.versions.get(number=1)
    expect(page.get_by_test_id("run-page")).to_be_visible()


def test_a_prompt_the_server_refuses_is_marked_where_it_is_typed(page, live_server):
    # Given a prompt longer than the API takes
    page.goto(live_server("/flows/new"))
    plan(page, "validate the email " * 700)

    # Then the refusal shows under the prompt, not as the planner failing to plan it
    prompt = page.get_by_test_id("plan-prompt")
    expect(page.locator(".plan-card .field-error")).to_contain_text("no more than")
    expect(prompt).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("plan-error")).to_have_count(0)
    expect(page.get_by_test_id("plan-phase")).to_have_count(0)
    expect(page.get_by_test_id("plan-progress")).to_contain_text("How it works")
    assert not PlanRequest.objects.exists()

    # and a shorter prompt plans as usual
    prompt.fill(PROMPT)
    page.get_by_test_id("plan-submit").click()
    page.wait_for_url(DESIGNER, timeout=30_000)


def test_the_plan_button_says_why_it_cannot_be_pressed(page, live_server, staff_user, screenshot):
    # Given the New flow page with nothing typed yet
    page.goto(live_server("/flows/new"))
    button = page.get_by_test_id("plan-submit")
    why = page.get_by_test_id("plan-submit-why")

    # Then the greyed-out button says why, in words beside it and as its tooltip
    expect(button).to_be_disabled()
    expect(why).to_be_visible()
    expect(why).to_contain_text("Describe what the flow should do")
    expect(button).to_have_attribute("aria-describedby", "plan-submit-why")
    expect(page.locator(".plan-submit-box")).to_have_attribute("title", re.compile("Describe"))
    # and a planner this server has no settings for says so, not only greyed out
    if page.get_by_test_id("planner-openai").is_disabled():
        expect(page.get_by_test_id("planner-hint")).to_contain_text("LLM: not configured")
    screenshot(page, "why-disabled")

    # When a prompt is typed (or only spaces), the button is ready and the reason goes
    page.get_by_test_id("plan-prompt").fill("   ")
    expect(button).to_be_disabled()
    page.get_by_test_id("plan-example").first.click()
    expect(button).to_be_enabled()
    expect(why).to_have_count(0)
    expect(page.locator(".plan-submit-box")).not_to_have_attribute("title", re.compile("."))


def test_a_schedule_in_the_prompt_is_said_back_in_the_designer(
    page, live_server, staff_user, screenshot
):
    # Given a prompt that says when the flow should run
    page.goto(live_server("/flows/new"))
    plan(page, "every morning, fetch https://news.example.com and summarize it")

    # Then the steps are planned, and the designer says the schedule is not in the graph
    page.wait_for_url(DESIGNER, timeout=30_000)
    expect(page.locator("[data-node-id]").first).to_be_visible(timeout=15_000)
    notes = page.get_by_test_id("planner-notes")
    expect(notes).to_contain_text("every morning")
    expect(notes).to_contain_text("started")
    screenshot(page, "schedule-note")


def test_a_request_planned_offline_instead_of_by_the_llm_says_so_quietly(
    page, live_server, staff_user, screenshot, settings
):
    from flows.api.services import plan_submit

    # Given a request for the LLM planner on a server with no model: planned offline
    settings.OPENAI_API_KEY = ""
    request = plan_submit(user=staff_user, prompt=PROMPT, planner="openai")
    assert request.planner == "offline"

    # When its page opens (a reload, a link)
    page.goto(live_server(f"/flows/new?plan={request.pk}"))

    # Then a quiet notice says so, beside the way to the designer; it is not an error
    notice = page.get_by_test_id("plan-warnings")
    expect(notice).to_have_text(re.compile(r"Planned with the offline planner"))
    expect(notice).to_have_attribute("role", "status")
    expect(notice).not_to_have_class(re.compile(r"\berror\b"))
    expect(page.get_by_test_id("plan-open")).to_be_visible()
    screenshot(page, "notice")
