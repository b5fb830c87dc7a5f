"""Counts on the pages read in the right number: a catalogue of one tool in one category
says so on the Tools page and in New flow's tool picker, not "1 categories" or "any of the
1 tools"."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

CATALOGUE = re.compile(r".*/api/v1/(tools|categories)/\?.*")


def keep_one_of_each(category: str) -> Any:
    """A route handler: the server's own answer cut to one tool and its category."""

    def handle(route: Any) -> None:
        response = route.fetch()
        body = response.json()
        if "/tools/" in route.request.url:
            body["results"] = body["results"][:1]
        else:
            body["results"] = [c for c in body["results"] if c["slug"] == category]
        body["count"] = len(body["results"])
        route.fulfill(response=response, json=body)

    return handle


def test_a_catalogue_of_one_tool_in_one_category_is_counted_in_the_singular(page, live_server):
    # Given a catalogue cut to one tool and its category
    tools = page.request.get(live_server("/api/v1/tools/?limit=1")).json()["results"]
    assert tools, "the catalogue is empty"
    page.route(CATALOGUE, keep_one_of_each(tools[0]["category"]))

    # When the Tools page shows it, then tool and category are each counted as one
    page.goto(live_server("/tools"))
    expect(page.locator(".page-lead")).to_contain_text(": 1 tool in 1 category.")

    # And New flow's picker speaks of the one tool
    page.goto(live_server("/flows/new"))
    expect(page.get_by_text("The planner may use the one tool in the catalogue.")).to_be_visible()
