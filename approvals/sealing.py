"""Suspended state at rest: JSON values sealed with AES-256-GCM and bound to their row.

A row's sealed value is its `key_id` (which key of DYNAMICFLOW_ENCRYPTION_KEYS sealed it)
and `ciphertext`. The row's identity (its table, id and owners) is the associated data, so
a ciphertext copied into another row, or another table, does not open there.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from django.db import models

from tools_registry.crypto import DecryptionError, keyring

PURPOSE = "approvals"


class SealedRowError(DecryptionError):
    """A row's sealed value does not open; the message names the row."""


def _encode(value: Any) -> bytes:
    # Keys in their order, not sorted: a step's form lists its fields in its author's order.
    return json.dumps(value, separators=(",", ":"), default=str).encode()


class Sealed(models.Model):
    """A model with one sealed JSON value (`seal_value` / `unseal_value`)."""

    SEAL_KIND: ClassVar[str] = ""

    key_id = models.CharField(max_length=64, editable=False, db_index=True)
    ciphertext = models.TextField(editable=False)

    class Meta:
        abstract = True

    def sealed_identity(self) -> str:
        """What the ciphertext is bound to; subclasses add the row's owners."""
        return f"{self.SEAL_KIND}:{self.pk}"

    def _associated(self) -> str:
        return f"{PURPOSE}.{self.sealed_identity()}"

    def row_label(self) -> str:
        return f"{self._meta.label} {self.pk}"

    def seal_bytes(self, plaintext: bytes) -> None:
        self.key_id, self.ciphertext = keyring().seal(plaintext, purpose=self._associated())

    def open_bytes(self) -> bytes:
        try:
            return keyring().unseal(self.key_id, self.ciphertext, purpose=self._associated())
        except DecryptionError as exc:
            raise SealedRowError(f"{self.row_label()}: {exc}") from None

    def seal_value(self, value: Any) -> None:
        self.seal_bytes(_encode(value))

    def unseal_value(self) -> Any:
        return json.loads(self.open_bytes())
