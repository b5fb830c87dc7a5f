"""Demo sales tax: standard VAT/GST rates by country, base sales tax by US state.

The rates are the published standard (or state base) rates, fixed in code: illustrative,
not tax advice (no local surcharges, reduced rates or thresholds).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import BaseModel, Field

from flows.core.tools import ToolError
from tools_registry.code_tools import tool
from tools_registry.demo.geography import country_code

CENT = Decimal("0.01")

#: code -> (name, base state sales tax in percent)
US_STATES: dict[str, tuple[str, str]] = {
    "AL": ("Alabama", "4"), "AK": ("Alaska", "0"), "AZ": ("Arizona", "5.6"),
    "AR": ("Arkansas", "6.5"), "CA": ("California", "7.25"), "CO": ("Colorado", "2.9"),
    "CT": ("Connecticut", "6.35"), "DE": ("Delaware", "0"),
    "DC": ("District of Columbia", "6"), "FL": ("Florida", "6"), "GA": ("Georgia", "4"),
    "HI": ("Hawaii", "4"), "ID": ("Idaho", "6"), "IL": ("Illinois", "6.25"),
    "IN": ("Indiana", "7"), "IA": ("Iowa", "6"), "KS": ("Kansas", "6.5"),
    "KY": ("Kentucky", "6"), "LA": ("Louisiana", "5"), "ME": ("Maine", "5.5"),
    "MD": ("Maryland", "6"), "MA": ("Massachusetts", "6.25"), "MI": ("Michigan", "6"),
    "MN": ("Minnesota", "6.875"), "MS": ("Mississippi", "7"), "MO": ("Missouri", "4.225"),
    "MT": ("Montana", "0"), "NE": ("Nebraska", "5.5"), "NV": ("Nevada", "6.85"),
    "NH": ("New Hampshire", "0"), "NJ": ("New Jersey", "6.625"),
    "NM": ("New Mexico", "4.875"), "NY": ("New York", "4"),
    "NC": ("North Carolina", "4.75"), "ND": ("North Dakota", "5"), "OH": ("Ohio", "5.75"),
    "OK": ("Oklahoma", "4.5"), "OR": ("Oregon", "0"), "PA": ("Pennsylvania", "6"),
    "RI": ("Rhode Island", "7"), "SC": ("South Carolina", "6"),
    "SD": ("South Dakota", "4.2"), "TN": ("Tennessee", "7"), "TX": ("Texas", "6.25"),
    "UT": ("Utah", "4.85"), "VT": ("Vermont", "6"), "VA": ("Virginia", "5.3"),
    "WA": ("Washington", "6.5"), "WV": ("West Virginia", "6"), "WI": ("Wisconsin", "5"),
    "WY": ("Wyoming", "4"),
}
#: code -> (name, combined GST/HST/PST in percent)
CANADIAN_PROVINCES: dict[str, tuple[str, str]] = {
    "AB": ("Alberta", "5"), "BC": ("British Columbia", "12"), "MB": ("Manitoba", "12"),
    "NB": ("New Brunswick", "15"), "NL": ("Newfoundland and Labrador", "15"),
    "NS": ("Nova Scotia", "14"), "NT": ("Northwest Territories", "5"),
    "NU": ("Nunavut", "5"), "ON": ("Ontario", "13"), "PE": ("Prince Edward Island", "15"),
    "QC": ("Quebec", "14.975"), "SK": ("Saskatchewan", "11"), "YT": ("Yukon", "5"),
}
#: code -> (tax name, standard rate in percent)
NATIONAL_RATES: dict[str, tuple[str, str]] = {
    "GB": ("VAT", "20"), "IE": ("VAT", "23"), "DE": ("VAT", "19"), "FR": ("VAT", "20"),
    "NL": ("VAT", "21"), "BE": ("VAT", "21"), "ES": ("VAT", "21"), "IT": ("VAT", "22"),
    "PT": ("VAT", "23"), "AT": ("VAT", "20"), "SE": ("VAT", "25"), "DK": ("VAT", "25"),
    "FI": ("VAT", "25.5"), "PL": ("VAT", "23"), "NO": ("VAT", "25"), "CH": ("VAT", "8.1"),
    "AU": ("GST", "10"), "NZ": ("GST", "15"), "JP": ("consumption tax", "10"),
    "IN": ("GST", "18"), "SG": ("GST", "9"),
}
SUPPORTED_COUNTRIES = sorted({"US", "CA", *NATIONAL_RATES})


class TaxQuote(BaseModel):
    amount: float = Field(description="The taxable amount, as given.")
    rate: float = Field(description="The rate applied, as a fraction (0.0725 = 7.25%).")
    tax: float = Field(description="The tax, rounded half-up to cents.")
    total: float = Field(description="amount + tax.")
    country: str = Field(description="ISO country code the rate comes from.")
    region: str | None = Field(description="State or province code, when one applied.")
    tax_name: str = Field(description="VAT, GST, HST, sales tax...")
    note: str | None = Field(description="Caveats about the rate, e.g. a missing state.")


def _region_code(region: str, table: dict[str, tuple[str, str]]) -> str | None:
    key = region.strip().upper()
    if key in table:
        return key
    for code, (name, _rate) in table.items():
        if name.upper() == key:
            return code
    return None


def _rate_for(country: str, region: str | None) -> tuple[Decimal, str | None, str, str | None]:
    """(percent, region code, tax name, note)"""
    if country in ("US", "CA"):
        table = US_STATES if country == "US" else CANADIAN_PROVINCES
        kind = "state" if country == "US" else "province"
        if not region:
            if country == "US":
                return Decimal(0), None, "sales tax", "no state given: US sales tax depends on it"
            return Decimal(5), None, "GST", "no province given: federal GST only"
        code = _region_code(region, table)
        if code is None:
            raise ToolError(
                f"{region!r} is not a {kind} of {country}", code="invalid_input",
                details=[{"field": "region", "message": f"unknown {kind}"}],
            )
        percent = Decimal(table[code][1])
        if country == "US":
            return percent, code, "sales tax", "state base rate; local taxes not included"
        name = "HST" if code in {"NB", "NL", "NS", "ON", "PE"} else "GST+PST"
        return percent, code, "GST" if percent == 5 else name, None
    if country not in NATIONAL_RATES:
        raise ToolError(
            f"no tax rate for country {country!r}; supported: {', '.join(SUPPORTED_COUNTRIES)}",
            code="unsupported_country",
        )
    tax_name, standard_percent = NATIONAL_RATES[country]
    return Decimal(standard_percent), None, tax_name, "standard rate"


@tool(category="orders", cacheable=True, inline=True)
def calculate_tax(
    amount: Annotated[float, Field(ge=0, le=10_000_000, description="Taxable amount.")],
    country: Annotated[
        str, Field(min_length=2, max_length=60, description="ISO code or name, e.g. 'US', 'DE'.")
    ],
    region: Annotated[
        str | None,
        Field(max_length=60, description="US state or Canadian province (code or name)."),
    ] = None,
) -> TaxQuote:
    """Calculate sales tax / VAT on an amount for a country (and US state or CA province).

    Uses the standard national VAT/GST rate (21 countries), the US state base sales tax
    (all states and DC) or the Canadian GST/HST/PST. Returns the rate, the tax and the total.
    """
    code = country_code(country)
    if code is None:
        raise ToolError(f"{country!r} is not a country code or name", code="invalid_input",
                        details=[{"field": "country", "message": "unknown country"}])
    percent, region_code, tax_name, note = _rate_for(code, region)
    base = Decimal(str(amount))
    rate = percent / 100
    tax = (base * rate).quantize(CENT, rounding=ROUND_HALF_UP)
    return TaxQuote(
        amount=amount,
        rate=float(rate),
        tax=float(tax),
        total=float((base + tax).quantize(CENT, rounding=ROUND_HALF_UP)),
        country=code,
        region=region_code,
        tax_name=tax_name,
        note=note,
    )
