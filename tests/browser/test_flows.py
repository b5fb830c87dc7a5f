"""The flows list in the browser: create a blank flow, import a JSON IR file (and see why a
bad one is refused), export, duplicate, delete (and the refusal for a flow with runs),
search and the owner filter. Each test checks the database, not only the page."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from flows.api.services import flow_create
from flows.models import Flow, Run
from flows.runs import services as run_services

WELCOME = {
    "name": "Welcome new users",
    "description": "Check the address, then greet.",
    "input_schema": {
        "type": "object",
        "required": ["email", "name"],
        "properties": {"email": {"type": "string"}, "name": {"type": "string"}},
    },
    "nodes": [
        {"id": "check", "type": "tool", "tool": "validate_email",
         "inputs": {"email": "input.email"}},
        {"id": "greet", "type": "tool", "tool": "send_welcome_email",
         "inputs": {"email": "input.email", "name": "input.name"}, "after": ["check"]},
    ],
}


def row(page: Any, flow: Flow) -> Any:
    return page.locator(f'[data-testid="flow-row"][data-flow-id="{flow.pk}"]')


def open_menu(page: Any, flow: Flow) -> None:
    row(page, flow).get_by_test_id("flow-menu").click()


def make(owner: Any, name: str, ir: dict[str, Any] | None = None, description: str = "") -> Flow:
    document = {**(ir or WELCOME), "name": name}
    return flow_create(owner=owner, name=name, description=description, ir=document)


def test_create_a_blank_flow_and_land_in_the_designer(page, live_server, staff_user, screenshot):
    page.goto(live_server("/flows"))
    expect(page.get_by_test_id("flows-empty")).to_be_visible()
    # with no flow yet there is nothing to search or filter: only the ways to start one
    expect(page.get_by_test_id("flows-search")).to_have_count(0)
    expect(page.get_by_test_id("flows-count")).to_have_count(0)
    screenshot(page, "empty")

    page.get_by_test_id("create-flow").click()
    page.get_by_test_id("create-flow-submit").click()  # no name yet: the API says why
    expect(page.get_by_test_id("create-flow-dialog")).to_contain_text("may not be blank")
    page.get_by_test_id("create-flow-name").fill("Quarterly report")
    page.get_by_test_id("create-flow-description").fill("Collect, summarise, send.")
    screenshot(page, "dialog")
    page.get_by_test_id("create-flow-submit").click()

    page.wait_for_url(lambda url: "/flows/" in url and not url.endswith("/flows"))
    flow = Flow.objects.get(name="Quarterly report")
    assert page.url == live_server(f"/flows/{flow.pk}")
    version = flow.versions.get()
    assert version.is_valid, version.validation_errors
    assert flow.description == "Collect, summarise, send."
    assert [node["type"] for node in version.ir["nodes"]] == ["output"]
    screenshot(page, "designer")


def test_import_a_json_ir_file_and_see_why_a_bad_one_is_refused(
    page, live_server, tmp_path: Path, screenshot
):
    good = tmp_path / "welcome.json"
    good.write_text(json.dumps(WELCOME))
    page.goto(live_server("/flows"))
    page.get_by_test_id("import-flow").set_input_files(str(good))

    expect(page.get_by_test_id("flows-notice")).to_contain_text("Imported “Welcome new users”")
    flow = Flow.objects.get(name="Welcome new users")
    expect(row(page, flow)).to_contain_text("Welcome new users")
    expect(row(page, flow).get_by_test_id("flow-valid")).to_be_visible()
    assert flow.versions.get().ir["nodes"][1]["after"] == ["check"]

    bad = tmp_path / "broken.json"
    bad.write_text(json.dumps({"name": "Broken", "nodes": [{"id": "Shout", "type": "yell"}]}))
    page.get_by_test_id("import-flow").set_input_files(str(bad))
    dialog = page.get_by_test_id("import-error-dialog")
    expect(dialog).to_contain_text("Could not import broken.json")
    expect(dialog.get_by_test_id("problem-list")).to_contain_text("Shout")
    expect(dialog.get_by_test_id("problem-list")).to_contain_text("type")
    screenshot(page, "refused")
    assert not Flow.objects.filter(name="Broken").exists()

    not_json = tmp_path / "notes.json"
    not_json.write_text(
        '{\n  "name": "Notes",\n  "nodes": [\n    {"id": "a" "type": "value"}\n  ]\n}')
    dialog.get_by_role("button", name="Close", exact=True).click()
    page.get_by_test_id("import-flow").set_input_files(str(not_json))
    # where the file breaks, by line and column, and what was expected there
    expect(page.get_by_test_id("import-error-dialog")).to_contain_text(
        "Could not import notes.json")
    expect(page.get_by_test_id("import-error")).to_have_text(
        "Not valid JSON: line 4, column 16 — expected ',' or '}'")
    screenshot(page, "not-json")
    assert Flow.objects.count() == 1


def test_export_downloads_the_latest_version(page, live_server, staff_user, screenshot):
    flow = make(staff_user, "Greeter: EU/US")
    page.goto(live_server("/flows"))
    open_menu(page, flow)
    screenshot(page, "menu")
    with page.expect_download() as download_info:
        page.get_by_test_id("export-flow").click()
    download = download_info.value
    assert download.suggested_filename == "Greeter EU US.json"
    exported = json.loads(Path(download.path()).read_text())
    assert exported == flow.versions.get().ir


def test_duplicate_copies_the_latest_ir(page, live_server, staff_user, screenshot):
    original = make(staff_user, "Welcome", description="Say hello")
    page.goto(live_server("/flows"))
    open_menu(page, original)
    page.get_by_test_id("duplicate-flow").click()

    expect(page.get_by_test_id("flows-notice")).to_contain_text("Created “Copy of Welcome”")
    copy = Flow.objects.get(name="Copy of Welcome")
    expect(row(page, copy)).to_be_visible()
    assert copy.description == "Say hello"
    assert copy.versions.get().ir["nodes"] == original.versions.get().ir["nodes"]
    assert copy.versions.get().ir["name"] == "Copy of Welcome"
    screenshot(page, "copied")


def test_delete_asks_first_and_a_flow_with_runs_is_protected(
    page, live_server, staff_user, screenshot
):
    doomed = make(staff_user, "Doomed")
    used = make(staff_user, "In use")
    run_services.run_create(
        user=staff_user, flow_version_id=used.versions.get().pk,
        run_input={"email": "ada@example.com", "name": "Ada"}, enqueue=False,
    )
    page.goto(live_server("/flows"))
    expect(row(page, used).get_by_test_id("flow-last-run")).to_have_text(re.compile("^Pending"))
    # a run waiting on an approval says so in the runs' own word, not 'suspended'
    Run.objects.filter(flow_version__flow=used).update(status="suspended")
    page.reload()
    expect(row(page, used).get_by_test_id("flow-last-run")).to_have_text(re.compile("^Waiting"))

    open_menu(page, doomed)
    page.get_by_test_id("delete-flow").click()
    expect(page.get_by_test_id("delete-flow-dialog")).to_contain_text("Doomed")
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_test_id("delete-flow-dialog")).to_have_count(0)
    assert Flow.objects.filter(pk=doomed.pk).exists()

    open_menu(page, doomed)
    page.get_by_test_id("delete-flow").click()
    page.get_by_test_id("confirm-delete").click()
    expect(row(page, doomed)).to_have_count(0)
    expect(page.get_by_test_id("flows-notice")).to_contain_text("Deleted “Doomed”")
    assert not Flow.objects.filter(pk=doomed.pk).exists()

    open_menu(page, used)
    page.get_by_test_id("delete-flow").click()
    page.get_by_test_id("confirm-delete").click()
    expect(page.get_by_test_id("delete-error")).to_contain_text("run")
    screenshot(page, "protected")
    assert Flow.objects.filter(pk=used.pk).exists()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_search_and_owner_filter(page, live_server, staff_user, user, screenshot, theme):
    mine = make(staff_user, "Welcome emails", description="Greets every new user")
    make(staff_user, "Orders sync", description="Nightly")
    theirs = make(user, "Welcome survey", description="Ada's")
    page.goto(live_server("/flows"))
    page.evaluate(f"localStorage.setItem('dynamicflow.theme', '{theme}')")
    page.reload()
    expect(page.get_by_test_id("flow-row")).to_have_count(3)

    page.get_by_test_id("flows-search").fill("welcome")
    expect(page.get_by_test_id("flow-row")).to_have_count(2)
    expect(row(page, theirs)).to_contain_text("ada")
    page.get_by_test_id("owner-mine").click()
    expect(page.get_by_test_id("flow-row")).to_have_count(1)
    expect(row(page, mine)).to_be_visible()
    screenshot(page, f"filtered-{theme}")

    page.get_by_test_id("flows-search").fill("nothing like this")
    expect(page.get_by_test_id("flows-empty")).to_contain_text("No flows match")
    page.get_by_role("button", name="Clear filters").click()
    expect(page.get_by_test_id("flow-row")).to_have_count(3)


def test_pages_of_twenty(page, live_server, staff_user):
    for number in range(22):
        make(staff_user, f"Flow {number:02d}")
    page.goto(live_server("/flows"))
    expect(page.get_by_test_id("flow-row")).to_have_count(20)
    expect(page.get_by_role("navigation", name="Pages")).to_contain_text("1\u201320 of 22")
    expect(page.get_by_test_id("page-prev")).to_be_disabled()

    page.get_by_test_id("page-next").click()
    expect(page.get_by_test_id("flow-row")).to_have_count(2)
    expect(page.get_by_role("navigation", name="Pages")).to_contain_text("21\u201322 of 22")
    expect(page.get_by_test_id("page-next")).to_be_disabled()
    page.get_by_test_id("page-prev").click()
    expect(page.get_by_test_id("flow-row")).to_have_count(20)


def test_run_a_flow_from_its_row(page, live_server, staff_user):
    flow = make(staff_user, "Welcome")
    page.goto(live_server("/flows"))
    open_menu(page, flow)
    page.get_by_test_id("run-flow").click()
    dialog = page.get_by_test_id("start-run-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Run Welcome")
    expect(dialog).to_contain_text("Version 1")


def test_a_description_that_repeats_the_name_is_not_shown_twice(page, live_server, staff_user):
    prompt = ("When a new order arrives, check stock; if in stock charge the card and email a "
              "receipt")
    planned = make(staff_user, prompt[:76] + "…", description=prompt)
    described = make(staff_user, "Welcome", description="Check the address, then greet.")
    page.goto(live_server("/flows"))
    # a planned flow: its name is the prompt's start, the prompt in full is the name's tooltip
    expect(row(page, planned).get_by_test_id("flow-link")).to_have_attribute("title", prompt)
    expect(row(page, planned).get_by_test_id("flow-description")).to_have_count(0)
    expect(row(page, described).get_by_test_id("flow-description")).to_have_text(
        "Check the address, then greet.")


def test_a_valid_flow_with_warnings_is_amber_with_their_count(
        page, live_server, staff_user, settings, screenshot):
    # It was a green "Valid" here while the designer said "Valid · 1 warning"
    settings.OPENAI_API_KEY = ""  # an llm node then warns: no model is configured
    warned = make(staff_user, "Summarise", ir={
        **WELCOME, "nodes": [*WELCOME["nodes"], {"id": "summary", "type": "llm",
                                                 "prompt": "Summarise", "after": ["greet"]}]})
    plain = make(staff_user, "Welcome")
    page.goto(live_server("/flows"))

    badge = row(page, warned).get_by_test_id("flow-warned")
    expect(badge).to_have_text("Valid · 1 warning")
    expect(badge).to_have_attribute("title", re.compile("1 warning: it runs"))
    expect(row(page, warned).get_by_test_id("flow-valid")).to_have_count(0)
    expect(row(page, plain).get_by_test_id("flow-valid")).to_have_text("Valid")
    screenshot(page, "flows-warned")
    # the designer says the same of it
    row(page, warned).get_by_test_id("flow-link").click()
    expect(page.get_by_test_id("validity")).to_have_text("Valid · 1 warning")


def test_a_group_made_in_the_admin_after_the_flow_turns_its_row_green_as_the_designer(
        page, live_server, staff_user, settings, screenshot):
    # The list counts warnings stored with the version; the designer validates live. A
    # group made after the flow was saved left the row amber ("Valid · 1 warning") while
    # the designer was green.
    settings.OPENAI_API_KEY = "test-key"
    gated = make(staff_user, "Gated welcome", ir={**WELCOME, "nodes": [
        {"id": "ok", "type": "approval", "instructions": "Approve the welcome",
         "assignees": {"groups": ["onboarding"]},
         "form_schema": {"type": "object", "properties": {}}},
        *[{**n, "after": ["ok"]} if n["id"] == "check" else n for n in WELCOME["nodes"]],
    ]})
    page.goto(live_server("/flows"))
    expect(row(page, gated).get_by_test_id("flow-warned")).to_have_text("Valid · 1 warning")

    page.goto(live_server("/admin/auth/group/add/"))
    page.locator("input[name=name]").fill("onboarding")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("onboarding")

    page.goto(live_server("/flows"))
    expect(row(page, gated).get_by_test_id("flow-valid")).to_have_text("Valid")
    expect(row(page, gated).get_by_test_id("flow-warned")).to_have_count(0)
    screenshot(page, "group-made")
    row(page, gated).get_by_test_id("flow-link").click()
    expect(page.get_by_test_id("validity")).to_have_text("Valid")
