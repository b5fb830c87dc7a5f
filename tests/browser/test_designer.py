"""The flow designer in the browser: see a flow's graph; add a tool from the palette,
connect it, see its validation errors on the node and in the problems panel, fix them in the
inspector and save a version; a refused cycle; undo and redo; copy and paste; the visual
diff of two versions. Each test checks the database or the graph, not only the page."""

from __future__ import annotations

import copy
import re
from typing import Any

from django.contrib.auth.models import Group
from playwright.sync_api import expect

from flows.api.services import flow_create, flow_version_create
from flows.models import Flow, FlowVersion, Run

WELCOME: dict[str, Any] = {
    "name": "Welcome new users",
    "description": "Check the address; greet good ones, report bad ones.",
    "input_schema": {
        "type": "object",
        "required": ["email", "name"],
        "properties": {"email": {"type": "string"}, "name": {"type": "string"}},
    },
    "nodes": [
        {"id": "check", "type": "tool", "tool": "validate_email",
         "inputs": {"email": "input.email"}},
        {"id": "is_valid", "type": "branch", "condition": "check.valid",
         "then": ["greet"], "else": ["report"]},
        {"id": "greet", "type": "tool", "tool": "send_welcome_email",
         "inputs": {"email": "input.email", "name": "input.name"}},
        {"id": "report", "type": "tool", "tool": "create_ticket",
         "inputs": {"subject": "'Bad signup: ' + input.email", "body": "check.reason"}},
    ],
}


def make(owner: Any, ir: dict[str, Any] | None = None) -> Flow:
    document = copy.deepcopy(ir or WELCOME)
    return flow_create(owner=owner, name=document["name"], ir=document)


def node(page: Any, node_id: str) -> Any:
    return page.locator(f'[data-node-id="{node_id}"]')


def open_designer(page: Any, live_server: Any, flow: Flow, version: int | None = None) -> None:
    path = f"/flows/{flow.pk}" + (f"/v/{version}" if version else "")
    page.goto(live_server(path))
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-ready", "true")


def wait_checked(page: Any) -> None:
    """Wait until the live validation has answered for the current graph."""
    expect(page.get_by_test_id("problems-count")).not_to_have_text("…")


def add_email_after_greet(page: Any, live_server: Any, flow: Flow) -> Any:
    """The welcome flow open in the designer, checked, with a send_email step added from the
    palette after `greet` (which was selected): the inspector, showing the new step."""
    open_designer(page, live_server, flow)
    wait_checked(page)
    node(page, "greet").click()
    page.get_by_test_id("palette-search").fill("send email")
    page.get_by_test_id("palette-item-send_email").click()
    return page.get_by_test_id("inspector")


def settled_box(locator: Any) -> dict[str, float]:
    """The element's box once it stops moving (the canvas may be panning to a new node)."""
    previous = None
    for _ in range(50):
        box = locator.bounding_box()
        if box is not None and box == previous:
            return box
        previous = box
        locator.page.wait_for_timeout(50)
    raise AssertionError(f"{locator} kept moving")


def drag_handle(page: Any, source: str, target: str, handle: str = "out") -> None:
    start = page.locator(f'[data-node-id="{source}"] .react-flow__handle[data-handleid="{handle}"]')
    end = page.locator(f'[data-node-id="{target}"] .react-flow__handle[data-handleid="in"]')
    a, b = settled_box(start), settled_box(end)
    page.mouse.move(a["x"] + a["width"] / 2, a["y"] + a["height"] / 2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2, steps=12)
    page.mouse.up()


def test_open_a_flow_and_see_its_graph(page, live_server, staff_user, screenshot):
    flow = make(staff_user)
    open_designer(page, live_server, flow)

    for node_id in ("check", "is_valid", "greet", "report"):
        expect(node(page, node_id)).to_be_visible()
    # a data edge from the reference, and the branch's two labelled arms
    expect(page.get_by_test_id("rf__edge-data:check->is_valid")).to_have_count(1)
    expect(page.get_by_test_id("rf__edge-arm:is_valid:then->greet")).to_contain_text("then")
    expect(page.get_by_test_id("rf__edge-arm:is_valid:else->report")).to_contain_text("else")
    wait_checked(page)
    expect(page.get_by_test_id("problems-count")).to_have_text("0")
    expect(node(page, "greet")).to_have_attribute("data-valid", "true")
    # with nothing selected the canvas has the page's width; the flow's settings are a click away
    expect(page.get_by_test_id("inspector")).to_have_count(0)
    screenshot(page, "graph")
    page.get_by_test_id("flow-settings-button").click()
    expect(page.get_by_test_id("inspector")).to_contain_text("Flow settings")
    # what they hold, not "Select a node to edit it" (an odd heading for the flow's own fields)
    expect(page.get_by_test_id("inspector").locator(".insp-sub")).to_have_text(
        "The name, description and run input of the whole flow")
    page.get_by_test_id("flow-settings-close").click()
    expect(page.get_by_test_id("inspector")).to_have_count(0)

    node(page, "greet").click()
    inspector = page.get_by_test_id("inspector")
    expect(inspector.locator('[data-field="inputs.email"] textarea')).to_have_value("input.email")
    # the selected node stays in view beside the inspector
    page.wait_for_function(
        """() => {
            const canvas = document.querySelector(".designer-canvas").getBoundingClientRect();
            const card = document.querySelector('[data-node-id="greet"]').getBoundingClientRect();
            return canvas.left <= card.left && card.right <= canvas.right;
        }""",
        timeout=5_000,
    )
    screenshot(page, "inspector")


def test_add_a_tool_connect_it_fix_its_inputs_and_save(page, live_server, staff_user, screenshot):
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    wait_checked(page)

    node(page, "greet").click()
    page.get_by_test_id("palette-search").fill("send email")
    page.get_by_test_id("palette-item-send_email").click()
    added = node(page, "send_email")
    expect(added).to_be_visible()
    expect(page.get_by_test_id("dirty-indicator")).to_have_attribute("data-dirty", "true")

    # clicked while greet is selected, it runs after greet
    expect(page.get_by_test_id("rf__edge-after:greet->send_email")).to_have_count(1)

    # the required inputs are missing: on the node, in the problems panel, in the inspector
    expect(added).to_have_attribute("data-valid", "false")
    problems = page.get_by_test_id("problems-panel")
    missing = problems.locator('[data-testid="problem-item"][data-node="send_email"]')
    expect(missing.first).to_be_visible()
    expect(problems).to_contain_text("missing_input")
    screenshot(page, "missing-inputs")

    problems.locator('[data-node="send_email"][data-field="inputs.to"]').click()
    to_field = page.get_by_test_id("inspector").locator('[data-field="inputs.to"] textarea')
    expect(to_field).to_be_focused()
    expect(page.get_by_test_id("inspector").locator('[data-field="inputs.to"]')).to_contain_text(
        "missing_input")
    # an empty text input opens in Text mode; the address is an expression over the input
    inspector = page.get_by_test_id("inspector")
    inspector.locator('[data-field="inputs.to"]').get_by_role("radio", name="Expression").click()
    to_field.fill("input.email")
    inspector.locator('[data-field="inputs.subject"] textarea').fill("Welcome aboard")
    inspector.locator('[data-field="inputs.body"]').get_by_role("radio", name="Expression").click()
    body = inspector.locator('[data-field="inputs.body"] textarea')
    body.fill('"Hello " + gre')
    # completion offers the upstream node, and then its output fields
    expect(inspector.locator(".cel-suggestions")).to_contain_text("greet")
    body.press("Enter")
    body.type(".")
    expect(inspector.locator(".cel-suggestions")).to_contain_text("status")
    body.press("Escape")
    body.fill('"Hello " + input.name + ", your welcome email is " + greet.status')
    expect(added).to_have_attribute("data-valid", "true")
    expect(page.get_by_test_id("problems-count")).to_have_text("0")
    screenshot(page, "fixed")

    page.get_by_test_id("save-version").click()
    expect(page).to_have_url(re.compile(rf"/flows/{flow.pk}/v/2$"))
    expect(page.get_by_test_id("dirty-indicator")).to_have_attribute("data-dirty", "false")
    saved = FlowVersion.objects.get(flow=flow, number=2)
    assert saved.is_valid
    assert saved.source == "editor"
    nodes = {n["id"]: n for n in saved.ir["nodes"]}
    assert nodes["send_email"]["after"] == ["greet"]
    # titled with its tool's name, as a planned step is: a run names it in words
    assert nodes["send_email"]["title"] == "Send email"
    assert nodes["send_email"]["inputs"]["to"] == "input.email"
    assert nodes["send_email"]["inputs"]["subject"] == '"Welcome aboard"'
    # nobody placed a step by hand: the layout is made again for the canvas that opens it
    assert not any("position" in n for n in saved.ir["nodes"])
    screenshot(page, "saved")


