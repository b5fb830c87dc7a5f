"""The demo tool pack, each tool invoked the way the engine invokes it."""

from __future__ import annotations

import re

import pytest

from flows.core.registry import AlreadyRegistered
from flows.core.tools import RetryableToolError, ToolError
from tools_registry.catalog import default_catalog
from tools_registry.code_tools import CODE_TOOLS, register
from tools_registry.models import OutboundMessage

DEMO_IDS = {
    "validate_email", "send_welcome_email", "lookup_user", "send_email", "validate_order",
    "check_inventory", "process_payment", "create_shipment", "calculate_tax",
    "analyze_sentiment", "summarize_text", "classify_ticket", "create_ticket", "fetch_url",
}
db = pytest.mark.django_db(transaction=True)


# --- the catalogue ---------------------------------------------------------------------------


def test_catalogue_holds_exactly_the_demo_pack() -> None:
    catalog = default_catalog()
    assert {spec.id for spec in catalog.specs()} == DEMO_IDS
    assert len(catalog) == len(DEMO_IDS)
    assert default_catalog() is catalog


@pytest.mark.parametrize("tool_id", sorted(DEMO_IDS))
def test_every_demo_tool_describes_itself_for_a_planner(tool_id: str) -> None:
    tool = default_catalog().get(tool_id)
    assert tool is not None
    spec = tool.spec
    assert len(spec.description) > 20
    assert spec.category != "general"
    assert spec.input_schema["type"] == "object"
    assert spec.input_schema["properties"]
    assert "context" not in spec.input_schema["properties"]
    assert spec.output_schema["type"] == "object"
    assert spec.output_properties()
    entry = spec.to_catalog_entry()
    assert entry["id"] == tool_id


def test_demo_tools_cannot_be_registered_twice() -> None:
    with pytest.raises(AlreadyRegistered):
        register(CODE_TOOLS["validate_email"])


# --- email -------------------------------------------------------------------------------------


def test_validate_email_accepts_a_good_address_and_normalises_the_domain(invoke_tool) -> None:
    result = invoke_tool("validate_email", {"email": "  Ada.Lovelace+news@Example.COM "})
    assert result == {"valid": True, "email": "Ada.Lovelace+news@example.com", "reason": None,
                      "domain": "example.com", "disposable": False, "suggestion": None}


@pytest.mark.parametrize(
    ("email", "reason"),
    [
        ("ada.example.com", "exactly one '@'"),
        ("ada@@example.com", "exactly one '@'"),
        ("@example.com", "before '@' is empty"),
        ("ada lovelace@example.com", "characters an address may not"),
        ("ada@example", "not a valid domain"),
        ("ada@-example.com", "not a valid domain"),
        ("ada@example.c0m", "top-level domain"),
        ("ada@host.invalid", "never receive mail"),
        ("ada@mailinator.com", "disposable"),
        ("", "empty"),
    ],
)
def test_validate_email_explains_what_is_wrong(invoke_tool, email: str, reason: str) -> None:
    result = invoke_tool("validate_email", {"email": email})
    assert result["valid"] is False
    assert reason in result["reason"]


def test_validate_email_suggests_a_fix_for_domain_typos(invoke_tool) -> None:
    result = invoke_tool("validate_email", {"email": "grace@gmial.com"})
    assert result["valid"] is True
    assert result["suggestion"] == "grace@gmail.com"


@db
def test_send_welcome_email_records_the_message(invoke_tool) -> None:
    # When a welcome email is sent
    result = invoke_tool(
        "send_welcome_email", {"email": "ada@example.com", "name": "Ada Lovelace"},
        run_id="run-42", node_id="welcome",
    )
    # Then it is in the outbox, addressed and personalised
    assert result["status"] == "queued"
    assert result["to"] == "ada@example.com"
    assert result["subject"] == "Welcome to DynamicFlow, Ada!"
    message = OutboundMessage.objects.get(reference=result["message_id"])
    assert message.kind == OutboundMessage.Kind.EMAIL
    assert message.recipient == "ada@example.com"
    assert message.body.startswith("Hi Ada,")
    assert (message.run_id, message.node_id) == ("run-42", "welcome")
    assert message.payload == {"template": "welcome", "name": "Ada Lovelace"}


