"""The name a person reads for a tool made from its id: `fetch_url` is "Fetch URL",
`lookup_user` "Look up user".

Only people read it (the Tools page, the palette, the admin). The planners keep the code
tool's own name (`ToolSpec.name`), whose words they match prompts against.
"""

from __future__ import annotations

import re

#: Written in capitals wherever they appear.
ACRONYMS = frozenset(
    {"api", "csv", "html", "http", "https", "id", "json", "pdf", "sku", "sms", "url", "xml"}
)

#: One word as a noun, two as a verb: split when it leads the id, where a tool's verb is.
COMPOUND_VERBS = {"lookup": "look up", "signup": "sign up", "login": "log in",
                  "logout": "log out", "setup": "set up"}

_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def tool_display_name(identifier: str) -> str:
    """`fetch_url` -> "Fetch URL", `lookupUser` -> "Look up user", `get_sku_id` -> "Get SKU ID"."""
    words = [word.lower() for word in _WORD.findall(identifier)]
    if not words:
        return identifier
    if words[0] in COMPOUND_VERBS:
        words[:1] = COMPOUND_VERBS[words[0]].split()
    shown = [word.upper() if word in ACRONYMS else word for word in words]
    shown[0] = shown[0][:1].upper() + shown[0][1:]
    return " ".join(shown)
