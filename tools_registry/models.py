"""Tool registry models: tools, categories, joins, credentials, MCP servers, the demo outbox.

A `Tool` row describes every tool a planner may use. Code tools (`kind=python`) are synced
from `CODE_TOOLS` (their schemas come from the code and are read-only); HTTP and LLM tools
are configured here; MCP tools are imported from an `McpServer`. `registry_catalog()`
(tools_registry.catalog) turns the enabled rows into the catalogue the engine runs.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from tools_registry.code_tools import TOOL_ID_PATTERN


def _object_schema() -> dict[str, Any]:
    return {"type": "object", "properties": {}}


tool_id_validator = RegexValidator(
    TOOL_ID_PATTERN,
    "Use letters, digits, '_', '.' and '-', starting with a letter or '_' (at most 128).",
)
#: Names that appear inside templates (`{{ credentials.NAME }}`) must be CEL identifiers.
identifier_validator = RegexValidator(
    r"^[A-Za-z_][A-Za-z0-9_]{0,63}$",
    "Use letters, digits and '_', starting with a letter or '_' (at most 64).",
)
server_name_validator = RegexValidator(
    r"^[a-z][a-z0-9_]{0,39}$",
    "Use lower-case letters, digits and '_', starting with a letter (at most 40); "
    "it prefixes the ids of the server's tools.",
)


class Category(models.Model):
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["slug"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class McpServer(models.Model):
    """An MCP server whose tools are imported as `Tool` rows and called at run time."""

    class Transport(models.TextChoices):
        STREAMABLE_HTTP = "streamable_http", "Streamable HTTP"
        STDIO = "stdio", "stdio (a local command)"

    name = models.CharField(max_length=40, unique=True, validators=[server_name_validator])
    description = models.TextField(blank=True)
    transport = models.CharField(
        max_length=20, choices=Transport.choices, default=Transport.STREAMABLE_HTTP
    )
    url = models.URLField(
        max_length=500, blank=True, help_text="Streamable HTTP endpoint, e.g. https://host/mcp"
    )
    command = models.CharField(
        max_length=500, blank=True, help_text="stdio: the executable to start."
    )
    args = models.JSONField(default=list, blank=True, help_text="stdio: a list of arguments.")
    env = models.JSONField(
        default=dict, blank=True,
        help_text='stdio: environment variables for the server, e.g. {"WEATHER_API_KEY": '
                  '"{{ credentials.weather_key }}"}; values may read credentials.',
    )
    timeout_s = models.FloatField(default=30.0, help_text="Per connection and per call.")
    enabled = models.BooleanField(default=True)
    last_synced_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "MCP server"

    def __str__(self) -> str:
        return self.name

    def _env_problems(self) -> list[str]:
        from tools_registry.templating import credential_names, template_problems

        env = self.env
        if env in (None, {}):
            return []
        if self.transport != self.Transport.STDIO:
            return ["Only a stdio server is started with environment variables."]
        if not isinstance(env, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in env.items()
        ):
            return ['Give the variables as a JSON object of strings, e.g. {"REGION": "eu"}.']
        problems = [
            f"{key!r} is not a variable name (letters, digits and '_', not starting with a "
            "digit)."
            for key in env if not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", key)
        ]
        problems += template_problems(env, roots=frozenset({"credentials"}), where="env")
        names = credential_names(env)
        known = set(Credential.objects.filter(name__in=names).values_list("name", flat=True))
        problems += [
            f"credential `{name}` does not exist; add it under Credentials first."
            for name in sorted(names - known)
        ]
        return problems

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.transport == self.Transport.STREAMABLE_HTTP:
            if not self.url:
                errors["url"] = "A Streamable HTTP server needs its URL."
        elif not self.command:
            errors["command"] = "A stdio server needs the command that starts it."
        if not isinstance(self.args, list) or not all(isinstance(a, str) for a in self.args):
            errors["args"] = 'Give the arguments as a JSON list of strings, e.g. ["server.py"].'
        env_problems = self._env_problems()
        if env_problems:
            errors["env"] = " ".join(env_problems)
        if self.timeout_s is not None and not 0 < self.timeout_s <= 600:
            errors["timeout_s"] = "Use a timeout between 0 and 600 seconds."
        if errors:
            raise ValidationError(errors)


class Tool(models.Model):
    """A tool the planners may use and the engine may call, identified by its IR id."""

    class Kind(models.TextChoices):
        PYTHON = "python", "Python (code)"
        HTTP = "http", "HTTP request"
        MCP = "mcp", "MCP server tool"
        LLM = "llm", "LLM prompt"
        APPROVAL = "approval", "Approval form"

    class Source(models.TextChoices):
        CODE = "code", "Code"
        ADMIN = "admin", "Admin"
        MCP = "mcp", "MCP import"

    class Access(models.TextChoices):
        EVERYONE = "everyone", "Everyone"
        GROUPS = "groups", "Members of the chosen groups"
        STAFF = "staff", "Staff only"

    id = models.CharField(
        primary_key=True, max_length=128, validators=[tool_id_validator],
        help_text="The id flows use to call the tool.",
    )
    name = models.CharField(max_length=200)
    description = models.TextField(help_text="What the tool does, for planners and people.")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.HTTP, db_index=True)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="tools"
    )
    input_schema = models.JSONField(default=_object_schema, blank=True)
    output_schema = models.JSONField(default=_object_schema, blank=True)
    config = models.JSONField(
        default=dict, blank=True, help_text="Kind-specific settings; see docs/api.md."
    )
    enabled = models.BooleanField(default=True, db_index=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    source = models.CharField(
        max_length=16, choices=Source.choices, default=Source.ADMIN, db_index=True
    )
    mcp_server = models.ForeignKey(
        McpServer, null=True, blank=True, on_delete=models.CASCADE, related_name="tools"
    )
    access = models.CharField(
        max_length=16, choices=Access.choices, default=Access.EVERYONE, db_index=True,
        help_text="Who may use the tool in a flow (checked when a version is validated and "
                  "when a run starts and executes). Superusers may use every tool.",
    )
    access_groups = models.ManyToManyField(
        "auth.Group", blank=True, related_name="+",
        help_text="With 'Members of the chosen groups': the groups whose members may use it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.id

    @property
    def category_slug(self) -> str:
        return self.category.slug if self.category_id and self.category else "general"

    def clean(self) -> None:
        # Imported lazily: tool_config imports the models' neighbours, not the other way round.
        from tools_registry.tool_config import tool_problems

        problems = tool_problems(self)
        if problems:
            raise ValidationError(problems)


class Join(models.Model):
    """How to feed `from_tool`'s output into `to_tool`'s input: target field -> CEL over `source`.

    Validated on every save: each expression compiles, reads only `source`, and each target
    is an input of `to_tool`.
    """

    from_tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="joins_out")
    to_tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="joins_in")
    mapping = models.JSONField(
        help_text='Target input field -> CEL, e.g. {"email": "source.email"}'
    )
    description = models.TextField(blank=True)
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["from_tool_id", "to_tool_id"]
        constraints = [
            models.UniqueConstraint(fields=["from_tool", "to_tool"], name="unique_join_pair")
        ]

    def __str__(self) -> str:
        return f"{self.from_tool_id} -> {self.to_tool_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # "Validated on save" means every save, not only the ones that went through a form.
        self.full_clean()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from tools_registry.joins import join_problems

        if not self.from_tool_id or not self.to_tool_id:
            return  # the field validation already names the missing tool
        problems = join_problems(self.from_tool, self.to_tool, self.mapping)
        if problems:
            raise ValidationError({"mapping": problems})


class Credential(models.Model):
    """A secret (API key, token) used by HTTP tools as `{{ credentials.NAME }}` in headers.

    Only the AES-256-GCM ciphertext is stored, with the id of the key that sealed it. The
    ciphertext is bound to its row: the row's id, its name and the hosts it may be sent to
    are the associated data, so a ciphertext copied into another row does not open there,
    and widening `allowed_hosts` in the database without the key makes it unreadable.
    Changing the name or the hosts through `save()` reseals the secret.
    """

    name = models.CharField(max_length=64, unique=True, validators=[identifier_validator])
    description = models.TextField(blank=True)
    allowed_hosts = models.JSONField(
        default=list, blank=True,
        help_text="Hosts the secret may be sent to: api.example.com, *.example.com (any "
                  "subdomain), optionally with :port. Empty: it is sent nowhere.",
    )
    ciphertext = models.TextField(editable=False)
    key_id = models.CharField(max_length=64, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    #: A secret given before the row had an id (sealed by `save()`); not a column.
    _pending_secret: str | None = None

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        from django.db import transaction

        using = kwargs.get("using")
        with transaction.atomic(using=using):
            pending = self._pending_secret
            inserted = False
            if self.pk is None:
                super().save(*args, **kwargs)  # the id is part of what the secret is bound to
                inserted = True
            elif pending is None:
                pending = self._secret_to_reseal(kwargs.get("update_fields"))
            if pending is not None:
                self._seal(pending)
                if inserted:
                    super().save(update_fields=["key_id", "ciphertext"], using=using)
                else:
                    if kwargs.get("update_fields") is not None:
                        kwargs["update_fields"] = {*kwargs["update_fields"], "key_id",
                                                   "ciphertext"}
                    super().save(*args, **kwargs)
            elif not inserted:
                super().save(*args, **kwargs)
            self._pending_secret = None

    def clean(self) -> None:
        from tools_registry.credential_hosts import normalize_host_patterns

        if not isinstance(self.allowed_hosts, list):
            raise ValidationError(
                {"allowed_hosts": 'Give a list of host names, e.g. ["api.example.com"].'}
            )
        patterns, problems = normalize_host_patterns(self.allowed_hosts)
        if problems:
            raise ValidationError({"allowed_hosts": problems})
        self.allowed_hosts = patterns
        if self.pk is not None and self._pending_secret is None:
            from tools_registry.crypto import DecryptionError

            try:
                self._secret_to_reseal(None)
            except DecryptionError as exc:
                raise ValidationError({"secret": str(exc)}) from None

    def sealed_identity(self) -> str:
        return credential_identity(self.pk, self.name, self.allowed_hosts)

    def set_secret(self, value: str) -> None:
        """Seal `value` now when the row has an id, else when it is first saved."""
        self._pending_secret = value
        if self.pk is not None:
            self._seal(value)

    def reveal(self) -> str:
        from tools_registry.crypto import DecryptionError, unseal

        try:
            return unseal(
                self.key_id, self.ciphertext, purpose=credential_purpose(self.sealed_identity())
            ).decode()
        except DecryptionError as exc:
            raise DecryptionError(f"credential {self.name!r} (id {self.pk}): {exc}") from None

    def _seal(self, value: str) -> None:
        from tools_registry.crypto import seal

        self.key_id, self.ciphertext = seal(
            value.encode(), purpose=credential_purpose(self.sealed_identity())
        )

    def _secret_to_reseal(self, update_fields: Any) -> str | None:
        """The secret, when the name or the hosts changed since it was sealed (else None)."""
        if update_fields is not None and not {"name", "allowed_hosts"} & set(update_fields):
            return None
        stored = (
            type(self).objects.filter(pk=self.pk)
            .values("name", "allowed_hosts", "key_id", "ciphertext").first()
        )
        if stored is None or not stored["ciphertext"]:
            return None
        before = credential_identity(self.pk, stored["name"], stored["allowed_hosts"])
        if before == self.sealed_identity():
            return None
        from tools_registry.crypto import DecryptionError, unseal

        try:
            plaintext = unseal(
                stored["key_id"], stored["ciphertext"], purpose=credential_purpose(before)
            )
        except DecryptionError as exc:
            raise DecryptionError(
                f"credential {stored['name']!r} (id {self.pk}) cannot be renamed or given "
                f"other hosts because its secret does not open ({exc}); set a new secret"
            ) from None
        return plaintext.decode()


#: Associated data bound into every credential ciphertext, so it cannot be replayed elsewhere.
CREDENTIAL_PURPOSE = "tools_registry.credential"


def credential_identity(pk: Any, name: str, allowed_hosts: Any) -> str:
    """What a credential's ciphertext is bound to: its row, its name and its hosts."""
    hosts = ",".join(sorted(str(h) for h in allowed_hosts or ()))
    return f"{pk}:{name}:{hosts}"


def credential_purpose(identity: str) -> str:
    return f"{CREDENTIAL_PURPOSE}.row:{identity}"


class OutboundMessage(models.Model):
    """Something a demo tool would have sent to the outside world, recorded instead of sent.

    `reference` is derived from the run, the node and the content, so a node that runs
    again (a retry, or a resume after a worker died) records nothing twice.
    """

    class Kind(models.TextChoices):
        EMAIL = "email", "Email"
        TICKET = "ticket", "Support ticket"
        SHIPMENT = "shipment", "Shipment"

    reference = models.CharField(max_length=64, unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    recipient = models.CharField(max_length=320, blank=True)
    subject = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True)
    payload = models.JSONField(default=dict, blank=True)
    run_id = models.CharField(max_length=64, blank=True, db_index=True)
    node_id = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "outbound message"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reference} to {self.recipient or '-'}"
