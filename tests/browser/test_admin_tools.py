"""Adding a tool in the Django admin: the empty JSON fields show what they hold by example,
the config's example follows the kind chosen, and a tool written after them is saved."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from tools_registry.models import Tool


def test_a_new_tools_config_example_follows_its_kind(page, live_server, screenshot):
    page.goto(live_server("/admin/tools_registry/tool/add/"))
    config = page.locator("#id_config")
    assert '"properties"' in page.locator("#id_input_schema").get_attribute("placeholder")
    assert '"url"' in config.get_attribute("placeholder")  # HTTP request is the default kind

    page.locator("#id_kind").select_option("llm")
    expect(config).to_have_attribute("placeholder", re.compile('"prompt"'))
    assert '"url"' not in config.get_attribute("placeholder")
    page.locator("#id_kind").select_option("approval")
    expect(config).to_have_attribute("placeholder", re.compile('"assignees"'))
    config.scroll_into_view_if_needed()
    screenshot(page, "approval-example")

    page.locator("#id_kind").select_option("http")
    page.locator("#id_id").fill("order_status")
    page.locator("#id_name").fill("Order status")
    page.locator("#id_description").fill("Looks up an order's status in the shop.")
    page.locator("#id_input_schema").fill(json.dumps(
        {"type": "object", "properties": {"order_id": {"type": "string"}},
         "required": ["order_id"]}))
    page.locator("#id_config").fill(json.dumps(
        {"url": "https://api.example.com/orders/{{ input.order_id }}"}))
    page.locator("input[name=_save]").click()

    expect(page.locator(".messagelist .success")).to_be_visible()
    tool = Tool.objects.get(pk="order_status")
    assert tool.kind == "http"
    assert tool.config["url"] == "https://api.example.com/orders/{{ input.order_id }}"



def test_an_empty_json_box_says_so_and_starts_from_its_example(page, live_server, screenshot):
    # Grey example JSON looked like a value already given: the box says it is empty, and a
    # button fills it with the example of the kind chosen
    page.goto(live_server("/admin/tools_registry/tool/add/"))
    config = page.locator("#id_config")
    assert config.get_attribute("placeholder").startswith("Empty. For example:")
    assert config.input_value() == ""

    page.locator("#id_kind").select_option("llm")
    page.locator("#id_config + button", has_text="Start from the example").click()
    assert '"prompt"' in config.input_value()
    json.loads(config.input_value())  # what it puts in is JSON the form takes

    # an HTTP tool saved without an output schema is saved, with a warning that flows can
    # read none of its fields
    page.locator("#id_kind").select_option("http")
    page.locator("#id_id").fill("ping_service")
    page.locator("#id_name").fill("Ping service")
    page.locator("#id_description").fill("Pings the service.")
    page.locator("#id_input_schema + button", has_text="Start from the example").click()
    config.fill(json.dumps({"url": "https://status.example.com/ping"}))
    page.locator("input[name=_save]").click()

    expect(page.locator(".messagelist .success")).to_be_visible()
    expect(page.locator(".messagelist .warning")).to_contain_text("output schema lists no fields")
    screenshot(page, "tool-saved-without-output-schema")
    assert Tool.objects.get(pk="ping_service").input_schema["properties"]


def test_the_admin_carries_the_products_name_and_icon_and_asks_for_nothing_missing(
        page, live_server, screenshot):
    # Stock admin pages said "Django administration" and, having no icon, made the browser
    # ask for /favicon.ico: a 404 in the console of every admin page
    missing = []
    page.on("response", lambda answer: answer.status >= 400 and missing.append(answer.url))
    page.on("console", lambda message: message.type == "error" and missing.append(message.text))

    page.goto(live_server("/admin/tools_registry/tool/"))

    expect(page.locator("#site-name")).to_have_text("DynamicFlow admin")
    expect(page).to_have_title(re.compile(r"\| DynamicFlow admin$"))
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(live_server(icon)).ok
    header = page.locator("#header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert header == "rgb(30, 27, 75)"  # the app's indigo, not Django's teal
    page.wait_for_load_state("networkidle")
    assert missing == []
    screenshot(page, "admin")
