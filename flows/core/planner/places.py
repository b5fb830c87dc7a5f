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
    "uk": "GB",
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
#: US states and Canadian provinces ("the tax for California"): the country and the code
#: a region input takes.
_US_STATES = (
    "AL alabama|AK alaska|AZ arizona|AR arkansas|CA california|CO colorado|CT connecticut|"
    "DE delaware|FL florida|GA georgia|HI hawaii|ID idaho|IL illinois|IN indiana|IA iowa|"
    "KS kansas|KY kentucky|LA louisiana|ME maine|MD maryland|MA massachusetts|MI michigan|"
    "MN minnesota|MS mississippi|MO missouri|MT montana|NE nebraska|NV nevada|"
    # ("New York" alone is the state too: a tax is the state's, whatever the city's)
    "NH new hampshire|NJ new jersey|NM new mexico|NY new york state|NY new york|NC north carolina|"
    "ND north dakota|OH ohio|OK oklahoma|OR oregon|PA pennsylvania|RI rhode island|"
    "SC south carolina|SD south dakota|TN tennessee|TX texas|UT utah|VT vermont|"
    "VA virginia|WA washington state|WV west virginia|WI wisconsin|WY wyoming|"
    "DC washington dc"
)
_CA_PROVINCES = (
    "AB alberta|BC british columbia|MB manitoba|NB new brunswick|NL newfoundland|"
    "NS nova scotia|ON ontario|PE prince edward island|QC quebec|SK saskatchewan"
)
REGION_CODES: dict[str, tuple[str, str]] = {
    name: (country, code)
    for country, listed in (("US", _US_STATES), ("CA", _CA_PROVINCES))
    for code, name in (entry.split(" ", 1) for entry in listed.split("|"))
}
_REGION_NAMED = re.compile(
    # "for Ontario", and "for Canada (Ontario)" / "Canada, Ontario": the region in the country
    r"(?:\b(?:for|in|to|from|into|within)\s+|\b(?:canada|usa|us|united\s+states)\s*[(,]\s*|"
    # ("to Vancouver, British Columbia": the region after its city)
    r"(?<=[a-z]),\s*(?=(?-i:[A-Z])))"
    r"(?P<name>"
    + "|".join(re.escape(name) for name in sorted(REGION_CODES, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)
#: A region or country named with capitals ("British Columbia", "New Zealand"): data, no
#: action of a step.
PLACE_NAMED = re.compile(
    r"\b(?:"
    + "|".join(
        r"\s+".join(f"(?-i:{word[:1].upper()}){re.escape(word[1:])}" for word in name.split())
        for name in sorted({*REGION_CODES, *COUNTRY_CODES}, key=len, reverse=True)
        if " " in name
    )
    + r")\b",
)
_NAMED = re.compile(
    # "for Germany", and "to Berlin, Germany": the country after its city
    # ("the consignee 'Golden Dragon Trading Co' (China)": the country in an aside)
    # ("Madrid 28013, Spain": after a postcode too)
    r"(?:\b(?:for|in|to|from|into|within)\s+(?:the\s+)?|(?<=[a-z0-9]),\s*|\((?=[A-Z][a-z]+\)))(?P<name>"
    + "|".join(re.escape(name) for name in sorted(COUNTRY_CODES, key=len, reverse=True))
    + r")\b",
    re.IGNORECASE,
)

#: "vat 500 eur ireland": a country named last in a terse step, with no preposition before it
_NAMED_LAST = re.compile(
    r"(?<=[\w$€£¥])\s+(?P<name>"
    + "|".join(re.escape(name) for name in sorted(COUNTRY_CODES, key=len, reverse=True))
    + r")\s*[.!?]?\s*$",
    re.IGNORECASE,
)


def country_literal(
    properties: Mapping[str, Any], text: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """{input: '"DE"'} for the country input of a step whose words name a country; a
    state or province also fills the step's region input ("for California": US, CA)."""
    text = _STATE_OF.sub(_state_of, text)  # "the state of New York": for New York state
    region = _REGION_NAMED.search(text)
    if region is not None:
        return _region_literals(properties, taken, *REGION_CODES[region.group("name").lower()])
    zipped = _STATE_AND_ZIP.search(text)
    if zipped is not None and zipped.group("code") in _US_STATE_CODES:
        # "San Francisco, CA 94103": a state's postal code and a ZIP code are the US ("CA"
        # was no country at all)
        both = _region_literals(properties, taken, "US", zipped.group("code"))
        if both:
            return both
        # (an address with its ZIP code: the country alone, for a step with no region)
        return {
            name: json.dumps("US")
            for name in list(properties)[:]
            if name not in taken and "country" in split_identifier(name)
        }
    coded = _ISO_CODE.search(text)
    if coded is not None and coded.group("code") in _POSTAL_CODES:
        # "the tax for NY": a state's postal code that is no country's ("for DE" stays Germany)
        return _region_literals(properties, taken, *_POSTAL_CODES[coded.group("code")])
    found = _NAMED.search(text) or _NAMED_LAST.search(text)
    taxed = _COUNTRY_TAX.search(text)
    if found is not None:
        code = COUNTRY_CODES[found.group("name").lower()]
    elif taxed is not None:
        code = _TAX_ADJECTIVES[taxed.group("adjective").lower()]
    elif (coded := _ISO_CODE.search(text)) is not None and coded.group("code") in _KNOWN_CODES:
        code = coded.group("code")  # "VAT on 250 for GB": the country's own code
    elif (
        (ended := _ADDRESS_ENDS_ON_CODE.search(text)) is not None
        and ended.group("code") in _KNOWN_CODES
        and ended.group("code") not in _REGION_CODES_WRITTEN
    ):
        # "ship it to 42 Elm Rd, Leeds, GB": the code an address ends on is its country
        # (not "..., CA": California's too)
        code = ended.group("code")
    else:
        return {}
    countries = [n for n in properties if n not in taken and "country" in split_identifier(n)]
    sides = _countries_by_side(text, countries)
    if len(sides) > 1:
        # "from China into Germany": each country to the input of its side
        return sides
    if found is not None and len(countries) > 1:
        # ("going into the UK": the destination's country, not the origin's)
        before = text[: found.start("name")].lower().split()[-2:]
        side = "origin" if "from" in before else "destination" if before else ""
        sided = [n for n in countries if side and side in split_identifier(n)]
        if len(sided) == 1:
            return {sided[0]: json.dumps(code)}
    if found is not None and countries:
        # ("into the UK" is no `origin_country`; "from China" is no `destination_country`)
        before = text[: found.start("name")].lower().split()[-2:]
        wrong = "destination" if "from" in before else "origin" if before else ""
        countries = [n for n in countries if not wrong or wrong not in split_identifier(n)]
    for name in countries:
        return {name: json.dumps(code)}
    return {}


def _countries_by_side(text: str, countries: list[str]) -> dict[str, str]:
    """ "from China into Germany": the origin's country after "from", the destination's after
    "to" or "into", for a step with an input of each side."""
    found: dict[str, str] = {}
    for match in _NAMED.finditer(text):
        before = text[: match.start("name")].lower().split()[-2:]
        side = (
            "origin" if "from" in before else "destination" if {"to", "into"} & set(before) else ""
        )
        sided = [n for n in countries if side and side in split_identifier(n)]
        if len(sided) == 1 and sided[0] not in found:
            found[sided[0]] = json.dumps(COUNTRY_CODES[match.group("name").lower()])
    return found


#: "..., San Francisco, CA 94103": a US state's postal code, then a ZIP code
#: ("Hood River OR 97031": the comma after the city left out)
_STATE_AND_ZIP = re.compile(r"(?:,\s*|(?<=[a-z])\s+)(?P<code>[A-Z]{2})\s+\d{5}(?:-\d{4})?\b")
_US_STATE_CODES = frozenset(
    region for country, region in REGION_CODES.values() if country == "US"
)
#: "for GB", "in DE": a country's two-letter code after a preposition, in capitals.
_ISO_CODE = re.compile(r"\b(?:for|in|to|into)\s+(?P<code>[A-Z]{2})\b(?![\w-])")
_KNOWN_CODES = frozenset(COUNTRY_CODES.values())
#: "..., Leeds, GB": a code of two capitals an address ends on, after its town
_ADDRESS_ENDS_ON_CODE = re.compile(
    r"\b\d+\s+[^,;]+,\s*[A-Z][\w .'-]*,\s*(?P<code>[A-Z]{2})\s*"
    # ("..., Paris, FR express": one word in lower case may end the step after it)
    r"(?=$|[.;!?,]|\s+(?:and|then|via|by|with)\b|\s+[a-z]+\s*$)"
)
#: The postal codes of the states and provinces that are no country's code the planner
#: knows ("NY", "TX"; not "CA" or "DE"), with their country.
_POSTAL_CODES = {
    code: (country, code) for country, code in REGION_CODES.values() if code not in _KNOWN_CODES
}
_REGION_CODES_WRITTEN = frozenset(code for _, code in REGION_CODES.values())
#: "German VAT", "the French sales tax": a country said as the adjective of its tax.
_TAX_ADJECTIVES = {
    "german": "DE", "french": "FR", "italian": "IT", "spanish": "ES", "british": "GB",
    "dutch": "NL", "irish": "IE", "belgian": "BE", "austrian": "AT", "portuguese": "PT",
    "swedish": "SE", "danish": "DK", "finnish": "FI", "polish": "PL", "canadian": "CA",
    "american": "US", "australian": "AU", "japanese": "JP", "swiss": "CH", "norwegian": "NO",
    # "UK VAT", "US sales tax": a country's short name as the adjective
    "uk": "GB", "us": "US", "usa": "US", "gb": "GB",
}  # fmt: skip
_COUNTRY_TAX = re.compile(
    rf"\b(?P<adjective>{'|'.join(_TAX_ADJECTIVES)})\s+(?:vat|tax|sales\s+tax|gst|hst|rate)\b",
    re.IGNORECASE,
)


_STATE_OF = re.compile(
    r"\b(?:the\s+)?(?:state|province)\s+(?:of\s+)?(?P<name>[A-Za-z]+(?:\s+[A-Za-z]+)?)", re.I
)


#: "state CA", "province ON": a region's code after the word for its kind.
_REGION_BY_CODE = {
    (kind, code): name
    for name, (country, code) in REGION_CODES.items()
    for kind in (("state",) if country == "US" else ("province",))
}


def _state_of(match: re.Match[str]) -> str:
    code = match.group("name").split()[0]
    kind = "state" if "state" in match.group(0).lower() else "province"
    if re.fullmatch(r"[A-Z]{2}", code) and (kind, code) in _REGION_BY_CODE:
        # "for US state CA": the state by its code; what followed the code stays
        rest = match.group("name")[len(code) :]
        return f"for {_REGION_BY_CODE[(kind, code)]}{rest}"
    words = match.group("name").lower().split()
    # "New York", or one word of it ("the state of Texas today": Texas)
    for name in (" ".join(words), words[0]):
        for said in (f"{name} state", name):
            if said in REGION_CODES:
                return f"for {said}"
    return match.group(0)


def _region_literals(
    properties: Mapping[str, Any], taken: Mapping[str, str], country: str, code: str
) -> dict[str, str]:
    literals: dict[str, str] = {}
    for name in properties:
        words = set(split_identifier(name))
        if name in taken:
            continue
        if "country" in words and "country" not in {k for k in literals if "country" in k}:
            literals[name] = json.dumps(country)
        elif words & {"region", "state", "province"}:
            literals[name] = json.dumps(code)
    # a step with no region input is not told the country alone: the place is the region
    return literals if len(literals) == 2 else {}


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
#: "charge the order total in GBP": the currency named for a step with no amount of its own
_IN_CURRENCY = re.compile(
    r"\bin\s+(?:USD|EUR|GBP|JPY|CAD|AUD|CHF|euros|dollars|pounds(?:\s+sterling)?|yen)\b"
)


def currency_literal(
    properties: Mapping[str, Any], text: str, taken: Mapping[str, str]
) -> dict[str, str]:
    """{input: '"EUR"'} for the currency input of a step that states an amount in one."""
    if "currency" not in properties or "currency" in taken:
        return {}
    if not _AMOUNT_NEAR.search(text) and not _IN_CURRENCY.search(text):
        return {}
    for pattern, code in _CURRENCIES:
        if pattern.search(text):
            return {"currency": json.dumps(code)}
    return {}


#: The currency each country the planner knows pays in: what a charge after "the VAT for
#: Germany" is made in when the request names no currency of its own.
COUNTRY_CURRENCIES = {
    "US": "USD", "CA": "CAD", "MX": "MXN", "BR": "BRL", "AR": "ARS", "GB": "GBP", "IE": "EUR",
    "DE": "EUR", "FR": "EUR", "ES": "EUR", "PT": "EUR", "IT": "EUR", "NL": "EUR", "BE": "EUR",
    "LU": "EUR", "AT": "EUR", "FI": "EUR", "GR": "EUR", "CH": "CHF", "DK": "DKK", "SE": "SEK",
    "NO": "NOK", "PL": "PLN", "CZ": "CZK", "TR": "TRY", "IN": "INR", "CN": "CNY", "JP": "JPY",
    "KR": "KRW", "SG": "SGD", "AU": "AUD", "NZ": "NZD", "ZA": "ZAR",
}  # fmt: skip


def country_currency(countries: list[str]) -> str | None:
    """The one currency the countries given to earlier steps ('"DE"') pay in, if they agree."""
    currencies = {COUNTRY_CURRENCIES.get(json.loads(c)) for c in countries}
    return currencies.pop() if len(currencies) == 1 else None


def request_currency(request: str) -> str | None:
    """The one currency a request states money in ("more than £5,000 ... charge it": GBP)."""
    if not _AMOUNT_NEAR.search(request) and not _IN_CURRENCY.search(request):
        return None
    codes = {code for pattern, code in _CURRENCIES if pattern.search(request)}
    if "USD" in codes and codes & {"CAD", "AUD"}:
        codes.discard("USD")  # "Canadian dollars" says "dollars" too
    return codes.pop() if len(codes) == 1 else None


def postal_regions(items: list[str]) -> bool:
    """Whether `items` are all states' or provinces' postal codes, one of them no country's
    code ("WA, NY, FL"; not "DE, FR, IT", countries)."""
    codes = [item.strip() for item in items]
    return (
        bool(codes)
        and all(len(c) == 2 and c.isupper() and c in _REGION_CODES_WRITTEN for c in codes)
        and any(c in _POSTAL_CODES for c in codes)
    )


def regions_listed(items: list[str], text: str) -> str | None:
    """The country whose states (or provinces) `items` all are, when `text` says they are
    states or provinces ("the sales tax in each of these states: NY, TX, WA": US) or they
    are postal codes one of which no country has ("WA, NY, FL"), else None. "DE, FR, IT"
    are countries: Delaware alone is a state."""
    kind = re.search(r"\b(?P<kind>states?|provinces?)\b", text, re.IGNORECASE)
    if not items or (kind is None and not postal_regions(items)):
        return None
    # ("... for each of: WA, NY, FL": postal codes no country has say states unsaid)
    said = kind.group("kind").lower() if kind is not None else "state"
    wanted = "state" if said.startswith("state") else "province"
    countries = set()
    for item in items:
        written = item.strip()
        by_code = _REGION_BY_CODE.get((wanted, written.upper())) if len(written) == 2 else None
        region = REGION_CODES.get(by_code or written.lower())
        if region is None:
            return None
        countries.add(region[0])
    return countries.pop() if len(countries) == 1 else None


_REGION_NAME = "|".join(re.escape(name) for name in sorted(REGION_CODES, key=len, reverse=True))
#: "in california vs oregon", "in Texas and in Ohio", "in ontario compared to quebec": two
#: states (or provinces) said side by side, at the end of a step.
_TWO_REGIONS = re.compile(
    rf"\bin\s+(?P<first>{_REGION_NAME})\s+(?:vs\.?|versus|and|or|compared\s+(?:to|with)|"
    rf"against)\s+(?:in\s+)?(?P<second>{_REGION_NAME})\b(?=\s*(?:$|[?.!;,]))",
    re.IGNORECASE,
)


def two_regions_as_each(text: str) -> tuple[str, str]:
    """ "compare sales tax on a $500 sale in california vs oregon" -> "... in each of these
    states: california, oregon": one call for each of two regions of one country, as a
    list of them is (the first alone was planned); and what they are ("states"), else ""."""
    kinds: list[str] = []

    def each(match: re.Match[str]) -> str:
        first, second = (REGION_CODES[match[side].lower()] for side in ("first", "second"))
        if first[0] != second[0] or first == second:
            return match[0]
        kinds.append("states" if first[0] == "US" else "provinces")
        return f"in each of these {kinds[-1]}: {match['first']}, {match['second']}"

    text = _TWO_REGIONS.sub(each, text)
    return text, kinds[0] if kinds else ""


#: "in DE and in FR", "in DE, FR and IT": countries by their ISO codes, said side by side
#: at the end of a step.
_COUNTRIES_SIDE_BY_SIDE = re.compile(
    r"\b[Ii]n\s+(?P<codes>[A-Z]{2}(?:\s*,\s*(?:in\s+)?[A-Z]{2})*\s*,?\s+(?:and|or|vs\.?|versus|&)"
    r"\s+(?:in\s+)?[A-Z]{2})\b(?=\s*(?:$|[?.!;,]))"
)


def countries_as_each(text: str) -> str:
    """ "Compute VAT for €200 in DE and in FR" -> "... in each of: DE, FR": one call for
    each country its code names, as a list said with "each of" is (the first alone was
    planned, the others dropped)."""

    def each(match: re.Match[str]) -> str:
        codes = re.findall(r"\b[A-Z]{2}\b", match["codes"])
        if len(set(codes)) < 2 or not country_codes(codes):
            return match[0]
        return f"in each of: {', '.join(dict.fromkeys(codes))}"

    return _COUNTRIES_SIDE_BY_SIDE.sub(each, text)


def country_codes(items: list[str]) -> bool:
    """Whether `items` are all countries' ISO codes ("DE, FR, IT"), none a state's postal
    code that is no country's ("WA")."""
    codes = [item.strip() for item in items]
    return len(codes) > 1 and all(
        len(c) == 2 and c.isupper() and c in _KNOWN_CODES and c not in _POSTAL_CODES for c in codes
    )
