"""API tokens in the admin: a token is its user's password for the API, so the list does not
show keys (a staff member who may only view tokens could act as any user, superusers
included); the admin who creates one sees its key once."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.test import Client
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def test_the_token_list_shows_no_key(admin_client: Client, admin_user: User) -> None:
    key = Token.objects.create(user=admin_user).key
    viewer = User.objects.create_user("vera", password="pw-vera-123456", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_tokenproxy"))
    staff = Client()
    staff.force_login(viewer)

    pages = [
        admin_client.get("/admin/authtoken/tokenproxy/"),
        staff.get("/admin/authtoken/tokenproxy/"),
        staff.get(f"/admin/authtoken/tokenproxy/{admin_user.pk}/change/"),
    ]

    for page in pages:
        assert page.status_code == 200
        assert key not in page.content.decode()
    assert f"{key[:4]}…" in pages[0].content.decode()


def test_the_admin_who_creates_a_token_sees_its_key_once(admin_client: Client) -> None:
    user = User.objects.create_user("tom", password="pw-tom-123456")

    created = admin_client.post("/admin/authtoken/tokenproxy/add/", {"user": user.pk},
                                follow=True)
    key = Token.objects.get(user=user).key
    pages = [
        admin_client.get("/admin/authtoken/tokenproxy/"),
        admin_client.get(f"/admin/authtoken/tokenproxy/{user.pk}/change/"),
        admin_client.get(f"/admin/authtoken/tokenproxy/{user.pk}/delete/"),
        admin_client.get("/admin/"),  # recent actions
    ]

    assert key in created.content.decode()
    for page in pages:
        assert page.status_code == 200
        assert key not in page.content.decode()
    assert f"{key[:4]}…" in pages[1].content.decode()
    assert not LogEntry.objects.filter(object_id=key).exists()
    assert not LogEntry.objects.filter(object_repr__contains=key).exists()


def test_deleting_a_token_logs_no_key(admin_client: Client, admin_user: User) -> None:
    key = Token.objects.create(user=admin_user).key

    response = admin_client.post(f"/admin/authtoken/tokenproxy/{admin_user.pk}/delete/",
                                 {"post": "yes"})

    assert response.status_code == 302
    assert not Token.objects.exists()
    assert not LogEntry.objects.filter(object_id=key).exists()
    assert LogEntry.objects.filter(object_repr=f"{key[:4]}…").exists()