def test_a_text_input_takes_plain_text_as_text(page, live_server, staff_user, screenshot):
    # Given a flow whose ticket step reads its subject as an expression
    flow = make(staff_user)
    inspector = add_email_after_greet(page, live_server, flow)
    to = inspector.locator('[data-field="inputs.to"]')
    subject = inspector.locator('[data-field="inputs.subject"]')
    body = inspector.locator('[data-field="inputs.body"]')

    # When the person types plain text into the empty text inputs
    expect(body.get_by_role("radio", name="Text")).to_have_attribute("aria-checked", "true")
    body.locator("textarea").fill("Hello, we found your account")
    subject.locator("textarea").fill('Your "account"')
    # and an address that reads as a reference: offered as the expression it reads as
    to.locator("textarea").fill("input.email")
    to.get_by_test_id("input-expression-fix").get_by_role("button").click()
    expect(to.get_by_role("radio", name="Expression")).to_have_attribute("aria-checked", "true")

    # Then the text is text: no syntax error, the step is valid, the problems panel empty
    expect(node(page, "send_email")).to_have_attribute("data-valid", "true")
    expect(page.get_by_test_id("problems-count")).to_have_text("0")
    expect(body.locator("textarea")).to_have_value("Hello, we found your account")
    screenshot(page, "text")

    # and the Expression mode shows the CEL string it is stored as
    subject.get_by_role("radio", name="Expression").click()
    expect(subject.locator("textarea")).to_have_value('"Your \\"account\\""')
    subject.get_by_role("radio", name="Text").click()
    expect(subject.locator("textarea")).to_have_value('Your "account"')

    # Undo takes the typed text away (the address, then the subject) and redo brings it back
    page.get_by_test_id("undo").click()
    page.get_by_test_id("undo").click()
    expect(subject.locator("textarea")).to_have_value("")
    expect(subject.get_by_role("radio", name="Text")).to_have_attribute("aria-checked", "true")
    page.get_by_test_id("redo").click()
    page.get_by_test_id("redo").click()
    expect(subject.locator("textarea")).to_have_value('Your "account"')
    expect(to.locator("textarea")).to_have_value("input.email")
    expect(node(page, "send_email")).to_have_attribute("data-valid", "true")

    # Saved as CEL string literals; opened again, the text shows as text
    page.get_by_test_id("save-version").click()
    expect(page).to_have_url(re.compile(rf"/flows/{flow.pk}/v/2$"))
    saved = FlowVersion.objects.get(flow=flow, number=2)
    inputs = {n["id"]: n for n in saved.ir["nodes"]}["send_email"]["inputs"]
    assert inputs == {
        "to": "input.email",
        "subject": '"Your \\"account\\""',
        "body": '"Hello, we found your account"',
    }
    assert saved.is_valid
    page.reload()
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-ready", "true")
    node(page, "send_email").click()
    expect(body.get_by_role("radio", name="Text")).to_have_attribute("aria-checked", "true")
    expect(body.locator("textarea")).to_have_value("Hello, we found your account")
    expect(to.get_by_role("radio", name="Expression")).to_have_attribute("aria-checked", "true")
    page.emulate_media(color_scheme="dark")
    page.evaluate("document.documentElement.dataset.theme = 'dark'")
    screenshot(page, "text-dark")


def card_value(page: Any, node_id: str, label: str) -> Any:
    """The value a node card shows in its row for `label`."""
    row = node(page, node_id).locator(".fn-row").filter(has=page.locator(".fn-key", has_text=label))
    return row.locator(".fn-value")


def test_text_takes_values_from_earlier_steps_in_double_braces(
    page, live_server, staff_user, screenshot
):
    # Given a new email step after the greeting
    flow = make(staff_user)
    inspector = add_email_after_greet(page, live_server, flow)
    body = inspector.locator('[data-field="inputs.body"]')
    subject = inspector.locator('[data-field="inputs.subject"]')
    box = body.locator("textarea")
    inspector.locator('[data-field="inputs.to"]').get_by_role("radio", name="Expression").click()
    inspector.locator('[data-field="inputs.to"] textarea').fill("input.email")
    subject.locator("textarea").fill("Welcome")

    # When the person types {{ in Text mode: it is closed, and completion offers what to read
    box.click()
    box.press_sequentially("Hello {{")
    expect(box).to_have_value("Hello {{  }}")
    page.wait_for_function("(el) => el.selectionStart === 9", arg=box.element_handle())
    box.press_sequentially("gre")
    expect(inspector.locator(".cel-suggestions")).to_contain_text("greet")
    box.press("Escape")
    box.fill("Hello {{ input.name }}, your welcome email is {{ greeet.status }}.")

    # Then the misspelt part is the one marked, and the issue says which part it is about
    expect(body.locator('[data-testid="template-part"][data-invalid="true"]')).to_have_text("greeet.status")
    expect(body.get_by_role("alert")).to_contain_text("In {{ greeet.status }}:")
    expect(node(page, "send_email")).to_have_attribute("data-valid", "false")
    screenshot(page, "part-error")

    # When it is fixed the step is valid, and its card shows the text with the parts marked
    box.fill("Hello {{ input.name }}, your welcome email is {{ greet.status }}.")
    expect(node(page, "send_email")).to_have_attribute("data-valid", "true")
    expect(body.get_by_role("radio", name="Text")).to_have_attribute("aria-checked", "true")
    card_body = card_value(page, "send_email", "body")
    expect(card_body).to_have_attribute("data-value-kind", "text")
    expect(card_body.locator(".fn-part")).to_have_text(["input.name", "greet.status"])
    # a plain string shows without its quotes
    expect(card_value(page, "send_email", "subject")).to_have_text("Welcome")
    screenshot(page, "parts")

    # and it is saved as pure CEL, which opens again as the same text
    page.get_by_test_id("save-version").click()
    expect(page).to_have_url(re.compile(rf"/flows/{flow.pk}/v/2$"))
    saved = FlowVersion.objects.get(flow=flow, number=2)
    inputs = {n["id"]: n for n in saved.ir["nodes"]}["send_email"]["inputs"]
    assert inputs["body"] == (
        '"Hello " + string(input.name) + ", your welcome email is " + string(greet.status) + "."'
    )
    assert inputs["subject"] == '"Welcome"'
    assert saved.is_valid
    page.reload()
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-ready", "true")
    node(page, "send_email").click()
    expect(body.get_by_role("radio", name="Text")).to_have_attribute("aria-checked", "true")
    expect(box).to_have_value("Hello {{ input.name }}, your welcome email is {{ greet.status }}.")
    # An expression that is not such text stays an expression, on the card too
    expect(card_value(page, "report", "subject")).to_have_attribute("data-value-kind", "expression")


def test_double_braces_typed_in_full_are_closed_once(page, live_server, staff_user):
    # Given a new email step's body, in Text mode
    flow = make(staff_user)
    inspector = add_email_after_greet(page, live_server, flow)
    box = inspector.locator('[data-field="inputs.body"] textarea')
    box.click()

    # When the person types a placeholder in full, its closing braces as well
    box.press_sequentially("Hello {{ input.name }}!")

    # Then the braces the box put there when it opened are stepped over, not left behind
    expect(box).to_have_value("Hello {{ input.name }}!")
    expect(card_value(page, "send_email", "body").locator(".fn-part")).to_have_text(["input.name"])
    expect(card_value(page, "send_email", "body")).not_to_contain_text("}}")


def test_a_new_branchs_stand_in_condition_is_replaced_by_what_is_typed(
    page, live_server, staff_user
):
    # Given a branch just added from the palette, whose condition stands in as `true`
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    wait_checked(page)
    node(page, "check").click()
    page.get_by_test_id("palette-item-branch").click()
    condition = page.get_by_test_id("inspector").locator('[data-field="condition"] textarea')
    expect(condition).to_have_value("true")

    # When the person clicks into it and types a condition
    condition.click()
    condition.press_sequentially("check.valid")

    # Then the condition is what they typed, not 'truecheck.valid'
    expect(condition).to_have_value("check.valid")
    expect(node(page, "branch")).to_contain_text("check.valid")
    expect(node(page, "branch")).not_to_contain_text("truecheck")


def test_an_llm_prompt_completes_values_only_inside_double_braces(page, live_server, staff_user):
    # Given a new LLM step after the greeting
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    node(page, "greet").click()
    page.get_by_test_id("palette-item-llm").click()
    prompt = page.get_by_test_id("inspector").locator('[data-field="prompt"] textarea')

    # When words are typed, nothing is suggested; {{ opens a placeholder that completes names
    prompt.fill("")
    prompt.press_sequentially("Greet inp")
    expect(page.get_by_test_id("inspector").locator(".cel-suggestions")).to_have_count(0)
    prompt.press_sequentially(" {{")
    expect(prompt).to_have_value("Greet inp {{  }}")
    page.wait_for_function("(el) => el.selectionStart === 13", arg=prompt.element_handle())
    prompt.press_sequentially("inp")
    expect(page.get_by_test_id("inspector").locator(".cel-suggestions")).to_contain_text("input")
    prompt.press("Enter")
    expect(prompt).to_have_value("Greet inp {{ input }}")

    # Then the card shows the prompt as text with its placeholder marked
    llm = page.locator('.react-flow__node[data-id^="llm"]')
    expect(llm.locator('.fn-value[data-value-kind="text"] .fn-part')).to_have_text("input")


IN_VIEW = """(ids) => {
    const canvas = document.querySelector(".designer-canvas").getBoundingClientRect();
    return ids.every((id) => {
        const card = document.querySelector(`[data-node-id="${id}"]`).getBoundingClientRect();
        return canvas.left <= card.left && card.right <= canvas.right
            && canvas.top <= card.top && card.bottom <= canvas.bottom;
    });
}"""


def test_selecting_a_step_keeps_it_and_its_neighbours_in_view(
    page, live_server, staff_user, screenshot
):
    # Given the whole flow in view, and a first step whose output the last column reads
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    assert page.evaluate(IN_VIEW, ["check", "is_valid", "greet", "report"])

    # When the person selects it and the inspector takes its column from the canvas
    node(page, "check").click()
    expect(page.get_by_test_id("inspector")).to_contain_text("check")

    # Then it and the steps wired to it (report, under the inspector's place) are in view
    page.wait_for_function(IN_VIEW, arg=["check", "is_valid", "report"], timeout=5_000)
    screenshot(page, "neighbours")

    # and selecting a step already in view with its neighbours does not move the canvas
    viewport = page.locator(".react-flow__viewport")
    settled = viewport.get_attribute("style")
    page.wait_for_function(
        "(style) => document.querySelector('.react-flow__viewport')"
        ".getAttribute('style') === style",
        arg=settled,
    )
    node(page, "is_valid").click()
    expect(page.get_by_test_id("inspector")).to_contain_text("is_valid")
    page.evaluate(
        "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame("
        "() => requestAnimationFrame(done))))"
    )
    assert viewport.get_attribute("style") == settled


