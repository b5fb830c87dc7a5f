"""Admin forms: pretty JSON fields, the write-only credential form, and a form built from a
tool's input JSON Schema (for "try this tool")."""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms

from tools_registry.models import Credential, Join, McpServer, Tool


class PrettyJSONField(forms.JSONField):
    """A JSON textarea that shows its value indented."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 12, "cols": 90,
                                                           "style": "font-family: monospace"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        if value is None:
            return ""
        return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


def _example(value: Any) -> str:
    return json.dumps(value, indent=2)


#: Shown in the empty JSON fields of a new tool: what each field holds, by example. The
#: config's example follows the kind chosen (the change form's script swaps it).
SCHEMA_EXAMPLES = {
    "input_schema": _example({
        "type": "object",
        "properties": {"order_id": {"type": "string", "description": "The order to look up"}},
        "required": ["order_id"],
    }),
    "output_schema": _example({
        "type": "object",
        "properties": {"status": {"type": "string"}, "total": {"type": "number"}},
    }),
}
CONFIG_EXAMPLES = {
    "http": _example({
        "method": "GET",
        "url": "https://api.example.com/orders/{{ input.order_id }}",
        "headers": {"Authorization": "Bearer {{ credentials.shop_api_key }}"},
        "response": {"status": "response.body.status", "total": "response.body.total"},
        "timeout_s": 10,
        "retries": 2,
    }),
    "llm": _example({
        "prompt": "Classify this message as billing, bug or other: {{ input.message }}",
        "system": "Answer with the category only.",
        "temperature": 0,
    }),
    "mcp": _example({"remote_name": "the tool's name on the MCP server (set by the import)"}),
    "approval": _example({
        "instructions": "Check the refund against the order before approving it.",
        "assignees": {"users": [], "groups": ["managers"]},
    }),
    "python": _example({"timeout_s": 30, "retries": 0}),
}


def _as_example(example: str) -> str:
    return f"Empty. For example:\n{example}" if example else ""


class ToolForm(forms.ModelForm):
    input_schema = PrettyJSONField(
        required=False, help_text="A JSON Schema object; its properties are the tool's inputs."
    )
    output_schema = PrettyJSONField(
        required=False, help_text="A JSON Schema of what the tool returns (flows read its fields)."
    )
    config = PrettyJSONField(
        required=False,
        help_text="Depends on the kind: the example shown is for the kind chosen above. Every "
                  "kind also takes timeout_s, retries, requires_approval, cacheable and "
                  "concurrency.",
    )
    access = forms.ChoiceField(
        choices=Tool.Access.choices, required=False, initial=Tool.Access.EVERYONE,
        help_text=Tool._meta.get_field("access").help_text,
    )

    class Meta:
        model = Tool
        fields = [
            "id", "name", "description", "kind", "category", "enabled", "mcp_server",
            "access", "access_groups", "input_schema", "output_schema", "config",
        ]
        labels = {"mcp_server": "MCP server"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The admin leaves out the fields it shows read-only (a code or MCP tool's).
        # An empty box shows its example in grey, and the page offers to start from it
        # (change_form.html): grey text alone looked like a value already given.
        for name, example in SCHEMA_EXAMPLES.items():
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    {"placeholder": _as_example(example), "data-example": example}
                )
        if "config" in self.fields:
            kind = self.initial.get("kind") or Tool.Kind.HTTP
            config = self.fields["config"].widget.attrs
            example = CONFIG_EXAMPLES.get(str(kind), "")
            config.update({"placeholder": _as_example(example), "data-example": example})
            config["data-examples"] = json.dumps(CONFIG_EXAMPLES)

    def clean_access(self) -> str:
        # A form posted without the field keeps what the tool had (everyone, for a new one).
        return str(self.cleaned_data.get("access") or self.instance.access
                   or Tool.Access.EVERYONE)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("access") == Tool.Access.GROUPS and not cleaned.get("access_groups"):
            self.add_error("access_groups", "Choose the groups whose members may use the tool.")
        return cleaned

    def clean_input_schema(self) -> Any:
        value = self.cleaned_data.get("input_schema")
        return value if value not in (None, "") else {"type": "object", "properties": {}}

    def clean_output_schema(self) -> Any:
        value = self.cleaned_data.get("output_schema")
        return value if value not in (None, "") else {}

    def clean_config(self) -> Any:
        value = self.cleaned_data.get("config")
        return value if value not in (None, "") else {}


class JoinForm(forms.ModelForm):
    mapping = PrettyJSONField(
        help_text='Target input of the receiving tool -> CEL over `source` (the sending '
                  'tool\'s output), e.g. {"email": "source.email"}. Checked when you save.'
    )

    class Meta:
        model = Join
        fields = ["from_tool", "to_tool", "mapping", "description", "enabled"]


class HostListField(forms.Field):
    """A list of host names, edited one per line (commas and spaces separate too)."""

    widget = forms.Textarea(attrs={"rows": 3, "cols": 60, "style": "font-family: monospace"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value: Any) -> list[str]:
        if isinstance(value, list):
            return [str(item) for item in value]
        return [item for item in re.split(r"[\s,]+", str(value or "")) if item]


class CredentialForm(forms.ModelForm):
    """The secret can be set or replaced, never read back."""

    allowed_hosts = HostListField(
        required=False,
        help_text="One per line: api.example.com, *.example.com (any subdomain), optionally "
                  "with :port. The secret is sent to these hosts only; with none, nowhere.",
    )

    secret = forms.CharField(
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="Stored encrypted (AES-256-GCM). Leave blank to keep the current value.",
    )

    class Meta:
        model = Credential
        fields = ["name", "description", "allowed_hosts"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk is None and not cleaned.get("secret"):
            self.add_error("secret", "Give the secret value.")
        elif cleaned.get("secret"):
            # Before the model's checks, which reseal an existing secret on a rename.
            self.instance.set_secret(cleaned["secret"])
        return cleaned

    def save(self, commit: bool = True) -> Credential:
        credential = super().save(commit=False)
        secret = self.cleaned_data.get("secret")
        if secret:
            credential.set_secret(secret)
        if commit:
            credential.save()
        return credential


class McpServerForm(forms.ModelForm):
    url = forms.URLField(
        label="URL", required=False, max_length=500, assume_scheme="https",
        help_text="Streamable HTTP endpoint, e.g. https://host/mcp",
    )
    args = PrettyJSONField(required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 90}))
    env = PrettyJSONField(
        required=False, widget=forms.Textarea(attrs={"rows": 4, "cols": 90}),
        help_text='stdio: variables the server needs, e.g. {"WEATHER_API_KEY": '
                  '"{{ credentials.weather_key }}", "REGION": "eu"}. A credential is decrypted '
                  "for each start and handed to the command you name here.",
    )

    class Meta:
        model = McpServer
        fields = ["name", "description", "transport", "url", "command", "args", "env",
                  "timeout_s", "enabled"]
        labels = {"timeout_s": "Timeout (seconds)"}

    def clean_args(self) -> Any:
        value = self.cleaned_data.get("args")
        return value if value not in (None, "") else []

    def clean_env(self) -> Any:
        value = self.cleaned_data.get("env")
        return value if value not in (None, "") else {}


# --- a form from a JSON Schema -------------------------------------------------------------


def schema_form_fields(schema: dict[str, Any]) -> dict[str, forms.Field]:
    """One form field per property of an object schema (nested values as JSON)."""
    properties = schema.get("properties") or {}
    required = set(schema.get("required") or [])
    fields: dict[str, forms.Field] = {}
    for name, prop in properties.items():
        prop = prop if isinstance(prop, dict) else {}
        options: dict[str, Any] = {
            "required": name in required,
            "label": prop.get("title") or name,
            "help_text": prop.get("description", ""),
        }
        if "default" in prop:
            options["initial"] = prop["default"]
        kind = prop.get("type")
        if isinstance(kind, list):
            non_null = [item for item in kind if item != "null"]
            kind = non_null[0] if len(non_null) == 1 else None
        if "enum" in prop and all(isinstance(v, str | int | float) for v in prop["enum"]):
            choices = [(json.dumps(value), str(value)) for value in prop["enum"]]
            if not options["required"]:
                choices.insert(0, ("", "---------"))
            field: forms.Field = forms.TypedChoiceField(
                choices=choices, coerce=json.loads, empty_value=None, **{
                    **options,
                    "initial": json.dumps(prop["default"]) if "default" in prop else None,
                },
            )
        elif kind == "string":
            long_text = prop.get("maxLength") is None or prop["maxLength"] > 200
            field = forms.CharField(
                max_length=prop.get("maxLength"), min_length=prop.get("minLength"),
                widget=forms.Textarea(attrs={"rows": 2, "cols": 80}) if long_text else None,
                **options,
            )
        elif kind == "integer":
            field = forms.IntegerField(
                min_value=prop.get("minimum"), max_value=prop.get("maximum"), **options
            )
        elif kind == "number":
            field = forms.FloatField(
                min_value=prop.get("minimum"), max_value=prop.get("maximum"), **options
            )
        elif kind == "boolean":
            field = forms.NullBooleanField(
                widget=forms.Select(choices=[("", "(not set)"), ("true", "Yes"), ("false", "No")]),
                **options,
            )
        else:
            field = PrettyJSONField(
                widget=forms.Textarea(attrs={"rows": 4, "cols": 80,
                                             "style": "font-family: monospace"}),
                **{**options, "help_text": (options["help_text"] + " (JSON)").strip()},
            )
        fields[name] = field
    return fields


class TryToolForm(forms.Form):
    """Inputs for one call of a tool, one field per input; the schema is checked again on call."""

    def __init__(self, schema: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(schema_form_fields(schema))

    def inputs(self) -> dict[str, Any]:
        """The filled-in values (fields left empty are left out, so defaults apply)."""
        values: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if value is None or value == "":
                continue
            values[name] = value
        return values
