"""POST /api/v1/auth/token/: an integrator turns a username and password into the API token
the other endpoints take, without an admin or a shell."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import User
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.settings import api_settings
from rest_framework.test import APIClient

from tests.api.conftest import assert_error, forget_throttles

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.api.urls")]

URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _fresh_throttle() -> Iterator[None]:
    forget_throttles()
    yield
    forget_throttles()


@pytest.fixture
def ivan() -> User:
    return User.objects.create_user("ivan", password="pw-ivan-123456")


def test_a_username_and_password_give_the_token_the_api_takes(ivan: User) -> None:
    client = APIClient()

    first = client.post(URL, {"username": "ivan", "password": "pw-ivan-123456"}, format="json")
    again = client.post(URL, {"username": "ivan", "password": "pw-ivan-123456"}, format="json")
    key = first.json()["token"]
    tools = APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/tools/")

    assert first.status_code == 200, first.content
    assert again.json() == {"token": key}
    assert Token.objects.get(user=ivan).key == key
    assert tools.status_code == 200


@pytest.mark.parametrize(
    ("username", "password"),
    [("ivan", "wrong-password"), ("nobody", "pw-ivan-123456")],
)
def test_a_wrong_username_or_password_is_one_400_and_makes_no_token(
    ivan: User, username: str, password: str
) -> None:
    response = APIClient().post(URL, {"username": username, "password": password},
                                format="json")

    error = assert_error(response, 400, "invalid_credentials")
    assert "username and password" in error["message"]
    assert not Token.objects.exists()


def test_an_inactive_user_gets_no_token(ivan: User) -> None:
    ivan.is_active = False
    ivan.save()

    response = APIClient().post(URL, {"username": "ivan", "password": "pw-ivan-123456"},
                                format="json")

    assert_error(response, 400, "invalid_credentials")
    assert not Token.objects.exists()


def test_missing_fields_are_named(ivan: User) -> None:
    error = assert_error(APIClient().post(URL, {"username": "ivan"}, format="json"), 400,
                         "invalid")

    assert error["details"]["fields"] == {"password": ["This field is required."]}


def test_password_guesses_are_throttled_per_address(ivan: User) -> None:
    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "token": "3/minute"}
    client = APIClient()
    with override_settings(REST_FRAMEWORK={**_rest_framework(), "DEFAULT_THROTTLE_RATES": rates}):
        statuses = [
            client.post(URL, {"username": "ivan", "password": f"guess-{i}"},
                        format="json").status_code
            for i in range(4)
        ]
        # A made-up X-Forwarded-For is not another address.
        spoofed = client.post(URL, {"username": "ivan", "password": "guess"}, format="json",
                              HTTP_X_FORWARDED_FOR="203.0.113.9")
        right = client.post(URL, {"username": "ivan", "password": "pw-ivan-123456"},
                            format="json")

    assert statuses == [400, 400, 400, 429]
    assert spoofed.status_code == 429
    assert_error(right, 429)
    assert "Retry-After" in right
    assert not Token.objects.exists()


def _rest_framework() -> dict:
    from django.conf import settings

    return dict(settings.REST_FRAMEWORK)