def test_a_connection_that_makes_a_cycle_is_refused(page, live_server, staff_user, screenshot):
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    drag_handle(page, "greet", "check")
    expect(page.get_by_test_id("toast")).to_contain_text("cycle")
    expect(page.get_by_test_id("rf__edge-after:greet->check")).to_have_count(0)
    expect(page.get_by_test_id("dirty-indicator")).to_have_attribute("data-dirty", "false")
    screenshot(page, "refused")


def test_undo_and_redo(page, live_server, staff_user, screenshot):
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    expect(page.get_by_test_id("undo")).to_be_disabled()

    node(page, "report").click()
    page.keyboard.press("Delete")
    expect(node(page, "report")).to_have_count(0)
    page.get_by_test_id("palette-item-value").click()
    expect(node(page, "value")).to_be_visible()
    screenshot(page, "edited")

    page.get_by_test_id("undo").click()
    expect(node(page, "value")).to_have_count(0)
    page.keyboard.press("Control+z")
    expect(node(page, "report")).to_be_visible()
    expect(page.get_by_test_id("rf__edge-arm:is_valid:else->report")).to_have_count(1)
    expect(page.get_by_test_id("dirty-indicator")).to_have_attribute("data-dirty", "false")

    page.get_by_test_id("redo").click()
    expect(node(page, "report")).to_have_count(0)
    page.keyboard.press("Control+Shift+z")
    expect(node(page, "value")).to_be_visible()
    expect(page.get_by_test_id("dirty-indicator")).to_have_attribute("data-dirty", "true")
    screenshot(page, "redone")


def test_copy_and_paste_renames_ids(page, live_server, staff_user, screenshot):
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    node(page, "check").click()
    node(page, "is_valid").click(modifiers=["Shift"])
    page.keyboard.press("Control+c")
    page.keyboard.press("Control+v")
    expect(node(page, "check_2")).to_be_visible()
    expect(node(page, "is_valid_2")).to_be_visible()
    # the pasted branch reads the pasted check, not the original
    expect(page.get_by_test_id("rf__edge-data:check_2->is_valid_2")).to_have_count(1)
    # beside the originals, yet on top of no card
    settled_box(node(page, "is_valid_2"))
    assert cards_overlap(page) == []
    screenshot(page, "pasted")


def test_diff_two_versions(page, live_server, staff_user, screenshot):
    flow = make(staff_user)
    second = copy.deepcopy(WELCOME)
    second["nodes"] = [n for n in second["nodes"] if n["id"] != "report"]
    second["nodes"][1]["else"] = ["notify"]
    second["nodes"][2]["inputs"]["name"] = "'Dear ' + input.name"
    second["nodes"][0]["after"] = []  # the same as no `after`: not a change
    second["nodes"].append({"id": "notify", "type": "tool", "tool": "send_email", "inputs": {
        "to": "'support@example.com'", "subject": "'Bad signup'", "body": "check.reason"}})
    flow_version_create(flow=flow, author=staff_user, ir=second)
    third = copy.deepcopy(second)
    third["nodes"][2]["inputs"]["name"] = "nope.name"  # one problem: an unknown name
    flow_version_create(flow=flow, author=staff_user, ir=third)
    open_designer(page, live_server, flow)
    expect(node(page, "notify")).to_be_visible()

    page.get_by_test_id("versions-button").click()
    expect(page.get_by_test_id("version-item")).to_have_count(3)
    expect(page.get_by_test_id("version-item").first).to_contain_text("1 problem")
    expect(page.get_by_test_id("version-item").first).not_to_contain_text("1 problems")
    page.get_by_test_id("diff-from").select_option("1")
    page.get_by_test_id("diff-to").select_option("2")
    page.get_by_test_id("diff-compare").click()
    diff = page.get_by_test_id("diff-view")
    expect(diff).to_be_visible()
    expect(diff.locator('.fn-card.status-added[data-node-id="notify"]')).to_be_visible()
    expect(diff.locator('.fn-card.status-changed[data-node-id="greet"]')).to_be_visible()
    expect(diff.locator('.fn-card.status-removed[data-node-id="report"]')).to_be_visible()
    expect(diff.locator('[data-testid="diff-changed"][data-node="greet"]')).to_contain_text(
        "'Dear ' + input.name")
    expect(diff.locator('[data-testid="diff-changed"][data-node="is_valid"]')).to_contain_text("else")
    expect(diff.get_by_test_id("diff-removed")).to_contain_text("report")
    expect(diff.locator('[data-testid="diff-changed"][data-node="check"]')).to_have_count(0)
    expect(diff.locator('.fn-card[data-node-id="check"]')).not_to_have_class(
        re.compile(r"status-changed"))
    # its edges are drawn square around the cards, as on the canvas, not as curves
    expect(diff.locator(".react-flow__edge")).not_to_have_count(0)
    wait_routed(page, ".diff-canvas", diff.locator(".react-flow__edge").count())
    assert page.evaluate(NOT_SQUARE, [".diff-canvas", ""]) == []
    screenshot(page, "diff")
    # keyboard: the dialog takes the focus, Escape closes it and gives it back to Compare
    expect(page.get_by_test_id("diff-close")).to_be_focused()
    page.keyboard.press("Escape")
    expect(diff).to_have_count(0)
    expect(page.get_by_test_id("diff-compare")).to_be_focused()


def test_refine_preview_then_accept_or_discard(page, live_server, staff_user, screenshot):
    """The refine API's answer (stubbed here with a real diff; the planner has its own
    tests) is previewed on the graph, discarded, then accepted as one undoable edit."""
    import json

    from flows.api.diffing import ir_diff

    flow = make(staff_user)
    refined = copy.deepcopy(WELCOME)
    # the refiner restamps the document and names itself: only the second is a change to read
    refined["metadata"] = {"created_at": "2026-12-01T04:07:13Z", "planner": "refine"}
    # ...and it asks the run for one more field, read as that field, not as JSON Schema
    refined["input_schema"]["required"] = ["email", "name", "manager"]
    refined["input_schema"]["properties"]["manager"] = {
        "type": "string", "description": "Who hears of a failed signup."}
    refined["nodes"].append({"id": "tell_manager", "type": "tool", "tool": "send_email",
                             "after": ["report"], "inputs": {
                                 "to": "input.manager", "subject": "'Signup failed'",
                                 "body": "check.reason"}})
    answers: list[dict[str, Any]] = []

    def refine(route: Any) -> None:
        sent = route.request.post_data_json
        answers.append(sent)
        body = {"status": "succeeded", "operations": [{"op": "add_node", "id": "tell_manager"}],
                "ir": refined, "diff": ir_diff(sent["ir"], refined), "error": None}
        route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

    page.route("**/api/v1/refine/", refine)
    open_designer(page, live_server, flow)
    page.get_by_test_id("refine-button").click()
    page.get_by_test_id("refine-input").fill("also email the manager when it fails")
    page.get_by_test_id("refine-submit").click()
    diff = page.get_by_test_id("diff-view")
    expect(diff.locator('.fn-card.status-added[data-node-id="tell_manager"]')).to_be_visible()
    assert answers[0]["instruction"] == "also email the manager when it fails"
    assert [n["id"] for n in answers[0]["ir"]["nodes"]] == ["check", "is_valid", "greet", "report"]
    flow_changes = diff.get_by_test_id("diff-flow-change")
    expect(flow_changes).to_have_count(2)
    expect(flow_changes.first).to_contain_text("input.manager")
    expect(flow_changes.first).to_contain_text("string, required · Who hears of a failed signup.")
    expect(flow_changes.first).not_to_contain_text("{")
    expect(flow_changes.last).to_contain_text("metadata.planner")
    expect(flow_changes.last).to_contain_text("refine")
    screenshot(page, "preview")

    page.get_by_test_id("refine-discard").click()
    expect(diff).to_have_count(0)
    expect(node(page, "tell_manager")).to_have_count(0)

    page.get_by_test_id("refine-submit").click()
    page.get_by_test_id("refine-accept").click()
    expect(node(page, "tell_manager")).to_be_visible()
    # the added step is brought into the canvas's view, not left off its edge
    added = settled_box(node(page, "tell_manager"))
    canvas = page.get_by_test_id("canvas").bounding_box()
    assert canvas["x"] <= added["x"]
    assert added["x"] + added["width"] <= canvas["x"] + canvas["width"]
    assert canvas["y"] <= added["y"]
    assert added["y"] + added["height"] <= canvas["y"] + canvas["height"]
    expect(page.get_by_test_id("rf__edge-after:report->tell_manager")).to_have_count(1)
    expect(page.get_by_test_id("dirty-indicator")).to_have_attribute("data-dirty", "true")
    screenshot(page, "accepted")
    page.get_by_test_id("undo").click()
    expect(node(page, "tell_manager")).to_have_count(0)


