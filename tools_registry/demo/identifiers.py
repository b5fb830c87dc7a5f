"""Deterministic identifiers for the demo tools: the same inputs always give the same id."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def stable_digest(*parts: Any) -> str:
    """A hex SHA-256 of the parts, serialised canonically (key order does not matter)."""
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def digits_from(digest: str, count: int) -> str:
    """`count` decimal digits taken from a hex digest (for tracking and ticket numbers)."""
    number = int(digest, 16)
    return str(number % 10**count).zfill(count)
