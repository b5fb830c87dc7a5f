"""The inbox in the browser, end to end with a real worker: a run suspends, the step appears
in the approver's inbox live (and in the navigation count), the approver fills in the form
built from its JSON Schema and approves, and the run completes with the approved values."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from playwright.sync_api import expect

from approvals.models import ApprovalStep
from flows.models import Flow, FlowVersion, Run
from flows.runs import services
from tests.runs.helpers import wait_for

REFUND = {
    "name": "Refund",
    "input_schema": {"type": "object", "properties": {"customer": {"type": "string"}}},
    "nodes": [
        {"id": "first", "type": "tool", "tool": "t_noop"},
        {
            "id": "ok",
            "type": "approval",
            "title": "Approve the refund",
            "after": ["first"],
            "instructions": "Refund a damaged parcel.",
            "preset": {"kind": "amount", "max_amount": 500, "currency": "EUR"},
            "context": {"customer": "input.customer", "order": "input"},
            "assignees": {"users": ["bob"]},
            "timeout": "P1D",
            "on_timeout": "reject",
        },
        {"id": "result", "type": "output", "value": {"paid": "ok.data.amount", "by": "ok.by"}},
    ],
}


@pytest.fixture
def bob(django_user_model: Any) -> Any:
    from tests.browser.conftest import PASSWORD

    return django_user_model.objects.create_user("bob", password=PASSWORD)


def test_a_step_appears_live_and_approving_it_completes_the_run(
    new_page, live_server, staff_user, bob, screenshot
):
    flow = Flow.objects.create(name="Refund", owner=staff_user)
    version = FlowVersion.objects.create(flow=flow, number=1, ir=REFUND, is_valid=True)
    page = new_page(bob)
    page.goto(live_server("/inbox"))
    expect(page.get_by_test_id("inbox-empty")).to_be_visible()

    # When a run reaches the approval, the step shows up without a reload
    run = services.run_create(
        user=staff_user, flow_version_id=version.id, run_input={"customer": "Jane Doe"}
    )
    row = page.get_by_test_id("inbox-row")
    expect(row).to_have_count(1, timeout=30_000)
    expect(row).to_contain_text("Approve the refund")
    expect(row).to_contain_text("Refund")
    # what the run is about, so steps of one flow can be told apart
    expect(row.get_by_test_id("inbox-summary")).to_have_text("customer Jane Doe")
    expect(page.get_by_test_id("inbox-count")).to_have_text("1")
    # bob decides the step; its run (not his) opens read only from its id
    expect(row.get_by_test_id("inbox-run-id")).to_have_text(str(run.id)[:8])
    expect(row.get_by_test_id("inbox-run-id")).to_have_attribute("href", f"/runs/{run.id}")
    screenshot(page, "inbox")

    # The step's page: context, the flow around it, the form from its schema
    row.get_by_role("link", name="Approve the refund").click()
    expect(page.get_by_test_id("step-page")).to_be_visible()
    # its status in the run page's word: waiting for a decision, not 'pending'
    expect(page.get_by_test_id("step-status")).to_have_text("Waiting")
    expect(page.get_by_test_id("step-context")).to_contain_text("Jane Doe")
    # an object in the context reads as its fields, not as JSON
    order = page.get_by_test_id("step-context").locator(".step-context-row", has_text="order")
    expect(order.locator('.step-field[data-field="customer"]')).to_contain_text("Jane Doe")
    expect(order.locator("pre")).to_have_count(0)
    expect(page.get_by_test_id("step-graph")).to_contain_text("Approve the refund")
    amount = page.locator("#root_amount")
    amount.fill("900")  # over the preset's limit: refused in the browser
    page.get_by_test_id("approve").click()
    expect(page.get_by_role("status")).to_contain_text("need attention")
    assert Run.objects.get(pk=run.pk).status == "suspended"
    amount.fill("120")
    # the preset's form has a comment of its own: the decision's box says it is another one
    expect(page.locator("label.field", has=page.get_by_test_id("step-comment"))).to_contain_text(
        "Comment on your decision (shown in its history)")
    page.get_by_test_id("step-comment").fill("Parcel photo checked")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("step-closed")).to_contain_text("Decided by bob")
    expect(page.get_by_test_id("step-history")).to_contain_text("Parcel photo checked")
    # what the approver filled in reads as fields, like the context, not as JSON
    history = page.get_by_test_id("step-history")
    expect(history.locator('.step-field[data-field="amount"]')).to_contain_text("120")
    expect(history.locator("pre")).to_have_count(0)
    # when, in the words the rest of the inbox uses (the exact time on hover)
    expect(history.get_by_test_id("step-history-when")).to_have_text(
        re.compile(r"^(just now|\d+ s ago)$")
    )
    screenshot(page, "decided")

    # The run goes on from its checkpoint on the worker and completes with the approved values
    wait_for(
        lambda: Run.objects.get(pk=run.pk).status == "completed", 30, 0.2, "the run to complete"
    )
    assert Run.objects.get(pk=run.pk).result == {"result": {"paid": 120, "by": "bob"}}
    assert ApprovalStep.objects.get(run=run).status == "approved"
    # bob watches the run he let go on: read only, finished, without its result
    expect(page.get_by_test_id("step-message")).to_contain_text("The run continues")
    page.get_by_test_id("step-watch-run").click()
    expect(page.get_by_test_id("run-page")).to_have_attribute("data-run-status", "completed")
    expect(page.get_by_test_id("run-read-only")).to_be_visible()
    expect(page.get_by_test_id("run-cancel")).to_have_count(0)
    expect(page.get_by_test_id("run-rerun")).to_have_count(0)
    page.goto(live_server("/inbox"))
    expect(page.get_by_test_id("inbox-empty")).to_be_visible()
    expect(page.get_by_test_id("inbox-count")).to_have_count(0)


def test_an_approver_reading_a_run_is_in_the_inbox_of_the_navigation(
    new_page, live_server, staff_user, bob, screenshot
):
    # The breadcrumb said Inbox while the navigation marked Runs, a list without this run
    flow = Flow.objects.create(name="Refund", owner=staff_user)
    version = FlowVersion.objects.create(flow=flow, number=1, ir=REFUND, is_valid=True)
    run = services.run_create(
        user=staff_user, flow_version_id=version.id, run_input={"customer": "Jane Doe"}
    )
    wait_for(lambda: ApprovalStep.objects.filter(run=run).exists(), 30, 0.2, "the step")
    page = new_page(bob)
    inbox, runs = page.get_by_test_id("nav-inbox"), page.get_by_test_id("nav-runs")

    page.goto(live_server(f"/runs/{run.id}"))
    expect(page.get_by_test_id("run-read-only")).to_be_visible()
    expect(inbox).to_have_attribute("aria-current", "page")
    expect(inbox).to_have_class(re.compile(r"\bactive\b"))
    expect(runs).not_to_have_attribute("aria-current", "page")
    expect(runs).not_to_have_class(re.compile(r"\bactive\b"))
    screenshot(page, "approver-run")

    # leaving it, the address decides again; the owner's own run is under Runs
    runs.click()
    expect(runs).to_have_attribute("aria-current", "page")
    expect(inbox).not_to_have_attribute("aria-current", "page")
    owner = new_page(staff_user)
    owner.goto(live_server(f"/runs/{run.id}"))
    expect(owner.get_by_test_id("run-page")).to_be_visible()
    expect(owner.get_by_test_id("nav-runs")).to_have_attribute("aria-current", "page")
    expect(owner.get_by_test_id("nav-inbox")).not_to_have_attribute("aria-current", "page")


def test_someone_who_is_not_an_assignee_finds_no_step(new_page, live_server, staff_user, user):
    flow = Flow.objects.create(name="Refund", owner=staff_user)
    version = FlowVersion.objects.create(flow=flow, number=1, ir=REFUND, is_valid=True)
    run = services.run_create(
        user=staff_user, flow_version_id=version.id, run_input={"customer": "Jo"}
    )
    wait_for(lambda: Run.objects.get(pk=run.pk).status == "suspended", 30, 0.2, "suspension")
    page = new_page(user)
    page.goto(live_server(f"/inbox/{run.id}/ok"))
    expect(page.get_by_role("heading", name="Step not found")).to_be_visible()
    expect(page.get_by_test_id("step-page")).to_have_count(0)


def test_the_run_page_leads_to_its_step_and_says_when_nobody_can_decide(
    new_page, live_server, staff_user, user, screenshot
):
    ir = {**REFUND, "nodes": [
        {**node, "assignees": {"groups": ["finance"]}} if node["id"] == "ok" else node
        for node in REFUND["nodes"]
    ]}  # fmt: skip
    flow = Flow.objects.create(name="Refund", owner=user)
    version = FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=True)
    run = services.run_create(user=user, flow_version_id=version.id, run_input={"customer": "Jo"})
    wait_for(lambda: Run.objects.get(pk=run.pk).status == "suspended", 30, 0.2, "suspension")

    # the group does not exist: the owner, who may not know of every group, reads words
    # that would be as true of a group hidden from them, and that only staff can decide it
    page = new_page(user)
    page.goto(live_server(f"/runs/{run.id}"))
    expect(page.get_by_test_id("run-waiting-nobody")).to_contain_text(
        "the group “finance” does not exist or is not one you may see. If none of them can,"
        " only staff can."
    )
    expect(page.get_by_test_id("run-waiting-nobody")).to_contain_text("Ask an admin who should")
    expect(page.get_by_test_id("run-not-yours")).to_be_visible()
    expect(page.get_by_test_id("run-open-inbox")).to_have_count(0)
    # the time it has taken goes on while it waits
    duration = page.get_by_test_id("run-duration")
    expect(duration).not_to_have_text("—")
    waited = duration.inner_text()
    expect(duration).not_to_have_text(waited, timeout=5_000)

    # only staff can decide it: it waits in their inbox, which says why
    page = new_page(staff_user)
    page.goto(live_server("/inbox"))
    expect(page.get_by_test_id("inbox-row")).to_have_count(1)
    expect(page.get_by_test_id("inbox-lead")).to_contain_text("those nobody else can decide")

    # staff may decide any step: the run page takes them to it
    page.goto(live_server(f"/runs/{run.id}"))
    expect(page.get_by_test_id("run-waiting-nobody")).to_contain_text(
        "The group “finance” does not exist, so only staff can decide it."
    )
    expect(page.get_by_role("link", name="Create the group in Admin →")).to_be_visible()
    page.get_by_test_id("run-open-inbox").click()
    expect(page.get_by_test_id("step-page")).to_be_visible()
    assert page.url.endswith(f"/inbox/{run.id}/ok")
    # and the step says so too, beside whom it is assigned to
    expect(page.get_by_test_id("step-nobody")).to_contain_text(
        "The group “finance” does not exist, so only staff can decide it.")
    expect(page.get_by_test_id("step-nobody").get_by_role(
        "link", name="Create the group in Admin →")).to_be_visible()
    screenshot(page, "step-from-run")


def test_a_rejected_step_reads_as_rejected_on_the_run(page, live_server, staff_user, screenshot):
    ir = {**REFUND, "nodes": [
        *REFUND["nodes"][:1],
        {**REFUND["nodes"][1], "assignees": {"users": [staff_user.username]}},
        {"id": "pay", "type": "tool", "tool": "t_noop", "after": ["ok"],
         "when": "ok.approved"},
    ]}
    flow = Flow.objects.create(name="Refund", owner=staff_user)
    version = FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=True)
    run = services.run_create(
        user=staff_user, flow_version_id=version.id, run_input={"customer": "Jo"}
    )
    page.goto(live_server(f"/runs/{run.id}"))
    page.get_by_test_id("run-open-inbox").click()
    page.get_by_test_id("step-comment").fill("Not damaged")
    page.get_by_test_id("reject").click()
    expect(page.get_by_test_id("step-status")).to_have_text("Rejected")

    # back on the run: the approval says who rejected it, the step after it is skipped
    page.goto(live_server(f"/runs/{run.id}"))
    expect(page.get_by_test_id("run-status")).to_have_attribute(
        "data-status", "completed", timeout=30_000
    )
    outcome = page.get_by_test_id("run-node-outcome-ok")
    expect(outcome).to_have_text("Rejected")
    expect(outcome).to_have_attribute("title", f"Rejected by {staff_user.username}")
    expect(page.get_by_test_id("run-node-pay")).to_have_attribute("data-status", "skipped")
    # its status icons, on the card and on the timeline, are a rejection's, not a success's
    card_icon = page.get_by_test_id("run-node-ok").locator(".rs-icon")
    expect(card_icon).to_have_attribute("data-outcome", "rejected")
    expect(card_icon).to_have_text("✕")
    row_icon = page.get_by_test_id("timeline-row-ok").locator(".rs-icon")
    expect(row_icon).to_have_attribute("data-outcome", "rejected")
    # and so are its card's border, its timeline bar and the legend: the danger colour,
    # not the green of the completed step before it
    danger = page.evaluate(
        "() => getComputedStyle(document.documentElement).getPropertyValue('--danger').trim()"
    )
    card = page.get_by_test_id("run-node-ok")
    expect(card).to_have_attribute("data-outcome", "rejected")
    done_card = page.get_by_test_id("run-node-first")
    assert _css(card, "border-top-color") == _rgb(page, danger)
    assert _css(done_card, "border-top-color") != _rgb(page, danger)
    bar = page.get_by_test_id("timeline-bar-ok")
    assert danger_in(page, _css(bar, "background-color"), danger)
    first_bar = page.get_by_test_id("timeline-bar-first")
    assert not danger_in(page, _css(first_bar, "background"), danger)
    legend = page.get_by_test_id("legend-rejected")
    expect(legend).to_have_text("Rejected 1")
    assert _css(legend.locator(".legend-dot"), "background-color") == _rgb(page, danger)
    expect(page.get_by_test_id("legend-completed")).to_have_text("Completed 1")
    expect(page.get_by_test_id("run-node-progress-note")).to_have_text("1 rejected")
    screenshot(page, "rejected")
    page.get_by_test_id("run-node-ok").click()
    expect(page.get_by_test_id("node-panel-outcome")).to_have_text(
        f"Rejected by {staff_user.username}"
    )


def test_a_run_whose_approval_was_rejected_reads_so_on_every_page(
    page, live_server, staff_user, screenshot
):
    from approvals.services import step_decide

    # Given a run whose approval is rejected with a comment, and which then completes
    ir = {**REFUND, "nodes": [
        *REFUND["nodes"][:1],
        {**REFUND["nodes"][1], "assignees": {"users": [staff_user.username]}},
        {"id": "pay", "type": "tool", "tool": "t_noop", "title": "Pay the refund",
         "after": ["ok"], "when": "ok.approved"},
    ]}
    flow = Flow.objects.create(name="Refund", owner=staff_user)
    version = FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=True)
    run = services.run_create(
        user=staff_user, flow_version_id=version.id, run_input={"customer": "Jo"}
    )
    wait_for(lambda: Run.objects.get(pk=run.pk).status == "suspended", 30, 0.2, "suspension")
    decider = threading.Thread(target=lambda: step_decide(
        run_id=run.id, node_id="ok", user=staff_user, approved=False, comment="Not damaged"))
    decider.start()
    decider.join()
    wait_for(lambda: Run.objects.get(pk=run.pk).status == "completed", 30, 0.2, "completion")
    warn = page.evaluate(
        "() => getComputedStyle(document.documentElement).getPropertyValue('--warn').trim()"
    )

    # Then the run page says it completed with its approval rejected, in amber, and says
    # which step, by whom, with the comment
    page.goto(live_server(f"/runs/{run.id}"))
    badge = page.get_by_test_id("run-status")
    expect(badge).to_have_text("!Completed · approval rejected")
    expect(badge).to_have_attribute("data-status", "completed")
    assert _css(badge, "color") == _rgb(page, warn)
    banner = page.get_by_test_id("run-rejected-ok")
    expect(banner.get_by_test_id("run-rejected-sentence")).to_have_text(
        f"Approve the refund was rejected by {staff_user.username}")
    expect(banner.get_by_test_id("run-rejected-comment")).to_have_text("“Not damaged”")
    # and the timeline shows the step not taken, as skipped and muted, after those that ran
    skipped = page.get_by_test_id("timeline-row-pay")
    expect(skipped).to_have_attribute("data-status", "skipped")
    expect(skipped).to_contain_text("Pay the refund")
    expect(skipped.get_by_test_id("timeline-skipped-pay")).to_have_text("Skipped")
    assert float(_css(skipped, "opacity")) < 1
    screenshot(page, "run")

    # the runs list and the flows list's last run show it amber, not green
    page.goto(live_server("/runs"))
    row_badge = page.locator(f"[data-run-id='{run.id}'] .rs-badge")
    expect(row_badge).to_have_text("!Completed · approval rejected")
    assert _css(row_badge, "color") == _rgb(page, warn)
    screenshot(page, "runs")
    page.goto(live_server("/flows"))
    last = page.get_by_test_id("flow-last-run").locator(".badge")
    expect(last).to_have_text("Completed · approval rejected")
    assert _css(last, "color") == _rgb(page, warn)
    screenshot(page, "flows")


def test_a_batchs_progress_counts_its_runs_with_a_rejected_approval_apart(
    page, live_server, staff_user, screenshot
):
    from approvals.services import step_decide

    # Given a batch of two runs, one approved and one rejected, both completed
    ir = {**REFUND, "nodes": [
        *REFUND["nodes"][:1],
        {**REFUND["nodes"][1], "assignees": {"users": [staff_user.username]}},
    ]}
    flow = Flow.objects.create(name="Refunds", owner=staff_user)
    version = FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=True)
    batch = services.batch_create(user=staff_user, flow_version_id=version.id,
                                  inputs=[{"customer": "Jo"}, {"customer": "Al"}])
    runs = list(Run.objects.filter(batch=batch).order_by("batch_index"))
    wait_for(lambda: all(Run.objects.get(pk=r.pk).status == "suspended" for r in runs), 30,
             0.2, "suspension")
    data = {"amount": 10}
    for run, approved in zip(runs, (True, False), strict=True):
        decider = threading.Thread(target=lambda run=run, approved=approved: step_decide(
            run_id=run.id, node_id="ok", user=staff_user, approved=approved,
            data=data if approved else {}))
        decider.start()
        decider.join()
    wait_for(lambda: all(Run.objects.get(pk=r.pk).status == "completed" for r in runs), 30,
             0.2, "completion")

    # Then the batch page counts the rejected one apart, in amber, and its row says so
    page.goto(live_server(f"/batches/{batch.id}"))
    expect(page.get_by_test_id("batch-count-completed")).to_contain_text("Completed 1")
    expect(page.get_by_test_id("batch-count-approval-rejected")).to_contain_text(
        "Approval rejected 1", use_inner_text=True)  # as shown: not "Approval Rejected"
    expect(page.locator(".bp-bar .bp-approval-rejected")).to_have_count(1)
    rows = page.get_by_test_id("batch-run-row")
    expect(rows.nth(1).locator(".rs-badge")).to_have_text("!Completed · approval rejected")
    expect(rows.nth(0).locator(".rs-badge")).to_have_text("✓Completed")
    screenshot(page, "batch")

    # and each count, clicked, lists the runs it counts
    page.get_by_test_id("batch-count-completed").click()
    expect(page).to_have_url(re.compile(r"status=completed"))
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".rs-badge")).to_have_text("✓Completed")
    page.get_by_test_id("batch-count-approval-rejected").click()
    expect(page.get_by_test_id("batch-count-approval-rejected")).to_have_attribute(
        "aria-pressed", "true")
    expect(rows).to_have_count(1)
    expect(rows.first.locator(".rs-badge")).to_have_text("!Completed · approval rejected")
    page.get_by_test_id("batch-count-approval-rejected").click()
    expect(rows).to_have_count(2)

    # and opened on a count that lists none, the page still names its flow
    page.goto(live_server(f"/batches/{batch.id}?status=failed"))
    expect(page.get_by_test_id("batch-runs-empty")).to_have_text("No failed runs in this batch.")
    expect(page.locator(".crumbs")).to_contain_text("Refunds")
    expect(page.get_by_test_id("batch-page")).to_contain_text("2 runs of Refunds v1")

    one_of_one = "1\u20131 of 1"  # the range, an en dash between its ends
    # and the runs list's filters agree with those counts: "Completed" leaves the rejected
    # run out, which "Approval rejected" lists on its own
    page.goto(live_server(f"/runs?flow={flow.id}"))
    listed = page.get_by_test_id("run-row")
    expect(listed).to_have_count(2)
    page.get_by_test_id("filter-status-completed").click()
    expect(listed).to_have_count(1)
    expect(listed.first).to_have_attribute("data-run-id", str(runs[0].id))
    expect(page.get_by_test_id("runs-range")).to_have_text(one_of_one)
    chip = page.get_by_test_id("filter-status-approval-rejected")
    expect(chip).to_have_text("Approval rejected", use_inner_text=True)
    chip.click()
    expect(page).to_have_url(re.compile(r"status=approval-rejected"))
    expect(chip).to_have_attribute("aria-pressed", "true")
    expect(listed).to_have_count(1)
    expect(listed.first).to_have_attribute("data-run-id", str(runs[1].id))
    expect(listed.first.locator(".rs-badge")).to_have_text("!Completed · approval rejected")
    expect(page.get_by_test_id("runs-range")).to_have_text(one_of_one)
    screenshot(page, "runs-approval-rejected")


def _css(locator: Any, prop: str) -> str:
    return str(locator.evaluate(f"(el) => getComputedStyle(el).getPropertyValue('{prop}')"))


def _rgb(page: Any, colour: str) -> str:
    """A CSS colour as the browser computes it (rgb(...))."""
    return str(page.evaluate(
        """(c) => { const el = document.createElement('i'); el.style.color = c;
                    document.body.append(el); const v = getComputedStyle(el).color;
                    el.remove(); return v; }""", colour))


def danger_in(page: Any, value: str, danger: str) -> bool:
    return _rgb(page, danger) in value


def test_a_step_without_fields_asks_only_for_a_comment(page, live_server, staff_user):
    ir = {"name": "Plain", "nodes": [
        {"id": "ok", "type": "approval", "title": "Go ahead?", "instructions": "Say yes or no.",
         "form_schema": {"type": "object", "properties": {}},
         "assignees": {"users": [staff_user.username]}},
        {"id": "result", "type": "output", "value": "ok.approved"},
    ]}
    flow = Flow.objects.create(name="Plain", owner=staff_user)
    version = FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=True)
    run = services.run_create(user=staff_user, flow_version_id=version.id, run_input={})
    wait_for(lambda: Run.objects.get(pk=run.pk).status == "suspended", 30, 0.2, "suspension")
    page.goto(live_server(f"/inbox/{run.id}/ok"))
    expect(page.get_by_test_id("step-comment")).to_be_visible()
    expect(page.get_by_test_id("step-open-run")).not_to_have_css(
        "border-top-color", "rgba(0, 0, 0, 0)")
    # no empty form (and its gap) between "Your decision" and the comment
    heading = page.get_by_role("heading", name="Your decision").bounding_box()
    comment = page.locator("label.field", has=page.get_by_test_id("step-comment")).bounding_box()
    assert comment["y"] - (heading["y"] + heading["height"]) < 16
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("step-status")).to_have_text("Approved")
    # the run's owner goes from the decision to the run in one click and sees it finish
    page.get_by_test_id("step-watch-run").click()
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-status", "completed",
                                                                timeout=30_000)


def test_lists_in_a_steps_context_read_as_lines_and_a_table(page, live_server, staff_user,
                                                           screenshot):
    ir = {"name": "Tickets", "input_schema": {"type": "object", "properties": {
        "tickets": {"type": "array", "items": {"type": "string"}},
        "scores": {"type": "array", "items": {"type": "object"}},
        "order": {"type": "object"},
        "lookup": {"type": "object"},
    }}, "nodes": [
        {"id": "ok", "type": "approval", "title": "Open the tickets?",
         "instructions": "Check the negative ones.",
         "form_schema": {"type": "object", "properties": {}},
         "context": {"tickets": "input.tickets", "scores": "input.scores", "order": "input.order",
                     "lookup": "input.lookup"},
         "assignees": {"users": [staff_user.username]}},
        {"id": "result", "type": "output", "value": "ok.approved"},
    ]}
    flow = Flow.objects.create(name="Tickets", owner=staff_user)
    version = FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=True)
    run = services.run_create(user=staff_user, flow_version_id=version.id, run_input={
        "tickets": ["This is terrible, I hate it", "Lovely service, thanks"],
        "scores": [{"sentiment": "negative", "score": -0.8, "keywords": ["hate"]},
                   {"sentiment": "positive", "score": 0.9, "team": "Support"}],
        "order": {"order_id": "A-7", "lines": [
            {"sku": "WIDGET-1", "name": "Standard widget", "quantity": 100,
             "unit_price": 19.99, "line_total": 1999.0},
            {"sku": "GADGET-2", "name": "Gadget", "quantity": 1,
             "unit_price": 5.5, "line_total": 5.5}]},
        "lookup": {"found": True, "user": {"name": "Ada Lovelace", "country": "GB"}},
    })
    wait_for(lambda: Run.objects.get(pk=run.pk).status == "suspended", 30, 0.2, "suspension")
    page.goto(live_server(f"/inbox/{run.id}/ok"))
    context = page.get_by_test_id("step-context")
    # texts that hold commas themselves: one per line, not "a, b, c, d"
    tickets = context.locator(".step-context-row", has_text="tickets").locator(".step-list li")
    expect(tickets).to_have_text(["This is terrible, I hate it", "Lovely service, thanks"])
    # records: a row each, a column per field, no JSON
    table = context.locator(".step-context-row", has_text="scores").get_by_test_id("step-records")
    expect(table.locator("thead th")).to_have_count(5)  # "#" and the fields of every record
    for field in ("sentiment", "score", "keywords", "team"):
        expect(table.locator("thead th", has_text=field)).to_have_count(1)
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tbody tr").nth(0).locator('td[data-field="sentiment"]')).to_have_text(
        "negative")
    expect(table.locator("tbody tr").nth(1).locator('td[data-field="keywords"]')).to_have_text("—")
    # an object holding a list of records: its fields, the list a table among them
    order = context.locator(".step-context-row", has_text="order")
    expect(order.locator('.step-field[data-field="order_id"]')).to_contain_text("A-7")
    # names read as the run's form writes them: "Order ID", not "order id"
    expect(order.locator('.step-field[data-field="order_id"] > dt')).to_have_text("Order ID")
    expect(order.locator("> dt")).to_have_text("Order")
    lines = order.locator('.step-field[data-field="lines"]').get_by_test_id("step-records")
    expect(lines.locator("tbody tr")).to_have_count(2)
    expect(lines.locator('tbody tr td[data-field="sku"]').nth(1)).to_have_text("GADGET-2")
    # an order line's six columns fit the card, none cut at its edge
    assert lines.evaluate("(t) => t.parentElement.scrollWidth <= t.parentElement.clientWidth"), (
        lines.evaluate("(t) => [t.parentElement.scrollWidth, t.parentElement.clientWidth]"))
    # an object inside an object (a looked-up user): fields inside fields, not JSON
    lookup = context.locator(".step-context-row", has_text="lookup")
    expect(lookup.locator('.step-field[data-field="found"]')).to_contain_text("yes")
    user = lookup.locator('.step-field[data-field="user"]')
    expect(user.locator('.step-field[data-field="name"]')).to_contain_text("Ada Lovelace")
    expect(context.locator("pre")).to_have_count(0)
    screenshot(page, "context-lists")


def _refund_run_assigned_to(user: Any) -> Run:
    """A run of the refund flow whose approval step is `user`'s to decide."""
    ir = {**REFUND, "nodes": [
        *REFUND["nodes"][:1],
        {**REFUND["nodes"][1], "assignees": {"users": [user.username]}},
        REFUND["nodes"][2],
    ]}
    flow = Flow.objects.create(name="Refund", owner=user)
    version = FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=True)
    return services.run_create(user=user, flow_version_id=version.id, run_input={"customer": "Jo"})