def test_drag_a_block_onto_the_canvas_and_the_unsaved_guard(page, live_server, staff_user,
                                                            screenshot):
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    page.get_by_test_id("palette-item-switch").drag_to(
        page.get_by_test_id("canvas"), target_position={"x": 300, "y": 120})
    expect(node(page, "switch")).to_be_visible()
    expect(node(page, "switch")).to_have_attribute("data-node-type", "switch")
    screenshot(page, "dropped")

    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.get_by_test_id("nav-flows").click()
    # The router asks once the navigation is blocked, a render later: wait for the question
    # (page.wait_for_timeout lets Playwright deliver the dialog event meanwhile).
    for _ in range(200):
        if asked:
            break
        page.wait_for_timeout(50)
    expect(node(page, "switch")).to_be_visible()  # still here: the leave was refused
    assert len(asked) == 1
    assert "unsaved changes" in asked[0]
    assert page.url.endswith(f"/flows/{flow.pk}")

    page.keyboard.press("Control+s")
    expect(page).to_have_url(re.compile(rf"/flows/{flow.pk}/v/2$"))
    assert FlowVersion.objects.filter(flow=flow).count() == 2
    page.get_by_test_id("nav-flows").click()
    expect(page).to_have_url(re.compile(r"/flows$"))
    assert len(asked) == 1  # nothing unsaved: no question


def test_delete_an_arm_edge(page, live_server, staff_user, screenshot):
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    arm = page.get_by_test_id("rf__edge-arm:is_valid:else->report")
    arm.locator(".react-flow__edge-textbg").click()
    page.keyboard.press("Delete")
    expect(arm).to_have_count(0)
    node(page, "is_valid").click()
    else_field = page.get_by_test_id("inspector").locator('[data-field="else"]')
    expect(else_field.locator(".id-chip")).to_have_count(0)
    # report still reads check, so that data edge stays
    expect(page.get_by_test_id("rf__edge-data:check->report")).to_have_count(1)
    screenshot(page, "arm-deleted")


def test_deleting_an_arm_line_disconnects_a_step_that_also_ran_after_the_branch(
    page, live_server, staff_user, screenshot
):
    # Given the greeting on the then arm and, as planners write it, also after the branch:
    # one line between them, the arm's
    ir = copy.deepcopy(WELCOME)
    ir["nodes"][2]["after"] = ["is_valid"]
    flow = make(staff_user, ir)
    open_designer(page, live_server, flow)
    arm = page.get_by_test_id("rf__edge-arm:is_valid:then->greet")
    expect(page.get_by_test_id("rf__edge-after:is_valid->greet")).to_have_count(0)

    # When that line is deleted
    arm.locator(".react-flow__edge-textbg").click()
    page.keyboard.press("Delete")

    # Then no line is left between them: the greeting does not run after the branch
    # whatever its condition
    expect(arm).to_have_count(0)
    expect(page.get_by_test_id("rf__edge-after:is_valid->greet")).to_have_count(0)
    node(page, "greet").click()
    after = page.get_by_test_id("inspector").locator('[data-field="after"]')
    expect(after.locator(".id-chip")).to_have_count(0)
    screenshot(page, "arm-and-after-deleted")


def test_a_problem_reads_as_words_with_its_names_as_code(page, live_server, staff_user,
                                                          screenshot):
    # the flows list first, as a person arrives: its styles stay on its own lists
    flow = make(staff_user, {**WELCOME, "nodes": [
        *WELCOME["nodes"][:3],
        {"id": "report", "type": "tool", "tool": "create_ticket", "inputs": {}},
    ]})
    page.goto(live_server("/flows"))
    page.get_by_test_id("flow-link").filter(has_text=flow.name).click()
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-ready", "true")
    wait_checked(page)

    item = page.locator('[data-testid="problem-item"][data-node="report"]').first
    expect(item).to_be_visible()
    message = item.locator(".problem-message")
    # the validator's `names` are code, not backticks; the fix is said once, after "Fix:"
    expect(message.locator("code.inline-code").first).to_be_visible()
    assert "`" not in message.inner_text()
    hint = item.get_by_test_id("problem-hint")
    expect(hint).to_have_text(re.compile(r"^\s*Fix: Add "))
    assert "—" not in hint.inner_text()
    assert hint.evaluate("e => getComputedStyle(e, '::before').content") in ("none", "normal")
    screenshot(page, "problem-words")


def test_an_approvals_form_is_built_from_fields(page, live_server, staff_user, screenshot):
    from flows.runs import services

    flow = make(staff_user, {
        "name": "Refund",
        "nodes": [
            {"id": "ok", "type": "approval", "title": "Approve the refund",
             "instructions": "Check the parcel.",
             "form_schema": {"type": "object", "properties": {}},
             "assignees": {"users": [staff_user.username]}},
            {"id": "result", "type": "output", "value": "ok.data"},
        ],
    })
    open_designer(page, live_server, flow)
    node(page, "ok").click()
    form = page.get_by_test_id("form-fields")
    expect(form).to_contain_text("No fields")
    page.get_by_test_id("form-add-field").click()
    page.get_by_test_id("form-add-field").click()
    rows = form.get_by_test_id("form-field")
    expect(rows).to_have_count(2)

    name = rows.nth(0).get_by_label("Field name")
    name.fill("2nd")  # not a name expressions can read: refused, the old one kept
    name.press("Tab")
    expect(rows.nth(0).get_by_role("alert")).to_contain_text("letters, digits and _")
    name.fill("amount")
    name.press("Tab")
    amount = form.locator('[data-testid="form-field"][data-name="amount"]')
    amount.get_by_label("Type of amount").select_option("number")
    amount.get_by_label("Label of amount").fill("Refund amount")
    amount.get_by_label("Label of amount").press("Tab")
    amount.get_by_label("amount is required").check()
    reason = form.locator('[data-testid="form-field"][data-name="field_2"]')
    reason.get_by_label("Type of field_2").select_option("choice")
    reason.get_by_label("Choices of field_2").fill("damaged, late")
    reason.get_by_label("Choices of field_2").press("Tab")
    # the JSON view shows the same form
    page.get_by_test_id("form-mode-json").click()
    expect(form.locator("textarea")).to_have_value(re.compile(r'"title": "Refund amount"'))
    page.get_by_test_id("form-mode-fields").click()
    screenshot(page, "form-fields")

    page.get_by_test_id("save-version").click()
    expect(page).to_have_url(re.compile(rf"/flows/{flow.pk}/v/2$"))
    saved = FlowVersion.objects.get(flow=flow, number=2)
    schema = {n["id"]: n for n in saved.ir["nodes"]}["ok"]["form_schema"]
    assert schema == {
        "type": "object",
        "properties": {
            "amount": {"type": "number", "title": "Refund amount"},
            "field_2": {"type": "string", "enum": ["damaged", "late"]},
        },
        "required": ["amount"],
    }

    # the approver's form has these fields
    run = services.run_create(user=staff_user, flow_version_id=saved.id, run_input={})
    page.goto(live_server(f"/runs/{run.id}"))
    page.get_by_test_id("run-open-inbox").click()
    expect(page.get_by_test_id("step-page")).to_contain_text("Refund amount")
    expect(page.locator("#root_field_2")).to_be_visible()


def test_an_undeclared_run_input_is_a_problem_and_a_missing_group_a_warning(
    page, live_server, staff_user, screenshot
):
    ir = copy.deepcopy(WELCOME)
    greet = next(n for n in ir["nodes"] if n["id"] == "greet")
    greet["inputs"]["name"] = "input.nope"
    ir["nodes"].append({
        "id": "ok", "type": "approval", "title": "Sign off", "after": ["greet"],
        "form_schema": {"type": "object", "properties": {"note": {"type": "string"}}},
        "assignees": {"groups": ["finanse"]},
    })
    Group.objects.get_or_create(name="managers")
    Group.objects.get_or_create(name="finance")  # empty: it exists, which is all a warning asks
    flow = make(staff_user, ir)
    open_designer(page, live_server, flow)
    wait_checked(page)

    # the read of `input.nope` is the one problem, on greet's `name` input
    expect(page.get_by_test_id("problems-count")).to_have_text("1")
    item = page.locator('[data-testid="problem-item"][data-node="greet"]')
    expect(item).to_have_attribute("data-field", "inputs.name")
    expect(item).to_contain_text(
        "reads input.nope, which is not a declared run input; declared: email, name"
    )

    # the group that does not exist is a warning, listed apart from the problems ...
    warning = page.locator('[data-testid="problem-warning"][data-node="ok"]')
    expect(warning).to_have_attribute("data-field", "assignees.groups")
    expect(warning).to_contain_text("warning · unknown_group")

    # ... and shown on the approval's Groups field
    node(page, "ok").click()
    groups = page.locator('[data-field="assignees.groups"]')
    expect(groups.get_by_test_id("field-warning")).to_contain_text(
        "finanse, which does not exist: no one is in it, so only staff can decide this step"
    )
    # ... whose hint names the groups that exist, and offers them in its place
    expect(groups.get_by_test_id("field-warning")).to_contain_text("managers")
    offer = groups.get_by_test_id("group-offer")
    expect(offer).to_contain_text("Instead of finanse")
    expect(offer.locator("button[data-group]")).to_have_text(["finance", "managers"])
    offer.scroll_into_view_if_needed()
    screenshot(page, "missing-group-warning")

    # typing in the Groups field suggests the existing groups that match
    field = groups.locator("input")
    field.fill("man")
    suggestions = groups.get_by_test_id("group-suggestions").locator("option")
    expect(suggestions).to_have_count(1)
    expect(suggestions.first).to_have_attribute("value", "managers")
    field.fill("finanse")
    field.blur()

    # choosing one in place of the missing group names it, and the warning goes
    offer.locator('button[data-group="finance"]').click()
    expect(field).to_have_value("finance")
    expect(groups.get_by_test_id("field-warning")).to_have_count(0)
    expect(page.locator('[data-testid="problem-warning"][data-node="ok"]')).to_have_count(0)
    expect(offer).to_have_count(0)


