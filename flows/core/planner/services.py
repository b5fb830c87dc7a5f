"""The service a request names ("when api is down", "restart the payments service"): the
value of a step's `service` (or `component`, `host`) input, instead of a field asked when
the run starts. A step that names no service of its own works on the one service the
request names ("When api is down: roll back the last deploy": api's deploy)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from flows.core.planner.lexicon import split_identifier
from flows.core.planner.wiring import schema_types, unwrap_nullable

_NAME = (
    r"(?!(?:if|when|whenever|once|unless|until|while|and|check|then|so)\b)"
    r"(?P<name>[a-z][\w.-]*[a-z0-9])"
)
_KIND = r"(?:service|api|server|app|cluster|database|db|site|website|endpoint|microservice)"
#: "api is down", "the checkout service is degraded": a service and its state.
_IN_A_STATE = re.compile(
    r"(?:^|\b(?:if|when|whenever|once|unless|until|while|and|check(?:\s+(?:if|whether|that))?)\s+"
    r"|,\s*)(?:the\s+)?"
    rf"{_NAME}(?:\s+{_KIND})?\s+(?:is|are|'s|goes|went|go|has\s+gone)\s+"
    r"(?:not\s+)?(?:down|up|offline|online|unreachable|degraded|unhealthy|healthy|failing)\b",
    re.IGNORECASE,
)
#: "the payments service", "service checkout-api": a service by its name.
_BY_KIND = re.compile(
    rf"\bthe\s+{_NAME}\s+(?:service|server|cluster|microservice|deployment|app)\b"
    r"(?!\s+(?:team|desk|agents?|reps?|store))"
    r"|\b(?:service|component|app|deployment)\s+(?P<after>[a-z][\w.-]*[a-z0-9])\b"
    r"(?=\s*(?:$|[,;.)]|\s+(?:is|and|in|on|to|for|if|when|with|at|from)\b))",
    re.IGNORECASE,
)
#: "the cpu metric for api", "an incident for checkout-api": the service a step is for,
#: named by itself after "for" (no article: "for the order" names a thing, not a service).
_FOR_NAME = re.compile(
    r"\bfor\s+(?P<name>[a-z][\w.-]*[a-z0-9])"
    r"(?=\s*(?:$|[,;.)]|\s+(?:and|with|over|in|on|at|if|when|then|side|too|saying|titled|about|because|via)\b))",
    re.IGNORECASE,
)
#: "the health of search", "the error rate of checkout": a service by what is measured of it
_MEASURED_OF = re.compile(
    r"\b(?:health|error\s+rate|errors|latency|uptime|cpu|memory|load)\s+of\s+(?:the\s+)?"
    r"(?P<name>[a-z][\w.-]*[a-z0-9])(?=\s*(?:$|[,;.)]|\s+(?:is|are|and|if|when|then|in|on|at|"
    r"above|below|over|under|to|goes|went|service|api|app)\b))",
    re.IGNORECASE,
)
#: Who a step is for, never a service's name.
_PEOPLE = frozenset(
    "customer customers user users them him her me us everyone everybody team staff "
    "people someone anyone review approval now later today tomorrow".split()
)
#: "restart api", "roll back checkout-api in production": the service a step acts on.
_OBJECT = re.compile(
    r"^(?:please\s+|then\s+|and\s+|also\s+)*[a-z]+(?:\s+(?:back|up|down|over|out))?\s+"
    rf"(?:the\s+)?{_NAME}(?:\s+{_KIND})?(?=\s*$|\s*[,;.]|\s+(?:in|on|to|at|for|and|now|right|"
    r"immediately|again|first)\b)",
    re.IGNORECASE,
)
#: Words that are no service's name ("it is down", "the whole site is down").
_NOT_A_NAME = frozenset(
    "it they that this these those everything something anything nothing which what one all "
    "any each every whole main service site server app website system platform status page "
    "health state the a an our your their its customer".split()
)
#: The last word of an input that takes a record's code, not a name.
_CODE_WORDS = frozenset({"id", "ids", "number", "no", "code", "uuid"})
#: Inputs that take the name of a service.
_SERVICE_INPUTS = frozenset(
    {"service", "component", "host", "app", "application", "system", "deployment"}
)


def services_named(text: str) -> list[str]:
    """The services `text` names, in the order it names them."""
    found: list[tuple[int, str]] = []
    for pattern in (_IN_A_STATE, _BY_KIND, _MEASURED_OF):
        for match in pattern.finditer(text):
            name = match.group("name") if "name" in match.groupdict() else None
            name = name or match.groupdict().get("after")
            if name and name.lower() not in _NOT_A_NAME:
                found.append((match.start(), name))
    return list(dict.fromkeys(name for _, name in sorted(found)))


def service_literals(
    properties: Mapping[str, Any],
    action: str,
    request: str,
    taken: Mapping[str, str],
    *,
    tool_words: frozenset[str] = frozenset(),
) -> dict[str, str]:
    """{input: JSON string} for a step's service input: the service its own words name,
    else the one service the whole request names (none when it names several)."""
    wanted = [
        name
        for name, schema in properties.items()
        if name not in taken
        and set(split_identifier(name)) & _SERVICE_INPUTS
        # (`application_id` takes a record's code, "waitlist them" names no application)
        and split_identifier(name)[-1] not in _CODE_WORDS
        and "string" in (schema_types(unwrap_nullable(schema)) or {"string"})
        and not unwrap_nullable(schema).get("enum")
    ]
    if not wanted:
        return {}
    named = services_named(action)
    acted_on = _OBJECT.match(action.strip())
    if not named and acted_on is not None and _a_name(acted_on.group("name"), tool_words):
        named = [acted_on.group("name")]
    if not named:
        named = [
            match.group("name")
            for match in _FOR_NAME.finditer(action)
            if _a_name(match.group("name"), tool_words)
            and match.group("name").lower() not in _PEOPLE
        ]
    if not named:
        named = services_named(request)
    if len(named) != 1:
        return {}
    return {wanted[0]: json.dumps(named[0])}


def _a_name(word: str, tool_words: frozenset[str]) -> bool:
    """Whether the thing a step acts on is a service's name: no word of the tool's own
    ("page the on-call": who the tool pages), no pronoun or common noun."""
    return word.lower() not in _NOT_A_NAME and not set(split_identifier(word)) & tool_words


_ITEM = r"[a-z][\w.-]*[a-z0-9]"
#: "api, web and db", "checkout-api and payments": names listed, one word each.
_LISTED = re.compile(
    # ("for search and for checkout": the preposition said again)
    rf"(?:^|(?<=\s))(?P<list>{_ITEM}(?:\s*,\s*(?:for\s+)?{_ITEM})*\s*,?\s+(?:and|&)\s+"
    rf"(?:for\s+)?{_ITEM})"
    r"(?:\s+(?:services|servers|apps|clusters))?(?=\s*$|\s*[,;.:]|\s+(?:in|on|now|first|again)\b)",
    re.IGNORECASE,
)


def services_listed(action: str, tool_words: frozenset[str] = frozenset()) -> list[str]:
    """The services a step lists after its verb or "of" ("restart api, web and db", "check
    the health of api and web"): one call each. None when a listed word is a pronoun,
    a common noun or a word of the tool's own."""
    match = _LISTED.search(action)
    if match is None:
        return []
    before = action[: match.start()].split()
    # ("the cpu metric for api and web": what is measured, then the services)
    longest = 8 if before and before[-1].lower() in ("of", "for") else 4
    if len(before) > longest or (
        len(before) > 1 and before[-1].lower() not in ("of", "for", "the")
    ):
        return []  # "roll back the deploy and page ...": no list of names
    names = [
        re.sub(r"^for\s+", "", n.strip(), flags=re.IGNORECASE)
        for n in re.split(r"\s*,\s*|\s+(?:and|&)\s+", match.group("list"))
    ]
    names = [n for n in names if n and n.lower() != "and"]
    if len(names) < 2 or not all(_a_name(n, tool_words) for n in names):
        return []
    return list(dict.fromkeys(names))


def takes_a_service(properties: Mapping[str, Any]) -> bool:
    return any(set(split_identifier(name)) & _SERVICE_INPUTS for name in properties)