@db
def test_sending_again_from_the_same_node_records_nothing_new(invoke_tool) -> None:
    inputs = {"email": "grace@example.com", "name": "Grace Hopper"}
    first = invoke_tool("send_welcome_email", inputs, run_id="run-1", node_id="welcome")
    retried = invoke_tool("send_welcome_email", inputs, run_id="run-1", node_id="welcome",
                          attempt=2)
    other_run = invoke_tool("send_welcome_email", inputs, run_id="run-2", node_id="welcome")
    assert first == retried
    assert other_run["message_id"] != first["message_id"]
    assert OutboundMessage.objects.count() == 2


@db
def test_send_welcome_email_refuses_a_malformed_address(invoke_tool) -> None:
    with pytest.raises(ToolError) as raised:
        invoke_tool("send_welcome_email", {"email": "not-an-address", "name": "X"})
    assert raised.value.code == "invalid_input"
    assert raised.value.details[0]["field"] == "email"
    assert "exactly one '@'" in raised.value.message
    assert not OutboundMessage.objects.exists()


@db
def test_send_email_records_recipient_subject_body_and_copies(invoke_tool) -> None:
    result = invoke_tool("send_email", {
        "to": "katherine@example.com", "subject": "Your order shipped",
        "body": "Order A-1 is on its way.", "cc": ["ops@example.com"],
        "reply_to": "support@example.com",
    }, node_id="notify")
    assert result["message_id"].startswith("msg_")
    message = OutboundMessage.objects.get()
    assert (message.recipient, message.subject, message.body) == (
        "katherine@example.com", "Your order shipped", "Order A-1 is on its way."
    )
    assert message.payload == {"cc": ["ops@example.com"], "reply_to": "support@example.com"}
    assert message.node_id == "notify"


@db
def test_send_email_requires_subject_and_body(invoke_tool) -> None:
    with pytest.raises(ToolError) as raised:
        invoke_tool("send_email", {"to": "a@example.com", "subject": ""})
    fields = {detail["field"] for detail in raised.value.details}
    assert fields == {"subject", "body"}


# --- users ---------------------------------------------------------------------------------------


def test_lookup_user_by_id(invoke_tool) -> None:
    result = invoke_tool("lookup_user", {"user_id": "u_1002"})
    assert result["found"] is True
    assert result["user"] == {
        "user_id": "u_1002", "name": "Grace Hopper", "email": "grace@example.com",
        "plan": "enterprise", "country": "US", "active": True, "signup_date": "2022-06-01",
    }


def test_lookup_user_by_number_or_email(invoke_tool) -> None:
    assert invoke_tool("lookup_user", {"user_id": 1001})["user"]["name"] == "Ada Lovelace"
    by_email = invoke_tool("lookup_user", {"email": "Alan@Example.org"})
    assert by_email["user"]["user_id"] == "u_1003"


def test_lookup_user_reports_not_found_as_a_result(invoke_tool) -> None:
    assert invoke_tool("lookup_user", {"email": "nobody@example.com"}) == {
        "found": False, "user": None
    }


def test_lookup_user_needs_an_id_or_an_email(invoke_tool) -> None:
    with pytest.raises(ToolError) as raised:
        invoke_tool("lookup_user", {})
    assert raised.value.code == "invalid_input"


# --- orders ----------------------------------------------------------------------------------


def test_validate_order_prices_lines_from_the_catalogue(invoke_tool) -> None:
    result = invoke_tool("validate_order", {
        "order_id": "A-1001",
        "items": [{"sku": "widget-1", "quantity": 3}, {"sku": "BOOK-101", "quantity": 1,
                                                        "price": 30}],
    })
    assert result["valid"] is True
    assert result["errors"] == []
    assert result["lines"][0] == {"sku": "WIDGET-1", "name": "Standard widget", "quantity": 3,
                                  "unit_price": 19.99, "line_total": 59.97}
    assert result["subtotal"] == 89.97
    assert (result["units"], result["currency"]) == (4, "USD")


