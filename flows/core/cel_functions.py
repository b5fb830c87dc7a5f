"""The functions an expression may call: CEL's own and the extension libraries we register.

The Rust CEL runtime implements the core specification (`size`, `contains`, `matches`,
conversions, timestamps, optionals). cel-go's extension libraries (strings, math, lists,
sets, base64) come from `cel.stdlib` as Python callbacks, registered on each evaluation of
an expression that calls them. The validator admits exactly the names listed here
(`is_known_function`), so a flow that validates never fails with "Undefined variable or
function" when it runs.

`string()` takes anything: the runtime converts numbers, text, bytes, timestamps and
durations itself, and hands the rest (true/false, null, lists, maps) to `_text`.

Left out on purpose: `lists.range(n)` (a tiny input builds a list of any size). `replace`
refuses to build a string longer than `MAX_STRING_CHARS` (`s.replace("", s)` squares the
length).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from cel import stdlib

#: Functions and methods the Rust runtime provides itself.
NATIVE_FUNCTIONS = frozenset(
    {
        "size", "contains", "startsWith", "endsWith", "matches",
        "int", "uint", "double", "string", "bytes", "timestamp", "duration",
        "dyn", "type", "has",
        "getFullYear", "getMonth", "getDayOfMonth", "getDate", "getDayOfWeek",
        "getDayOfYear", "getHours", "getMinutes", "getSeconds", "getMilliseconds",
        "optional.of", "optional.none", "optional.ofNonZeroValue",
        "hasValue", "value", "orValue", "or",
    }
)  # fmt: skip

#: Namespaces whose functions are called with a dotted name (`math.greatest(...)`).
NAMESPACES = frozenset({"math", "strings", "sets", "base64", "optional"})

#: The longest string `replace` builds.
MAX_STRING_CHARS = 16_000_000


def _replace(s: str, old: str, new: str, limit: int = -1) -> str:
    count = len(s) + 1 if old == "" else s.count(old)
    if limit >= 0:
        count = min(count, limit)
    length = len(s) + count * (len(new) - len(old))
    if length > MAX_STRING_CHARS:
        raise ValueError(
            f"replace would build a string of {length} characters; the limit is "
            f"{MAX_STRING_CHARS}"
        )
    return stdlib.replace(s, old, new, limit)


_VERB = re.compile(r"%(?:\.(\d+))?([sdfeExXobc%])")


def _format(template: str, args: list[Any]) -> str:
    """cel-go's `strings.format`: `%s %d %f %.Nf %e %x %X %o %b %c %%`."""
    if not isinstance(args, list | tuple):
        raise TypeError("format takes a list of arguments")
    values = iter(args)

    def one(match: re.Match[str]) -> str:
        precision, verb = match.group(1), match.group(2)
        if verb == "%":
            return "%"
        try:
            value = next(values)
        except StopIteration:
            raise ValueError("format: more verbs than arguments") from None
        if verb == "s":
            return _text(value)
        if verb == "d":
            return str(int(value))
        if verb in "fF":
            return f"{float(value):.{int(precision) if precision else 6}f}"
        if verb in "eE":
            text = f"{float(value):.{int(precision) if precision else 6}e}"
            return text.upper() if verb == "E" else text
        if verb == "c":
            return chr(int(value))
        if isinstance(value, str | bytes):
            raw = value.encode() if isinstance(value, str) else value
            hexed = raw.hex()
            if verb in "xX":
                return hexed.upper() if verb == "X" else hexed
            raise TypeError(f"format: %{verb} needs an integer")
        number = int(value)
        return {"x": f"{number:x}", "X": f"{number:X}", "o": f"{number:o}", "b": f"{number:b}"}[
            verb
        ]

    return _VERB.sub(one, template)


def _text(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_text(v) for v in value) + "]"
    if isinstance(value, dict):
        # keys sorted: a map reaches a function with its keys in no fixed order (the CEL
        # runtime holds it in a hash map), and the same value must read the same each time
        pairs = sorted(value.items(), key=lambda pair: str(pair[0]))
        return "{" + ", ".join(f"{_text(k)}: {_text(v)}" for k, v in pairs) + "}"
    return str(value)


def _libraries() -> dict[str, Callable[..., Any]]:
    functions: dict[str, Callable[..., Any]] = {}
    for name in ("core", "strings", "math", "lists", "sets", "encoders"):
        functions.update(stdlib.EXTENSIONS[name])
    functions.pop("lists.range", None)
    functions["replace"] = _replace
    functions["format"] = _format
    # `string()` of what the runtime has no conversion for (true/false, null, a list, a
    # map): the runtime calls this only then, so `{{ check.valid }}` in a text reads
    # "true" (as cel-go's bool_to_string) instead of failing the run.
    functions["string"] = _text
    functions["strings.format"] = _format
    return functions


#: CEL name -> implementation, for every extension function.
EXTENSION_FUNCTIONS: dict[str, Callable[..., Any]] = _libraries()

#: Extension functions whose work grows faster than their input (pairwise comparisons):
#: the cost estimate treats each call like a comprehension.
SUPERLINEAR_FUNCTIONS = frozenset(
    {"distinct", "sets.contains", "sets.equivalent", "sets.intersects"}
)


def is_known_function(name: str) -> bool:
    return name in NATIVE_FUNCTIONS or name in EXTENSION_FUNCTIONS


def known_functions() -> list[str]:
    """Every function name an expression may call, sorted."""
    return sorted(NATIVE_FUNCTIONS | EXTENSION_FUNCTIONS.keys())
