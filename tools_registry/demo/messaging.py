"""Demo email tools: check an address, send a welcome email, send any email.

Nothing leaves the machine: "sent" emails are recorded in the outbox
(`tools_registry.OutboundMessage`) and can be read in the admin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from flows.core.tools import ToolContext
from tools_registry.code_tools import tool
from tools_registry.demo.outbox import outbound_message_record

MAX_ADDRESS_LENGTH = 254
_LOCAL_PART = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_TOP_LEVEL = re.compile(r"^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$")

DISPOSABLE_DOMAINS = frozenset(
    {
        "10minutemail.com", "dispostable.com", "getnada.com", "guerrillamail.com",
        "maildrop.cc", "mailinator.com", "sharklasers.com", "temp-mail.org", "tempmail.com",
        "throwawaymail.com", "trashmail.com", "yopmail.com",
    }
)
#: Domains that can never receive mail (RFC 2606 / RFC 6761).
UNDELIVERABLE_TOP_LEVEL = frozenset({"invalid", "localhost"})
COMMON_TYPOS = {
    "gamil.com": "gmail.com", "gmai.com": "gmail.com", "gmail.co": "gmail.com",
    "gmial.com": "gmail.com", "gnail.com": "gmail.com", "hotmal.com": "hotmail.com",
    "hotmial.com": "hotmail.com", "iclod.com": "icloud.com", "outlok.com": "outlook.com",
    "outloo.com": "outlook.com", "yaho.com": "yahoo.com", "yahooo.com": "yahoo.com",
}


@dataclass(frozen=True, slots=True)
class EmailCheck:
    email: str
    domain: str | None
    reason: str | None
    disposable: bool = False
    suggestion: str | None = None


def email_check(address: str) -> EmailCheck:
    """Check an address's syntax and domain; `reason` is None when it is usable."""
    email = address.strip()
    if not email:
        return EmailCheck(email, None, "the address is empty")
    if len(email) > MAX_ADDRESS_LENGTH:
        return EmailCheck(email, None, f"the address is over {MAX_ADDRESS_LENGTH} characters")
    if email.count("@") != 1:
        return EmailCheck(email, None, "an address needs exactly one '@'")
    local, domain = email.split("@")
    domain = domain.lower().rstrip(".")
    email = f"{local}@{domain}"
    if not local:
        return EmailCheck(email, domain or None, "the part before '@' is empty")
    if len(local) > 64:
        return EmailCheck(email, domain, "the part before '@' is longer than 64 characters")
    if not _LOCAL_PART.match(local):
        return EmailCheck(email, domain, "the part before '@' has characters an address may not")
    labels = domain.split(".")
    if len(labels) < 2 or not all(_DOMAIN_LABEL.match(label) for label in labels):
        return EmailCheck(email, domain or None, f"{domain!r} is not a valid domain name")
    if not _TOP_LEVEL.match(labels[-1]):
        return EmailCheck(email, domain, f"{labels[-1]!r} is not a valid top-level domain")
    if labels[-1] in UNDELIVERABLE_TOP_LEVEL:
        return EmailCheck(email, domain, f"'.{labels[-1]}' domains never receive mail")
    if domain in DISPOSABLE_DOMAINS:
        return EmailCheck(email, domain, f"{domain} is a disposable-address service", True)
    suggestion = f"{local}@{COMMON_TYPOS[domain]}" if domain in COMMON_TYPOS else None
    return EmailCheck(email, domain, None, suggestion=suggestion)


def _well_formed(address: str) -> str:
    check = email_check(address)
    # Disposable addresses still receive mail; only a malformed one cannot be sent to.
    if check.reason is not None and not check.disposable:
        raise ValueError(f"{address!r} is not a valid email address: {check.reason}")
    return check.email


EmailAddress = Annotated[
    str,
    AfterValidator(_well_formed),
    Field(max_length=MAX_ADDRESS_LENGTH, json_schema_extra={"format": "email"}),
]


class EmailValidation(BaseModel):
    valid: bool = Field(description="True when the address can be used.")
    email: str = Field(description="The address, trimmed, with the domain in lower case.")
    reason: str | None = Field(description="Why the address is not valid; null when it is.")
    domain: str | None = Field(description="The part after '@', when there is one.")
    disposable: bool = Field(description="True for throw-away address services.")
    suggestion: str | None = Field(
        description="A likely intended address when the domain looks like a typo, else null."
    )


class SentEmail(BaseModel):
    message_id: str = Field(
        description="Id of the recorded message; the same call gives the same id."
    )
    to: str
    subject: str
    status: Literal["queued"] = Field(description="Always 'queued': the message is in the outbox.")


@tool(category="email", cacheable=True, inline=True)
def validate_email(
    email: Annotated[str, Field(max_length=1000, description="The address to check.")],
) -> EmailValidation:
    """Check that an email address is well formed and deliverable in principle.

    Checks the syntax (RFC 5322 dot-atom), the domain name, undeliverable and disposable
    domains, and suggests a fix for common domain typos (gmial.com). Does not contact any
    mail server.
    """
    check = email_check(email)
    return EmailValidation(
        valid=check.reason is None,
        email=check.email,
        reason=check.reason,
        domain=check.domain,
        disposable=check.disposable,
        suggestion=check.suggestion,
    )


@tool(category="email", retries=2)
def send_welcome_email(
    email: Annotated[EmailAddress, Field(description="The new user's address.")],
    name: Annotated[str, Field(min_length=1, max_length=200, description="The user's name.")],
    context: ToolContext,
) -> SentEmail:
    """Send the standard welcome email to a new user, greeting them by first name."""
    first_name = name.split()[0]
    subject = f"Welcome to DynamicFlow, {first_name}!"
    body = (
        f"Hi {first_name},\n\n"
        f"Welcome to DynamicFlow: your account ({email}) is ready.\n\n"
        "Describe a workflow in plain words and DynamicFlow plans it, shows it as a graph "
        "you can edit, and runs it.\n\n"
        "If you did not sign up, you can ignore this message.\n\n"
        "The DynamicFlow team"
    )
    message = outbound_message_record(
        kind="email",
        reference_prefix="msg_",
        recipient=email,
        subject=subject,
        body=body,
        payload={"template": "welcome", "name": name},
        context=context,
    )
    return SentEmail(message_id=message.reference, to=email, subject=subject, status="queued")


@tool(category="email", retries=2)
def send_email(
    to: Annotated[EmailAddress, Field(description="Recipient address.")],
    subject: Annotated[str, Field(min_length=1, max_length=300, description="Subject line.")],
    body: Annotated[str, Field(min_length=1, max_length=50_000, description="Plain-text body.")],
    context: ToolContext,
    cc: Annotated[
        tuple[EmailAddress, ...], Field(max_length=20, description="Addresses to copy.")
    ] = (),
    reply_to: Annotated[EmailAddress | None, Field(description="Reply-To address.")] = None,
) -> SentEmail:
    """Send a plain-text email to one recipient (optionally copying others)."""
    message = outbound_message_record(
        kind="email",
        reference_prefix="msg_",
        recipient=to,
        subject=subject,
        body=body,
        payload={"cc": list(cc), "reply_to": reply_to},
        context=context,
    )
    return SentEmail(message_id=message.reference, to=to, subject=subject, status="queued")