def test_validate_order_lists_every_problem(invoke_tool) -> None:
    result = invoke_tool("validate_order", {
        "order_id": "A-1002",
        "currency": "xyz",
        "items": [
            {"sku": "WIDGET-1", "quantity": 0},
            {"sku": "NOPE-9", "quantity": 1},
            {"sku": "WIDGET-1", "quantity": 200},
            {"sku": "MUG-01", "quantity": 1, "price": -5},
        ],
    })
    assert result["valid"] is False
    errors = " | ".join(result["errors"])
    assert "currency XYZ is not supported" in errors
    assert "quantity must be at least 1" in errors
    assert "NOPE-9 is not in the catalogue" in errors
    assert "appears on more than one line" in errors
    assert "at most 100 units" in errors
    assert "price cannot be negative" in errors


def test_validate_order_refuses_empty_and_oversized_orders(invoke_tool) -> None:
    empty = invoke_tool("validate_order", {"order_id": "A-1", "items": []})
    assert empty["errors"] == ["the order has no items"]
    huge = invoke_tool("validate_order", {"order_id": "A-2",
                                          "items": [{"sku": "LAPTOP-15", "quantity": 40}]})
    assert huge["valid"] is False
    assert "exceeds the limit of 50,000" in huge["errors"][0]


def test_validate_order_rejects_malformed_items(invoke_tool) -> None:
    with pytest.raises(ToolError) as raised:
        invoke_tool("validate_order", {"order_id": "A-3", "items": [{"quantity": 1}]})
    assert raised.value.details[0]["field"] == "items.0.sku"


def test_check_inventory_in_stock(invoke_tool) -> None:
    result = invoke_tool("check_inventory", {"items": [{"sku": "WIDGET-1", "quantity": 5,
                                                        "price": 19.99}]})
    assert result == {
        "in_stock": True,
        "lines": [{"sku": "WIDGET-1", "name": "Standard widget", "requested": 5,
                   "available": 120, "in_stock": True}],
        "unavailable": [],
    }


def test_check_inventory_flags_short_unknown_and_summed_lines(invoke_tool) -> None:
    result = invoke_tool("check_inventory", {"items": [
        {"sku": "MUG-01", "quantity": 1},
        {"sku": "GADGET-7", "quantity": 3},
        {"sku": "gadget-7", "quantity": 2},
        {"sku": "UNKNOWN-1", "quantity": 1},
        {"sku": "CABLE-USB", "quantity": 10},
    ]})
    assert result["in_stock"] is False
    assert result["unavailable"] == ["MUG-01", "GADGET-7", "UNKNOWN-1"]
    gadget = next(line for line in result["lines"] if line["sku"] == "GADGET-7")
    assert (gadget["requested"], gadget["available"]) == (5, 4)


def test_check_inventory_needs_items(invoke_tool) -> None:
    with pytest.raises(ToolError) as raised:
        invoke_tool("check_inventory", {"items": []})
    assert raised.value.code == "invalid_input"


# --- payments --------------------------------------------------------------------------------


def test_process_payment_approves_with_a_stable_transaction_id(invoke_tool) -> None:
    inputs = {"order_id": "A-1001", "amount": 89.97, "currency": "usd",
              "card_token": "tok_visa", "customer_email": "ada@example.com"}
    first = invoke_tool("process_payment", inputs)
    again = invoke_tool("process_payment", inputs, run_id="another-run")
    assert first["approved"] is True
    assert first["status"] == "approved"
    assert re.fullmatch(r"txn_[0-9a-f]{24}", first["transaction_id"])
    assert first["transaction_id"] == again["transaction_id"]
    assert (first["amount"], first["currency"]) == (89.97, "USD")
    assert first["receipt_email"] == "ada@example.com"
    other = invoke_tool("process_payment", {**inputs, "amount": 90})
    assert other["transaction_id"] != first["transaction_id"]


