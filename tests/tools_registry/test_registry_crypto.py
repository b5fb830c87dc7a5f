"""Credentials are sealed with AES-256-GCM under named keys; keys rotate without data loss."""

from __future__ import annotations

import base64
import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from tools_registry.crypto import DecryptionError, EncryptionConfigError, Keyring
from tools_registry.models import Credential
from tools_registry.services import credential_create, credentials_reseal

OLD = "old:" + base64.b64encode(b"o" * 32).decode()
NEW = "new:" + base64.b64encode(b"n" * 32).decode()


def test_round_trip_and_purpose_binding() -> None:
    keyring = Keyring.parse(OLD)

    key_id, token = keyring.seal(b"hunter2", purpose="a")

    assert key_id == "old"
    assert b"hunter2" not in base64.b64decode(token)
    assert keyring.unseal(key_id, token, purpose="a") == b"hunter2"
    with pytest.raises(DecryptionError, match="wrong key or tampered"):
        keyring.unseal(key_id, token, purpose="b")


def test_each_seal_uses_a_fresh_nonce() -> None:
    keyring = Keyring.parse(OLD)

    assert keyring.seal(b"x", purpose="a") != keyring.seal(b"x", purpose="a")


def test_tampering_is_detected() -> None:
    keyring = Keyring.parse(OLD)
    key_id, token = keyring.seal(b"hunter2", purpose="a")
    raw = bytearray(base64.b64decode(token))
    raw[-1] ^= 1

    with pytest.raises(DecryptionError):
        keyring.unseal(key_id, base64.b64encode(bytes(raw)).decode(), purpose="a")


def test_the_first_key_seals_and_every_key_opens() -> None:
    sealed_with_old = Keyring.parse(OLD).seal(b"v", purpose="a")
    both = Keyring.parse(f"{NEW},{OLD}")

    assert both.unseal(*sealed_with_old, purpose="a") == b"v"
    assert both.seal(b"v", purpose="a")[0] == "new"
    with pytest.raises(DecryptionError, match="not in DYNAMICFLOW_ENCRYPTION_KEYS"):
        Keyring.parse(NEW).unseal(*sealed_with_old, purpose="a")


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("", "empty"),
        ("nokey", "id:base64key"),
        ("k:not base64!", "not valid base64"),
        ("k:" + base64.b64encode(b"short").decode(), "32"),
        (f"{OLD},{OLD}", "twice"),
    ],
)
def test_bad_key_settings_are_explained(spec: str, problem: str) -> None:
    with pytest.raises(EncryptionConfigError, match=problem):
        Keyring.parse(spec)


@pytest.mark.django_db
def test_credentials_rotate_to_the_new_key() -> None:
    # Given credentials sealed with the old key
    with override_settings(DYNAMICFLOW_ENCRYPTION_KEYS=OLD):
        credential_create(name="api_key", secret="s3cret")
        credential_create(name="other", secret="x")
    assert set(Credential.objects.values_list("key_id", flat=True)) == {"old"}

    # When the new key is put first and the credentials are resealed
    with override_settings(DYNAMICFLOW_ENCRYPTION_KEYS=f"{NEW},{OLD}"):
        assert Credential.objects.get(name="api_key").reveal() == "s3cret"
        out = io.StringIO()
        call_command("rotate_credentials", stdout=out)
        assert "Resealed 2" in out.getvalue()
        assert credentials_reseal() == 0

    # Then the old key can be dropped
    with override_settings(DYNAMICFLOW_ENCRYPTION_KEYS=NEW):
        assert Credential.objects.get(name="api_key").reveal() == "s3cret"
        assert set(Credential.objects.values_list("key_id", flat=True)) == {"new"}
    with override_settings(DYNAMICFLOW_ENCRYPTION_KEYS=OLD), pytest.raises(DecryptionError):
        Credential.objects.get(name="api_key").reveal()
