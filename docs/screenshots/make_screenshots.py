"""Refresh the PNGs in docs/screenshots/ against a running site (`make run`) in Chromium.

    DYNAMICFLOW_URL=http://127.0.0.1:8000 DYNAMICFLOW_USER=admin DYNAMICFLOW_PASSWORD=... \
        .venv/bin/python docs/screenshots/make_screenshots.py

Plans two flows with the offline planner (a sentiment branch, an approval over 500), starts
two runs that wait for the managers' approval and one that completes, then saves each page
at 1400x900. The signed-in user should be in the `managers` group (make run's admin is).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

BASE = os.environ.get("DYNAMICFLOW_URL", "http://127.0.0.1:8000").rstrip("/")
USER = os.environ.get("DYNAMICFLOW_USER", "admin")
PASSWORD = os.environ["DYNAMICFLOW_PASSWORD"]
CHROMIUM = os.environ.get("DYNAMICFLOW_CHROMIUM", "/usr/bin/chromium")
OUT = Path(__file__).resolve().parent

SENTIMENT = "Analyze the sentiment of the message; if it is negative, open a support ticket"
APPROVAL = ("Validate the customer's email, then if the order total is over 500 ask a manager "
            "to approve it, then send a confirmation email")
ORDER = {"email": "ada@example.com", "total": "900", "subject": "Your order",
         "body": "Thank you for your order!", "text": "This is terrible, I hate it"}


def plan(page: Any, prompt: str) -> int:
    page.goto(BASE + "/flows/new")
    page.fill("textarea", prompt)
    page.keyboard.press("Control+Enter")
    page.wait_for_url(re.compile(r".*/flows/\d+/v/\d+"), timeout=30_000)
    page.wait_for_selector("[data-testid=canvas][data-ready=true]")
    return int(page.url.split("/flows/")[1].split("/")[0])


def start(page: Any, flow_id: int) -> None:
    page.goto(BASE + f"/runs?start={flow_id}")
    page.wait_for_selector("[data-testid=start-run-submit]")
    page.wait_for_selector(".run-form input")
    for key, value in ORDER.items():
        field = page.locator(f"#run-input_{key}")
        if field.count():
            field.fill(value)
    page.get_by_test_id("start-run-submit").click()
    page.wait_for_url(re.compile(r".*/runs/[0-9a-f-]{36}$"), timeout=15_000)


def shot(page: Any, name: str) -> None:
    page.wait_for_timeout(600)  # let transitions (a panning canvas, fading toasts) finish
    page.screenshot(path=str(OUT / f"{name}.png"))


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
        page.goto(BASE + "/login/?next=/flows")
        page.fill("input[name=username]", USER)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/flows")

        sentiment = plan(page, SENTIMENT)
        approval = plan(page, APPROVAL)
        for _ in range(2):
            start(page, approval)
        start(page, sentiment)
        page.wait_for_selector("[data-testid=run-page][data-run-status=completed]", timeout=30_000)
        page.wait_for_selector("[data-testid=run-graph][data-ready=true]")
        # the last step picked: its details in the panel beside the graph
        page.locator(".rn[data-node-id]").last.click()
        page.wait_for_selector("[data-testid=node-panel]")
        shot(page, "run")

        page.goto(BASE + f"/flows/{sentiment}")
        page.wait_for_selector("[data-testid=canvas][data-ready=true]")
        # the designer as a flow opens: both arms of a branch, laid out and routed by ELK
        branched = plan(page, f"{SENTIMENT}, otherwise email the customer a thank-you note")
        page.goto(BASE + f"/flows/{branched}")
        page.wait_for_selector("[data-testid=canvas][data-ready=true]")
        shot(page, "designer")
        page.get_by_test_id("theme-toggle").click()
        shot(page, "designer-dark")
        page.get_by_test_id("theme-toggle").click()

        page.goto(BASE + "/inbox")
        page.wait_for_selector("[data-testid=inbox-row]")
        shot(page, "inbox")
        page.locator("[data-testid=inbox-row] a").first.click()
        page.wait_for_selector("[data-testid=step-page]")
        shot(page, "inbox-step")

        for path, name, ready in (("/flows", "flows", "[data-testid=flow-row]"),
                                  ("/flows/new", "new-flow", "textarea"),
                                  ("/runs", "runs", "table tbody tr"),
                                  ("/tools", "tools", "[data-testid=tool-card]")):
            page.goto(BASE + path)
            page.wait_for_selector(ready)
            shot(page, name)
        browser.close()


if __name__ == "__main__":
    main()