@pytest.mark.parametrize(
    ("inputs", "code"),
    [
        ({"card_token": "tok_fail"}, "card_declined"),
        ({"card_token": "tok_insufficient_funds"}, "insufficient_funds"),
        ({"card_token": "tok_expired"}, "expired_card"),
        ({"amount": 10_000.01}, "amount_exceeds_limit"),
        ({"currency": "CHF"}, "currency_not_supported"),
    ],
)
def test_process_payment_declines_by_rule(invoke_tool, inputs: dict, code: str) -> None:
    result = invoke_tool("process_payment", {"order_id": "A-9", "amount": 50, **inputs})
    assert result["approved"] is False
    assert result["status"] == "declined"
    assert result["decline_code"] == code
    assert result["transaction_id"] is None
    assert result["reason"]


def test_process_payment_limit_is_inclusive(invoke_tool) -> None:
    result = invoke_tool("process_payment", {"order_id": "A-10", "amount": 10_000})
    assert result["approved"] is True


def test_flaky_gateway_fails_retryably_then_succeeds_on_retry(invoke_tool) -> None:
    inputs = {"order_id": "A-11", "amount": 20, "card_token": "tok_flaky"}
    with pytest.raises(RetryableToolError) as raised:
        invoke_tool("process_payment", inputs, attempt=1)
    assert raised.value.retryable is True
    assert raised.value.code == "gateway_timeout"
    assert invoke_tool("process_payment", inputs, attempt=2)["approved"] is True


def test_process_payment_refuses_non_positive_amounts(invoke_tool) -> None:
    with pytest.raises(ToolError) as raised:
        invoke_tool("process_payment", {"order_id": "A-12", "amount": 0})
    assert raised.value.code == "invalid_input"
    assert raised.value.retryable is False


# --- shipments -------------------------------------------------------------------------------


@db
def test_create_shipment_records_a_domestic_label(invoke_tool) -> None:
    result = invoke_tool("create_shipment", {
        "order_id": "A-1001", "address": "1 Main St, Springfield, IL 62701",
        "name": "Grace Hopper", "items": [{"sku": "WIDGET-1", "quantity": 2}],
    }, node_id="ship")
    assert result["carrier"] == "usps"
    assert result["service"] == "standard"
    assert result["status"] == "label_created"
    assert result["estimated_delivery_days"] == 5
    assert re.fullmatch(r"9400\d{18}", result["tracking_number"])
    message = OutboundMessage.objects.get(reference=result["shipment_id"])
    assert message.kind == OutboundMessage.Kind.SHIPMENT
    assert message.recipient == "Grace Hopper"
    assert message.subject == "Shipment for order A-1001"
    assert message.payload["tracking_number"] == result["tracking_number"]
    assert message.payload["items"] == [{"sku": "WIDGET-1", "quantity": 2, "price": None}]


@db
def test_create_shipment_abroad_express_and_idempotent(invoke_tool) -> None:
    inputs = {"order_id": "B-7", "address": "10 Downing St, London SW1A 2AA",
              "country": "United Kingdom", "service": "express"}
    first = invoke_tool("create_shipment", inputs)
    again = invoke_tool("create_shipment", inputs, attempt=3)
    assert first == again
    assert (first["carrier"], first["estimated_delivery_days"]) == ("dhl", 4)
    assert re.fullmatch(r"\d{10}", first["tracking_number"])
    assert OutboundMessage.objects.filter(kind="shipment").count() == 1
    ups = invoke_tool("create_shipment", {**inputs, "country": "US", "carrier": "ups"})
    assert ups["tracking_number"].startswith("1Z")