def test_a_step_whose_run_was_cancelled_says_it_is_not_needed_and_leaves_the_count(
    page, live_server, staff_user, screenshot
):
    from approvals.services import steps_expire

    run = _refund_run_assigned_to(staff_user)
    page.goto(live_server(f"/runs/{run.id}"))
    expect(page.get_by_test_id("inbox-count")).to_have_text("1", timeout=30_000)

    # When the run is cancelled and the timer closes its step
    page.get_by_test_id("run-cancel").click()
    expect(page.get_by_test_id("run-cancel-ask")).to_contain_text("and the approval it waits for")
    page.get_by_test_id("run-cancel-confirm").click()
    expect(page.get_by_test_id("run-status")).to_have_attribute("data-status", "cancelled")
    # the approval's card reads as cancelled: grey, not the waiting colour it had
    card = page.get_by_test_id("run-node-ok")
    expect(card).to_have_attribute("data-status", "cancelled")
    expect(card).to_contain_text("cancelled")
    # (its border eases from the waiting colour to grey, so wait for the end of that)
    page.wait_for_function("""() => {
        const card = document.querySelector('[data-testid="run-node-ok"]');
        const colour = (value) => {
            const probe = document.createElement('span');
            probe.style.color = value;
            document.body.append(probe);
            const computed = getComputedStyle(probe).color;
            probe.remove();
            return computed;
        };
        return getComputedStyle(card).borderTopColor === colour('var(--border-strong)')
            && getComputedStyle(card.querySelector('.rs-icon')).color === colour('var(--muted)');
    }""", timeout=5_000)
    # its step page, before the timer has closed it, shows it cancelled in the flow
    page.goto(live_server(f"/inbox/{run.id}/ok"))
    expect(page.locator(".mini-node.current")).to_have_class(re.compile(r"\bcancelled\b"))
    page.goto(live_server(f"/runs/{run.id}"))
    # (in a thread of its own: Playwright's event loop runs in this one)
    closer = threading.Thread(target=steps_expire)
    closer.start()
    closer.join()
    assert ApprovalStep.objects.get(run=run).status == "closed"

    # Then the navigation's count drops it without a reload, and its page says why
    expect(page.get_by_test_id("inbox-count")).to_have_count(0)
    page.goto(live_server(f"/inbox/{run.id}/ok"))
    expect(page.get_by_test_id("step-status")).to_have_text("Not needed")
    expect(page.get_by_test_id("step-closed")).to_contain_text(
        "The run was cancelled before anyone decided"
    )
    expect(page.get_by_test_id("step-closed")).not_to_contain_text("Decided by")
    expect(page.get_by_test_id("approve")).to_have_count(0)
    expect(page.get_by_test_id("step-deadline")).to_have_text("—")  # no deadline runs out now
    expect(page.get_by_test_id("step-history-closed")).to_contain_text(
        "the run ended before anyone decided")
    screenshot(page, "closed-step")


