"""Request parsers that answer bad input with a 400 in the JSON error format, never a 500.

`JSONParser` refuses, as a ParseError:

- JSON nested deeper than `DYNAMICFLOW_MAX_JSON_DEPTH` levels (default 64). Python's
  parser raises RecursionError at about 1,000 levels, and everything after it (JSON
  Schema validation, pydantic, the IR's own walks) recurses too;
- strings or keys holding a lone surrogate (`"\\udfff"`) or a NUL character: they are
  valid JSON text but no valid Unicode (or not storable in Postgres's jsonb), so they
  would fail later, when the row is written.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from typing import Any

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

_UNSTORABLE = re.compile("[\ud800-\udfff\x00]")


def max_json_depth() -> int:
    value = getattr(settings, "DYNAMICFLOW_MAX_JSON_DEPTH", None) or os.environ.get(
        "DYNAMICFLOW_MAX_JSON_DEPTH"
    )
    return int(value) if value else 64


def check_json_value(data: Any, *, max_depth: int | None = None) -> None:
    """Raise ParseError if `data` nests too deeply or holds text Postgres cannot store."""
    limit = max_depth or max_json_depth()
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            _check_text(value)
        elif isinstance(value, dict | list):
            if depth > limit:
                raise ParseError(f"The JSON is nested more than {limit} levels deep.")
            if isinstance(value, dict):
                for key, item in value.items():
                    _check_text(key)
                    stack.append((item, depth + 1))
            else:
                stack.extend((item, depth + 1) for item in value)


def _check_text(text: str) -> None:
    match = _UNSTORABLE.search(text)
    if match is not None:
        what = "a NUL character" if match.group() == "\x00" else "a lone surrogate"
        raise ParseError(
            f"The JSON holds {what} (\\u{ord(match.group()):04x}), which is not valid text."
        )


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: str | None = None,
              parser_context: dict[str, Any] | None = None) -> Any:
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            decoded = codecs.getreader(encoding)(stream)
            data = json.load(decoded, parse_constant=_refuse_constant)
        except RecursionError:
            raise ParseError(
                f"The JSON is nested more than {max_json_depth()} levels deep."
            ) from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        check_json_value(data)
        return data


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")
