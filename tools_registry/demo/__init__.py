"""The demo tool pack: small, deterministic tools a planner can build realistic flows from.

Importing this package registers every demo tool in `CODE_TOOLS` (done by
`ToolsRegistryConfig.ready`). Module map:

    messaging  validate_email, send_welcome_email, send_email
    users      lookup_user
    orders     validate_order, check_inventory, create_shipment
    tax        calculate_tax
    payments   process_payment
    text       analyze_sentiment, summarize_text
    support    classify_ticket, create_ticket
    web        fetch_url

Messages, tickets and shipments are recorded in `OutboundMessage` instead of being sent.
"""

from __future__ import annotations

from tools_registry.code_tools import CodeTool, register
from tools_registry.demo import messaging, orders, payments, support, tax, text, users, web

DEMO_TOOLS: tuple[CodeTool, ...] = (
    messaging.validate_email,
    messaging.send_welcome_email,
    users.lookup_user,
    messaging.send_email,
    orders.validate_order,
    orders.check_inventory,
    payments.process_payment,
    orders.create_shipment,
    tax.calculate_tax,
    text.analyze_sentiment,
    text.summarize_text,
    support.classify_ticket,
    support.create_ticket,
    web.fetch_url,
)

register(*DEMO_TOOLS)
