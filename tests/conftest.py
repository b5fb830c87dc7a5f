"""Shared fixtures. Database tests use the real Postgres named by DATABASE_URL
(`make test` starts an embedded one when it is unset)."""

from __future__ import annotations

import os

os.environ.setdefault("DYNAMICFLOW_DEV", "1")
