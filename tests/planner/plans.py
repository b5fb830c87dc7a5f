"""IR documents the scripted model returns in the tests (over the fixture catalogue)."""

from __future__ import annotations

import json
from typing import Any

VALID_PLAN: dict[str, Any] = {
    "ir_version": "1.0",
    "name": "Verify then email",
    "input_schema": {
        "type": "object",
        "properties": {"email": {"type": "string"}},
        "required": ["email"],
    },
    "nodes": [
        {
            "id": "verify",
            "type": "tool",
            "tool": "verify_address",
            "inputs": {"email": "input.email"},
        },
        {
            "id": "notify",
            "type": "tool",
            "tool": "send_email",
            "inputs": {"to": "verify.email", "subject": '"Hello"', "body": '"Welcome aboard"'},
        },
    ],
}

#: send_email without its required subject: the validator reports missing_input.
INVALID_PLAN: dict[str, Any] = {
    **VALID_PLAN,
    "nodes": [
        VALID_PLAN["nodes"][0],
        {
            "id": "notify",
            "type": "tool",
            "tool": "send_email",
            "inputs": {"to": "verify.email", "body": '"Welcome aboard"'},
        },
    ],
}


def text(plan: dict[str, Any]) -> str:
    return json.dumps(plan)