def test_warnings_alone_turn_the_problems_indicator_amber(page, live_server, staff_user,
                                                          screenshot):
    ir = copy.deepcopy(WELCOME)
    ir["nodes"].append({
        "id": "ok", "type": "approval", "title": "Sign off", "after": ["greet"],
        "form_schema": {"type": "object", "properties": {"note": {"type": "string"}}},
        "assignees": {"groups": ["finanse"]},
    })
    Group.objects.get_or_create(name="finance")
    flow = make(staff_user, ir)
    open_designer(page, live_server, flow)
    wait_checked(page)

    # no error, one warning: amber, not green, and the counts are said
    expect(page.get_by_test_id("problems-count")).to_have_text("0")
    expect(page.get_by_test_id("problems-warnings")).to_have_text("1 warning")
    dot = page.get_by_test_id("problems-dot")
    expect(dot).to_have_class(re.compile(r"\bwarned\b"))
    expect(page.get_by_test_id("problems-count")).to_have_class(re.compile(r"\bwarn\b"))
    expect(page.get_by_test_id("problems-head")).to_have_attribute(
        "title", "1 warning: it runs, but see the warnings")
    validity = page.get_by_test_id("validity")
    expect(validity).to_have_text("Valid · 1 warning")
    expect(validity).to_have_class(re.compile(r"\bwarn\b"))
    amber = page.evaluate(
        "() => { const probe = document.createElement('span'); probe.style.color = 'var(--warn)';"
        " document.body.append(probe); const c = getComputedStyle(probe).color; probe.remove();"
        " return c; }")
    assert dot.evaluate("e => getComputedStyle(e).backgroundColor") == amber
    screenshot(page, "amber")

    # naming a group that exists clears the warning: green again
    node(page, "ok").click()
    page.locator('[data-field="assignees.groups"]').get_by_test_id("group-offer").locator(
        'button[data-group="finance"]').click()
    # while the edit is re-checked the badge says so, not the verdict of the flow before it
    expect(validity).to_have_text("Checking your edit…")
    expect(validity).to_have_attribute("data-level", "checking")
    screenshot(page, "checking")
    expect(page.get_by_test_id("problems-warnings")).to_have_count(0)
    expect(dot).to_have_class(re.compile(r"\bgood\b"))
    expect(validity).to_have_text("Valid")
    expect(page.get_by_test_id("problems-head")).to_have_attribute(
        "title", "No problems: the flow is valid")

    # an error is red, whatever the warnings
    page.get_by_test_id("palette-search").fill("send email")
    page.get_by_test_id("palette-item-send_email").click()
    expect(dot).to_have_class(re.compile(r"\bbad\b"))
    expect(validity).to_have_class(re.compile(r"\bdanger\b"))


def cards_overlap(page: Any) -> list[tuple[str, str]]:
    """The pairs of node cards drawn on top of each other."""
    return page.evaluate("""() => {
        const cards = [...document.querySelectorAll('.react-flow__node')].map((n) => [
            n.getAttribute('data-id'), n.getBoundingClientRect()]);
        const hits = [];
        for (let i = 0; i < cards.length; i++) for (let j = i + 1; j < cards.length; j++) {
            const [a, p] = cards[i], [b, q] = cards[j];
            if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom)
                hits.push([a, b]);
        }
        return hits;
    }""")


def test_a_clicked_block_lands_clear_of_the_others_and_run_saves_first(
    page, live_server, staff_user, screenshot
):
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    wait_checked(page)
    page.get_by_test_id("canvas").click(position={"x": 20, "y": 20})  # nothing selected
    for _ in range(3):
        page.get_by_test_id("palette-item-value").click()
    expect(page.locator(".react-flow__node")).to_have_count(7)
    assert cards_overlap(page) == []
    screenshot(page, "placed")

    # Run with unsaved changes saves them as a version, then starts a run of that version
    run_button = page.get_by_test_id("run")
    expect(run_button).to_have_text(re.compile("Save & run"))
    run_button.click()
    expect(page.get_by_test_id("start-run-dialog")).to_be_visible()
    expect(page.get_by_test_id("start-run-dialog")).to_contain_text("Version 2")
    saved = FlowVersion.objects.get(flow=flow, number=2)
    assert len(saved.ir["nodes"]) == 7


def test_a_map_card_says_what_it_loops_over(page, live_server, staff_user):
    warnings: list[str] = []
    page.on("console",
            lambda m: warnings.append(m.text) if m.type in ("error", "warning") else None)
    flow = make(staff_user, {
        "name": "Stock",
        "input_schema": {"type": "object", "properties": {"orders": {"type": "array"}}},
        "nodes": [{"id": "stock", "type": "map", "tool": "check_inventory",
                   "items": "input.orders", "inputs": {"items": "item.lines"}}],
    })
    open_designer(page, live_server, flow)
    rows = node(page, "stock").locator(".fn-row")
    expect(rows.nth(0)).to_contain_text("for each")
    expect(rows.nth(0)).to_contain_text("input.orders")
    expect(rows.nth(1)).to_contain_text("items")
    expect(rows.nth(1)).to_contain_text("item.lines")
    assert not [w for w in warnings if "same key" in w]


def test_run_with_problems_stays_and_shows_the_first_one(page, live_server, staff_user,
                                                          screenshot):
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    wait_checked(page)
    page.get_by_test_id("palette-search").fill("send email")
    page.get_by_test_id("palette-item-send_email").click()
    # the new block has no inputs yet: the validator says so
    expect(page.get_by_test_id("problems-count")).to_have_text(re.compile(r"^[1-9]"))
    expect(page.get_by_test_id("problems-panel")).not_to_contain_text("checking")

    page.get_by_test_id("run").click()
    # it stays in the designer, says why, and opens the first problem's field; nothing saved
    expect(page.get_by_test_id("toast")).to_contain_text("cannot run yet")
    inspector = page.get_by_test_id("inspector")
    expect(inspector).to_contain_text("send_email")
    expect(inspector.locator("[data-field^='inputs.'] textarea:focus")).to_have_count(1)
    expect(page).to_have_url(live_server(f"/flows/{flow.pk}"))
    assert not FlowVersion.objects.filter(flow=flow, number=2).exists()
    screenshot(page, "refused")

    # without the broken block it saves and runs
    page.get_by_test_id("undo").click()
    expect(page.get_by_test_id("problems-count")).to_have_text("0")
    page.get_by_test_id("run").click()
    dialog = page.get_by_test_id("start-run-dialog")
    expect(dialog).to_be_visible()
    # cancelling the run goes back to the designer, not to the runs list
    dialog.get_by_role("button", name="Cancel").click()
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-ready", "true")
    expect(page).to_have_url(re.compile(rf"/flows/{flow.pk}(/v/1)?$"))


def test_run_asks_for_the_input_over_the_designer_then_shows_that_run(
    page, live_server, staff_user, screenshot
):
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    wait_checked(page)

    page.get_by_test_id("run").click()
    # the input form opens over the designer, not over the runs list
    dialog = page.get_by_test_id("start-run-dialog")
    expect(dialog).to_be_visible()
    expect(page.get_by_test_id("designer")).to_be_visible()
    expect(page.get_by_test_id("runs-page")).to_have_count(0)
    expect(page).to_have_url(live_server(f"/flows/{flow.pk}"))
    dialog.locator("#run-input_email").fill("ada@example.com")
    dialog.locator("#run-input_name").fill("Ada")
    screenshot(page, "form")
    page.get_by_test_id("start-run-submit").click()

    # Run lands on that run's own page, watching it
    page.wait_for_url(re.compile(r"/runs/[0-9a-f-]{36}$"))
    run = Run.objects.get(id=page.url.rsplit("/", 1)[1])
    assert run.flow_version.flow_id == flow.pk
    assert run.input == {"email": "ada@example.com", "name": "Ada"}
    expect(page.get_by_test_id("run-page")).to_be_visible()
    expect(node(page, "check")).to_be_visible()
    screenshot(page, "run")


def test_run_of_a_flow_without_input_goes_straight_to_its_run(page, live_server, staff_user):
    flow = make(staff_user, {
        "name": "Constant", "input_schema": {"type": "object"},
        "nodes": [{"id": "answer", "type": "value", "value": "42"}],
    })
    open_designer(page, live_server, flow)
    wait_checked(page)

    page.get_by_test_id("run").click()
    # nothing to ask: no form, no runs list, the run's page
    page.wait_for_url(re.compile(r"/runs/[0-9a-f-]{36}$"))
    expect(page.get_by_test_id("run-page")).to_be_visible()
    expect(page.get_by_test_id("start-run-dialog")).to_have_count(0)
    assert Run.objects.filter(flow_version__flow=flow).count() == 1
    # Back returns to the designer without starting another
    page.go_back()
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-ready", "true")
    expect(page.get_by_test_id("start-run-dialog")).to_have_count(0)
    assert Run.objects.filter(flow_version__flow=flow).count() == 1


