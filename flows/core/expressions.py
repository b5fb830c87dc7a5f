"""CEL expressions: compiled once, cached, bounded in cost, with errors that say where.

We use the `common-expression-language` bindings (a Rust CEL implementation): on this
machine it compiles ~10x and evaluates 20-60x faster than the pure-Python `cel-python`
(`python benchmarks/cel_candidates.py` prints the figures). Two shapes that dominate real
flows — a plain path such as `check.valid` and a literal — skip the CEL runtime entirely;
their semantics are the same as CEL's (a missing key is an error).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

import cel

from flows.core.cel_functions import (
    EXTENSION_FUNCTIONS,
    NAMESPACES,
    SUPERLINEAR_FUNCTIONS,
    is_known_function,
)

MAX_EXPRESSION_LENGTH = 4000
#: Comprehension macros multiply work by the size of their list; nesting them is the
#: only way a CEL expression gets expensive, so we bound how many one expression has.
MAX_COMPREHENSIONS = 3
MAX_NESTING = 32
#: Operators chain into a tree as deep as they are many (`1 + 1 + ... + 1`); the validator
#: walks that tree, so a chain is bounded as nesting is.
MAX_OPERATORS = 500

_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$")
_INT = re.compile(r"^-?\d{1,18}$")
_SIMPLE_STRING = re.compile(r"""^(?:"([^"\\\n]*)"|'([^'\\\n]*)')$""")
_OPERATOR = re.compile(r"&&|\|\||==|!=|<=|>=|[-+*/%<>?]|\bin\b")
_COMPREHENSION = re.compile(r"\.\s*(all|exists|exists_one|map|filter)\s*\(")
_LOCATION = re.compile(r"<input>:(\d+):(\d+):\s*(.*)")
_STRING_LITERAL = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'""")
_MACRO_VARIABLE = re.compile(r"\.\s*(?:all|exists|exists_one|map|filter)\s*\(\s*([A-Za-z_]\w*)\s*,")
_NAMESPACED_CALL = re.compile(
    r"(?<![\w.])(" + "|".join(sorted(NAMESPACES)) + r")\s*\.\s*([A-Za-z_]\w*)\s*\("
)
_IDENTIFIER = re.compile(r"(?<![\w.])([A-Za-z_]\w*)")
_KEYWORDS = {"true": True, "false": False, "null": None}
_MISSING = object()


class ExpressionError(Exception):
    """An expression that does not compile, is too costly, or fails to evaluate."""

    def __init__(
        self, message: str, *, expression: str, column: int | None = None, kind: str = "evaluate"
    ) -> None:
        self.message = message
        self.expression = expression
        self.column = column
        self.kind = kind
        where = f" at column {column}" if column is not None else ""
        super().__init__(f"{message}{where} in `{expression}`")


@dataclass(frozen=True, slots=True)
class Expression:
    """A compiled expression. `variables` are the root names it reads."""

    source: str
    variables: frozenset[str]
    path: tuple[str, ...] | None = None
    literal: Any = _MISSING
    program: Any = field(default=None, repr=False, compare=False)
    #: The extension functions it calls (registered on each evaluation), by CEL name.
    extensions: Mapping[str, Callable[..., Any]] = field(
        default_factory=dict, repr=False, compare=False
    )
    #: Function names neither CEL nor the extensions define (the validator reports them).
    unknown_functions: tuple[str, ...] = ()
    #: Comprehension macros plus calls of superlinear functions: each may multiply the
    #: work by the length of a list (the runtime cost estimate raises the size to it).
    comprehensions: int = 0
    #: How often the text names one of its variables (each may copy a whole value).
    references: int = 0

    @property
    def is_literal(self) -> bool:
        return self.literal is not _MISSING

    def evaluate(self, env: Mapping[str, Any]) -> Any:
        """Evaluate against `env`, a mapping of root names to JSON-like values."""
        if self.literal is not _MISSING:
            return self.literal
        if self.path is not None:
            return self._resolve_path(env)
        activation = {name: env[name] for name in self.variables if name in env}
        try:
            if self.extensions:
                context = cel.Context(variables=activation, functions=dict(self.extensions))
                return to_json_value(self.program.execute(context))
            return to_json_value(self.program.execute(activation))
        except (
            RuntimeError, TypeError, ValueError, ZeroDivisionError, OverflowError, KeyError
        ) as exc:
            message = _first_line(exc)
            if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], str):
                # CEL's KeyError says only the key ("'total'"); said as a path says it.
                message = f"no such key: '{exc.args[0]}'"
            if message.startswith("No such overload"):  # what CEL says of a field of null
                message = _null_read(self.source, activation) or message
            raise ExpressionError(message, expression=self.source) from None

    def _resolve_path(self, env: Mapping[str, Any]) -> Any:
        assert self.path is not None
        head, *rest = self.path
        value = env.get(head, _MISSING)
        if value is _MISSING:
            raise ExpressionError(f"undefined variable '{head}'", expression=self.source, column=1)
        column = len(head) + 2
        for key in rest:
            if not isinstance(value, Mapping):
                raise ExpressionError(
                    f"cannot select field '{key}' from a {json_type_name(value)}",
                    expression=self.source,
                    column=column,
                )
            value = value.get(key, _MISSING)
            if value is _MISSING:
                raise ExpressionError(
                    f"no such key: '{key}'", expression=self.source, column=column
                )
            column += len(key) + 1
        return value


