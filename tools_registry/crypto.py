"""Encryption at rest: AES-256-GCM with named keys, so keys can be rotated.

`DYNAMICFLOW_ENCRYPTION_KEYS` is "id:base64key,id2:base64key2,...". The first key seals
(encrypts) new values; every listed key can open (decrypt) values sealed with it, which is
how a key is rotated: put the new key first, keep the old one until everything has been
resealed (`python manage.py rotate_keys`), then drop it.

A sealed value is the key id plus base64(nonce || ciphertext || tag). A purpose string is
bound in as associated data, so a value sealed for one purpose does not open as another
(suspended approval state binds the identity of its row, so it cannot be moved either).

Every table that holds sealed values registers a `SealedTable` in `sealed_tables` (from its
app's `ready`), which is how `rotate_keys` finds them all. Without keys configured, a
development process makes one under var/ (`development_keys`); production refuses to start.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from flows.core.registry import Registry

__all__ = [
    "DecryptionError",
    "EncryptionConfigError",
    "Keyring",
    "SealedTable",
    "development_keys",
    "keyring",
    "missing_keys_message",
    "new_key_spec",
    "seal",
    "sealed_tables",
    "unseal",
]

_KEY_ID = re.compile(r"^[A-Za-z0-9_.\-]{1,64}$")
_NONCE_BYTES = 12


class EncryptionConfigError(Exception):
    """DYNAMICFLOW_ENCRYPTION_KEYS is missing or malformed."""


class DecryptionError(Exception):
    """A sealed value could not be opened (unknown key, wrong key, or tampered data)."""


@dataclass(frozen=True)
class Keyring:
    """Named AES-256 keys; `primary` seals, all open."""

    keys: dict[str, bytes]
    primary: str

    @classmethod
    def parse(cls, spec: str) -> Keyring:
        keys: dict[str, bytes] = {}
        primary = ""
        for position, entry in enumerate(item.strip() for item in spec.split(",")):
            if not entry:
                continue
            key_id, sep, encoded = entry.partition(":")
            key_id = key_id.strip()
            if not sep or not _KEY_ID.match(key_id):
                raise EncryptionConfigError(
                    f"DYNAMICFLOW_ENCRYPTION_KEYS entry {position + 1} is not 'id:base64key' "
                    "(ids use letters, digits, '_', '.', '-')"
                )
            try:
                key = base64.b64decode(encoded.strip(), validate=True)
            except (binascii.Error, ValueError):
                raise EncryptionConfigError(
                    f"DYNAMICFLOW_ENCRYPTION_KEYS key {key_id!r} is not valid base64"
                ) from None
            if len(key) != 32:
                raise EncryptionConfigError(
                    f"DYNAMICFLOW_ENCRYPTION_KEYS key {key_id!r} is {len(key)} bytes; AES-256 "
                    "needs 32 (generate one with: python -c \"import base64, os; "
                    'print(base64.b64encode(os.urandom(32)).decode())")'
                )
            if key_id in keys:
                raise EncryptionConfigError(
                    f"DYNAMICFLOW_ENCRYPTION_KEYS names key {key_id!r} twice"
                )
            keys[key_id] = key
            primary = primary or key_id
        if not keys:
            raise EncryptionConfigError(
                "DYNAMICFLOW_ENCRYPTION_KEYS is empty: set it to 'id:base64key' (32-byte keys)"
            )
        return cls(keys=keys, primary=primary)

    def seal(self, plaintext: bytes, *, purpose: str) -> tuple[str, str]:
        """(key id, token) for `plaintext`, sealed with the primary key."""
        nonce = os.urandom(_NONCE_BYTES)
        sealed = AESGCM(self.keys[self.primary]).encrypt(nonce, plaintext, purpose.encode())
        return self.primary, base64.b64encode(nonce + sealed).decode("ascii")

    def unseal(self, key_id: str, token: str, *, purpose: str) -> bytes:
        key = self.keys.get(key_id)
        if key is None:
            raise DecryptionError(
                f"the value was sealed with key {key_id!r}, which is not in "
                "DYNAMICFLOW_ENCRYPTION_KEYS (was it removed before the value was resealed?)"
            )
        try:
            raw = base64.b64decode(token, validate=True)
        except (binascii.Error, ValueError):
            raise DecryptionError("the sealed value is not valid base64") from None
        if len(raw) < _NONCE_BYTES + 16:
            raise DecryptionError("the sealed value is too short")
        try:
            return AESGCM(key).decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], purpose.encode())
        except InvalidTag:
            raise DecryptionError(
                f"the value does not open with key {key_id!r}: wrong key or tampered data"
            ) from None


@lru_cache(maxsize=4)
def _parsed(spec: str) -> Keyring:
    return Keyring.parse(spec)


def keyring() -> Keyring:
    """The keyring configured in settings (parsed once per distinct setting)."""
    from django.conf import settings

    return _parsed(getattr(settings, "DYNAMICFLOW_ENCRYPTION_KEYS", "") or "")


def seal(plaintext: bytes, *, purpose: str) -> tuple[str, str]:
    return keyring().seal(plaintext, purpose=purpose)


def unseal(key_id: str, token: str, *, purpose: str) -> bytes:
    return keyring().unseal(key_id, token, purpose=purpose)


# --------------------------------------------------------------------------- key set-up


def new_key_spec(key_id: str) -> str:
    """A fresh 'id:base64key' entry (32 random bytes)."""
    return f"{key_id}:{base64.b64encode(os.urandom(32)).decode('ascii')}"


def missing_keys_message() -> str:
    return (
        "DYNAMICFLOW_ENCRYPTION_KEYS is not set: credentials and suspended approvals are "
        "stored encrypted and need a key. Make one with\n"
        "  python -c \"import base64, os; print('k1:' + "
        "base64.b64encode(os.urandom(32)).decode())\"\n"
        "and set DYNAMICFLOW_ENCRYPTION_KEYS to the printed 'k1:...' (keep it safe: without "
        "it nothing sealed can be read). For local development set DYNAMICFLOW_DEV=1 instead "
        "(`make run` does), and a key is made under var/."
    )


def development_keys(path: Path) -> str:
    """The development keyring stored at `path`, made on first use (readable by us only).

    Several processes may start at once: the first to create the file writes it, the others
    read what it wrote.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(50):
            spec = path.read_text().strip()
            if spec:
                return spec
            time.sleep(0.02)  # the creator has not written it yet
        raise EncryptionConfigError(f"{path} is empty: delete it to make a new key") from None
    spec = new_key_spec("dev1")
    with os.fdopen(fd, "w") as out:
        out.write(spec + "\n")
    return spec


# --------------------------------------------------------------------------- rotation


@dataclass(frozen=True)
class SealedTable:
    """A model whose rows hold one sealed value each, in `key_id` and `ciphertext` columns.

    `open(row)` returns the plaintext (raising DecryptionError for a row that does not
    open); `seal(row, plaintext)` seals it again with the primary key, setting both columns.
    """

    label: str
    model: Any
    open: Callable[[Any], bytes]
    seal: Callable[[Any, bytes], None]


sealed_tables: Registry[SealedTable] = Registry("sealed table")