def test_the_inbox_count_catches_up_on_the_next_page_when_its_websocket_is_down(
    page, live_server, staff_user
):
    from approvals.services import step_decide

    # Given the inbox's websocket never connects
    page.route_web_socket(re.compile(r"/ws/inbox/"), lambda ws: ws.close(code=1011))
    run = _refund_run_assigned_to(staff_user)
    wait_for(lambda: Run.objects.get(pk=run.pk).status == "suspended", 30, 0.2, "suspension")
    page.goto(live_server("/flows"))
    expect(page.get_by_test_id("inbox-count")).to_have_text("1")

    # When the step is decided elsewhere (in a thread: Playwright's loop runs in this one)
    decider = threading.Thread(target=lambda: step_decide(
        run_id=run.id, node_id="ok", user=staff_user, approved=False, comment="no"))
    decider.start()
    decider.join()
    assert ApprovalStep.objects.get(run=run).status == "rejected"

    # Then moving to another page brings the count up to date
    page.get_by_test_id("nav-runs").click()
    expect(page.get_by_test_id("inbox-count")).to_have_count(0)


def test_the_decision_form_says_what_to_enter_in_plain_words(page, live_server, staff_user,
                                                              screenshot):
    form = {"type": "object", "required": ["contact"],
            "properties": {"contact": {"type": "string", "format": "email"},
                           "refund": {"type": "number", "minimum": 0}}}
    step = {k: v for k, v in REFUND["nodes"][1].items() if k != "preset"}
    ir = {**REFUND, "nodes": [
        REFUND["nodes"][0],
        {**step, "form_schema": form, "assignees": {"users": [staff_user.username]}},
    ]}
    flow = Flow.objects.create(name="Contact", owner=staff_user)
    version = FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=True)
    run = services.run_create(
        user=staff_user, flow_version_id=version.id, run_input={"customer": "Jo"}
    )
    wait_for(lambda: Run.objects.get(pk=run.pk).status == "suspended", 30, 0.2, "suspension")

    page.goto(live_server(f"/inbox/{run.id}/ok"))
    # its status badge has an icon, as a run's has, and still reads as its label
    expect(page.get_by_test_id("step-status")).to_have_text("Waiting")
    icon = page.get_by_test_id("step-status-icon")
    expect(icon).to_have_class(re.compile(r"\bsi-waiting\b"))
    assert icon.evaluate("e => getComputedStyle(e, '::before').content") == '"‖"'
    page.locator("#root_contact").fill("jo at example")
    page.locator("#root_refund").fill("-5")
    page.get_by_test_id("approve").click()
    form_box = page.get_by_test_id("step-form")
    expect(page.locator("#root_contact__error")).to_have_text("Enter an email address.")
    expect(page.locator("#root_refund__error")).to_have_text("Must be 0 or more.")
    expect(form_box).not_to_contain_text("must match format")
    assert ApprovalStep.objects.get(run=run).status == "pending"
    screenshot(page, "errors")


