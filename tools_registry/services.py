"""Writes to the tool registry: syncing code tools, joins, credentials, MCP imports, trying a tool.

Every function validates before it writes and writes in one transaction, so a refused
change leaves the database as it was (errors are Django `ValidationError`s naming fields).
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import async_to_sync
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from flows.core.tools import ToolContext, ToolError
from tools_registry.code_tools import (
    CODE_TOOLS,
    TOOL_ID_PATTERN,
    readable_identifier,
    tidy_schema,
)
from tools_registry.display_names import tool_display_name
from tools_registry.models import Category, Credential, Join, McpServer, Tool

logger = logging.getLogger(__name__)


# --- code tools -> rows ------------------------------------------------------------------


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    #: Rows with a code tool's id that were not made from code (left alone).
    conflicts: list[str] = field(default_factory=list)
    #: Code rows whose tool is no longer in the code (the catalogue leaves them out).
    orphaned: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.conflicts)} conflicts, "
            f"{len(self.orphaned)} orphaned"
        )


def tools_sync(*, using: str = DEFAULT_DB_ALIAS) -> SyncReport:
    """Make one `Tool` row per code tool, matching the code (idempotent).

    Schemas, names, descriptions, categories and runtime options come from the code; a
    change bumps the row's version. `enabled` belongs to the admins and is never touched.
    """
    import tools_registry.demo  # noqa: F401  (registers the demo pack)

    report = SyncReport()
    with transaction.atomic(using=using):
        rows = {row.id: row for row in Tool.objects.using(using).select_for_update()}
        categories = {c.slug: c for c in Category.objects.using(using).all()}
        for code_tool in CODE_TOOLS.values():
            spec = code_tool.spec
            category = categories.get(spec.category)
            if category is None:
                category = Category.objects.using(using).create(
                    slug=spec.category, name=spec.category.replace("_", " ").capitalize()
                )
                categories[spec.category] = category
            row = rows.get(spec.id)
            desired: dict[str, Any] = {
                "name": _row_name(spec, row),
                "description": spec.description,
                "kind": Tool.Kind.PYTHON,
                "category": category,
                "input_schema": spec.input_schema,
                "output_schema": spec.output_schema,
                "config": {
                    "timeout_s": spec.config.timeout_s,
                    "retries": spec.config.retries,
                    "requires_approval": spec.config.requires_approval,
                    "cacheable": spec.config.cacheable,
                    "concurrency": spec.config.concurrency,
                },
            }
            if row is None:
                Tool.objects.using(using).create(id=spec.id, source=Tool.Source.CODE, **desired)
                report.created.append(spec.id)
                continue
            if row.source != Tool.Source.CODE:
                report.conflicts.append(spec.id)
                logger.warning(
                    "tool id %s is used by a %s tool and by a code tool; the code tool wins "
                    "at run time, rename the other one", spec.id, row.source,
                )
                continue
            changed = [name for name, value in desired.items() if _differs(row, name, value)]
            if changed:
                for name in changed:
                    setattr(row, name, desired[name])
                row.version += 1
                row.save(using=using)
                report.updated.append(spec.id)
            else:
                report.unchanged.append(spec.id)
        report.orphaned = sorted(
            tool_id for tool_id, row in rows.items()
            if row.source == Tool.Source.CODE and tool_id not in CODE_TOOLS
        )
    return report


def _row_name(spec: Any, row: Tool | None) -> str:
    """The name a code tool's row shows: the one its code gives it, else one made from its
    id for people to read ("Fetch URL"). A row whose name is neither that nor the older
    form made from its id ("Fetch url") was renamed by an admin, and keeps its name."""
    if spec.name != readable_identifier(spec.id):
        return str(spec.name)
    shown = tool_display_name(spec.id)
    if row is None or row.name in (spec.name, shown):
        return shown
    return row.name


def _differs(row: Tool, name: str, value: Any) -> bool:
    if name == "category":
        return bool(row.category_id != value.pk)
    return bool(getattr(row, name) != value)


def tools_sync_after_migrate(*, using: str = DEFAULT_DB_ALIAS, verbosity: int = 1,
                             **kwargs: Any) -> None:
    """post_migrate handler: sync once the registry's tables exist (not on partial migrations)."""
    tables = set(connections[using].introspection.table_names())
    if not {Tool._meta.db_table, Category._meta.db_table} <= tables:
        return
    report = tools_sync(using=using)
    if verbosity >= 2:
        print(f"  Synced code tools: {report.summary()}")


# --- tools written by admins -----------------------------------------------------------