@db
def test_create_shipment_refuses_an_unknown_country(invoke_tool) -> None:
    with pytest.raises(ToolError) as raised:
        invoke_tool("create_shipment", {"order_id": "C-1", "address": "Somewhere 1",
                                        "country": "Atlantis"})
    assert raised.value.code == "invalid_input"
    assert not OutboundMessage.objects.exists()


# --- tax -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("inputs", "rate", "tax", "total", "name"),
    [
        ({"amount": 100, "country": "US", "region": "CA"}, 0.0725, 7.25, 107.25, "sales tax"),
        ({"amount": 100, "country": "usa", "region": "new york"}, 0.04, 4.0, 104.0,
         "sales tax"),
        ({"amount": 100, "country": "US", "region": "OR"}, 0.0, 0.0, 100.0, "sales tax"),
        ({"amount": 89.97, "country": "DE"}, 0.19, 17.09, 107.06, "VAT"),
        ({"amount": 50, "country": "Germany"}, 0.19, 9.5, 59.5, "VAT"),
        ({"amount": 200, "country": "CA", "region": "ON"}, 0.13, 26.0, 226.0, "HST"),
        ({"amount": 200, "country": "CA", "region": "AB"}, 0.05, 10.0, 210.0, "GST"),
        ({"amount": 10, "country": "JP"}, 0.1, 1.0, 11.0, "consumption tax"),
    ],
)
def test_calculate_tax(invoke_tool, inputs: dict, rate: float, tax: float, total: float,
                       name: str) -> None:
    result = invoke_tool("calculate_tax", inputs)
    assert result["rate"] == pytest.approx(rate)
    assert (result["tax"], result["total"], result["tax_name"]) == (tax, total, name)


def test_calculate_tax_without_a_us_state_says_so(invoke_tool) -> None:
    result = invoke_tool("calculate_tax", {"amount": 100, "country": "US"})
    assert (result["tax"], result["region"]) == (0.0, None)
    assert "no state given" in result["note"]


def test_calculate_tax_refuses_unknown_places(invoke_tool) -> None:
    with pytest.raises(ToolError) as raised:
        invoke_tool("calculate_tax", {"amount": 100, "country": "BR"})
    assert raised.value.code == "unsupported_country"
    with pytest.raises(ToolError) as raised:
        invoke_tool("calculate_tax", {"amount": 100, "country": "US", "region": "Gotham"})
    assert raised.value.code == "invalid_input"


# --- text ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sentiment"),
    [
        ("I love this product, it works great!", "positive"),
        ("Thanks so much, your team was really helpful.", "positive"),
        ("Not bad at all.", "positive"),
        ("Terrible support. I waited three weeks and nobody answered.", "negative"),
        ("The app is not good and it crashed twice.", "negative"),
        ("The delivery was fast, but the package arrived damaged.", "negative"),
        ("The package arrived on Tuesday.", "neutral"),
        ("This is VERY disappointing :(", "negative"),
    ],
)
def test_analyze_sentiment(invoke_tool, text: str, sentiment: str) -> None:
    result = invoke_tool("analyze_sentiment", {"text": text})
    assert result["sentiment"] == sentiment
    assert -1 <= result["score"] <= 1


def test_analyze_sentiment_reports_the_terms_and_negation(invoke_tool) -> None:
    result = invoke_tool("analyze_sentiment", {"text": "Great price, but the app is not reliable."})
    assert result["positive_terms"] == ["great"]
    assert result["negative_terms"] == ["not reliable"]
    strong = invoke_tool("analyze_sentiment", {"text": "Absolutely amazing!!!"})["score"]
    mild = invoke_tool("analyze_sentiment", {"text": "Amazing."})["score"]
    assert strong > mild > 0


ARTICLE = (
    "DynamicFlow turns a natural-language request into a workflow and runs it. "
    "It works in two phases. "
    "First, a planner reads the prompt and the catalogue of registered tools and writes a "
    "complete workflow graph. "
    "The graph is validated before anyone runs it, and invalid plans go back to the planner. "
    "Second, a deterministic engine runs the workflow graph with no further planner calls. "
    "Dr. Smith ate lunch at noon. "
    "Ready nodes of the graph run concurrently and every node result is checkpointed."
)