def test_the_run_input_is_edited_as_fields(page, live_server, staff_user, screenshot):
    ir = copy.deepcopy(WELCOME)
    # a planner's field says more than its type: that is kept, not a reason for raw JSON
    ir["input_schema"]["properties"]["email"] = {
        "type": "string", "format": "email", "maxLength": 200, "description": "The address."}
    flow = make(staff_user, ir)
    open_designer(page, live_server, flow)
    page.get_by_test_id("flow-settings-button").click()
    form = page.get_by_test_id("inspector").get_by_test_id("form-fields")
    rows = form.get_by_test_id("form-field")
    expect(rows).to_have_count(2)
    expect(form.locator('[data-name="email"]').get_by_label("email is required")).to_be_checked()

    form.get_by_test_id("form-add-field").click()
    expect(rows).to_have_count(3)
    name = rows.nth(2).get_by_label("Field name")
    name.fill("total")
    name.press("Tab")
    total = form.locator('[data-testid="form-field"][data-name="total"]')
    total.get_by_label("Type of total").select_option("number")
    total.get_by_label("total is required").check()
    screenshot(page, "run-input")
    page.get_by_test_id("save-version").click()
    expect(page.get_by_test_id("dirty-indicator")).to_have_attribute("data-dirty", "false")
    saved = FlowVersion.objects.get(flow=flow, number=2).ir["input_schema"]
    assert saved["properties"]["total"] == {"type": "number"}
    assert sorted(saved["required"]) == ["email", "name", "total"]
    assert saved["properties"]["email"]["maxLength"] == 200
    assert saved["properties"]["email"]["format"] == "email"

    # the run form asks for it
    page.get_by_test_id("run").click()
    expect(page.get_by_test_id("start-run-dialog").locator("#run-input_total")).to_be_visible()


SETTLED_VIEW = """() => new Promise((done) => {
    const element = document.querySelector(".designer-canvas .react-flow__viewport");
    let last = element.getAttribute("style");
    let same = 0;
    const tick = () => {
        const now = element.getAttribute("style");
        same = now === last ? same + 1 : 0;
        last = now;
        if (same >= 10) done(now);
        else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
})"""


def test_closing_the_inspector_puts_the_graph_back(page, live_server, staff_user):
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    viewport = page.locator(".designer-canvas .react-flow__viewport")
    before = viewport.get_attribute("style")
    # the right-most card is where the inspector opens: selecting it moves the graph (to
    # show it and the cards it is wired to)...
    node(page, "report").click()
    expect(page.get_by_test_id("inspector")).to_be_visible()
    expect(viewport).not_to_have_attribute("style", before)
    # ...to its end (not mid-way: the move is animated)
    page.evaluate(SETTLED_VIEW)
    # closing the inspector (Escape) returns the graph where it was, not shifted half off
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("inspector")).to_have_count(0)
    expect(viewport).to_have_attribute("style", before)


def drag_to_empty_canvas(page: Any, source: str, handle: str = "out") -> None:
    """Drag a connection out of `source` and let it go on empty canvas below the graph."""
    start = settled_box(
        page.locator(f'[data-node-id="{source}"] .react-flow__handle[data-handleid="{handle}"]'))
    canvas = page.get_by_test_id("canvas").bounding_box()
    drop_y = canvas["y"] + canvas["height"] - 140
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + 60, drop_y, steps=12)
    page.mouse.up()


def test_a_connection_let_go_on_empty_canvas_adds_a_connected_step(
    page, live_server, staff_user, screenshot
):
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    wait_checked(page)

    # Escape closes the picker and adds nothing
    drag_to_empty_canvas(page, "greet")
    picker = page.get_by_test_id("quick-add")
    expect(picker).to_be_visible()
    expect(picker).to_contain_text("Add a step after greet")
    page.keyboard.press("Escape")
    expect(picker).to_have_count(0)
    expect(page.locator(".react-flow__node")).to_have_count(4)
    expect(page.get_by_test_id("dirty-indicator")).to_have_attribute("data-dirty", "false")

    # from a node's output: type to search, Enter takes the first match
    drag_to_empty_canvas(page, "greet")
    expect(page.get_by_test_id("quick-add-search")).to_be_focused()
    page.keyboard.type("send email")
    expect(picker.get_by_test_id("quick-add-item-send_email")).to_be_visible()
    screenshot(page, "picker")
    page.keyboard.press("Enter")
    expect(picker).to_have_count(0)
    expect(node(page, "send_email")).to_be_visible()
    expect(page.get_by_test_id("rf__edge-after:greet->send_email")).to_have_count(1)
    # the new step is selected, its inputs ready to fill in
    expect(page.get_by_test_id("inspector")).to_contain_text("Send email")
    # one undo takes the step and its connection away together; redo brings both back
    page.get_by_test_id("undo").click()
    expect(node(page, "send_email")).to_have_count(0)
    page.get_by_test_id("redo").click()
    expect(page.get_by_test_id("rf__edge-after:greet->send_email")).to_have_count(1)

    # from a branch's arm: the new step joins that arm (the view followed the step added
    # to the flow's end; fit the whole flow again to reach the branch)
    page.keyboard.press("Escape")
    page.locator(".react-flow__controls-fitview").click()
    expect(node(page, "is_valid")).to_be_in_viewport()
    drag_to_empty_canvas(page, "is_valid", handle="else")
    picker.get_by_test_id("quick-add-item-value").click()
    expect(page.get_by_test_id("rf__edge-arm:is_valid:else->value")).to_have_count(1)
    expect(page.get_by_test_id("rf__edge-arm:is_valid:else->report")).to_have_count(1)
    screenshot(page, "connected")


ORDER: dict[str, Any] = {
    "name": "Order",
    "nodes": [
        {"id": "validate_order", "type": "tool", "tool": "validate_order",
         "inputs": {"order_id": "input.order_id", "items": "input.items"}},
        {"id": "check_inventory", "type": "tool", "tool": "check_inventory",
         "after": ["validate_order"], "inputs": {"items": "input.items"}},
        {"id": "if_in_stock", "type": "branch", "condition": "check_inventory.in_stock",
         "then": ["charge", "ship", "email_receipt"], "else": ["email_customer"]},
        {"id": "charge", "type": "tool", "tool": "process_payment", "after": ["if_in_stock"],
         "inputs": {"amount": "validate_order.subtotal", "order_id": "validate_order.order_id"}},
        {"id": "ship", "type": "tool", "tool": "create_shipment", "after": ["charge"],
         "inputs": {"order_id": "validate_order.order_id", "items": "input.items",
                    "address": "input.address"}},
        {"id": "email_receipt", "type": "tool", "tool": "send_email", "after": ["ship"],
         "inputs": {"to": "input.to", "subject": "'Receipt'", "body": "'Thanks'"}},
        {"id": "email_customer", "type": "tool", "tool": "send_email", "after": ["if_in_stock"],
         "inputs": {"to": "input.to", "subject": "'Sorry'", "body": "'Out of stock'"}},
    ],
}

EDGES_THROUGH_CARDS = """(scope) => {
    // Each edge path sampled every 4px on screen against every card it does not join.
    const cards = [...document.querySelectorAll(scope + ' .react-flow__node')].map((n) => [
        n.getAttribute('data-id'), n.getBoundingClientRect()]);
    const hits = [];
    for (const edge of document.querySelectorAll(scope + ' .react-flow__edge')) {
        const id = edge.getAttribute('data-testid').replace(/^rf__edge-/, '');
        const [left, target] = id.slice(id.indexOf(':') + 1).split('->');
        const source = left.split(':')[0];
        const path = edge.querySelector('path.react-flow__edge-path');
        const matrix = path.getScreenCTM();
        const length = path.getTotalLength();
        for (let at = 0; at <= length; at += 4) {
            const p = new DOMPoint(path.getPointAtLength(at).x, path.getPointAtLength(at).y)
                .matrixTransform(matrix);
            for (const [card, box] of cards) {
                if (card === source || card === target) continue;
                const inside = p.x > box.left + 2 && p.x < box.right - 2
                    && p.y > box.top + 2 && p.y < box.bottom - 2;
                if (inside) {
                    hits.push(id + ' through ' + card);
                    break;
                }
            }
        }
    }
    return [...new Set(hits)];
}"""


def wait_routed(page: Any, scope: str, count: int) -> None:
    """Wait until every one of the `count` edges is drawn along its layout route."""
    page.wait_for_function(
        """([scope, count]) => {
            const paths = [...document.querySelectorAll(scope + ' path.react-flow__edge-path')];
            return paths.length === count && paths.every((p) => p.dataset.routed === 'true');
        }""",
        arg=[scope, count],
        timeout=10_000,
    )


def test_edges_go_around_the_cards_they_skip_and_route_squarely_after_a_drag(
    page, live_server, staff_user, screenshot
):
    # Given a branch whose then arm reaches steps two and three columns on
    flow = make(staff_user, ORDER)
    open_designer(page, live_server, flow)
    edges = page.locator(".designer-canvas .react-flow__edge")
    expect(edges).to_have_count(10)
    count = 10

    # When the layout's routes are drawn, no edge runs through a card it does not join
    wait_routed(page, ".designer-canvas", count)
    assert page.evaluate(EDGES_THROUGH_CARDS, ".designer-canvas") == []
    screenshot(page, "routed")

    # When a card is dragged by hand and let go, its edges are routed again with square
    # corners (no curve) where the card now is, still clear of the other cards
    moved = page.get_by_test_id("rf__edge-arm:if_in_stock:else->email_customer")
    before = moved.locator("path.react-flow__edge-path").get_attribute("d")
    card = node(page, "email_customer")
    box = settled_box(card)
    page.mouse.move(box["x"] + 60, box["y"] + 12)
    page.mouse.down()
    page.mouse.move(box["x"] + 60, box["y"] + 172, steps=8)
    page.mouse.up()
    path = moved.locator("path.react-flow__edge-path")
    expect(path).not_to_have_attribute("d", before or "")
    wait_routed(page, ".designer-canvas", count)
    d = path.get_attribute("d") or ""
    assert "C" not in d, d  # a bezier curve would be drawn with C
    assert page.evaluate(EDGES_THROUGH_CARDS, ".designer-canvas") == []
    screenshot(page, "routed-after-drag")