#: The kinds an admin registers: python tools come from code, MCP tools from their server.
WRITABLE_KINDS = (Tool.Kind.HTTP, Tool.Kind.LLM, Tool.Kind.APPROVAL)
WRITABLE_KIND_CHOICES = [(kind.value, kind.label) for kind in WRITABLE_KINDS]
#: What may change on a tool that code or an MCP import describes (as in the admin).
SOURCED_FIELDS = {"enabled", "access", "access_groups"}
#: A change to these bumps the tool's version (as the admin's save does).
VERSIONED_FIELDS = {"input_schema", "output_schema", "config"}


def tool_create(*, access_groups: Any = (), **fields: Any) -> Tool:
    """Register an admin tool (http, llm or approval), checked as the admin checks it."""
    tool = Tool(source=Tool.Source.ADMIN, **fields)
    with transaction.atomic():
        _check_tool(tool, access_groups)
        tool.save()
        tool.access_groups.set(access_groups)
    return tool


def tool_update(tool: Tool, *, access_groups: Any = None, **changes: Any) -> Tool:
    """Change a tool; a code or MCP tool only in who may use it and whether it is enabled."""
    if tool.source != Tool.Source.ADMIN:
        fixed = sorted(set(changes) - SOURCED_FIELDS)
        if fixed:
            message = (f"{tool.id} comes from {tool.get_source_display().lower()}: only "
                       "enabled, access and access_groups can change.")
            raise ValidationError(dict.fromkeys(fixed, message))
    if any(changes.get(name, getattr(tool, name)) != getattr(tool, name)
           for name in VERSIONED_FIELDS):
        tool.version += 1
    for name, value in changes.items():
        setattr(tool, name, value)
    groups = list(tool.access_groups.all()) if access_groups is None else access_groups
    with transaction.atomic():
        _check_tool(tool, groups)
        tool.save()
        if access_groups is not None:
            tool.access_groups.set(access_groups)
    return tool


def tool_delete(tool: Tool) -> None:
    """Delete an admin or MCP tool and the joins that use it (a code tool's row comes back
    at the next sync: disable it instead)."""
    if tool.source == Tool.Source.CODE:
        raise ValidationError(
            {"id": f"{tool.id} comes from code and comes back at the next sync: disable it."}
        )
    tool.delete()


def _check_tool(tool: Tool, access_groups: Any) -> None:
    # full_clean: the field checks, the id's uniqueness and Tool.clean (schemas, config)
    tool.full_clean()
    if tool.access == Tool.Access.GROUPS and not access_groups:
        raise ValidationError(
            {"access_groups": "Choose the groups whose members may use the tool."}
        )


# --- joins -------------------------------------------------------------------------------


def join_create(
    *, from_tool: Tool, to_tool: Tool, mapping: dict[str, str], description: str = "",
    enabled: bool = True,
) -> Join:
    join = Join(
        from_tool=from_tool, to_tool=to_tool, mapping=mapping, description=description,
        enabled=enabled,
    )
    join.save()  # validates (Join.save runs full_clean)
    return join


def join_update(join: Join, **changes: Any) -> Join:
    allowed = {"from_tool", "to_tool", "mapping", "description", "enabled"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed."))
    with transaction.atomic():
        for name, value in changes.items():
            setattr(join, name, value)
        join.save()
    return join


def join_delete(join: Join) -> None:
    join.delete()


# --- credentials -------------------------------------------------------------------------


#: Sealed by `Credential.save()`, once the row has the id the secret is bound to.
_SEALED_FIELDS = ["key_id", "ciphertext"]


def credential_create(
    *, name: str, secret: str, description: str = "", allowed_hosts: list[str] | None = None,
) -> Credential:
    if not secret:
        raise ValidationError({"secret": "Give the secret value."})
    credential = Credential(name=name, description=description,
                            allowed_hosts=list(allowed_hosts or []))
    credential.set_secret(secret)
    credential.full_clean(exclude=_SEALED_FIELDS)
    credential.save()
    return credential


def credential_update(
    credential: Credential, *, name: str | None = None, secret: str | None = None,
    description: str | None = None, allowed_hosts: list[str] | None = None,
) -> Credential:
    """Change a credential; a new name or new hosts reseal the secret (bound to both)."""
    if name is not None:
        credential.name = name
    if description is not None:
        credential.description = description
    if allowed_hosts is not None:
        credential.allowed_hosts = list(allowed_hosts)
    if secret:
        credential.set_secret(secret)
    credential.full_clean(exclude=_SEALED_FIELDS)
    credential.save()
    return credential


def credentials_reseal() -> int:
    """Re-encrypt every credential sealed with an older key under the primary key."""
    from tools_registry.crypto import keyring

    primary = keyring().primary
    count = 0
    with transaction.atomic():
        for credential in Credential.objects.select_for_update().exclude(key_id=primary):
            credential.set_secret(credential.reveal())
            credential.save(update_fields=["key_id", "ciphertext", "updated_at"])
            count += 1
    return count


# --- MCP servers -------------------------------------------------------------------------


@dataclass
class McpImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.disabled)} disabled (no longer offered), {len(self.conflicts)} conflicts"
        )


