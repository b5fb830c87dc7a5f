"""Demo user directory: look a user up by id or email in a fixed, in-code directory."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, Field

from flows.core.tools import ToolError
from tools_registry.code_tools import tool


class User(BaseModel):
    user_id: str = Field(description="Directory id, e.g. 'u_1001'.")
    name: str
    email: str
    plan: Literal["free", "pro", "enterprise"]
    country: str = Field(description="ISO 3166-1 alpha-2 country code.")
    active: bool = Field(description="False when the account is suspended.")
    signup_date: str = Field(description="ISO date the account was created.")


DIRECTORY: tuple[User, ...] = (
    User(user_id="u_1001", name="Ada Lovelace", email="ada@example.com", plan="pro",
         country="GB", active=True, signup_date="2023-01-15"),
    User(user_id="u_1002", name="Grace Hopper", email="grace@example.com", plan="enterprise",
         country="US", active=True, signup_date="2022-06-01"),
    User(user_id="u_1003", name="Alan Turing", email="alan@example.org", plan="free",
         country="GB", active=True, signup_date="2024-03-09"),
    User(user_id="u_1004", name="Katherine Johnson", email="katherine@example.com",
         plan="pro", country="US", active=True, signup_date="2023-11-20"),
    User(user_id="u_1005", name="Margaret Hamilton", email="margaret@example.net",
         plan="enterprise", country="US", active=False, signup_date="2021-09-30"),
    User(user_id="u_1006", name="Hedy Lamarr", email="hedy@example.de", plan="free",
         country="DE", active=True, signup_date="2024-07-04"),
)
_BY_ID = {user.user_id: user for user in DIRECTORY}
_BY_EMAIL = {user.email.lower(): user for user in DIRECTORY}


class UserLookup(BaseModel):
    found: bool = Field(description="True when a user matched.")
    user: User | None = Field(description="The user, or null when none matched.")


def _normalise_user_id(user_id: str) -> str:
    value = user_id.strip().lower()
    # Accept the bare number ("1001") as well as the full id ("u_1001").
    return f"u_{value}" if value.isdigit() else value


@tool(category="users", cacheable=True, inline=True)
def lookup_user(
    user_id: Annotated[
        str | None, Field(max_length=64, description="Directory id such as 'u_1001' (or 1001).")
    ] = None,
    email: Annotated[
        str | None, Field(max_length=254, description="Email address (case-insensitive).")
    ] = None,
) -> UserLookup:
    """Find a user by id or email; returns found=false (not an error) when nobody matches.

    Give user_id or email (or both: the id is tried first). The user record has name,
    email, plan (free/pro/enterprise), country, active and signup_date.
    """
    if not user_id and not email:
        raise ToolError(
            "lookup_user needs user_id or email", code="invalid_input",
            details=[{"field": "user_id", "message": "give user_id or email"}],
        )
    user = None
    if user_id:
        user = _BY_ID.get(_normalise_user_id(user_id))
    if user is None and email:
        user = _BY_EMAIL.get(email.strip().lower())
    return UserLookup(found=user is not None, user=user)