def test_a_long_flow_opens_readable_on_its_first_step(page, live_server, staff_user):
    chain = [{"id": "step_1", "type": "value", "value": "input.x"}] + [
        {"id": f"step_{i}", "type": "value", "value": f"step_{i - 1}"} for i in range(2, 15)
    ]
    flow = make(staff_user, {"name": "Long chain", "nodes": chain})
    open_designer(page, live_server, flow)
    expect(node(page, "step_1")).to_be_visible()
    zoom = page.evaluate("""() => new DOMMatrix(getComputedStyle(
        document.querySelector('.designer-canvas .react-flow__viewport')).transform).a""")
    assert zoom >= 0.6
    canvas = settled_box(page.get_by_test_id("canvas"))
    first = settled_box(node(page, "step_1"))
    assert canvas["x"] <= first["x"]
    assert first["x"] + first["width"] <= canvas["x"] + canvas["width"]


NOT_SQUARE = """([scope, card]) => {
    // The edges of `card` whose path has a curve other than a rounded corner: a bezier (C),
    // or a straight leg that is neither level nor upright.
    const bad = [];
    for (const edge of document.querySelectorAll(scope + ' .react-flow__edge')) {
        const id = edge.getAttribute('data-testid');
        if (!id.includes(card)) continue;
        const path = edge.querySelector('path.react-flow__edge-path');
        const d = path.getAttribute('d');
        const tokens = d.match(/[A-Za-z]|-?\\d+(?:\\.\\d+)?(?:e-?\\d+)?/g);
        let at = null;
        for (let i = 0; i < tokens.length;) {
            const command = tokens[i++];
            const take = (n) => tokens.slice(i, (i += n)).map(Number);
            if (command === 'M') { const [x, y] = take(2); at = {x, y}; }
            else if (command === 'L') {
                const [x, y] = take(2);
                if (Math.abs(x - at.x) > 0.5 && Math.abs(y - at.y) > 0.5) bad.push([id, d]);
                at = {x, y};
            } else if (command === 'Q') { const [, , x, y] = take(4); at = {x, y}; }
            else { bad.push([id, d]); break; }
        }
    }
    return bad;
}"""


def test_a_dragged_cards_edges_stay_square_during_the_drag(page, live_server, staff_user):
    # Given a flow of 64 steps in a chain
    chain = [{"id": "step_1", "type": "value", "value": "input.x"}] + [
        {"id": f"step_{i}", "type": "value", "value": f"step_{i - 1}"} for i in range(2, 65)
    ]
    flow = make(staff_user, {"name": "Long chain", "nodes": chain})
    page.goto(live_server(f"/flows/{flow.pk}"))
    canvas = page.get_by_test_id("canvas")
    expect(canvas).to_have_attribute("data-ready", "true", timeout=60_000)  # ELK lays out 64
    wait_routed(page, ".designer-canvas", 63)
    into = page.get_by_test_id("rf__edge-data:step_2->step_3")
    out_of = page.get_by_test_id("rf__edge-data:step_3->step_4")
    before = into.locator("path").first.get_attribute("d")

    # When step 3 is held and moved down and back left of step 2 (not let go yet)
    card = node(page, "step_3")
    box = settled_box(card)
    left_of = settled_box(node(page, "step_1"))["x"] - box["x"]
    page.mouse.move(box["x"] + 60, box["y"] + 12)
    page.mouse.down()
    page.mouse.move(box["x"] + 60, box["y"] + 160, steps=6)
    page.mouse.move(box["x"] + 60 + left_of, box["y"] + 160, steps=6)

    # Then both its edges are drawn as square steps (one now going back left), not curves
    for edge in (into, out_of):
        expect(edge.locator("path.react-flow__edge-path")).to_have_attribute("data-routed", "step")
    assert into.locator("path.react-flow__edge-path").get_attribute("d") != before
    assert page.evaluate(NOT_SQUARE, [".designer-canvas", "step_3"]) == []

    # When it is let go, they are routed around the cards again
    page.mouse.up()
    for edge in (into, out_of):
        expect(edge.locator("path.react-flow__edge-path")).to_have_attribute("data-routed", "true")
    assert page.evaluate(NOT_SQUARE, [".designer-canvas", "step_3"]) == []
    assert page.errors == []


def test_a_narrow_canvas_gives_the_minimap_room_to_the_graph(page, live_server, staff_user):
    # Given a 1000x700 window zoomed in past the flow, the designer shows the minimap
    page.set_viewport_size({"width": 1000, "height": 700})
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    zoom_in_past_the_flow(page)
    minimap = page.locator(".designer-canvas .designer-minimap")
    expect(minimap).to_be_visible()

    # When a node is selected, the inspector narrows the canvas: the minimap goes
    # (clicked once the zoom has stopped moving it)
    settled_box(node(page, "greet"))
    node(page, "greet").click()
    expect(page.get_by_test_id("inspector")).to_be_visible()
    expect(minimap).to_be_hidden()
    expect(node(page, "greet")).to_be_visible()

    # and comes back when the inspector closes
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("inspector")).to_have_count(0)
    expect(minimap).to_be_visible()


def test_a_flow_never_laid_out_is_drawn_before_the_layout_engine_answers(
    page, live_server, staff_user
):
    # Given the layout engine's worker held back
    held: list[Any] = []
    page.context.route(re.compile(r"elk-worker[^/]*\.js$"), lambda route: held.append(route))
    flow = make(staff_user)
    page.goto(live_server(f"/flows/{flow.pk}"))

    # Then every card is drawn at once with the quick layout, left to right, while the
    # canvas says it is not settled yet (and never shows an empty canvas with a notice)
    canvas = page.get_by_test_id("canvas")
    expect(canvas).to_have_attribute("data-drawn", "true")
    for step in WELCOME["nodes"]:
        expect(node(page, step["id"])).to_be_visible()
    expect(page.get_by_test_id("canvas-laying-out")).to_have_count(0)
    expect(canvas).to_have_attribute("data-ready", "false")
    quick = {s["id"]: node(page, s["id"]).bounding_box() for s in WELCOME["nodes"]}
    assert quick["check"]["x"] < quick["is_valid"]["x"] < quick["greet"]["x"]
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the layout worker was never requested"

    # When the worker arrives, the cards settle where ELK puts them: the places a reload
    # (which reads ELK's layout from the browser's cache) draws at once
    for route in held:
        route.continue_()
    expect(canvas).to_have_attribute("data-ready", "true")
    settled = {s["id"]: settled_box(node(page, s["id"])) for s in WELCOME["nodes"]}
    page.reload()
    expect(canvas).to_have_attribute("data-ready", "true")
    again = {s["id"]: settled_box(node(page, s["id"])) for s in WELCOME["nodes"]}
    assert again == settled
    assert page.errors == []


def test_a_card_moved_before_the_layout_engine_answers_stays_where_it_was_put(
    page, live_server, staff_user
):
    # Given a never laid out flow drawn with the quick layout, the layout worker held back
    held: list[Any] = []
    page.context.route(re.compile(r"elk-worker[^/]*\.js$"), lambda route: held.append(route))
    flow = make(staff_user)
    page.goto(live_server(f"/flows/{flow.pk}"))
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-drawn", "true")

    # When the person drags a card before the engine answers, then the engine answers
    card = node(page, "report")
    box = settled_box(card)
    page.mouse.move(box["x"] + 40, box["y"] + 12)
    page.mouse.down()
    page.mouse.move(box["x"] + 40, box["y"] + 160, steps=8)
    page.mouse.up()
    expect(page.get_by_test_id("dirty-indicator")).to_contain_text("Unsaved")
    # (read at rest: the view may still be easing after the drop)
    others = {s: settled_box(node(page, s)) for s in ("check", "is_valid", "greet")}
    moved = settled_box(node(page, "report"))
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(50)
    for route in held:
        route.continue_()
    page.wait_for_function(
        "performance.getEntriesByName('designer:elk-answered').length > 0", timeout=15_000
    )

    # Then nothing moves under the person: every card stays where it was
    expect(page.get_by_test_id("canvas")).to_have_attribute("data-ready", "true")
    assert {s: settled_box(node(page, s)) for s in others} == others
    assert settled_box(node(page, "report")) == moved


def test_a_flow_of_one_step_says_how_to_add_the_next(page, live_server, staff_user):
    # Given a blank flow (its one step the run's result)
    flow = flow_create(owner=staff_user, name="Blank", ir={
        "name": "Blank", "input_schema": {"type": "object"},
        "nodes": [{"id": "result", "type": "output", "value": "input"}]})
    open_designer(page, live_server, flow)

    # Then the canvas says how the next step is added
    hint = page.get_by_test_id("canvas-hint")
    expect(hint).to_contain_text("Add the next step from the palette")

    # and it floats on the canvas, above the problems panel however many problems it lists
    # (placed from the page's foot, it covered the panel's head once it listed three)
    def clear_of_the_problems() -> bool:
        hint_box = hint.bounding_box()
        problems = page.get_by_test_id("problems-panel").bounding_box()
        canvas = page.get_by_test_id("canvas").bounding_box()
        return (hint_box is not None and problems is not None and canvas is not None
                and hint_box["y"] + hint_box["height"] <= problems["y"]
                and hint_box["y"] + hint_box["height"] <= canvas["y"] + canvas["height"])

    assert clear_of_the_problems()
    node(page, "result").click()
    inspector = page.get_by_test_id("inspector")
    unknown_three = "string(one) + string(two) + string(three)"
    inspector.locator('[data-field="value"] textarea').fill(unknown_three)
    expect(page.get_by_test_id("problems-count")).to_have_text("3")
    expect(page.get_by_test_id("problems-panel").get_by_test_id("problem-item")).to_have_count(3)
    assert clear_of_the_problems()
    inspector.locator('[data-field="value"] textarea').fill("input")
    expect(page.get_by_test_id("problems-count")).to_have_text("0")

    # and once there is a second step, the hint goes
    page.get_by_test_id("palette-item-validate_email").click()
    expect(node(page, "validate_email")).to_be_visible()
    expect(hint).to_have_count(0)


