"""`{{ expr }}` templates in tool configs (HTTP URLs, headers, bodies; LLM prompts).

Each placeholder is a CEL expression (the same language as the IR), evaluated over
`input` (the tool's inputs) and, in HTTP headers only, `credentials` (decrypted secrets,
looked up by name only when a header names them). A string that is exactly one
placeholder keeps the value's type (`"{{ input.count }}"` in a JSON body stays a number);
any other string is rendered as text, non-string values as JSON, null as nothing. A field
of a body, query or headers that is one placeholder whose value is null is left out (an
optional input the flow did not set). In a URL, a value placed in the path or the query is
percent-encoded (`render_url`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import quote

from flows.core.expressions import ExpressionError, compile_expression
from flows.core.tools import ToolError

_PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_WHOLE = re.compile(r"^\s*\{\{(.*?)\}\}\s*$", re.DOTALL)
_CREDENTIAL = re.compile(r"\bcredentials\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)")
#: Names CEL resolves itself; reading them is not reading a variable.
_CEL_TYPE_NAMES = frozenset(
    {"int", "uint", "double", "bool", "string", "bytes", "list", "map", "null_type", "type", "dyn"}
)


def placeholders(value: Any) -> Iterator[str]:
    """Every placeholder expression in a string, or in the strings of a JSON value."""
    if isinstance(value, str):
        for match in _PLACEHOLDER.finditer(value):
            yield match.group(1).strip()
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from placeholders(item)
    elif isinstance(value, list):
        for item in value:
            yield from placeholders(item)


def credential_names(value: Any) -> set[str]:
    """The credential names a template reads (`{{ credentials.NAME }}`)."""
    return {name for source in placeholders(value) for name in _CREDENTIAL.findall(source)}


def template_problems(value: Any, *, roots: frozenset[str], where: str) -> list[str]:
    """What is wrong with a template: placeholders that do not compile or read other names."""
    problems: list[str] = []
    allowed = " and ".join(f"`{root}`" for root in sorted(roots))
    for source in placeholders(value):
        try:
            compiled = compile_expression(source)
        except ExpressionError as exc:
            problems.append(f"{where}: `{{{{ {source} }}}}` does not compile: {exc}")
            continue
        strays = sorted(set(compiled.variables) - roots - _CEL_TYPE_NAMES)
        if strays:
            names = ", ".join(f"`{name}`" for name in strays)
            problems.append(
                f"{where}: `{{{{ {source} }}}}` reads {names}; here a placeholder may only "
                f"read {allowed}."
            )
    return problems


def render(value: Any, env: Mapping[str, Any], *, where: str) -> Any:
    """`value` with every placeholder replaced; raises ToolError(code="template_error")."""
    if isinstance(value, str):
        whole = _WHOLE.match(value)
        if whole and "{{" not in whole.group(1):
            return _evaluate(whole.group(1).strip(), env, where)

        def replace(match: re.Match[str]) -> str:
            return _as_text(_evaluate(match.group(1).strip(), env, where))

        return _PLACEHOLDER.sub(replace, value)
    if isinstance(value, Mapping):
        rendered = {key: render(item, env, where=f"{where}.{key}") for key, item in value.items()}
        return {key: item for key, item in rendered.items() if not _left_out(value[key], item)}
    if isinstance(value, list):
        return [render(item, env, where=f"{where}[{i}]") for i, item in enumerate(value)]
    return value


def render_fields(
    fields: Mapping[str, str], env: Mapping[str, Any], *, where: str
) -> dict[str, str]:
    """A query's or headers' fields rendered as text, those left out (null) dropped."""
    rendered = {key: render(value, env, where=f"{where}.{key}") for key, value in fields.items()}
    return {
        key: _as_text(value)
        for key, value in rendered.items()
        if not _left_out(fields[key], value)
    }


def _left_out(template: Any, value: Any) -> bool:
    """A field that is one placeholder whose value is null: an input the flow did not set."""
    return value is None and isinstance(template, str) and bool(_WHOLE.match(template))


def render_text(value: str, env: Mapping[str, Any], *, where: str) -> str:
    """Like `render`, but always a string (a whole-placeholder value is shown as text/JSON)."""
    return _as_text(render(value, env, where=where))


def render_url(template: str, env: Mapping[str, Any], *, where: str = "url") -> str:
    """A URL template rendered with each value placed in the path or the query
    percent-encoded: "/channels/{{ input.channel }}" with "#ops" must reach `/channels/%23ops`,
    not `/channels/` with a fragment. A value in the path keeps its slashes ("owner/repo");
    one in the query string keeps nothing. A value placed before the path (a whole URL, a
    host) is written as it is."""
    authority = template.find("://")
    path_starts = template.find("/", authority + 3 if authority >= 0 else 0)
    query_starts = template.find("?")

    def encoded(match: re.Match[str]) -> str:
        text = _as_text(_evaluate(match.group(1).strip(), env, where))
        if 0 <= query_starts < match.start():
            return quote(text, safe="")
        if 0 <= path_starts < match.start():
            return quote(text, safe="/")
        return text

    return _PLACEHOLDER.sub(encoded, template)


def _as_text(value: Any) -> str:
    """A rendered value placed in text: itself if a string, nothing if null, else its JSON."""
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _evaluate(source: str, env: Mapping[str, Any], where: str) -> Any:
    try:
        return compile_expression(source).evaluate(env)
    except ExpressionError as exc:
        raise ToolError(
            f"{where}: cannot render `{{{{ {source} }}}}`: {exc.message}",
            code="template_error",
            details={"field": where, "expression": source},
        ) from None
