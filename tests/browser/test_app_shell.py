"""The web app as a person first meets it: sign-in, the navigation, the theme, and pages
that load nothing from outside the site (admin and API docs styled, offline)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from playwright.sync_api import expect


def test_sign_in_lands_on_flows_with_the_navigation(live_server, new_page, staff_user, screenshot):
    page = new_page()
    page.goto(live_server("/flows"))
    expect(page).to_have_url(live_server("/login/?next=/flows"))

    page.get_by_test_id("login-username").fill(staff_user.username)
    page.get_by_test_id("login-password").fill("wrong-password")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("login-error")).to_be_visible()
    # the name is kept and the cursor waits in the password field, ready for another try
    expect(page.get_by_test_id("login-username")).to_have_value(staff_user.username)
    expect(page.get_by_test_id("login-password")).to_be_focused()

    page.get_by_test_id("login-password").fill("pw-browser-123456")
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(live_server("/flows"))
    for item in ("flows", "new-flow", "runs", "inbox", "tools", "admin"):
        expect(page.get_by_test_id(f"nav-{item}")).to_be_visible()
        # drawn as line icons like the rest of the app, not as text symbols (▦ ▶ ⚙)
        expect(page.get_by_test_id(f"nav-{item}").locator(".nav-icon svg")).to_have_count(1)
    screenshot(page, "flows")


def test_signing_in_at_djangos_default_address_lands_on_flows(live_server, new_page, staff_user):
    # /accounts/login/ showed the sign-in form, then the app's "Page not found" after it
    page = new_page()
    page.goto(live_server("/accounts/login/"))
    expect(page).to_have_url(live_server("/login/"))
    page.get_by_test_id("login-username").fill(staff_user.username)
    page.get_by_test_id("login-password").fill("pw-browser-123456")
    page.get_by_test_id("login-submit").click()
    page.wait_for_url(live_server("/flows"))
    expect(page.get_by_test_id("nav-flows")).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)


def test_theme_switch_is_remembered(page, live_server, screenshot):
    page.goto(live_server("/tools"))
    before = page.evaluate("document.documentElement.dataset.theme")
    page.get_by_test_id("theme-toggle").click()
    after = page.evaluate("document.documentElement.dataset.theme")
    assert {before, after} == {"light", "dark"}

    page.reload()
    assert page.evaluate("document.documentElement.dataset.theme") == after
    screenshot(page, after)


def test_a_plain_user_sees_no_admin_link(new_page, user, live_server):
    page = new_page(user)
    page.goto(live_server("/flows"))
    expect(page.get_by_test_id("nav-flows")).to_be_visible()
    expect(page.get_by_test_id("nav-admin")).to_have_count(0)


def test_the_navigation_leads_to_the_api_docs(new_page, user, live_server):
    page = new_page(user)
    page.goto(live_server("/flows"))
    link = page.get_by_test_id("nav-api-docs")
    expect(link).to_be_visible()
    expect(link.locator(".nav-icon svg")).to_have_count(1)
    with page.context.expect_page() as opened:
        link.click()
    docs = opened.value
    docs.wait_for_load_state()
    assert urlparse(docs.url).path == "/api/docs/"
    expect(docs.locator(".swagger-ui .info .title")).to_contain_text("DynamicFlow API")
    # the app stays where it was, in its own tab
    assert urlparse(page.url).path == "/flows"
    # and the docs lead back to the app, above Swagger UI's own page
    back = docs.get_by_test_id("api-docs-back")
    expect(back).to_be_visible()
    assert back.bounding_box()["y"] < docs.locator(".swagger-ui .info").bounding_box()["y"]
    back.click()
    expect(docs.get_by_test_id("nav-flows")).to_be_visible()
    assert urlparse(docs.url).path in ("/", "/flows")


def _requests_outside(page: Any, origin: str, path: str) -> tuple[list[str], list[str]]:
    outside: list[str] = []
    failed: list[str] = []
    host = urlparse(origin).netloc
    page.on("request", lambda r: outside.append(r.url)
            if urlparse(r.url).netloc not in (host, "") and not r.url.startswith("data:") else None)
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(origin + path)
    page.wait_for_load_state("networkidle")
    return outside, failed


def test_admin_and_api_docs_are_styled_and_load_nothing_from_outside(
    page, live_server, screenshot
):
    outside, failed = _requests_outside(page, live_server.url, "/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("DynamicFlow API")
    assert outside == []
    assert failed == []
    screenshot(page, "api-docs")

    outside, failed = _requests_outside(page, live_server.url, "/admin/")
    # The admin's stylesheet loaded and applied: its header bar has a background colour.
    color = page.locator("#header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert color not in ("rgba(0, 0, 0, 0)", "transparent")
    assert outside == []
    assert failed == []
    screenshot(page, "admin")


def test_a_narrow_window_keeps_the_pages_room(page, live_server, staff_user, screenshot):
    from flows.api.services import flow_create

    name = "Welcome every new customer by email, then tell the sales team who signed up today"
    flow = flow_create(owner=staff_user, name=name, ir={
        "name": name,
        "nodes": [{"id": "result", "type": "output", "value": "input"}],
    })
    page.set_viewport_size({"width": 1000, "height": 760})
    page.goto(live_server("/flows"))
    # the navigation is a rail of icons, each still named
    sidebar = page.locator("nav.sidebar")
    expect(page.get_by_test_id("nav-runs")).to_be_visible()
    assert sidebar.bounding_box()["width"] <= 72
    expect(page.get_by_test_id("nav-runs")).to_have_attribute("title", "Runs")
    expect(page.get_by_test_id("nav-runs").locator(".nav-label")).to_be_hidden()
    screenshot(page, "flows-1000")

    page.goto(live_server(f"/flows/{flow.pk}"))
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-ready", "true")
    # the flow's name is readable, and every toolbar button is inside the window
    title = page.locator(".toolbar-title h1")
    expect(title).to_be_visible()
    assert title.bounding_box()["width"] >= 150
    for test_id in ("flow-settings-button", "versions-button", "export", "run", "save-version"):
        box = page.get_by_test_id(test_id).bounding_box()
        assert box is not None, test_id
        assert box["x"] + box["width"] <= 1000, test_id
    # an icon-only button still says what it does
    expect(page.get_by_test_id("versions-button")).to_have_attribute("title", "Versions")
    screenshot(page, "designer-1000")

    # the run page: the long flow name gives way, not the "Runs" crumb or the buttons
    from flows.runs import services as run_services

    version = flow.versions.order_by("-number").first()
    run = run_services.run_create(user=staff_user, flow_version_id=version.id, run_input={})
    page.goto(live_server(f"/runs/{run.id}"))
    crumb = page.locator("nav.crumbs a").first
    expect(crumb).to_have_text("Runs")
    assert crumb.evaluate("a => a.scrollWidth <= a.clientWidth"), "the Runs crumb is cut short"
    for test_id in ("run-open-designer", "run-edit-input", "run-rerun"):
        box = page.get_by_test_id(test_id).bounding_box()
        assert box is not None, test_id
        assert box["x"] + box["width"] <= 1000, test_id
    # a run of a few milliseconds: its timeline's axis does not repeat a label ("0 ms 0 ms
    # 1 ms 1 ms"), and its last label stays inside the timeline
    ticks = page.get_by_test_id("timeline").locator(".tl-tick")
    expect(ticks.first).to_have_text("0 ms")
    labels = ticks.all_inner_texts()
    assert len(labels) == len(set(labels)), labels
    track = page.get_by_test_id("timeline").locator(".tl-axis .tl-track").bounding_box()
    last = ticks.last.bounding_box()
    assert last["x"] + last["width"] <= track["x"] + track["width"] + 1, (last, track)
    screenshot(page, "run-1000")

    page.set_viewport_size({"width": 1400, "height": 900})
    expect(page.get_by_test_id("nav-runs").locator(".nav-label")).to_be_visible()


def test_a_server_error_or_an_unreachable_server_is_said_in_words(page, live_server, screenshot):
    import re

    # an HTML error page (a proxy's, or the server's own) where JSON was expected
    page.route(re.compile(r".*/api/v1/(tools|categories)/.*"), lambda route: route.fulfill(
        status=500, body="<h1>Server Error (500)</h1>", headers={"content-type": "text/html"}))
    page.goto(live_server("/flows/new"))
    expect(page.locator(".field-error")).to_contain_text("The server could not answer (HTTP 500")
    expect(page.locator(".field-error")).not_to_contain_text("Unexpected token")
    page.goto(live_server("/tools"))
    expect(page.get_by_text("The server could not answer (HTTP 500")).to_be_visible()
    screenshot(page, "server-error")

    # no answer at all
    page.unroute(re.compile(r".*/api/v1/(tools|categories)/.*"))
    page.route(re.compile(r".*/api/v1/flows/.*"), lambda route: route.abort())
    page.goto(live_server("/flows"))
    expect(page.get_by_text("Could not reach the server")).to_be_visible()


def test_a_wrong_address_is_one_not_found_page_with_the_ways_on(page, live_server, staff_user,
                                                                  screenshot):
    from flows.models import Flow, FlowVersion

    flow = Flow.objects.create(name="Kept", owner=staff_user)
    FlowVersion.objects.create(flow=flow, number=1, ir={
        "ir_version": "1.0", "name": "Kept", "input_schema": {"type": "object"}, "nodes": []})
    missing_run = "00000000-0000-0000-0000-000000000000"
    for path, title in [
        ("/nonsense/page", "Page not found"),
        ("/flows/abc", "Flow not found"),
        ("/flows/999999", "Flow not found"),
        (f"/flows/{flow.id}/v/99", "Version not found"),
        (f"/runs/{missing_run}", "Run not found"),
        (f"/inbox/{missing_run}/approve", "Step not found"),
    ]:
        page.goto(live_server(path))
        # the same page every time: a heading, why, and the shell's navigation still there
        card = page.get_by_test_id("not-found").or_(page.get_by_test_id("run-error-load"))
        expect(card.get_by_role("heading", name=title)).to_be_visible()
        expect(card.get_by_role("link", name="New flow")).to_be_visible()
        expect(page.get_by_test_id("nav-flows")).to_be_visible()
    screenshot(page, "step-not-found")

    page.goto(live_server("/nonsense/page"))
    screenshot(page, "page-not-found")
    page.get_by_test_id("not-found").get_by_role("link", name="Flows").click()
    page.wait_for_url(live_server("/flows"))
    # the refused requests are answered on the page, none escapes as an uncaught error
    assert page.errors == []


def test_a_session_that_ends_mid_edit_offers_a_sign_in_that_keeps_the_unsaved_flow(
    page, live_server, staff_user, screenshot
):
    from flows.api.services import flow_create
    from flows.models import FlowVersion
    from tests.browser.conftest import sign_in

    flow = flow_create(owner=staff_user, name="Kept", ir={
        "name": "Kept", "input_schema": {"type": "object"},
        "nodes": [{"id": "result", "type": "output", "value": "input"}]})
    page.goto(live_server(f"/flows/{flow.pk}"))
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-ready", "true")
    page.get_by_test_id("palette-item-value").click()
    expect(page.get_by_test_id("dirty-indicator")).to_contain_text("Unsaved")

    # Given the session ends (signed out elsewhere), saving is refused with a way back in
    page.context.clear_cookies()
    page.get_by_test_id("save-version").click()
    banner = page.get_by_test_id("signed-out-banner")
    expect(banner).to_contain_text("You are signed out")
    link = page.get_by_test_id("signed-out-sign-in")
    expect(link).to_have_attribute("href", f"/login/?next=%2Fflows%2F{flow.pk}")
    expect(link).to_have_attribute("target", "_blank")
    screenshot(page, "signed-out")

    # When the person signs in in the tab the link opens and comes back
    with page.context.expect_page() as opened:
        link.click()
    sign_in_tab = opened.value
    sign_in(sign_in_tab, live_server, staff_user.username)
    sign_in_tab.close()

    # Then the unsaved edit is still here, saving works, and the banner goes
    page.get_by_test_id("save-version").click()
    expect(page.get_by_test_id("dirty-indicator")).to_contain_text("Saved")
    expect(banner).to_have_count(0)
    assert FlowVersion.objects.filter(flow=flow).count() == 2
    assert len(FlowVersion.objects.get(flow=flow, number=2).ir["nodes"]) == 2


def test_the_first_tab_skips_the_navigation_to_the_page(page, live_server, screenshot):
    page.goto(live_server("/flows"))
    expect(page.get_by_test_id("flows-empty").or_(page.get_by_test_id("flow-row").first)
           ).to_be_visible()
    skip = page.get_by_test_id("skip-to-content")
    assert skip.bounding_box()["y"] < 0  # out of sight until a keyboard reaches it

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["y"] >= 0
    screenshot(page, "skip-link")
    page.keyboard.press("Enter")
    expect(page.locator("#content")).to_be_focused()
    assert page.url == live_server("/flows")  # no "#content" for the router to take as a move

    # the next Tab is inside the page, not back in the navigation
    page.keyboard.press("Tab")
    inside_page = page.evaluate(
        "() => document.querySelector('#content').contains(document.activeElement)")
    assert inside_page


def test_a_narrow_window_keeps_the_lists_names_readable_and_every_column_on_the_card(
        page, live_server, staff_user, screenshot):
    # At 700 px the flows list cut names to two letters ("Lo…") and pushed its row menu off
    # the card; the runs list cut flow names to one ("V…") and its Batch column off the card.
    from flows.api.services import flow_create
    from flows.runs import services as run_services

    name = "Validate, approve and send the confirmation email"
    flow = flow_create(owner=staff_user, name=name, ir={
        "name": name, "nodes": [{"id": "result", "type": "output", "value": "input"}]})
    run_services.run_create(user=staff_user, flow_version_id=flow.versions.get().id,
                            run_input={})

    def inside_card(table: Any) -> None:
        card = table.locator("xpath=ancestor::*[contains(@class, 'card')][1]").bounding_box()
        for cell in table.locator("tr").first.locator("th").all():
            box = cell.bounding_box()
            if box is not None:
                assert box["x"] + box["width"] <= card["x"] + card["width"] + 0.5, box

    for width in (700, 1400):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(live_server("/flows"))
        link = page.get_by_test_id("flow-link").first
        expect(link).to_be_visible()
        assert link.bounding_box()["width"] >= 150, (width, link.bounding_box())
        menu = page.get_by_test_id("flow-row").first.get_by_test_id("flow-menu")
        inside_card(page.locator("table.flows-table"))
        assert menu.bounding_box()["x"] + menu.bounding_box()["width"] <= width
        screenshot(page, f"flows-{width}")

        page.goto(live_server("/runs"))
        flow_name = page.get_by_test_id("run-row").first.locator(".flow-cell")
        expect(flow_name).to_be_visible()
        assert flow_name.bounding_box()["width"] >= 120, (width, flow_name.bounding_box())
        inside_card(page.get_by_test_id("runs-table"))
        # the columns that say least give way only when the window is narrow
        by = page.get_by_test_id("runs-table").locator("th", has_text="By")
        expect(by).to_be_hidden() if width < 960 else expect(by).to_be_visible()
        screenshot(page, f"runs-{width}")


def test_a_tablet_wide_window_keeps_the_designers_run_and_save_in_it(
        page, live_server, staff_user, screenshot):
    # At 700 px the toolbar ran off the window: "Save version" was cut at its edge
    from flows.api.services import flow_create

    flow = flow_create(owner=staff_user, name="Welcome new customers", ir={
        "name": "Welcome new customers",
        "nodes": [{"id": "result", "type": "output", "value": "input"}]})
    page.set_viewport_size({"width": 700, "height": 900})
    page.goto(live_server(f"/flows/{flow.pk}"))
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-ready", "true")
    for test_id in ("undo", "flow-settings-button", "versions-button", "refine-button", "export",
                    "run", "save-version"):
        box = page.get_by_test_id(test_id).bounding_box()
        assert box is not None, test_id
        assert box["x"] + box["width"] <= 700, (test_id, box)
    expect(page.get_by_test_id("save-version")).to_have_text("Save", use_inner_text=True)
    assert page.locator(".toolbar-title h1").bounding_box()["width"] >= 100
    screenshot(page, "designer-700")
    # wider, the button says what it saves again
    page.set_viewport_size({"width": 1400, "height": 900})
    expect(page.get_by_test_id("save-version")).to_have_text("Save version",
                                                             use_inner_text=True)


def test_tools_read_by_their_display_names(page, live_server, screenshot):
    page.goto(live_server("/tools"))
    fetch = page.locator('[data-testid="tool-card"][data-tool-id="fetch_url"]')
    expect(fetch.locator(".tool-main")).to_contain_text("Fetch URL")
    lookup = page.locator('[data-testid="tool-card"][data-tool-id="lookup_user"]')
    expect(lookup.locator(".tool-main")).to_contain_text("Look up user")
    screenshot(page, "tools")


def test_staff_register_a_tool_from_the_catalogue_and_others_are_told_who_does(
    live_server, new_page, staff_user, user, screenshot
):
    # Given a member of staff on the tools page
    page = new_page(staff_user)
    page.goto(live_server("/tools"))
    expect(page.get_by_test_id("tool-card").first).to_be_visible()
    screenshot(page, "tools-register")

    # When they click to register a tool, then the admin's form for a new tool opens
    page.get_by_test_id("register-tool").click()
    expect(page).to_have_url(live_server("/admin/tools_registry/tool/add/"))
    expect(page.locator("#id_input_schema")).to_be_visible()

    # Given someone else on the tools page, then no button: a line says who registers tools
    other = new_page(user)
    other.goto(live_server("/tools"))
    expect(other.get_by_test_id("tool-card").first).to_be_visible()
    expect(other.get_by_test_id("register-tool")).to_have_count(0)
    expect(other.get_by_test_id("tools-register-note")).to_contain_text(
        "registered by an admin")
