"""What a `Tool` row's `config` holds for each kind, and every check a row must pass.

Every kind shares the runtime options (timeout, retries, approval, caching, concurrency)
that become the engine's `ToolConfig`; each kind adds its own settings:

- python:   nothing more (code tools; the options come from the `@tool` decorator)
- http:     method, url, query, headers, body, body_format, response, success_statuses
- llm:      prompt, system, model, temperature
- mcp:      remote_name (the tool's name on its MCP server)
- approval: instructions, assignees (a reusable approval form; never called by the engine)
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from django.conf import settings
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from flows.core.json_schemas import schema_problem_at
from flows.core.tools import ToolConfig
from tools_registry.templating import credential_names, template_problems

if TYPE_CHECKING:
    from tools_registry.models import Tool

INPUT_ROOTS = frozenset({"input"})
HEADER_ROOTS = frozenset({"input", "credentials"})
RESPONSE_ROOTS = frozenset({"response"})


class _Config(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RuntimeOptions(_Config):
    timeout_s: float = Field(30.0, gt=0, le=3600)
    retries: int = Field(0, ge=0, le=10)
    requires_approval: bool = False
    cacheable: bool = False
    concurrency: int | None = Field(None, ge=1, le=1000)

    def tool_config(self) -> ToolConfig:
        return ToolConfig(
            timeout_s=self.timeout_s,
            retries=self.retries,
            requires_approval=self.requires_approval,
            cacheable=self.cacheable,
            concurrency=self.concurrency,
        )


class PythonConfig(RuntimeOptions):
    pass


class HttpConfig(RuntimeOptions):
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"] = "GET"
    url: str = Field(min_length=1, max_length=2000, description="Template over `input`.")
    query: dict[str, str] = Field(default_factory=dict, description="Templates over `input`.")
    headers: dict[str, str] = Field(
        default_factory=dict, description="Templates over `input` and `credentials`."
    )
    body: Any = Field(None, description="A JSON value whose strings are templates over `input`.")
    body_format: Literal["json", "form"] = "json"
    response: dict[str, str] = Field(
        default_factory=dict,
        description="Output field -> CEL over `response` ({status, headers, body}).",
    )
    success_statuses: list[int] = Field(default_factory=list, description="Default: any 2xx.")
    max_response_bytes: int = Field(1_000_000, ge=1, le=20_000_000)


class LlmConfig(RuntimeOptions):
    prompt: str = Field(min_length=1, max_length=20000, description="Template over `input`.")
    system: str | None = Field(None, max_length=20000)
    model: str | None = Field(None, description="Default: settings.DYNAMICFLOW_MODEL.")
    temperature: float | None = Field(None, ge=0, le=2)


class McpConfig(RuntimeOptions):
    remote_name: str = Field(min_length=1, max_length=200)


class Assignees(_Config):
    users: list[str] = Field(default_factory=list)
    groups: list[str] = Field(default_factory=list)


class ApprovalConfig(_Config):
    instructions: str = ""
    assignees: Assignees = Field(default_factory=Assignees)


CONFIG_MODELS: dict[str, type[_Config]] = {
    "python": PythonConfig,
    "http": HttpConfig,
    "llm": LlmConfig,
    "mcp": McpConfig,
    "approval": ApprovalConfig,
}


def parse_config(kind: str, config: Any) -> Any:
    """The validated config model for `kind` (raises pydantic.ValidationError)."""
    return CONFIG_MODELS[kind].model_validate(config if config is not None else {})


def tool_problems(tool: Tool) -> dict[str, list[str]]:
    """Field name -> problems, for a Tool row about to be saved. Empty when it is fine."""
    problems: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        problems.setdefault(field, []).append(message)

    for field in ("input_schema", "output_schema"):
        is_input = field == "input_schema"
        for message in schema_problems(getattr(tool, field), required_object=is_input):
            add(field, message)

    kind = tool.kind
    if kind == "python" and tool.source != "code":
        add("kind", "Python tools come from code (@tool); pick http, llm, mcp or approval.")
    if tool.source == "code" and kind != "python":
        add("kind", "A tool synced from code is a python tool.")
    if kind == "mcp" and not tool.mcp_server_id:
        add("mcp_server", "An MCP tool needs the MCP server that serves it.")
    if kind != "mcp" and tool.mcp_server_id:
        add("mcp_server", "Only MCP tools belong to an MCP server.")

    if kind not in CONFIG_MODELS:
        return problems
    try:
        config = parse_config(kind, tool.config)
    except ValidationError as exc:
        for error in exc.errors():
            location = ".".join(str(part) for part in error["loc"]) or "config"
            add("config", f"{location}: {error['msg']}")
        return problems
    if isinstance(config, HttpConfig):
        for message in http_config_problems(config):
            add("config", message)
    elif isinstance(config, LlmConfig):
        for message in template_problems(config.prompt, roots=INPUT_ROOTS, where="prompt"):
            add("config", message)
        for message in template_problems(config.system or "", roots=INPUT_ROOTS, where="system"):
            add("config", message)
    return problems


def http_config_problems(config: HttpConfig) -> list[str]:
    from flows.core.expressions import ExpressionError, compile_expression

    problems: list[str] = []
    if not config.url.lower().startswith(("http://", "https://")):
        problems.append("url: start the URL with http:// or https://.")
    problems += template_problems(config.url, roots=INPUT_ROOTS, where="url")
    problems += template_problems(config.query, roots=INPUT_ROOTS, where="query")
    problems += template_problems(config.body, roots=INPUT_ROOTS, where="body")
    problems += template_problems(config.headers, roots=HEADER_ROOTS, where="headers")
    for name, source in config.response.items():
        try:
            compiled = compile_expression(source)
        except ExpressionError as exc:
            problems.append(f"response.{name}: does not compile: {exc}")
            continue
        strays = sorted(set(compiled.variables) - RESPONSE_ROOTS)
        if strays:
            problems.append(
                f"response.{name}: reads {', '.join(strays)}; a response mapping may only read "
                "`response` (status, headers, body)."
            )
    if any(not 100 <= status <= 599 for status in config.success_statuses):
        problems.append("success_statuses: use HTTP status codes (100-599).")
    names = credential_names(config.headers)
    if names:
        from tools_registry.models import Credential

        known = set(Credential.objects.filter(name__in=names).values_list("name", flat=True))
        for name in sorted(names - known):
            problems.append(
                f"headers: credential `{name}` does not exist; add it under Credentials first."
            )
    return problems


def _saved_http_config(tool: Tool) -> HttpConfig | None:
    """An HTTP tool's config, or None for another kind or a config the form refused."""
    if tool.kind != "http":
        return None
    try:
        config = parse_config("http", tool.config)
    except ValidationError:
        return None
    return config if isinstance(config, HttpConfig) else None