def test_summarize_text_extracts_the_central_sentences_in_order(invoke_tool) -> None:
    result = invoke_tool("summarize_text", {"text": ARTICLE, "max_sentences": 3})
    assert result["sentence_count"] == 7
    assert result["summary_sentence_count"] == 3
    sentences = re.split(r"(?<=\.) ", result["summary"])
    assert all(sentence in ARTICLE for sentence in sentences)
    positions = [ARTICLE.index(sentence) for sentence in sentences]
    assert positions == sorted(positions)
    assert "Dr. Smith" not in result["summary"]
    assert "graph" in result["keywords"]
    assert result["summary_word_count"] < result["word_count"]


def test_summarize_text_returns_a_short_text_whole(invoke_tool) -> None:
    text = "One short note. Nothing else to say."
    result = invoke_tool("summarize_text", {"text": text})
    assert result["summary"] == text
    assert result["summary_sentence_count"] == 2


def test_summarize_text_refuses_blank_text(invoke_tool) -> None:
    with pytest.raises(ToolError) as raised:
        invoke_tool("summarize_text", {"text": "   "})
    assert raised.value.code == "invalid_input"


# --- support ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("inputs", "category", "priority"),
    [
        ({"text": "I was charged twice for my subscription, please refund one charge."},
         "billing", "high"),
        ({"subject": "URGENT", "text": "Production API is down, all requests fail with 500."},
         "technical", "urgent"),
        ({"text": "How do I change my password? Just wondering."}, "account", "low"),
        ({"text": "My package has not arrived and the tracking page shows nothing."},
         "shipping", "medium"),
        ({"text": "Could you send a quote for 50 enterprise seats?"}, "sales", "medium"),
        ({"text": "Hello, I have a general remark about your company."}, "general", "medium"),
    ],
)
def test_classify_ticket(invoke_tool, inputs: dict, category: str, priority: str) -> None:
    result = invoke_tool("classify_ticket", inputs)
    assert (result["category"], result["priority"]) == (category, priority)
    assert 0 <= result["confidence"] <= 1
    assert result["team"]


def test_classify_ticket_explains_itself(invoke_tool) -> None:
    result = invoke_tool("classify_ticket", {
        "text": "I'm locked out of my account and can't log in, this is urgent!"
    })
    assert result["category"] == "account"
    assert {"locked out", "log in"} <= set(result["matched_keywords"])
    assert "urgent" in result["priority_signals"]
    assert result["team"] == "Account support"


@db
def test_create_ticket_records_it_in_the_outbox(invoke_tool) -> None:
    result = invoke_tool("create_ticket", {
        "subject": "Charged twice", "body": "I was charged twice for order A-1001.",
        "email": "ada@example.com", "category": "billing", "priority": "high",
    }, run_id="run-9", node_id="open_ticket")
    assert result == {
        "ticket_id": result["ticket_id"], "status": "open", "subject": "Charged twice",
        "category": "billing", "priority": "high", "assigned_team": "Billing", "sla_hours": 4,
    }
    assert result["ticket_id"].startswith("tck_")
    ticket = OutboundMessage.objects.get(reference=result["ticket_id"])
    assert ticket.kind == OutboundMessage.Kind.TICKET
    assert (ticket.recipient, ticket.run_id, ticket.node_id) == ("ada@example.com", "run-9",
                                                                 "open_ticket")
    assert ticket.payload == {"category": "billing", "priority": "high", "team": "Billing"}


@db
def test_create_ticket_refuses_an_unknown_priority(invoke_tool) -> None:
    with pytest.raises(ToolError) as raised:
        invoke_tool("create_ticket", {"subject": "x", "body": "y", "priority": "whenever"})
    assert raised.value.details[0]["field"] == "priority"
    assert not OutboundMessage.objects.exists()
