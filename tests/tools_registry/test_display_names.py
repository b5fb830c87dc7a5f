"""A tool's display name, made from its id (no database)."""

from __future__ import annotations

import pytest

from tools_registry.display_names import tool_display_name


@pytest.mark.parametrize(("identifier", "shown"), [
    ("fetch_url", "Fetch URL"),
    ("lookup_user", "Look up user"),
    ("signup_customer", "Sign up customer"),
    ("login", "Log in"),
    ("user_lookup", "User lookup"),  # a noun where it does not lead
    ("check_sku_stock", "Check SKU stock"),
    ("get_order_id", "Get order ID"),
    ("call_api", "Call API"),
    ("http_request", "HTTP request"),
    ("render_pdf", "Render PDF"),
    ("send_sms", "Send SMS"),
    ("sendWelcomeEmail", "Send welcome email"),
    ("crm.create-contact", "Crm create contact"),
    ("validate_email", "Validate email"),
    ("identify_user", "Identify user"),  # "id" only as a whole word
])
def test_a_tool_id_reads_as_words_with_acronyms_in_capitals(identifier: str, shown: str) -> None:
    assert tool_display_name(identifier) == shown
