"""A boolean filter says when its value is neither true nor false: `?enabled=banana` was
read as no filter at all, so a typo listed every tool as if it were the filtered list."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import assert_error
from tools_registry.code_tools import CODE_TOOLS

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


@pytest.mark.parametrize("path", ["/api/v1/tools/", "/api/v1/joins/"])
@pytest.mark.parametrize("value", ["banana", "yes", "2", "5e-324", "null"])
def test_an_enabled_filter_that_is_not_true_or_false_is_a_400(
    api: APIClient, path: str, value: str
) -> None:
    error = assert_error(api.get(path, {"enabled": value}), 400, "invalid")

    assert error["details"]["fields"] == {"enabled": ["Must be true or false."]}
    assert error["message"] == "enabled: Must be true or false."


@pytest.mark.parametrize(("value", "count"), [("true", len(CODE_TOOLS)), ("1", len(CODE_TOOLS)),
                                              ("false", 0), ("False", 0), ("", len(CODE_TOOLS))])
def test_true_false_and_empty_still_filter_as_before(api: APIClient, value: str, count: int
                                                     ) -> None:
    response = api.get("/api/v1/tools/", {"enabled": value})

    assert response.status_code == 200, response.content
    assert response.json()["count"] == count