def tool_warnings(tool: Tool) -> list[str]:
    """What runs of a saved tool would refuse or miss (the admin shows them on save)."""
    return [
        *credential_warnings(tool),
        *address_warnings(tool, getattr(settings, "DYNAMICFLOW_ALLOWED_PRIVATE_HOSTS", ())),
        *assignee_warnings(tool),
        *schema_warnings(tool),
    ]


def credential_warnings(tool: Tool) -> list[str]:
    """What an admin should know when saving an HTTP tool that sends credentials.

    Not errors: the runtime refuses to send a credential anywhere it does not allow, so
    these say which runs will fail, or where the flow's user picks the destination.
    """
    config = _saved_http_config(tool)
    if config is None:
        return []
    names = credential_names(config.headers)
    if not names:
        return []
    from tools_registry.credential_hosts import host_allowed, static_url_target
    from tools_registry.models import Credential

    shown = ", ".join(f"`{name}`" for name in sorted(names))
    target = static_url_target(config.url)
    if target is None:
        return [
            f"The URL's host comes from a placeholder, and the headers send credential(s) "
            f"{shown}: whoever runs this tool picks where the request goes. Runs send each "
            "credential only to the hosts it allows (anything else fails the node); write "
            "the host into the URL if you can."
        ]
    warnings = []
    for credential in Credential.objects.filter(name__in=names).order_by("name"):
        allowed = credential.allowed_hosts or []
        if not host_allowed(allowed, host=target.host, port=target.port, scheme=target.scheme):
            warnings.append(
                f"Credential `{credential.name}` may not be sent to {target} (it allows: "
                f"{', '.join(allowed) or 'no host'}): runs of this tool will fail until "
                "you add the host to the credential's allowed hosts."
            )
    return warnings


