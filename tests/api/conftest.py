"""Fixtures for the API tests: users with tokens, API clients, a valid IR over the demo tools."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

VALID_IR: dict[str, Any] = {
    "name": "Check an email",
    "description": "Validate the address and report whether it is valid.",
    "input_schema": {
        "type": "object",
        "properties": {"email": {"type": "string"}},
        "required": ["email"],
    },
    "nodes": [
        {"id": "check", "type": "tool", "tool": "validate_email",
         "inputs": {"email": "input.email"}},
        {"id": "result", "type": "output", "value": {"valid": "check.valid"}},
    ],
}


@pytest.fixture
def valid_ir() -> dict[str, Any]:
    return copy.deepcopy(VALID_IR)


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(username: str, *, staff: bool = False, groups: tuple[str, ...] = (),
             perms: tuple[str, ...] = ()) -> User:
        user = User.objects.create_user(username=username, password="pw-" + username,
                                        is_staff=staff)
        for name in groups:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
        for perm in perms:
            app_label, codename = perm.split(".")
            user.user_permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        return user

    return make


@pytest.fixture
def client_for() -> Callable[[User | None], APIClient]:
    """An API client authenticated with the user's token (or anonymous for None)."""

    def make(user: User | None) -> APIClient:
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture
def alice(make_user: Callable[..., User]) -> User:
    """A builder in the "sales" group."""
    return make_user("alice", groups=("sales",))


@pytest.fixture
def bob(make_user: Callable[..., User]) -> User:
    """Another builder, also in "sales"."""
    return make_user("bob", groups=("sales",))


@pytest.fixture
def carol(make_user: Callable[..., User]) -> User:
    """A builder in no shared group."""
    return make_user("carol")


@pytest.fixture
def admin_user(make_user: Callable[..., User]) -> User:
    user = make_user("root", staff=True)
    user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def api(alice: User, client_for: Callable[[User | None], APIClient]) -> APIClient:
    """Alice's client."""
    return client_for(alice)


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is `status` with the one error format (and `code`, when given)."""
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]


def forget_throttles() -> None:
    """Delete the throttles' counters, and nothing else: `cache.clear()` would FLUSHDB the
    Redis database the broker, the channel layer and any running app share."""
    from django.core.cache import cache

    client = cache._cache.get_client(None, write=True)  # type: ignore[attr-defined]
    for key in client.scan_iter(match="*:throttle:*"):
        client.delete(key)