def test_a_required_list_in_the_decision_form_needs_an_item(
    page, live_server, staff_user, screenshot
):
    form = {"type": "object", "required": ["parcels"],
            "properties": {"parcels": {"type": "array", "items": {"type": "string"}}}}
    step = {k: v for k, v in REFUND["nodes"][1].items() if k != "preset"}
    ir = {**REFUND, "nodes": [
        REFUND["nodes"][0],
        {**step, "form_schema": form, "assignees": {"users": [staff_user.username]}},
        {"id": "result", "type": "output", "value": "ok.data.parcels"},
    ]}
    flow = Flow.objects.create(name="Parcels", owner=staff_user)
    version = FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=True)
    run = services.run_create(
        user=staff_user, flow_version_id=version.id, run_input={"customer": "Jo"}
    )
    wait_for(lambda: Run.objects.get(pk=run.pk).status == "suspended", 30, 0.2, "suspension")

    # approving with no parcel is refused beside the list, and nothing is decided
    page.goto(live_server(f"/inbox/{run.id}/ok"))
    form = page.get_by_test_id("step-form")
    form.get_by_role("button", name="Remove").click()  # the item it starts with to fill in
    page.get_by_test_id("approve").click()
    expect(form).to_contain_text("Give at least 1 item.")
    assert ApprovalStep.objects.get(run=run).status == "pending"
    screenshot(page, "required-list")

    form.get_by_role("button", name="+ Add").click()
    page.locator("#root_parcels_0").fill("P-1")
    page.get_by_test_id("approve").click()
    wait_for(lambda: Run.objects.get(pk=run.pk).status == "completed", 30, 0.2, "completion")
    assert Run.objects.get(pk=run.pk).result == {"result": ["P-1"]}


