"""Demo order tools: validate an order, check stock, create a shipment.

Orders refer to a fixed product catalogue (`PRODUCTS`); stock levels are fixed too, so a
given order always gets the same answer. Shipments are recorded in the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from flows.core.tools import ToolContext, ToolError
from tools_registry.code_tools import tool
from tools_registry.demo.geography import country_code
from tools_registry.demo.identifiers import digits_from, stable_digest
from tools_registry.demo.outbox import outbound_message_record

CENT = Decimal("0.01")
MAX_UNITS_PER_LINE = 100
MAX_ORDER_TOTAL = Decimal(50_000)
SUPPORTED_CURRENCIES = ("USD", "EUR", "GBP", "CAD", "AUD", "JPY")
WAREHOUSE_COUNTRY = "US"


@dataclass(frozen=True, slots=True)
class Product:
    sku: str
    name: str
    price: Decimal
    stock: int


PRODUCTS: dict[str, Product] = {
    product.sku: product
    for product in (
        Product("WIDGET-1", "Standard widget", Decimal("19.99"), 120),
        Product("WIDGET-2", "Deluxe widget", Decimal("49.50"), 15),
        Product("GADGET-7", "Pocket gadget", Decimal("129.00"), 4),
        Product("BOOK-101", "Workflow Patterns (book)", Decimal("35.00"), 42),
        Product("MUG-01", "DynamicFlow mug", Decimal("12.00"), 0),
        Product("TSHIRT-M", "T-shirt, size M", Decimal("22.00"), 60),
        Product("LAPTOP-15", "15-inch laptop", Decimal("1299.00"), 2),
        Product("CABLE-USB", "USB-C cable", Decimal("9.99"), 500),
    )
}


class OrderLine(BaseModel):
    """One line of an order."""

    model_config = ConfigDict(coerce_numbers_to_str=True)

    sku: str = Field(min_length=1, max_length=64, description="Product SKU, e.g. 'WIDGET-1'.")
    quantity: int = Field(description=f"Units ordered (1 to {MAX_UNITS_PER_LINE}).")
    price: float | None = Field(
        None, description="Unit price; the catalogue price is used when omitted."
    )


class PricedLine(BaseModel):
    sku: str
    name: str | None = Field(description="Product name; null for SKUs not in the catalogue.")
    quantity: int
    unit_price: float | None
    line_total: float | None


class OrderValidation(BaseModel):
    valid: bool = Field(description="True when the order can be processed.")
    order_id: str
    errors: list[str] = Field(description="Every problem found, in words; empty when valid.")
    lines: list[PricedLine] = Field(description="The lines with prices filled in.")
    subtotal: float = Field(description="Sum of the priced lines, before tax.")
    units: int = Field(description="Total units across lines.")
    currency: str


class StockLine(BaseModel):
    sku: str
    name: str | None
    requested: int
    available: int
    in_stock: bool


class InventoryCheck(BaseModel):
    in_stock: bool = Field(description="True when every requested SKU has enough stock.")
    lines: list[StockLine] = Field(description="One entry per SKU (repeated SKUs are summed).")
    unavailable: list[str] = Field(description="SKUs without enough stock (or unknown).")


class Shipment(BaseModel):
    shipment_id: str
    order_id: str
    tracking_number: str
    carrier: Literal["ups", "fedex", "dhl", "usps"]
    service: Literal["standard", "express"]
    status: Literal["label_created"]
    estimated_delivery_days: int = Field(description="Business days to deliver, estimated.")


def _money(value: Decimal) -> float:
    return float(value.quantize(CENT, rounding=ROUND_HALF_UP))


@tool(category="orders", cacheable=True, inline=True)
def validate_order(
    order_id: Annotated[str, Field(min_length=1, max_length=64, description="Order id.")],
    items: Annotated[list[OrderLine], Field(description="Order lines: sku, quantity, price.")],
    currency: Annotated[
        str, Field(min_length=3, max_length=3, description="ISO 4217 code.")
    ] = "USD",
) -> OrderValidation:
    """Check an order before payment: lines, quantities, SKUs, prices, currency and total.

    Rules: at least one line; each SKU once and in the catalogue; 1 to 100 units per line;
    prices not negative (missing prices come from the catalogue); a supported currency
    (USD, EUR, GBP, CAD, AUD, JPY); subtotal at most 50,000. Returns valid=false with every
    error rather than failing.
    """
    currency = currency.upper()
    errors: list[str] = []
    lines: list[PricedLine] = []
    subtotal = Decimal(0)
    seen: set[str] = set()
    if not items:
        errors.append("the order has no items")
    if currency not in SUPPORTED_CURRENCIES:
        errors.append(
            f"currency {currency} is not supported (use one of {', '.join(SUPPORTED_CURRENCIES)})"
        )
    for number, item in enumerate(items, start=1):
        sku = item.sku.strip().upper()
        where = f"line {number} ({sku})"
        if sku in seen:
            errors.append(f"{where}: SKU {sku} appears on more than one line; combine them")
        seen.add(sku)
        if item.quantity < 1:
            errors.append(f"{where}: quantity must be at least 1, not {item.quantity}")
        elif item.quantity > MAX_UNITS_PER_LINE:
            errors.append(f"{where}: at most {MAX_UNITS_PER_LINE} units per line")
        product = PRODUCTS.get(sku)
        if product is None:
            errors.append(f"{where}: SKU {sku} is not in the catalogue")
        unit_price: Decimal | None
        if item.price is not None:
            unit_price = Decimal(str(item.price))
            if unit_price < 0:
                errors.append(f"{where}: price cannot be negative")
        else:
            unit_price = product.price if product else None
        line_total = unit_price * item.quantity if unit_price is not None else None
        if line_total is not None and item.quantity > 0:
            subtotal += line_total
        lines.append(
            PricedLine(
                sku=sku,
                name=product.name if product else None,
                quantity=item.quantity,
                unit_price=_money(unit_price) if unit_price is not None else None,
                line_total=_money(line_total) if line_total is not None else None,
            )
        )
    if subtotal > MAX_ORDER_TOTAL:
        errors.append(f"the subtotal {_money(subtotal):.2f} exceeds the limit of 50,000")
    return OrderValidation(
        valid=not errors,
        order_id=order_id,
        errors=errors,
        lines=lines,
        subtotal=_money(subtotal),
        units=sum(max(item.quantity, 0) for item in items),
        currency=currency,
    )


@tool(category="orders", inline=True)
def check_inventory(
    items: Annotated[
        list[OrderLine],
        Field(min_length=1, description="Lines to check: sku and quantity (price ignored)."),
    ],
) -> InventoryCheck:
    """Check that there is enough stock for every line; SKUs not in the catalogue are unavailable.

    Does not reserve stock. Repeated SKUs are summed.
    """
    requested: dict[str, int] = {}
    for item in items:
        if item.quantity < 1:
            raise ToolError(
                f"quantity for {item.sku} must be at least 1", code="invalid_input",
                details=[{"field": "items.quantity", "message": "must be at least 1"}],
            )
        sku = item.sku.strip().upper()
        requested[sku] = requested.get(sku, 0) + item.quantity
    lines = []
    for sku, quantity in requested.items():
        product = PRODUCTS.get(sku)
        available = product.stock if product else 0
        lines.append(
            StockLine(
                sku=sku,
                name=product.name if product else None,
                requested=quantity,
                available=available,
                in_stock=available >= quantity,
            )
        )
    unavailable = [line.sku for line in lines if not line.in_stock]
    return InventoryCheck(in_stock=not unavailable, lines=lines, unavailable=unavailable)


def _tracking_number(carrier: str, digest: str) -> str:
    if carrier == "ups":
        return "1Z" + digest[:16].upper()
    if carrier == "fedex":
        return digits_from(digest, 12)
    if carrier == "dhl":
        return digits_from(digest, 10)
    return "9400" + digits_from(digest, 18)


@tool(category="orders", retries=2)
def create_shipment(
    order_id: Annotated[str, Field(min_length=1, max_length=64, description="Order id.")],
    address: Annotated[
        str, Field(min_length=5, max_length=500, description="Street, city, postal code.")
    ],
    context: ToolContext,
    country: Annotated[
        str, Field(min_length=2, max_length=60, description="Destination country (ISO code).")
    ] = "US",
    name: Annotated[str | None, Field(max_length=200, description="Recipient's name.")] = None,
    items: Annotated[
        list[OrderLine] | None, Field(description="Lines in the parcel (for the packing slip).")
    ] = None,
    carrier: Annotated[
        Literal["ups", "fedex", "dhl", "usps"] | None,
        Field(description="Carrier; chosen from the destination and service when omitted."),
    ] = None,
    service: Annotated[
        Literal["standard", "express"], Field(description="Delivery speed.")
    ] = "standard",
) -> Shipment:
    """Create a shipping label for an order and return the tracking number.

    Ships from the US warehouse. Without a carrier: USPS for standard and UPS for express
    within the US, DHL abroad. The shipment is recorded; the same call gives the same
    shipment and tracking number.
    """
    destination = country_code(country)
    if destination is None:
        raise ToolError(f"{country!r} is not a country code or name", code="invalid_input",
                        details=[{"field": "country", "message": "unknown country"}])
    domestic = destination == WAREHOUSE_COUNTRY
    if carrier is None:
        carrier = ("usps" if service == "standard" else "ups") if domestic else "dhl"
    days = {(True, "standard"): 5, (True, "express"): 2, (False, "standard"): 10,
            (False, "express"): 4}[(domestic, service)]
    payload = {
        "order_id": order_id,
        "address": address,
        "country": destination,
        "carrier": carrier,
        "service": service,
        "items": [item.model_dump() for item in items or []],
    }
    tracking = _tracking_number(
        carrier, stable_digest("tracking", context.run_id, context.node_id, payload)
    )
    message = outbound_message_record(
        kind="shipment",
        reference_prefix="shp_",
        recipient=name or "",
        subject=f"Shipment for order {order_id}",
        body=address,
        payload={**payload, "tracking_number": tracking},
        context=context,
    )
    return Shipment(
        shipment_id=message.reference,
        order_id=order_id,
        tracking_number=tracking,
        carrier=carrier,
        service=service,
        status="label_created",
        estimated_delivery_days=days,
    )