# Room for every expression of a 10,000-node flow (about three a node): validate and
# compile each compile them all again, and a smaller LRU would miss on every one of them
# in turn. A full cache of CEL programs (not paths) holds about 3 KB an entry.
@lru_cache(maxsize=32768)
def compile_expression(source: str) -> Expression:
    """Compile `source` (cached); raises ExpressionError with the column of a syntax error."""
    text = source.strip()
    if not text:
        raise ExpressionError("empty expression", expression=source, kind="syntax")
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(
            f"expression is {len(text)} characters long; the limit is {MAX_EXPRESSION_LENGTH}",
            expression=source[:80] + "…",
            kind="cost",
        )
    literal = _literal(text)
    if literal is not _MISSING:
        return Expression(source=source, variables=frozenset(), literal=literal)
    if _PATH.match(text) and text.split(".", 1)[0] not in _KEYWORDS:
        parts = tuple(text.split("."))
        return Expression(source=source, variables=frozenset(parts[:1]), path=parts)
    _check_cost(text, source)
    try:
        program = cel.compile(text)
    except ValueError as exc:
        message, column = _syntax_location(str(exc))
        raise ExpressionError(message, expression=source, column=column, kind="syntax") from None
    stripped = without_strings(text)
    bound = set(_MACRO_VARIABLE.findall(stripped))
    called: set[str] = set()
    namespaces: set[str] = set()
    for namespace, name in _NAMESPACED_CALL.findall(stripped):
        called.add(f"{namespace}.{name}")
        namespaces.add(namespace)
    plain = {
        name
        for name in program.functions()
        if name[:1].isalpha() and not any(f.endswith("." + name) for f in called)
    }
    called |= plain
    variables = frozenset(
        name for name in program.variables() if name not in bound and name not in namespaces
    )
    extensions = {name: EXTENSION_FUNCTIONS[name] for name in called if name in EXTENSION_FUNCTIONS}
    unknown = tuple(sorted(name for name in called if not is_known_function(name)))
    comprehensions = len(_COMPREHENSION.findall(stripped)) + sum(
        1 for name in called if name in SUPERLINEAR_FUNCTIONS
    )
    references = sum(1 for name in _IDENTIFIER.findall(stripped) if name in variables)
    return Expression(
        source=source,
        variables=variables,
        program=program,
        extensions=extensions,
        unknown_functions=unknown,
        comprehensions=comprehensions,
        references=max(references, 1),
    )


def evaluate(source: str, env: Mapping[str, Any]) -> Any:
    return compile_expression(source).evaluate(env)


_TEMPLATE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


def template_expressions(template: str) -> list[str]:
    """The CEL expressions inside a `{{ ... }}` template."""
    return [match.strip() for match in _TEMPLATE.findall(template)]


def render_template(template: str, env: Mapping[str, Any]) -> str:
    """Replace each `{{ expr }}` with its value (strings as-is, other values as JSON)."""
    import json

    def replace(match: re.Match[str]) -> str:
        value = evaluate(match.group(1).strip(), env)
        return value if isinstance(value, str) else json.dumps(value, sort_keys=True)

    return _TEMPLATE.sub(replace, template)


def to_json_value(value: Any) -> Any:
    """Turn what the CEL runtime returns into plain JSON values."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return {str(k): to_json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json_value(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        return f"{value.total_seconds()}s"
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return str(value)


def json_type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def _literal(text: str) -> Any:
    if text in _KEYWORDS:
        return _KEYWORDS[text]
    if _INT.match(text):
        return int(text)
    match = _SIMPLE_STRING.match(text)
    if match:
        return match.group(1) if match.group(1) is not None else match.group(2)
    return _MISSING


def _check_cost(text: str, source: str) -> None:
    stripped = without_strings(text)
    comprehensions = len(_COMPREHENSION.findall(stripped))
    if comprehensions > MAX_COMPREHENSIONS:
        raise ExpressionError(
            f"expression uses {comprehensions} comprehension macros; the limit is "
            f"{MAX_COMPREHENSIONS} (split the work across nodes)",
            expression=source,
            kind="cost",
        )
    depth = deepest = 0
    for char in stripped:
        if char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
    if deepest > MAX_NESTING:
        raise ExpressionError(
            f"expression nests {deepest} levels deep; the limit is {MAX_NESTING}",
            expression=source,
            kind="cost",
        )
    operators = len(_OPERATOR.findall(stripped))
    if operators > MAX_OPERATORS:
        raise ExpressionError(
            f"expression chains {operators} operators; the limit is {MAX_OPERATORS}",
            expression=source,
            kind="cost",
        )


def _syntax_location(message: str) -> tuple[str, int | None]:
    match = _LOCATION.search(message)
    if not match:
        return _first_line(message), None
    detail = match.group(3).strip().removeprefix("Syntax error:").strip()
    return f"syntax error: {detail}", int(match.group(2))


def without_strings(source: str) -> str:
    """`source` with each string literal emptied (`"a.b"` becomes `""`): what is left is
    names, operators and numbers, for the readers that scan an expression's text."""
    return _STRING_LITERAL.sub('""', source)


_DOTTED = re.compile(r"(?<![\w.])[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+")


def _null_read(source: str, env: Mapping[str, Any]) -> str | None:
    """Why a failed expression failed, when it read a field of null: CEL's own words for
    that (`No such overload`) say nothing of where ("a user not found": `lookup.user` is
    null, and `lookup.user.plan` reads a field of it)."""
    for path in _DOTTED.findall(without_strings(source)):
        head, *rest = path.split(".")
        value = env.get(head, _MISSING)
        if value is _MISSING or not isinstance(value, Mapping):
            continue
        for depth, key in enumerate(rest, start=1):
            if not isinstance(value, Mapping) or key not in value:
                break
            value = value[key]
            if value is None and depth < len(rest):
                held = ".".join([head, *rest[:depth]])
                return (
                    f"`{held}` is null, so `{held}.{rest[depth]}` cannot be read (check it "
                    f"first: `{held} != null && ...`)"
                )
    return None


def _first_line(error: object) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