def _beside_playwright(call: Any) -> None:
    """Runs `call` in a thread of its own (Playwright's loop runs in this one, and the
    channel layer's sync wrapper refuses a thread with a loop)."""
    thread = threading.Thread(target=call)
    thread.start()
    thread.join()


def _waiting_steps(owner: Any, count: int) -> Run:
    """A suspended run with `count` steps that name someone who has no account (so they wait
    in staff's inbox), s000 the oldest."""
    from datetime import timedelta

    from django.utils import timezone

    flow = Flow.objects.create(name="Many approvals", owner=owner)
    version = FlowVersion.objects.create(flow=flow, number=1, ir=REFUND, is_valid=True)
    run = Run.objects.create(flow_version=version, requested_by=owner,
                             status=Run.Status.SUSPENDED)
    start = timezone.now() - timedelta(hours=count)
    steps = []
    for i in range(count):
        step = ApprovalStep(run=run, node_id=f"s{i:03}", title=f"Approve item {i:03}",
                            assignee_users=["gone"])
        step.seal_value({"form_schema": {"type": "object"}})
        steps.append(step)
    ApprovalStep.objects.bulk_create(steps)
    for i, step in enumerate(steps):  # (created_at is set on save: an hour apart, in order)
        ApprovalStep.objects.filter(pk=step.pk).update(created_at=start + timedelta(hours=i))
    return run


