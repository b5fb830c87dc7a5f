"""Tools configured in the database, one module per kind: HTTP, MCP and LLM.

Each turns a `Tool` row (a snapshot of its spec and config) into an object the engine can
call (`flows.core.tools.Tool`); `tools_registry.catalog.tool_from_row` picks the kind.
"""
