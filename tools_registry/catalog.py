"""The tool catalogues the planners, the validator and the engine see.

- `default_catalog()`: the code tools only (no database), built once per process.
- `registry_catalog()`: what a deployment offers, read from the database: every code tool
  whose row is not disabled, plus the enabled HTTP, MCP and LLM tools. Each call takes a
  fresh snapshot (one query); take one per plan or run so a run sees one consistent set.
- `registry_joins()`: the enabled registry joins, as the IR's `Join`s.
- `registry_fingerprint()`: a digest of the rows both are built from, to tell whether a
  snapshot is still current without rebuilding it.

Both registry functions use the ORM: from async code, call them via
`dynamicflow_site.db_threads.orm_call`, which first drops its thread's connection when the
database closed it (a Postgres restart, an idle timeout), as a request does.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings
from pydantic import ValidationError

from dynamicflow_site.db_threads import orm_call
from flows.core.ir import Join as IrJoin
from flows.core.tools import InMemoryCatalog, Tool, ToolConfig, ToolSpec
from tools_registry.code_tools import CODE_TOOLS
from tools_registry.credential_hosts import Secret
from tools_registry.tool_config import (
    HttpConfig,
    LlmConfig,
    McpConfig,
    RuntimeOptions,
    parse_config,
)

if TYPE_CHECKING:
    from tools_registry import models
    from tools_registry.kinds.mcp import McpEndpoint

logger = logging.getLogger(__name__)

#: Kinds the engine can call from a database row (python tools come from CODE_TOOLS).
CALLABLE_KINDS = ("http", "mcp", "llm")


@lru_cache(maxsize=1)
def default_catalog() -> InMemoryCatalog:
    """Every code tool (the demo pack included), built once per process."""
    # Normally AppConfig.ready has imported the pack already; importing here too keeps the
    # catalogue complete when it is asked for first.
    import tools_registry.demo  # noqa: F401

    return InMemoryCatalog(CODE_TOOLS.values())


def registry_catalog() -> InMemoryCatalog:
    """The code tools not disabled in the database plus the enabled configured tools."""
    import tools_registry.demo  # noqa: F401
    from tools_registry.models import Tool as ToolRow

    disabled = set(
        ToolRow.objects.filter(source=ToolRow.Source.CODE, enabled=False).values_list(
            "id", flat=True
        )
    )
    catalog = InMemoryCatalog(tool for tool in CODE_TOOLS.values() if tool.spec.id not in disabled)
    rows = (
        ToolRow.objects.filter(enabled=True, kind__in=CALLABLE_KINDS)
        .exclude(source=ToolRow.Source.CODE)
        .select_related("category", "mcp_server")
    )
    for row in rows:
        if row.id in catalog:
            continue
        try:
            tool = tool_from_row(row)
        except (ValidationError, ValueError) as exc:
            # One misconfigured row must not take the whole catalogue down.
            logger.warning("tool %s is skipped: its config is invalid (%s)", row.id, exc)
            continue
        if tool is not None:
            catalog.add(tool)
    return catalog


def registry_joins() -> list[IrJoin]:
    from tools_registry.models import Join

    return [
        IrJoin(from_tool=join.from_tool_id, to_tool=join.to_tool_id, mapping=join.mapping)
        for join in Join.objects.filter(enabled=True).order_by("from_tool_id", "to_tool_id")
    ]


def registry_fingerprint() -> str:
    """A digest of every row the catalogue and joins are built from (one small query).

    It changes whenever a tool, MCP server, credential, category or join is added,
    changed, enabled, disabled or deleted, so a process can keep its snapshot (and the
    flows compiled against it) for as long as the digest stays the same.
    """
    from django.db import connection

    from tools_registry import models

    def rows(model: type, columns: str) -> str:
        table = model._meta.db_table  # type: ignore[attr-defined]
        return f"(SELECT string_agg(concat_ws(':', {columns}), ',' ORDER BY id) FROM {table})"

    stamped = "id, updated_at"
    parts = [
        rows(models.Tool, "id, enabled, updated_at"),
        rows(models.McpServer, stamped),
        rows(models.Credential, stamped),
        rows(models.Join, "id, enabled, updated_at"),
        rows(models.Category, "id, slug"),
    ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT md5(concat_ws('|', {', '.join(parts)}))")
        return str(cursor.fetchone()[0])


async def aregistry_catalog() -> InMemoryCatalog:
    return await orm_call(registry_catalog)()


def spec_from_row(row: models.Tool) -> ToolSpec:
    """The engine's view of a row: id, schemas and runtime options."""
    try:
        options = parse_config(row.kind, row.config)
    except ValidationError:
        options = None
    return ToolSpec(
        id=row.id,
        name=row.name,
        description=row.description,
        category=row.category_slug,
        input_schema=row.input_schema or {"type": "object"},
        output_schema=row.output_schema or {},
        config=options.tool_config() if isinstance(options, RuntimeOptions) else ToolConfig(),
    )