def test_a_tool_inputs_schema_offers_its_values_a_template_and_quotes_plain_text(
    page, live_server, staff_user, screenshot
):
    # Given a flow whose `report` step opens a ticket (its `category` is an enum with a default)
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    node(page, "report").click()
    inspector = page.get_by_test_id("inspector")
    category = inspector.locator('[data-field="inputs.category"]')
    box = category.locator("textarea")
    expect(box).to_have_attribute("placeholder", 'default: "general"')
    choices = category.get_by_test_id("input-choices")
    expect(choices.get_by_role("button", name="billing")).to_be_visible()

    # When the person types a value as plain text, the validator cannot read it as an
    # expression; the field offers to quote it
    box.fill("billing")
    expect(category).to_contain_text("unknown_reference")
    category.get_by_test_id("input-text-fix").get_by_role("button").click()
    expect(box).to_have_value('"billing"')
    expect(choices.get_by_role("button", name="billing")).to_have_attribute("aria-pressed", "true")
    expect(node(page, "report")).to_have_attribute("data-valid", "true")

    # and picking another listed value writes its literal
    choices.get_by_role("button", name="shipping").click()
    expect(box).to_have_value('"shipping"')
    screenshot(page, "enum-choices")

    # A list of objects shows the fields of its items and starts from a template of them
    page.get_by_test_id("palette-search").fill("inventory")
    page.get_by_test_id("palette-item-check_inventory").click()
    items = inspector.locator('[data-field="inputs.items"]')
    expect(items.locator(".insp-type")).to_have_text("list of objects")
    # (under the empty field the missing input says only that; the problems panel says more)
    expect(items.locator(".insp-issue")).to_contain_text("This input is required.")
    expect(items.locator(".insp-issue")).not_to_contain_text("does not supply")
    expect(items).to_contain_text("Each item: sku, quantity")
    items.get_by_test_id("input-template").get_by_role("button").click()
    template = re.compile(r'^\[\{"sku": "", "quantity": \d+\}\]$')
    expect(items.locator("textarea")).to_have_value(template)
    expect(items.get_by_test_id("input-template")).to_have_count(0)
    screenshot(page, "list-template")

    # Saved: the inputs are the literals the buttons wrote
    page.get_by_test_id("save-version").click()
    expect(page).to_have_url(re.compile(rf"/flows/{flow.pk}/v/2$"))
    saved = {n["id"]: n for n in FlowVersion.objects.get(flow=flow, number=2).ir["nodes"]}
    assert saved["report"]["inputs"]["category"] == '"shipping"'
    assert saved["check_inventory"]["inputs"]["items"].startswith('[{"sku": ""')


def boxes_meet(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


def zoom_in_past_the_flow(page: Any) -> None:
    """Zoom in until part of the flow is out of view (the minimap shows only then)."""
    zoom_in = page.locator(".designer-canvas .react-flow__controls-zoomin")
    for _ in range(3):
        zoom_in.click()


def test_a_block_added_is_not_shown_under_the_minimap(page, live_server, staff_user):
    # Given the designer zoomed in, with the minimap showing
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    zoom_in_past_the_flow(page)
    minimap = page.locator(".designer-canvas .designer-minimap")
    expect(minimap).to_be_visible()

    # When blocks are added one after another with nothing selected (each lands at the
    # canvas's centre or the nearest free spot, lower and lower)
    for tool in ("check_inventory", "validate_email", "calculate_tax", "summarize_text"):
        page.keyboard.press("Escape")
        expect(page.get_by_test_id("inspector")).to_have_count(0)
        # (the inspector closing gives its room back to the canvas, whose view may still be
        # moving: the block's place is chosen in the view at rest)
        settled_box(node(page, "check"))
        page.get_by_test_id(f"palette-item-{tool}").click()
        added = node(page, tool)
        expect(added).to_be_visible()
        # Then each comes to rest clear of the minimap's corner
        card = settled_box(added)
        if minimap.is_visible():
            assert not boxes_meet(card, minimap.bounding_box()), tool


def test_the_keyboard_shortcuts_are_listed_on_question_mark(
    page, live_server, staff_user, screenshot
):
    flow = make(staff_user)
    open_designer(page, live_server, flow)

    # `?` on the canvas lists the shortcuts; Escape closes the list, not the page's panels
    page.get_by_test_id("canvas").click(position={"x": 40, "y": 40})
    page.keyboard.press("?")
    dialog = page.get_by_test_id("shortcuts-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Undo")
    expect(dialog).to_contain_text("Delete the selected steps")
    screenshot(page, "shortcuts")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)

    # the toolbar's keyboard button opens it too; a `?` typed in an expression is text
    page.get_by_test_id("shortcuts-button").click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_have_count(0)
    node(page, "greet").click()
    name = page.get_by_test_id("inspector").locator('[data-field="inputs.name"] textarea')
    name.fill("input.name")
    name.press("End")
    name.type(' + "?"')
    expect(name).to_have_value('input.name + "?"')
    expect(dialog).to_have_count(0)


PAID: dict[str, Any] = {
    "name": "Pay once checked",
    "input_schema": {
        "type": "object",
        "properties": {"items": {"type": "array"}, "order_id": {"type": "string"}},
    },
    "nodes": [
        {"id": "validate", "type": "tool", "tool": "validate_order",
         "inputs": {"items": "input.items", "order_id": "input.order_id"}},
        {"id": "stock", "type": "tool", "tool": "check_inventory",
         "inputs": {"items": "input.items"}},
        {"id": "pay", "type": "tool", "tool": "process_payment", "after": ["stock"],
         "inputs": {"amount": "validate.subtotal", "order_id": "validate.order_id"}},
        # `after` both checks, which `pay` already waits for: as planners write it
        {"id": "receipt", "type": "tool", "tool": "send_email", "after": ["validate", "stock"],
         "inputs": {"to": "'shop@example.com'", "subject": "'Paid'", "body": "pay.status"}},
    ],
}


def test_an_order_a_chain_already_implies_is_not_drawn_nor_added_again(
    page, live_server, staff_user
):
    # Given a flow whose last step lists, in `after`, steps it already waits for through `pay`
    flow = make(staff_user, PAID)
    open_designer(page, live_server, flow)

    # Then those edges are not drawn around `pay`; the ones that order something are
    expect(page.get_by_test_id("rf__edge-after:stock->pay")).to_have_count(1)
    expect(page.get_by_test_id("rf__edge-data:pay->receipt")).to_have_count(1)
    expect(page.get_by_test_id("rf__edge-after:validate->receipt")).to_have_count(0)
    expect(page.get_by_test_id("rf__edge-after:stock->receipt")).to_have_count(0)

    # When the person connects validate to receipt by hand, the page says why nothing changes
    drag_handle(page, "validate", "receipt")
    expect(page.get_by_test_id("toast")).to_contain_text(
        "receipt already runs after validate, through pay"
    )
    expect(page.get_by_test_id("dirty-indicator")).to_have_attribute("data-dirty", "false")
    # (the inspector still lists the orders the IR writes)
    node(page, "receipt").click()
    runs_after = page.get_by_test_id("inspector").locator('[data-field="after"]')
    expect(runs_after).to_contain_text("validate")


def test_plain_text_typed_as_a_result_is_offered_as_text(page, live_server, staff_user):
    # Given a flow whose one step is its result
    flow = flow_create(
        owner=staff_user,
        name="Blank",
        ir={
            "name": "Blank",
            "input_schema": {"type": "object"},
            "nodes": [{"id": "result", "type": "output", "value": "input"}],
        },
    )
    open_designer(page, live_server, flow)
    node(page, "result").click()
    expression = page.get_by_test_id("inspector").locator('[data-field="value"]')

    # When the person types words where an expression is read, the field offers to quote them
    expression.locator("textarea").fill("All done")
    fix = expression.get_by_test_id("input-text-fix")
    expect(fix).to_contain_text('Use "All done" as text')
    fix.get_by_role("button").click()

    # Then the result is that text and the flow is valid
    expect(expression.locator("textarea")).to_have_value('"All done"')
    wait_checked(page)
    expect(page.get_by_test_id("problems-count")).to_have_text("0")


def test_an_edit_taken_back_leaves_nothing_to_save(page, live_server, staff_user):
    # Given a saved flow open in the designer
    flow = make(staff_user)
    open_designer(page, live_server, flow)
    dirty = page.get_by_test_id("dirty-indicator")
    expect(dirty).to_have_attribute("data-dirty", "false")

    # When a step's title is typed, then cleared again
    node(page, "greet").click()
    title = page.get_by_test_id("inspector").get_by_label("Title")
    title.fill("Greet them")
    expect(dirty).to_have_attribute("data-dirty", "true")
    expect(page.get_by_test_id("save-version")).to_be_enabled()
    title.fill("")

    # Then the flow reads as saved, and saving would make no version like the last
    expect(dirty).to_have_attribute("data-dirty", "false")
    expect(page.get_by_test_id("save-version")).to_be_disabled()
