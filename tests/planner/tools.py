"""A small tool catalogue for planner tests, built from specs alone (no Django, no demo pack),
so the core tests show the planners work from whatever specs they are given."""

from __future__ import annotations

from typing import Any

from flows.core.tools import FunctionTool, InMemoryCatalog, ToolSpec


def _obj(required: list[str] | None = None, **properties: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    return schema


S = {"type": "string"}
N = {"type": "number"}
B = {"type": "boolean"}

SPECS = [
    ToolSpec(
        id="verify_address",
        name="Verify address",
        description="Check that an email address is deliverable.",
        input_schema=_obj(["email"], email=S),
        output_schema=_obj(["ok", "email"], ok=B, email=S, reason=S),
    ),
    ToolSpec(
        id="find_customer",
        name="Find customer",
        description="Look up a customer record by customer id.",
        input_schema=_obj(["customer_id"], customer_id=S),
        output_schema=_obj(["found"], found=B, customer=_obj(None, email=S, full_name=S, tier=S)),
    ),
    ToolSpec(
        id="send_sms",
        name="Send SMS",
        description="Send a text message to a phone number.",
        input_schema=_obj(["phone", "message"], phone=S, message=S),
        output_schema=_obj(["sent"], sent=B),
    ),
    ToolSpec(
        id="send_email",
        name="Send email",
        description="Send an email to one recipient.",
        input_schema=_obj(["to", "subject", "body"], to=S, subject=S, body=S),
        output_schema=_obj(["message_id"], message_id=S),
    ),
    ToolSpec(
        id="download_page",
        name="Download page",
        description="Download a web page and return its text.",
        input_schema=_obj(["url"], url=S),
        output_schema=_obj(["content"], content=S, title=S),
    ),
    ToolSpec(
        id="score_mood",
        name="Score mood",
        description="Score the sentiment of a text.",
        input_schema=_obj(["text"], text=S),
        output_schema=_obj(
            ["mood"], mood={"type": "string", "enum": ["happy", "angry", "neutral"]}, score=N
        ),
    ),
    ToolSpec(
        id="refund_order",
        name="Refund order",
        description="Refund an order's payment.",
        input_schema=_obj(["order_id", "amount"], order_id=S, amount=N),
        output_schema=_obj(["refunded"], refunded=B, amount=N),
    ),
]


def _noop(**_: Any) -> dict[str, Any]:
    return {}


def fixture_catalog(specs: list[ToolSpec] = SPECS) -> InMemoryCatalog:
    """A catalogue of `specs` (the fixture tools by default), each doing nothing."""
    return InMemoryCatalog(FunctionTool(spec, _noop) for spec in specs)


def many_tools(count: int) -> InMemoryCatalog:
    """The fixture tools plus `count` unrelated ones (to push past the retrieval threshold)."""
    catalog = fixture_catalog()
    topics = [
        "weather",
        "calendar",
        "invoice",
        "crm",
        "storage",
        "translate",
        "geocode",
        "currency",
        "image",
        "audio",
        "video",
        "search",
        "backup",
        "dns",
        "vpn",
    ]
    for index in range(count):
        topic = topics[index % len(topics)]
        spec = ToolSpec(
            id=f"{topic}_tool_{index}",
            name=f"{topic.title()} tool {index}",
            description=f"Do something with {topic} number {index}.",
            input_schema=_obj(["value"], value=S),
            output_schema=_obj(None, result=S),
        )
        catalog.add(FunctionTool(spec, _noop))
    return catalog