def address_warnings(tool: Tool, allowed: Sequence[str]) -> list[str]:
    """What an admin should know when saving an HTTP tool whose fixed host runs refuse: a
    loopback or private address ("http://127.0.0.1:8931/...") that `allowed` (the site's
    DYNAMICFLOW_ALLOWED_PRIVATE_HOSTS) does not cover. Only a host written as an address,
    or `localhost`, is judged: a name is resolved at run time, where it may differ."""
    config = _saved_http_config(tool)
    if config is None:
        return []
    from tools_registry.credential_hosts import static_url_target
    from tools_registry.url_guard import URLNotAllowed, check_url

    target = static_url_target(config.url)
    if target is None or not _written_as_address(target.host):
        return []
    port = f":{target.port}" if target.port is not None else ""
    try:
        check_url(f"{target.scheme}://{target}/", allowed=allowed)
    except URLNotAllowed as exc:
        return [
            f"Runs will refuse this tool's URL ({target.scheme}://{target.host}{port}): "
            f"{exc.args[0].split(': ', 1)[-1]}"
        ]
    except OSError:
        return []
    return []


def _written_as_address(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def assignee_warnings(tool: Tool) -> list[str]:
    """What an admin should know when saving an approval tool: assignees that do not exist
    (or none at all) leave its steps waiting for nobody but staff."""
    if tool.kind != "approval":
        return []
    try:
        config = parse_config("approval", tool.config)
    except ValidationError:
        return []
    from django.contrib.auth.models import Group, User

    users, groups = config.assignees.users, config.assignees.groups
    if not users and not groups:
        return ["The approval has no assignees: only staff will be able to decide its steps."]
    known_users = set(User.objects.filter(username__in=users).values_list("username", flat=True))
    known_groups = set(Group.objects.filter(name__in=groups).values_list("name", flat=True))
    warnings = [f"There is no user `{name}`: add the user or fix the name."
                for name in users if name not in known_users]
    warnings += [f"There is no group `{name}`: add it under Authentication → Groups or fix "
                 "the name." for name in groups if name not in known_groups]
    return warnings


def schema_warnings(tool: Tool) -> list[str]:
    """What an admin should know when saving an HTTP, MCP or LLM tool with no schemas: the
    planner can give it no inputs by name, and flows can read none of its fields."""
    if tool.kind not in ("http", "mcp", "llm"):
        return []
    warnings = []
    if not (tool.input_schema or {}).get("properties"):
        warnings.append(
            "The tool's input schema lists no inputs, so flows can pass it nothing: list "
            "them under `properties` (the example shows how)."
        )
    if not (tool.output_schema or {}).get("properties"):
        warnings.append(
            "The tool's output schema lists no fields, so flows can read only its whole "
            "result: list the fields it returns under `properties`."
        )
    return warnings


def schema_problems(schema: Any, *, required_object: bool) -> list[str]:
    if not isinstance(schema, dict):
        return ["Give a JSON Schema object, e.g. {\"type\": \"object\", \"properties\": {}}."]
    problems: list[str] = []
    problem = schema_problem_at(schema)
    if problem is not None:
        where = "/".join(str(part) for part in problem[0])
        problems.append(f"Not a valid JSON Schema{f' at {where}' if where else ''}: {problem[1]}")
    if required_object and schema.get("type", "object") != "object":
        problems.append('An input schema describes an object: use "type": "object".')
    return problems