def test_a_long_inbox_loads_page_by_page_and_stays_live(
    page, live_server, staff_user, screenshot
):
    from approvals.notifications import broadcast

    # Given 120 steps waiting for staff
    run = _waiting_steps(staff_user, 120)
    page.goto(live_server("/inbox"))
    rows = page.get_by_test_id("inbox-row")

    # Then the first page shows the oldest 50, and says how many wait in all
    expect(rows).to_have_count(50)
    expect(rows.first).to_contain_text("Approve item 000")
    expect(page.get_by_test_id("inbox-shown")).to_have_text("50 of 120 steps shown")

    # When the end of the list scrolls into view, the next page follows
    page.get_by_test_id("inbox-footer").scroll_into_view_if_needed()
    expect(rows).to_have_count(100)
    expect(rows.nth(99)).to_contain_text("Approve item 099")

    # And "Load more" reads the rest (if scrolling has not already)
    more = page.get_by_test_id("inbox-more")
    if more.count():
        more.click()
    expect(rows).to_have_count(120)
    expect(page.get_by_test_id("inbox-shown")).to_have_text("120 steps waiting")
    expect(page.get_by_test_id("inbox-more")).to_have_count(0)
    page.get_by_test_id("inbox-footer").scroll_into_view_if_needed()
    screenshot(page, "inbox-long")

    # When a step far down the list is decided elsewhere, it leaves without a reload
    decided = ApprovalStep.objects.get(run=run, node_id="s080")
    ApprovalStep.objects.filter(pk=decided.pk).update(status=ApprovalStep.Status.CLOSED)
    _beside_playwright(lambda: broadcast(decided.pk, "closed", also=(staff_user.pk,)))
    expect(rows).to_have_count(119)
    expect(page.get_by_text("Approve item 080")).to_have_count(0)

    # And a new step (the newest: the last row) appears at the end of the loaded list
    late = ApprovalStep(run=run, node_id="late", title="Approve the late one",
                        assignee_users=["gone"])
    late.seal_value({"form_schema": {"type": "object"}})
    late.save()
    _beside_playwright(lambda: broadcast(late.pk, "opened"))
    expect(rows).to_have_count(120)
    expect(rows.last).to_contain_text("Approve the late one")
    expect(page.get_by_test_id("inbox-shown")).to_have_text("120 steps waiting")


def test_the_inbox_search_keeps_the_steps_with_each_word_and_says_when_none_match(
    new_page, live_server, staff_user, bob, screenshot
):
    # Given two steps waiting for bob, from two flows
    for name in ("Refund", "Hiring"):
        flow = Flow.objects.create(name=name, owner=staff_user)
        ir = {**REFUND, "name": name}
        version = FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=True)
        services.run_create(
            user=staff_user, flow_version_id=version.id, run_input={"customer": "Ann"}
        )
    page = new_page(bob)
    page.goto(live_server("/inbox"))
    rows = page.get_by_test_id("inbox-row")
    expect(rows).to_have_count(2, timeout=30_000)

    # When bob types a word of one flow's name, only its step stays, and the address keeps it
    page.get_by_test_id("inbox-search").fill("hir")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Hiring")
    expect(page.get_by_test_id("inbox-shown")).to_contain_text("matching “hir”")
    page.wait_for_url(re.compile(r"/inbox\?q=hir$"))
    screenshot(page, "search")

    # A search nothing matches says so, and clearing it brings every step back
    page.get_by_test_id("inbox-search").fill("hiring payroll")
    expect(page.get_by_test_id("inbox-no-match")).to_contain_text("No waiting step matches")
    page.get_by_role("button", name="Clear the search").click()
    expect(rows).to_have_count(2)
    expect(page.get_by_test_id("inbox-search")).to_have_value("")


def test_the_decision_form_keeps_its_fields_order_and_shows_a_few_choices_as_checkboxes(
    page, live_server, staff_user, screenshot
):
    ir = {"name": "Expenses", "nodes": [
        {"id": "ok", "type": "approval", "title": "Review the claim",
         "form_schema": {"type": "object", "required": ["total"], "properties": {
             "note": {"type": "string"},
             "total": {"type": "number"},
             "adjustments": {"type": "array", "items": {"type": "number"}},
             "flags": {"type": "array", "uniqueItems": True, "items": {
                 "type": "string", "enum": ["no receipt", "over limit", "duplicate"]}},
         }},
         "assignees": {"users": [staff_user.username]}},
        {"id": "result", "type": "output", "value": "ok.data"},
    ]}
    flow = Flow.objects.create(name="Expenses", owner=staff_user)
    version = FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=True)
    run = services.run_create(user=staff_user, flow_version_id=version.id, run_input={})
    wait_for(lambda: Run.objects.get(pk=run.pk).status == "suspended", 30, 0.2, "suspension")
    page.goto(live_server(f"/inbox/{run.id}/ok"))
    form = page.get_by_test_id("step-form")

    # The fields in the order the flow lists them (not alphabetical, as Postgres keeps keys)
    tops = [form.get_by_text(re.compile(rf"^{name}\s*\*?$")).first.bounding_box()["y"]
            for name in ("Note", "Total", "Adjustments", "Flags")]
    assert tops == sorted(tops), tops
    # and the three flags are boxes to tick, not a list to ctrl-click in
    expect(form.locator("select[multiple]")).to_have_count(0)
    expect(form.get_by_role("checkbox")).to_have_count(3)
    form.get_by_label("Total").fill("120")
    form.get_by_role("checkbox", name="no receipt").check()
    form.get_by_role("checkbox", name="duplicate").check()
    screenshot(page, "checkboxes")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("step-status")).to_have_text("Approved")
    wait_for(lambda: Run.objects.get(pk=run.pk).status == "completed", 30, 0.2, "completion")
    assert Run.objects.get(pk=run.pk).result["result"] == {
        "total": 120, "flags": ["no receipt", "duplicate"]}


def _suspended_after_steps(user: Any, count: int, name: str) -> Any:
    """A run of `count` value steps, then an approval for `user` (suspended there)."""
    steps: list[dict[str, Any]] = [{"id": "step_1", "type": "value", "value": "'A1'"}]
    steps += [
        {"id": f"step_{i}", "type": "value", "value": f"step_{i - 1}"}
        for i in range(2, count + 1)
    ]
    ir = {
        "name": name,
        "nodes": [
            *steps,
            {
                "id": "ok",
                "type": "approval",
                "title": "Go ahead?",
                "instructions": "Say yes or no.",
                "context": {"order": f"step_{count}"},
                "assignees": {"users": [user.username]},
            },
            {"id": "after", "type": "value", "value": "ok.approved"},
            {"id": "result", "type": "output", "value": "after"},
        ],
    }
    flow = Flow.objects.create(name=ir["name"], owner=user)
    version = FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=True)
    run = services.run_create(user=user, flow_version_id=version.id, run_input={})
    wait_for(lambda: Run.objects.get(pk=run.pk).status == "suspended", 30, 0.2, "suspension")
    return run


def test_a_step_near_a_flows_start_shows_the_flow_from_its_first_step(
    page, live_server, staff_user, screenshot
):
    # Given an approval fourth of six steps: the mini graph is a little taller than its box
    run = _suspended_after_steps(staff_user, 3, "Approval fourth")

    # When its step page opens
    page.goto(live_server(f"/inbox/{run.id}/ok"))
    graph = page.get_by_test_id("step-graph")
    expect(graph.locator(".mini-node.current")).to_have_count(1)
    assert page.evaluate(
        "() => { const box = document.querySelector('[data-testid=\"step-graph\"]');"
        " return box.scrollHeight > box.clientHeight; }"
    ), "the mini graph is taller than its box"

    # Then the graph shows from the flow's first step, whole (centring the step to decide
    # cut it at the box's top), the step to decide wholly in the box too
    box = graph.bounding_box()
    first = graph.locator(".mini-node").first.locator("rect").bounding_box()
    assert first["y"] >= box["y"], (first, box)
    current = graph.locator(".mini-node.current rect").bounding_box()
    assert box["y"] <= current["y"]
    assert current["y"] + current["height"] <= box["y"] + box["height"]
    screenshot(page, "step-near-the-start")


