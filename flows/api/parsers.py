"""Request parsers that answer bad input with a 400 in the JSON error format, never a 500.

`JSONParser` refuses, as a ParseError:

- JSON nested deeper than `DYNAMICFLOW_MAX_JSON_DEPTH` levels (default 64). Python's
  parser raises RecursionError at about 1,000 levels, and everything after it (JSON
  Schema validation, pydantic, the IR's own walks) recurses too;
- strings or keys holding a lone surrogate (`"\\udfff"`) or a NUL character: they are
  valid JSON text but no valid Unicode (or not storable in Postgres's jsonb), so they
  would fail later, when the row is written;

and, as an ApplicationError with code `duplicate_key`, an object that has the same key
twice (`{"a": 1, "a": 2}`): Python's parser keeps the last one silently, so the client
and the server would disagree about what was sent. The error names the key and where the
object is (`nodes[2].inputs`, as field errors name places).
"""

from __future__ import annotations

import codecs
import json
import os
import re
from collections import deque
from typing import Any

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from flows.errors import ApplicationError

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
        duplicates = _DuplicateKeys()
        try:
            decoded = codecs.getreader(encoding)(stream)
            data = json.load(
                decoded, parse_constant=_refuse_constant, object_pairs_hook=duplicates.hook
            )
        except RecursionError:
            raise ParseError(
                f"The JSON is nested more than {max_json_depth()} levels deep."
            ) from None
        except json.JSONDecodeError as exc:
            # Where it stopped reading, as numbers too: a client can point at the place.
            raise ApplicationError(
                f"JSON parse error - {exc}",
                code="parse_error",
                details={"line": exc.lineno, "column": exc.colno},
            ) from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        if duplicates.found:
            duplicates.refuse(data)
        check_json_value(data)
        return data


class _Duplicated(dict[str, Any]):
    """An object that had `key` twice, marked so that the walk after parsing can say where
    it is (the hook sees each object before its parent exists)."""

    def __init__(self, pairs: list[tuple[str, Any]], key: str) -> None:
        super().__init__(pairs)
        self.key = key


class _DuplicateKeys:
    def __init__(self) -> None:
        self.found = False

    def hook(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if len(result) == len(pairs):
            return result
        self.found = True
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                return _Duplicated(pairs, key)
            seen.add(key)
        raise AssertionError("unreachable: fewer keys than pairs means a key repeats")

    def refuse(self, data: Any) -> None:
        """Raise for the first marked object, outermost first, with its place."""
        queue: deque[tuple[Any, str]] = deque([(data, "")])
        while queue:
            value, where = queue.popleft()
            if isinstance(value, _Duplicated):
                place = f"at `{where}`" if where else "at the top level"
                raise ApplicationError(
                    f"The JSON object {place} has the key `{value.key}` more than once; "
                    "send each key once.",
                    code="duplicate_key",
                    details={"key": value.key, "at": where},
                )
            if isinstance(value, dict):
                queue.extend((item, f"{where}.{key}" if where else str(key))
                             for key, item in value.items())
            elif isinstance(value, list):
                queue.extend((item, f"{where}[{index}]") for index, item in enumerate(value))


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")
