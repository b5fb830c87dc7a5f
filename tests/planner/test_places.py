"""Countries and currencies a request names become the literal values of the inputs that
take them."""

from __future__ import annotations

from flows.core.planner.places import country_literal, currency_literal

COUNTRY = {"amount": {"type": "number"}, "country": {"type": "string"}}
MONEY = {"amount": {"type": "number"}, "currency": {"type": "string"}}


def test_a_named_country_is_its_iso_code():
    assert country_literal(COUNTRY, "calculate the tax for Germany", {}) == {"country": '"DE"'}
    assert country_literal(COUNTRY, "ship it to the UK", {}) == {"country": '"GB"'}


def test_no_country_named_or_already_given_adds_nothing():
    assert country_literal(COUNTRY, "calculate the tax for the customer", {}) == {}
    assert country_literal({"amount": {"type": "number"}}, "tax for France", {}) == {}


def test_an_amount_with_its_currency_sets_the_currency():
    assert currency_literal(MONEY, "charge 50 euros", {}) == {"currency": '"EUR"'}
    assert currency_literal(MONEY, "charge £20", {}) == {"currency": '"GBP"'}
    assert currency_literal(MONEY, "charge the card", {}) == {}


def test_a_named_state_or_province_is_its_country_and_region_code():
    regional = {**COUNTRY, "region": {"type": "string"}}

    assert country_literal(regional, "calculate tax for California", {}) == {
        "country": '"US"',
        "region": '"CA"',
    }
    assert country_literal(regional, "the sales tax in Quebec", {}) == {
        "country": '"CA"',
        "region": '"QC"',
    }
    # a step that takes no region is not told the country alone
    assert country_literal(COUNTRY, "calculate tax for Texas", {}) == {}
