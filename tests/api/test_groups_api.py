"""The group names an approval can name: listed read-only for any signed-in user."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from rest_framework.test import APIClient

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]


def test_every_group_is_listed_by_name_to_a_member_of_none(api: APIClient) -> None:
    Group.objects.get_or_create(name="managers")
    Group.objects.create(name="finance").user_set.add(User.objects.create_user("zed"))

    response = api.get("/api/v1/groups/")

    assert response.status_code == 200
    names = [row["name"] for row in response.json()["results"]]
    assert names == sorted(Group.objects.values_list("name", flat=True))
    assert {"finance", "managers"} <= set(names)
    assert set(response.json()["results"][0]) == {"name"}  # not who is in them


def test_the_list_is_read_only_and_documented(api: APIClient) -> None:
    assert api.post("/api/v1/groups/", {"name": "x"}, format="json").status_code == 405
    assert not Group.objects.filter(name="x").exists()
    document = api.get("/api/schema/?format=json").json()
    operation = document["paths"]["/api/v1/groups/"]["get"]
    assert "groups that exist" in operation["description"]
    assert "post" not in document["paths"]["/api/v1/groups/"]
