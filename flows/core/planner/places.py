"""Countries a request names ("the tax for Germany", "ship it to France"): the value of a
country input, as its ISO 3166 code (what such inputs take), rather than a run input."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from flows.core.planner.lexicon import split_identifier

#: Country names people type, with their ISO 3166-1 alpha-2 codes.
COUNTRY_CODES: dict[str, str] = {
    "united states": "US",
    "usa": "US",
    "the us": "US",
    "america": "US",
    "canada": "CA",
    "mexico": "MX",
    "brazil": "BR",
    "argentina": "AR",
    "united kingdom": "GB",
    "the uk": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "ireland": "IE",
    "germany": "DE",
    "france": "FR",
    "spain": "ES",
    "portugal": "PT",
    "italy": "IT",
    "netherlands": "NL",
    "the netherlands": "NL",
    "belgium": "BE",
    "luxembourg": "LU",
    "switzerland": "CH",
    "austria": "AT",
    "denmark": "DK",
    "sweden": "SE",
    "norway": "NO",
    "finland": "FI",
    "poland": "PL",
    "czechia": "CZ",
    "czech republic": "CZ",
    "greece": "GR",
    "turkey": "TR",
    "india": "IN",
    "china": "CN",
    "japan": "JP",
    "south korea": "KR",
    "singapore": "SG",
    "australia": "AU",
    "new zealand": "NZ",
    "south africa": "ZA",
}
_NAMED = re.compile(
    r"\b(?:for|in|to|from|into|within)\s+(?P<name>"
    + "|".join(re.escape(name) for name in sorted(COUNTRY_CODES, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)


def country_literal(
    properties: Mapping[str, Any], text: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """{input: '"DE"'} for the country input of a step whose words name a country."""
    found = _NAMED.search(text)
    if found is None:
        return {}
    for name in properties:
        if name not in taken and "country" in split_identifier(name):
            return {name: json.dumps(COUNTRY_CODES[found.group("name").lower()])}
    return {}


#: Money said with its currency ("50 euros", "€50", "£20"): ISO 4217 codes.
_CURRENCIES = (
    (re.compile(r"€|\beuros?\b|\beur\b", re.IGNORECASE), "EUR"),
    (re.compile(r"£|\bpounds?(?:\s+sterling)?\b|\bgbp\b", re.IGNORECASE), "GBP"),
    (re.compile(r"¥|\byen\b|\bjpy\b", re.IGNORECASE), "JPY"),
    (re.compile(r"\bcanadian\s+dollars?\b|\bcad\b|\bc\$", re.IGNORECASE), "CAD"),
    (re.compile(r"\baustralian\s+dollars?\b|\baud\b|\ba\$", re.IGNORECASE), "AUD"),
    (re.compile(r"\bswiss\s+francs?\b|\bchf\b", re.IGNORECASE), "CHF"),
    (re.compile(r"\$|\bdollars?\b|\busd\b", re.IGNORECASE), "USD"),
)
#: An amount next to its currency: a price, not a word ("pound the table" is no money).
_AMOUNT_NEAR = re.compile(r"\d[\d.,]*\s*[a-z€£¥$]|[€£¥$]\s*\d", re.IGNORECASE)


def currency_literal(
    properties: Mapping[str, Any], text: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """{input: '"EUR"'} for the currency input of a step that states an amount in one."""
    if "currency" not in properties or "currency" in taken or not _AMOUNT_NEAR.search(text):
        return {}
    for pattern, code in _CURRENCIES:
        if pattern.search(text):
            return {"currency": json.dumps(code)}
    return {}