class McpImportError(Exception):
    """The server could not be listed; `last_error` on the server says why."""


def mcp_tool_id(server_name: str, remote_name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9_.\-]", "_", remote_name)
    tool_id = f"{server_name}.{cleaned}"[:128]
    if not re.match(TOOL_ID_PATTERN, tool_id):  # server names start with a letter
        raise ValueError(f"cannot make a tool id from {remote_name!r}")
    return tool_id


def mcp_server_import_tools(server: McpServer) -> McpImportReport:
    """Import (or refresh) the server's tools as `Tool` rows; tools it dropped are disabled."""
    from tools_registry.catalog import mcp_endpoint
    from tools_registry.kinds.mcp import TEXT_OUTPUT_SCHEMA, McpUnavailable, mcp_list_tools

    try:
        remote = async_to_sync(mcp_list_tools)(mcp_endpoint(server))
    except (McpUnavailable, ToolError) as exc:
        server.last_error = str(exc)
        server.save(update_fields=["last_error", "updated_at"])
        raise McpImportError(str(exc)) from None

    report = McpImportReport()
    with transaction.atomic():
        category, _ = Category.objects.get_or_create(
            slug=f"mcp-{server.name}".replace("_", "-"),
            defaults={"name": f"MCP: {server.name}"},
        )
        existing = {
            row.id: row for row in Tool.objects.select_for_update().filter(mcp_server=server)
        }
        seen: set[str] = set()
        for item in remote:
            tool_id = mcp_tool_id(server.name, item.name)
            seen.add(tool_id)
            input_schema = tidy_schema(item.input_schema)
            input_schema.setdefault("type", "object")
            output_schema = tidy_schema(item.output_schema) if item.output_schema else dict(
                TEXT_OUTPUT_SCHEMA
            )
            row = existing.get(tool_id)
            if row is None:
                if Tool.objects.filter(id=tool_id).exists():
                    report.conflicts.append(tool_id)
                    continue
                Tool.objects.create(
                    id=tool_id, name=item.name, description=item.description,
                    kind=Tool.Kind.MCP, source=Tool.Source.MCP, mcp_server=server,
                    category=category, input_schema=input_schema, output_schema=output_schema,
                    config={"remote_name": item.name, "timeout_s": server.timeout_s},
                )
                report.created.append(tool_id)
                continue
            config = {**(row.config or {}), "remote_name": item.name}
            desired = {
                "description": item.description, "input_schema": input_schema,
                "output_schema": output_schema, "config": config,
            }
            if any(getattr(row, name) != value for name, value in desired.items()):
                for name, value in desired.items():
                    setattr(row, name, value)
                row.version += 1
                row.save()
                report.updated.append(tool_id)
        for tool_id, row in existing.items():
            if tool_id not in seen and row.enabled:
                row.enabled = False
                row.save(update_fields=["enabled", "updated_at"])
                report.disabled.append(tool_id)
        server.last_synced_at = timezone.now()
        server.last_error = ""
        server.save(update_fields=["last_synced_at", "last_error", "updated_at"])
    return report


# --- trying a tool -----------------------------------------------------------------------


@dataclass
class TryResult:
    ok: bool
    output: Any = None
    error: dict[str, Any] | None = None
    duration_ms: float = 0.0


def tool_try(tool: Tool, inputs: dict[str, Any]) -> TryResult:
    """Call `tool` once with `inputs` (even when disabled) and report what happened."""
    from tools_registry.catalog import tool_from_row

    try:
        runnable = tool_from_row(tool)
    except (ValueError, ValidationError) as exc:  # pydantic's ValidationError is a ValueError
        return TryResult(ok=False, error={"code": "invalid_config", "message": str(exc)})
    if runnable is None:
        message = (
            "approval tools are forms for people; they cannot be called"
            if tool.kind == Tool.Kind.APPROVAL
            else "this tool cannot be called here (is its code or its server missing?)"
        )
        return TryResult(ok=False, error={"code": "not_callable", "message": message})
    context = ToolContext(run_id=f"try-{uuid.uuid4().hex[:12]}", node_id="try")

    async def invoke() -> Any:
        async with asyncio.timeout(runnable.spec.config.timeout_s):
            return await runnable.invoke(inputs, context)

    started = time.perf_counter()
    try:
        output = async_to_sync(invoke)()
    except ToolError as exc:
        error = {"code": exc.code, "message": exc.message, "details": exc.details,
                 "retryable": exc.retryable}
        return TryResult(ok=False, error=error, duration_ms=_ms(started))
    except TimeoutError:
        return TryResult(
            ok=False,
            error={"code": "timeout", "message": "the tool did not finish in time"},
            duration_ms=_ms(started),
        )
    return TryResult(ok=True, output=output, duration_ms=_ms(started))


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
