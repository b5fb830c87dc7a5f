"""Text cut to fit a card or a cell reads whole on hover, on each page that cuts it: the
graph's cards in the designer and on the run page, the tools' and the flows' lists."""

from __future__ import annotations

from playwright.sync_api import expect

from flows.api.services import flow_create
from flows.models import FlowVersion
from flows.runs import services
from tests.browser.cut_text import cut_without_title

LONG = {
    "name": "Long names",
    "description": "A flow whose cards have more to say than they have room for: every "
                   "subtitle, key and value is longer than its card, and so is this text.",
    "input_schema": {"type": "object", "properties": {"email": {"type": "string"}}},
    "nodes": [
        {"id": "check_the_address_of_the_new_customer", "type": "tool",
         "tool": "validate_email", "title": "Check",
         "inputs": {"email": "input.email"}},
        {"id": "is_the_address_good_enough", "type": "branch", "title": "Good?",
         "condition": "check_the_address_of_the_new_customer.valid",
         "then": ["greet"], "else": []},
        {"id": "greet", "type": "tool", "tool": "send_welcome_email", "title": "Hi",
         "inputs": {"email": "input.email", "name": "input.email"}},
    ],
}


def test_cut_card_text_reads_whole_on_hover_in_the_designer_and_on_the_run_page(
        page, live_server, staff_user, screenshot):
    # Card subtitles ("is_the_address_good_enough If / else on a con…") were cut for good
    flow = flow_create(owner=staff_user, name=LONG["name"], description=LONG["description"],
                       ir=LONG)
    page.goto(live_server(f"/flows/{flow.pk}/v/1"))
    card = page.locator('[data-node-id="is_the_address_good_enough"]').first
    expect(card).to_be_visible()
    sub = card.locator(".fn-sub")
    assert sub.evaluate("(el) => el.scrollWidth > el.clientWidth")  # it is cut
    expect(sub).to_have_attribute("title", "is_the_address_good_enough · If / else on a condition")
    assert cut_without_title(page, ".react-flow") == []
    screenshot(page, "designer")

    run = services.run_create(user=staff_user, run_input={"email": "ada@example.com"},
                              flow_version_id=FlowVersion.objects.get(flow=flow).id)
    page.goto(live_server(f"/runs/{run.id}"))
    greet = page.get_by_test_id("run-node-greet")
    expect(greet).to_be_visible()
    assert greet.locator(".rn-kind").evaluate("(el) => el.scrollWidth > el.clientWidth")
    expect(greet.locator(".rn-kind")).to_have_attribute("title", "send_welcome_email")
    assert cut_without_title(page, ".react-flow") == []
    screenshot(page, "run")


def test_cut_list_text_reads_whole_on_hover(page, live_server, staff_user):
    flow_create(owner=staff_user, name=LONG["name"], description=LONG["description"], ir=LONG)
    page.goto(live_server("/flows"))
    expect(page.get_by_test_id("flow-row")).to_have_count(1)
    assert cut_without_title(page, ".content") == []

    page.goto(live_server("/tools"))
    expect(page.locator(".tool-description").first).to_be_visible()
    assert cut_without_title(page, ".content") == []
