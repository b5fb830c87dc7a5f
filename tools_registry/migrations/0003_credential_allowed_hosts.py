"""Credentials name the hosts they may be sent to, and their ciphertext is bound to the row.

Existing credentials were sealed with only a purpose string as associated data; this
migration opens each one and seals it again bound to its id, name and hosts. Their hosts
start as the fixed hosts of the HTTP tools that already send them (a tool whose host comes
from a placeholder adds nothing: who runs it would choose where the secret goes), so the
flows that worked keep working. The reverse migration seals them the old way again.
"""

import re

from django.db import migrations, models

LEGACY_PURPOSE = "tools_registry.credential"
_CREDENTIAL = re.compile(r"\{\{[^}]*?\bcredentials\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)")


def _bound_purpose(pk, name, hosts):
    # Frozen copy of tools_registry.models.credential_purpose/credential_identity (version 1).
    return f"{LEGACY_PURPOSE}.row:{pk}:{name}:{','.join(sorted(hosts))}"


def _hosts_in_use(Tool):
    from tools_registry.credential_hosts import static_url_host

    hosts = {}
    for tool in Tool.objects.filter(kind="http"):
        config = tool.config if isinstance(tool.config, dict) else {}
        headers = config.get("headers") if isinstance(config.get("headers"), dict) else {}
        names = {name for value in headers.values() if isinstance(value, str)
                 for name in _CREDENTIAL.findall(value)}
        host = static_url_host(str(config.get("url") or ""))
        if host is None:
            continue
        for name in names:
            hosts.setdefault(name, [])
            if host not in hosts[name]:
                hosts[name].append(host)
    return hosts


def _keyring():
    from tools_registry.crypto import EncryptionConfigError, keyring

    try:
        return keyring()
    except EncryptionConfigError as exc:
        raise RuntimeError(
            "Credentials are resealed by this migration and need the keys they were sealed "
            f"with: {exc}"
        ) from None


def bind_to_rows(apps, schema_editor):
    from tools_registry.crypto import DecryptionError

    Credential = apps.get_model("tools_registry", "Credential")
    Tool = apps.get_model("tools_registry", "Tool")
    rows = list(Credential.objects.using(schema_editor.connection.alias).order_by("pk"))
    if not rows:
        return
    ring = _keyring()
    in_use = _hosts_in_use(Tool)
    for row in rows:
        try:
            plaintext = ring.unseal(row.key_id, row.ciphertext, purpose=LEGACY_PURPOSE)
        except DecryptionError as exc:
            # It did not open before either: leave it for an admin to give a new secret.
            print(f"\n  credential {row.name!r} (id {row.pk}) was left as it is: {exc}")
            continue
        row.allowed_hosts = in_use.get(row.name, [])
        row.key_id, row.ciphertext = ring.seal(
            plaintext, purpose=_bound_purpose(row.pk, row.name, row.allowed_hosts)
        )
        row.save(update_fields=["allowed_hosts", "key_id", "ciphertext"])


def unbind(apps, schema_editor):
    from tools_registry.crypto import DecryptionError

    Credential = apps.get_model("tools_registry", "Credential")
    rows = list(Credential.objects.using(schema_editor.connection.alias).order_by("pk"))
    if not rows:
        return
    ring = _keyring()
    for row in rows:
        try:
            plaintext = ring.unseal(
                row.key_id, row.ciphertext,
                purpose=_bound_purpose(row.pk, row.name, row.allowed_hosts or []),
            )
        except DecryptionError:
            continue
        row.key_id, row.ciphertext = ring.seal(plaintext, purpose=LEGACY_PURPOSE)
        row.save(update_fields=["key_id", "ciphertext"])


class Migration(migrations.Migration):

    dependencies = [
        ("tools_registry", "0002_registry"),
    ]

    operations = [
        migrations.AddField(
            model_name="credential",
            name="allowed_hosts",
            field=models.JSONField(
                blank=True, default=list,
                help_text="Hosts the secret may be sent to: api.example.com, *.example.com "
                          "(any subdomain), optionally with :port. Empty: it is sent nowhere.",
            ),
        ),
        migrations.RunPython(bind_to_rows, unbind),
    ]
