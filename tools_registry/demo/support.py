"""Demo support tools: classify a ticket's category and priority, and open a ticket.

Classification is keyword evidence per category (phrases weighted by how telling they
are) plus urgency and impact signals and the text's sentiment for the priority. Tickets
are recorded in the outbox.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from flows.core.tools import ToolContext
from tools_registry.code_tools import tool
from tools_registry.demo.messaging import EmailAddress
from tools_registry.demo.outbox import outbound_message_record
from tools_registry.demo.text import MAX_TEXT_LENGTH, sentiment_of

Category = Literal["billing", "technical", "account", "shipping", "sales", "general"]
Priority = Literal["low", "medium", "high", "urgent"]

CATEGORY_KEYWORDS: dict[str, dict[str, int]] = {
    "billing": {
        "invoice": 3, "invoices": 3, "billing": 3, "billed": 3, "bill": 2, "charge": 2,
        "charged": 3, "charged twice": 4, "double charged": 4, "overcharged": 4, "refund": 3,
        "payment": 2, "paid": 2, "subscription": 2, "receipt": 2, "credit card": 2,
        "card": 1, "price": 1, "vat": 2, "renewal": 2, "coupon": 2, "discount": 1,
    },
    "technical": {
        "error": 3, "errors": 3, "bug": 3, "crash": 3, "crashes": 3, "crashed": 3,
        "broken": 2, "not working": 3, "doesn't work": 3, "does not work": 3,
        "stopped working": 3, "fails": 2, "failed": 2, "failing": 2, "exception": 3,
        "500": 2, "timeout": 2, "timed out": 2, "slow": 2, "outage": 3, "is down": 3,
        "api": 2, "integration": 2, "webhook": 2, "install": 2, "sync": 2, "loading": 2,
        "blank page": 3, "server": 1, "deploy": 2,
    },
    "account": {
        "password": 3, "log in": 3, "login": 3, "sign in": 3, "locked out": 4, "locked": 2,
        "account": 2, "2fa": 3, "two-factor": 3, "username": 3, "reset": 2, "access": 1,
        "permission": 2, "permissions": 2, "profile": 2, "delete my account": 4,
        "verification": 2, "verify": 2,
    },
    "shipping": {
        "delivery": 3, "deliver": 2, "delivered": 3, "shipping": 3, "shipment": 3,
        "shipped": 3, "tracking": 3, "package": 3, "parcel": 3, "courier": 3, "arrived": 2,
        "arrive": 2, "lost": 1, "damaged": 2, "address": 1, "dispatch": 2, "order": 1,
    },
    "sales": {
        "quote": 3, "demo": 3, "trial": 2, "enterprise": 3, "purchase": 2, "buy": 2,
        "license": 2, "licence": 2, "seats": 3, "volume discount": 3, "partnership": 3,
        "pricing": 2, "plans": 1, "sales": 3, "contract": 2, "upgrade": 2,
    },
}
#: Ties go to the category listed first.
CATEGORY_ORDER: tuple[str, ...] = ("technical", "billing", "account", "shipping", "sales")
PRIORITY_SIGNALS: dict[str, int] = {
    # critical impact
    "outage": 3, "is down": 3, "went down": 3, "security": 3, "breach": 3, "hacked": 3,
    "data loss": 3, "lost data": 3, "production": 2, "all users": 2, "all requests": 2,
    "everyone": 1,
    # urgency
    "urgent": 2, "urgently": 2, "asap": 2, "immediately": 2, "emergency": 2, "critical": 2,
    "right now": 1, "deadline": 1,
    # impact on the person
    "cannot": 1, "can't": 1, "unable": 1, "blocked": 1, "not working": 1,
    "stopped working": 1, "locked out": 1, "charged twice": 2, "double charged": 2,
    # no hurry
    "question": -1, "how do i": -1, "how can i": -1, "feature request": -1,
    "suggestion": -1, "would be nice": -1, "when you have time": -1, "no rush": -2,
    "just wondering": -1,
}
TEAMS: dict[str, str] = {
    "billing": "Billing", "technical": "Engineering support", "account": "Account support",
    "shipping": "Fulfilment", "sales": "Sales", "general": "Customer support",
}
SLA_HOURS: dict[str, int] = {"urgent": 1, "high": 4, "medium": 24, "low": 72}


def _pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'])" + re.escape(phrase) + r"(?![\w'])")


_CATEGORY_PATTERNS = {
    category: [(phrase, weight, _pattern(phrase)) for phrase, weight in keywords.items()]
    for category, keywords in CATEGORY_KEYWORDS.items()
}
_PRIORITY_PATTERNS = [(phrase, weight, _pattern(phrase)) for phrase, weight in
                      PRIORITY_SIGNALS.items()]


class TicketClassification(BaseModel):
    category: Category
    priority: Priority
    confidence: float = Field(
        description="Share of the keyword evidence that points to the category (0 to 1)."
    )
    matched_keywords: list[str] = Field(description="Phrases that decided the category.")
    priority_signals: list[str] = Field(description="Phrases that raised or lowered priority.")
    sentiment: Literal["positive", "negative", "neutral"]
    team: str = Field(description="The team that handles this category.")


class TicketCreated(BaseModel):
    ticket_id: str = Field(description="Id of the ticket; the same call gives the same id.")
    status: Literal["open"]
    subject: str
    category: Category
    priority: Priority
    assigned_team: str
    sla_hours: int = Field(description="Hours within which the team answers, by priority.")


def classify(text: str) -> TicketClassification:
    lowered = " ".join(text.lower().replace("\u2019", "'").split())
    scores: dict[str, int] = {}
    matches: dict[str, list[str]] = {}
    for category, patterns in _CATEGORY_PATTERNS.items():
        found = [(phrase, weight) for phrase, weight, pattern in patterns
                 if pattern.search(lowered)]
        scores[category] = sum(weight for _phrase, weight in found)
        matches[category] = [phrase for phrase, _weight in found]
    best = max(CATEGORY_ORDER, key=lambda category: (scores[category],
                                                     -CATEGORY_ORDER.index(category)))
    total = sum(scores.values())
    category = best if scores[best] > 0 else "general"

    sentiment = sentiment_of(text)
    signals = [(phrase, weight) for phrase, weight, pattern in _PRIORITY_PATTERNS
               if pattern.search(lowered)]
    points = 1 + sum(weight for _phrase, weight in signals)
    if sentiment.score <= -0.5:
        points += 1
    priority: Priority = (
        "urgent" if points >= 5 else "high" if points >= 3 else "medium" if points >= 1
        else "low"
    )
    return TicketClassification(
        category=category,
        priority=priority,
        confidence=round(scores[best] / total, 2) if total else 0.0,
        matched_keywords=matches[best] if category != "general" else [],
        priority_signals=[phrase for phrase, _weight in signals],
        sentiment=sentiment.label,
        team=TEAMS[category],
    )


@tool(category="support", cacheable=True, inline=True)
def classify_ticket(
    text: Annotated[
        str, Field(min_length=1, max_length=MAX_TEXT_LENGTH, description="The customer's message.")
    ],
    subject: Annotated[
        str | None, Field(max_length=300, description="Subject line, if any.")
    ] = None,
) -> TicketClassification:
    """Classify a support message: category (billing, technical, account, shipping, sales,
    general), priority (low, medium, high, urgent), sentiment and the team to route it to.
    """
    return classify(f"{subject}\n\n{text}" if subject else text)


@tool(category="support", retries=2)
def create_ticket(
    subject: Annotated[str, Field(min_length=1, max_length=300, description="Short summary.")],
    body: Annotated[
        str, Field(min_length=1, max_length=MAX_TEXT_LENGTH, description="The full request.")
    ],
    context: ToolContext,
    email: Annotated[
        EmailAddress | None, Field(description="The requester's address, for replies.")
    ] = None,
    category: Annotated[Category, Field(description="Queue; see classify_ticket.")] = "general",
    priority: Annotated[Priority, Field(description="Urgency; sets the SLA.")] = "medium",
) -> TicketCreated:
    """Open a support ticket in the help desk queue of the category's team."""
    team = TEAMS[category]
    message = outbound_message_record(
        kind="ticket",
        reference_prefix="tck_",
        recipient=email or "",
        subject=subject,
        body=body,
        payload={"category": category, "priority": priority, "team": team},
        context=context,
    )
    return TicketCreated(
        ticket_id=message.reference,
        status="open",
        subject=subject,
        category=category,
        priority=priority,
        assigned_team=team,
        sla_hours=SLA_HOURS[priority],
    )