def tool_from_row(row: models.Tool) -> Tool | None:
    """A callable tool for a row, or None for kinds the engine does not call (approval).

    Python rows resolve to their code tool; the others are built from a snapshot of the
    row (and of its MCP server), so later edits do not change a tool in use.
    """
    if row.kind == "python":
        return CODE_TOOLS.get(row.id)
    if row.kind == "approval":
        return None
    spec = spec_from_row(row)
    config = parse_config(row.kind, row.config)
    allowed = tuple(getattr(settings, "DYNAMICFLOW_ALLOWED_PRIVATE_HOSTS", ()))
    if isinstance(config, HttpConfig):
        from tools_registry.kinds.http import HttpTool

        return HttpTool(spec, config, allowed_hosts=allowed, load_credentials=load_credentials)
    if isinstance(config, LlmConfig):
        from tools_registry.kinds.llm import LlmSettings, LlmTool

        return LlmTool(
            spec,
            config,
            LlmSettings(
                api_key=getattr(settings, "OPENAI_API_KEY", "") or "",
                base_url=getattr(settings, "OPENAI_BASE_URL", None),
                model=getattr(settings, "DYNAMICFLOW_MODEL", "gpt-4o-mini"),
            ),
        )
    if isinstance(config, McpConfig):
        from tools_registry.kinds.mcp import McpTool

        server = row.mcp_server
        if server is None or not server.enabled:
            return None
        return McpTool(spec, mcp_endpoint(server), config.remote_name)
    raise ValueError(f"tool {row.id}: kind {row.kind!r} cannot be called")


def mcp_endpoint(server: models.McpServer) -> McpEndpoint:
    from tools_registry.kinds.mcp import McpEndpoint

    return McpEndpoint(
        name=server.name,
        transport=server.transport,
        url=server.url,
        command=server.command,
        args=tuple(server.args or ()),
        timeout_s=server.timeout_s or 30.0,
        allowed_hosts=tuple(getattr(settings, "DYNAMICFLOW_ALLOWED_PRIVATE_HOSTS", ())),
        env=tuple(sorted((server.env or {}).items())) if isinstance(server.env, dict) else (),
        load_credentials=load_credentials,
    )


async def load_credentials(names: set[str]) -> dict[str, Secret]:
    return await orm_call(credential_secrets)(names)


def credential_secrets(names: set[str]) -> dict[str, Secret]:
    """Decrypted secrets and their allowed hosts by name; ToolError for a missing or
    unreadable one."""
    from flows.core.tools import ToolError
    from tools_registry.crypto import DecryptionError
    from tools_registry.models import Credential

    found = {c.name: c for c in Credential.objects.filter(name__in=names)}
    missing = sorted(names - set(found))
    if missing:
        raise ToolError(
            f"credential(s) {', '.join(missing)} do not exist; add them in the admin",
            code="missing_credential",
        )
    try:
        return {
            name: Secret(name, credential.reveal(), tuple(credential.allowed_hosts or ()))
            for name, credential in found.items()
        }
    except DecryptionError as exc:
        raise ToolError(
            f"a credential cannot be decrypted: {exc}", code="credential_error"
        ) from None