def test_a_long_flows_step_shows_in_its_mini_graph_and_its_run_opens_on_it(
    page, live_server, staff_user, screenshot
):
    # Given a flow whose approval comes after fourteen steps (its mini graph is taller than
    # the box it is shown in)
    run = _suspended_after_steps(staff_user, 14, "Long before the approval")

    # When its step page opens
    page.goto(live_server(f"/inbox/{run.id}/ok"))
    graph = page.get_by_test_id("step-graph")
    expect(graph.locator(".mini-node.current")).to_have_count(1)

    # Then the mini graph is scrolled to the step to decide, wholly in its box
    box = graph.bounding_box()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"step-graph\"]').scrollTop > 0")
    current = graph.locator(".mini-node.current rect").bounding_box()
    assert box["y"] <= current["y"]
    assert current["y"] + current["height"] <= box["y"] + box["height"]
    first = graph.locator(".mini-node").first.locator("rect").bounding_box()
    assert first["y"] < box["y"], "the graph is taller than its box: its start is scrolled away"
    screenshot(page, "long-flow-step")

    # When the run is opened from the step
    page.get_by_test_id("step-open-run").click()

    # Then the run page opens on that step: its details beside the graph, its card in view
    expect(page.get_by_test_id("node-panel")).to_have_attribute("data-node-id", "ok")
    expect(page.get_by_test_id("run-graph")).to_have_attribute("data-ready", "true")
    card = page.locator('.rn[data-node-id="ok"]')
    expect(card).to_be_visible()
    graph = page.get_by_test_id("run-graph").bounding_box()
    picked = card.bounding_box()
    assert graph["x"] <= picked["x"]
    assert picked["x"] + picked["width"] <= graph["x"] + graph["width"]
    expect(page).to_have_url(re.compile(rf"/runs/{run.id}\?node=ok$"))

    # and closing the details takes the step out of the address
    page.get_by_test_id("node-panel-close").click()
    expect(page).to_have_url(re.compile(rf"/runs/{run.id}$"))


# The words of an element's text (outside long tokens) that are broken across two lines.
WORDS_BROKEN = """(element) => {
    const broken = [];
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
        if (text.parentElement.closest('.long-token')) continue;
        const re = /\\S+/g;
        for (let m = re.exec(text.data); m; m = re.exec(text.data)) {
            const range = document.createRange();
            range.setStart(text, m.index);
            range.setEnd(text, m.index + m[0].length);
            const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
            if (tops.size > 1) broken.push(m[0]);
        }
    }
    return broken;
}"""


def test_long_context_values_wrap_at_words_and_long_tokens_stay_whole(
    page, live_server, staff_user, screenshot
):
    url = ("https://example.com/refunds/ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnop"
           "?customer=ada%40example.com&reason=damaged-parcel")
    note = ("The customer wrote three times about the damaged parcel and attached photographs "
            f"of the box, the receipt and the courier's signature; the claim is at {url} and "
            "the courier confirmed the damage on the phone this morning, so please approve.")
    reference = "ord_7f3a9c2e1b4d5a6f7e8d9c0b1a2f3e4d5c6b7a8f9e0d1c2b3a4f5e6d7c8b9a0f"
    ir = {"name": "Claims", "input_schema": {"type": "object", "properties": {
        "note": {"type": "string"}, "reference": {"type": "string"}}},
        "nodes": [
            {"id": "ok", "type": "approval", "title": "Approve the claim?",
             "form_schema": {"type": "object", "properties": {}},
             "context": {"note": "input.note", "reference": "input.reference",
                         "claim": "input"},
             "assignees": {"users": [staff_user.username]}},
            {"id": "result", "type": "output", "value": "ok.approved"},
        ]}
    flow = Flow.objects.create(name="Claims", owner=staff_user)
    version = FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=True)
    run = services.run_create(user=staff_user, flow_version_id=version.id,
                              run_input={"note": note, "reference": reference})
    wait_for(lambda: Run.objects.get(pk=run.pk).status == "suspended", 30, 0.2, "suspension")
    page.goto(live_server(f"/inbox/{run.id}/ok"))
    context = page.get_by_test_id("step-context")
    expect(context).to_contain_text("damaged parcel")

    # The long text wraps at word boundaries, at the top level and in an object's fields
    for row in ("note", "claim"):
        value = context.locator(".step-context-row", has_text=row).locator("dd").first
        assert value.evaluate(WORDS_BROKEN) == [], row
    # Long unbroken tokens (the URL, the id) stay whole on one line inside their box, cut with
    # an ellipsis, their full value on hover and in the page's text (selected and copied whole)
    tokens = context.get_by_test_id("long-token")
    expect(tokens).to_have_count(4)  # note and reference, at the top and in the claim
    for i in range(4):
        token = tokens.nth(i)
        full = token.get_attribute("title")
        assert full in (url, reference)
        assert token.text_content() == full
        box = token.bounding_box()
        cell = token.locator("xpath=ancestor::dd[1]").bounding_box()
        assert box["height"] < 30, box
        assert cell["x"] <= box["x"], (box, cell)
        assert box["x"] + box["width"] <= cell["x"] + cell["width"] + 1, (box, cell)
    assert tokens.first.evaluate("(el) => getComputedStyle(el).textOverflow") == "ellipsis"
    assert tokens.first.evaluate("(el) => el.scrollWidth > el.clientWidth")
    screenshot(page, "long-context")


def test_a_step_page_loading_shows_its_frame_and_says_what_loads(page, live_server, staff_user):
    run = _refund_run_assigned_to(staff_user)
    wait_for(lambda: Run.objects.get(pk=run.pk).status == "suspended", 30, 0.2, "suspension")
    held: list[Any] = []
    pattern = re.compile(rf".*/api/v1/approvals/{run.id}/ok/.*")
    page.route(pattern, lambda route: held.append(route))
    page.goto(live_server(f"/inbox/{run.id}/ok"))

    loading = page.get_by_test_id("page-loading")
    expect(loading).to_be_visible()
    expect(loading.get_by_role("status")).to_have_text("Loading the step…")

    for route in held:
        route.continue_()
    page.unroute(pattern)
    expect(page.get_by_test_id("step-page")).to_be_visible()
    expect(loading).to_have_count(0)


def test_the_inbox_reads_on_one_line_a_row_in_a_narrow_window(page, live_server, staff_user,
                                                              screenshot):
    # Given steps waiting for a few minutes for a group nobody is in, of a flow with a long
    # name, the inbox opened in a 1024 x 768 window
    from datetime import timedelta

    from django.utils import timezone

    run = _waiting_steps(staff_user, 3)
    Flow.objects.filter(pk=run.flow_version.flow_id).update(
        name="Refund a damaged parcel with the finance team's approval")
    ApprovalStep.objects.filter(run=run).update(
        assignee_users=[], assignee_groups=["regional managers"],
        created_at=timezone.now() - timedelta(minutes=28))
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(live_server("/inbox"))
    rows = page.get_by_test_id("inbox-row")
    expect(rows).to_have_count(3)

    # Then each column's heading and each step's age stay on one line (not "ASSIGNED / TO",
    # "2 h / ago"), and the table fits the window
    def lines(cells: Any) -> list[int]:
        return cells.evaluate_all("""(all) => all.map((cell) => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
            return tops.size;
        })""")

    assert set(lines(page.locator(".table th"))) <= {0, 1}
    ages = rows.locator("td:nth-child(5)")
    expect(ages.first).to_contain_text("ago")
    assert set(lines(ages)) == {1}
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1024
    screenshot(page, "narrow-inbox")


