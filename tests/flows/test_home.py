"""The home page lists the registered tools."""

from __future__ import annotations

import pytest

from tools_registry.catalog import default_catalog


@pytest.mark.django_db
def test_home_lists_every_registered_tool(client):
    response = client.get("/")

    assert response.status_code == 200
    page = response.content.decode()
    specs = default_catalog().specs()
    assert len(specs) >= 14
    for spec in specs:
        assert f"<code>{spec.id}</code>" in page
    assert f"{len(specs)} tools the planner can use" in page
