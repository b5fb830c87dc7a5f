"""Demo payment tool: a card processor with fixed, documented rules (no money moves).

Test card tokens, like a real processor's sandbox:
  tok_visa, tok_mastercard, anything else   approved (within the limit)
  tok_fail, tok_declined                    declined: card_declined
  tok_insufficient_funds                    declined: insufficient_funds
  tok_expired                               declined: expired_card
  tok_flaky                                 a gateway timeout on the first attempt (retryable),
                                            approved on a retry
Amounts over 10,000 are declined (amount_exceeds_limit). The transaction id is a digest of
the order, amount, currency and token, so charging the same order twice gives the same id.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from flows.core.tools import RetryableToolError, ToolContext
from tools_registry.code_tools import tool
from tools_registry.demo.identifiers import stable_digest

PAYMENT_LIMIT = Decimal(10_000)
SUPPORTED_CURRENCIES = ("USD", "EUR", "GBP", "CAD", "AUD", "JPY")
DECLINING_TOKENS = {
    "tok_fail": ("card_declined", "the card was declined by the issuer"),
    "tok_declined": ("card_declined", "the card was declined by the issuer"),
    "tok_insufficient_funds": ("insufficient_funds", "the card has insufficient funds"),
    "tok_expired": ("expired_card", "the card has expired"),
}

DeclineCode = Literal[
    "card_declined", "insufficient_funds", "expired_card", "amount_exceeds_limit",
    "currency_not_supported",
]


class PaymentResult(BaseModel):
    approved: bool = Field(description="True when the charge went through.")
    status: Literal["approved", "declined"]
    transaction_id: str | None = Field(description="Set when approved; stable for the same charge.")
    decline_code: DeclineCode | None = Field(description="Why it was declined; null if approved.")
    reason: str | None = Field(description="The decline reason in words; null if approved.")
    order_id: str
    amount: float
    currency: str
    receipt_email: str | None = Field(description="Where the receipt goes; null when none.")


@tool(category="payments", retries=2, timeout_s=20)
def process_payment(
    order_id: Annotated[str, Field(min_length=1, max_length=64, description="Order being paid.")],
    amount: Annotated[float, Field(gt=0, description="Amount to charge, in currency units.")],
    context: ToolContext,
    currency: Annotated[
        str, Field(min_length=3, max_length=3, description="ISO 4217 code.")
    ] = "USD",
    card_token: Annotated[
        str, Field(min_length=3, max_length=64, description="Tokenised card, e.g. 'tok_visa'.")
    ] = "tok_visa",
    customer_email: Annotated[
        str | None, Field(max_length=254, description="For the receipt.")
    ] = None,
) -> PaymentResult:
    """Charge a card for an order. A decline is a normal result (approved=false), not an error.

    Declines: amounts over 10,000, unsupported currencies (use USD, EUR, GBP, CAD, AUD, JPY),
    and the test tokens tok_fail / tok_declined, tok_insufficient_funds, tok_expired.
    """
    currency = currency.upper()
    charged = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if card_token == "tok_flaky" and context.attempt < 2:
        raise RetryableToolError(
            "the payment gateway timed out; try again", code="gateway_timeout"
        )

    decline: tuple[DeclineCode, str] | None = None
    if currency not in SUPPORTED_CURRENCIES:
        decline = ("currency_not_supported", f"currency {currency} is not supported")
    elif card_token in DECLINING_TOKENS:
        code, reason = DECLINING_TOKENS[card_token]
        decline = (code, reason)  # type: ignore[assignment]
    elif charged > PAYMENT_LIMIT:
        decline = (
            "amount_exceeds_limit",
            f"{charged} {currency} is over the single-payment limit of {PAYMENT_LIMIT}",
        )
    if decline is not None:
        return PaymentResult(
            approved=False, status="declined", transaction_id=None, decline_code=decline[0],
            reason=decline[1], order_id=order_id, amount=float(charged), currency=currency,
            receipt_email=customer_email,
        )
    digest = stable_digest("payment", order_id, str(charged), currency, card_token)
    return PaymentResult(
        approved=True, status="approved", transaction_id=f"txn_{digest[:24]}",
        decline_code=None, reason=None, order_id=order_id, amount=float(charged),
        currency=currency, receipt_email=customer_email,
    )