def test_the_step_pages_flow_names_its_steps_whole(page, live_server, staff_user, screenshot):
    # Given a step of a flow whose steps have titles of a few words, one after the other
    titles = ["Look up the customer by email", "Approve the refund of the parcel",
              "Email the customer the decision"]
    ir = {"name": "Titled", "nodes": [
        {"id": "look", "type": "value", "value": "'ada'", "title": titles[0]},
        {"id": "ok", "type": "approval", "title": titles[1], "after": ["look"],
         "instructions": "Say yes or no.", "form_schema": {"type": "object", "properties": {}},
         "assignees": {"users": [staff_user.username]}},
        {"id": "tell", "type": "value", "value": "ok.approved", "title": titles[2]},
    ]}
    flow = Flow.objects.create(name="Titled", owner=staff_user)
    version = FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=True)
    run = services.run_create(user=staff_user, flow_version_id=version.id, run_input={})
    wait_for(lambda: Run.objects.get(pk=run.pk).status == "suspended", 30, 0.2, "suspension")

    # When its page is opened
    page.goto(live_server(f"/inbox/{run.id}/ok"))

    # Then the flow beside the decision names each step whole, its boxes as wide as the card
    labels = page.get_by_test_id("step-graph").locator(".mini-label")
    expect(labels).to_have_text(titles)
    graph = page.get_by_test_id("step-graph").bounding_box()
    box = page.get_by_test_id("step-graph").locator(".mini-node rect").first.bounding_box()
    assert box["width"] > graph["width"] * 0.8
    for i in range(3):
        label = labels.nth(i).bounding_box()
        rect = page.get_by_test_id("step-graph").locator(".mini-node rect").nth(i).bounding_box()
        assert label["x"] + label["width"] <= rect["x"] + rect["width"]
    screenshot(page, "step-flow")


def test_the_values_of_a_steps_context_objects_line_up(page, live_server, staff_user):
    # Given a step whose context holds two objects with keys of different lengths
    ir = {"name": "Aligned", "input_schema": {"type": "object", "properties": {
        "body": {"type": "string"}, "total": {"type": "number"}}}, "nodes": [
        {"id": "check", "type": "value",
         "value": {"valid": "true", "disposable": "false", "suggestion": "'none'"}},
        {"id": "ok", "type": "approval", "title": "Go ahead?", "after": ["check"],
         "instructions": "Say yes or no.", "form_schema": {"type": "object", "properties": {}},
         "context": {"order": "input", "checked": "check"},
         "assignees": {"users": [staff_user.username]}},
    ]}
    flow = Flow.objects.create(name="Aligned", owner=staff_user)
    version = FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=True)
    run = services.run_create(user=staff_user, flow_version_id=version.id,
                              run_input={"body": "Thanks", "total": 900})
    wait_for(lambda: Run.objects.get(pk=run.pk).status == "suspended", 30, 0.2, "suspension")

    # When its page is opened
    page.goto(live_server(f"/inbox/{run.id}/ok"))
    values = page.locator(".step-fields .step-field dd")
    expect(values).to_have_count(5)

    # Then the values of both objects start at one line, as in one table
    lefts = {round(box["x"]) for box in values.evaluate_all(
        "(all) => all.map((dd) => dd.getBoundingClientRect().toJSON())")}
    assert len(lefts) == 1, lefts


def test_a_table_inside_a_tools_result_takes_the_width_under_its_name(
        page, live_server, staff_user, screenshot):
    # A stock check's lines (six columns) beside the names' column: "IN STOCK" was cut off
    ir = {"name": "Backorder", "input_schema": {"type": "object", "properties": {
        "stock": {"type": "object"}}}, "nodes": [
        {"id": "ok", "type": "approval", "title": "Approve the backorder?",
         "form_schema": {"type": "object", "properties": {}},
         "context": {"check_inventory": "input.stock"},
         "assignees": {"users": [staff_user.username]}},
    ]}
    flow = Flow.objects.create(name="Backorder", owner=staff_user)
    version = FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=True)
    run = services.run_create(user=staff_user, flow_version_id=version.id, run_input={
        "stock": {"in_stock": False, "lines": [
            {"sku": "ADA@EXAMPLE.COM", "name": None, "requested": 12, "available": 0,
             "in_stock": False},
            {"sku": "WIDGET-1", "name": "Standard widget", "requested": 1, "available": 40,
             "in_stock": True}], "unavailable": ["ADA@EXAMPLE.COM"]},
    })
    wait_for(lambda: Run.objects.get(pk=run.pk).status == "suspended", 30, 0.2, "suspension")
    page.goto(live_server(f"/inbox/{run.id}/ok"))
    field = page.get_by_test_id("step-context").locator('.step-field[data-field="lines"]')
    lines = field.get_by_test_id("step-records")
    expect(lines.locator("tbody tr")).to_have_count(2)
    wrap = lines.locator("xpath=..")
    assert wrap.evaluate("(w) => w.scrollWidth <= w.clientWidth"), wrap.evaluate(
        "(w) => [w.scrollWidth, w.clientWidth]")
    # its name above it, the table below, as wide as the fields
    name = field.locator("dt").bounding_box()
    table = wrap.bounding_box()
    assert table["y"] >= name["y"] + name["height"] - 1
    assert abs(table["x"] - name["x"]) < 2
    screenshot(page, "lines")


def test_a_rows_summary_says_the_run_input_in_its_forms_order(
    new_page, live_server, staff_user, bob
):
    # The row said "body Thanks · email ada@example.com · total 900" for a form asking the
    # email, the total, the subject and then the body: the stored order, shortest key first
    ir = {**REFUND, "input_schema": {"type": "object", "properties": {
        "email": {"type": "string"}, "total": {"type": "number"},
        "subject": {"type": "string"}, "body": {"type": "string"},
        "customer": {"type": "string"}}}}  # which the step shows its approver
    flow = Flow.objects.create(name="Refund", owner=staff_user)
    version = FlowVersion.objects.create(flow=flow, number=1, ir=ir, is_valid=True)
    services.run_create(user=staff_user, flow_version_id=version.id, run_input={
        "email": "ada@example.com", "total": 900, "subject": "Hi", "body": "Thanks",
        "customer": "Ada"})
    page = new_page(bob)
    page.goto(live_server("/inbox"))
    row = page.get_by_test_id("inbox-row")
    expect(row).to_have_count(1, timeout=30_000)
    expect(row.get_by_test_id("inbox-summary")).to_have_text(
        "email ada@example.com · total 900 · subject Hi")
    # in a narrow window every column left stays on the card (Assigned to, Waiting and the
    # Deadline ran off it at 700 px): the run's id and who decides give way
    page.set_viewport_size({"width": 700, "height": 900})
    table = page.get_by_test_id("inbox-table")
    card = table.locator("xpath=ancestor::*[contains(@class, 'card')][1]").bounding_box()
    expect(table.locator("th", has_text="Deadline")).to_be_visible()
    expect(table.locator("th", has_text="Assigned to")).to_be_hidden()
    for cell in table.locator("th").all():
        box = cell.bounding_box()
        if box is not None:
            assert box["x"] + box["width"] <= card["x"] + card["width"] + 0.5, box
    page.set_viewport_size({"width": 1400, "height": 900})
    expect(table.locator("th", has_text="Assigned to")).to_be_visible()

    # and the step shows the run's input (its context `order` is `input`) in that order too
    row.click()
    context = page.get_by_test_id("step-context")
    expect(context).to_be_visible()
    fields = context.locator(".step-context-row", has=page.locator("dt", has_text="order"))
    expect(fields.locator(".step-field")).to_have_count(5)
    assert [f.get_attribute("data-field") for f in fields.locator(".step-field").all()] == [
        "email", "total", "subject", "body", "customer"]
