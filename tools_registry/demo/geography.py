"""Country names and codes the demo tools accept (ISO 3166-1 alpha-2 plus common names)."""

from __future__ import annotations

COUNTRY_ALIASES = {
    "AMERICA": "US", "UNITED STATES": "US", "UNITED STATES OF AMERICA": "US", "USA": "US",
    "U.S.": "US", "U.S.A.": "US", "UK": "GB", "UNITED KINGDOM": "GB", "GREAT BRITAIN": "GB",
    "BRITAIN": "GB", "ENGLAND": "GB", "SCOTLAND": "GB", "WALES": "GB", "IRELAND": "IE",
    "GERMANY": "DE", "DEUTSCHLAND": "DE", "FRANCE": "FR", "NETHERLANDS": "NL",
    "THE NETHERLANDS": "NL", "HOLLAND": "NL", "BELGIUM": "BE", "SPAIN": "ES", "ITALY": "IT",
    "PORTUGAL": "PT", "AUSTRIA": "AT", "SWEDEN": "SE", "DENMARK": "DK", "FINLAND": "FI",
    "POLAND": "PL", "NORWAY": "NO", "SWITZERLAND": "CH", "CANADA": "CA", "AUSTRALIA": "AU",
    "NEW ZEALAND": "NZ", "JAPAN": "JP", "INDIA": "IN", "SINGAPORE": "SG",
}


def country_code(value: str) -> str | None:
    """The alpha-2 code for a code or a common English name; None when it is neither."""
    key = " ".join(value.strip().upper().split())
    if key in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[key]
    if len(key) == 2 and key.isalpha():
        return key
    return None
