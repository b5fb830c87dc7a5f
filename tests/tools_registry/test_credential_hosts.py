"""Credentials stay home: a credential names the hosts it may be sent to, the runtime sends it
nowhere else (not on a host from the run input, not on a redirect), its ciphertext is bound
to its row, and the admin warns about tools whose host is templated."""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings

from flows.models import NodeAttempt, Run
from flows.runs import services as run_services
from flows.runs.catalog import forget_snapshot
from tests.local_servers import QuietHandler, serving
from tools_registry.credential_hosts import (
    host_allowed,
    normalize_host_pattern,
    static_url_host,
)
from tools_registry.crypto import DecryptionError, keyring
from tools_registry.models import CREDENTIAL_PURPOSE, Credential, Tool
from tools_registry.services import credential_create, credential_update
from tools_registry.tool_config import credential_warnings

SECRET = "Quokka-Secret-9931"
LOCAL = override_settings(DYNAMICFLOW_ALLOWED_PRIVATE_HOSTS=["127.0.0.1"])


class _Recorder(QuietHandler):
    server: _Server

    def do_GET(self) -> None:
        self.server.seen.append({"path": self.path, "headers": dict(self.headers.items())})
        if self.path.startswith("/bounce"):
            self.send_redirect(self.server.bounce_to)
            return
        self.send_json(200, {"ok": True})


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Recorder)
        self.seen: list[dict[str, Any]] = []
        self.bounce_to = ""

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"

    def secrets_seen(self) -> list[str]:
        return [value for request in self.seen for value in request["headers"].values()
                if SECRET in value]


@pytest.fixture
def home() -> Iterator[_Server]:
    with serving(_Server()) as server:
        yield server


@pytest.fixture
def elsewhere() -> Iterator[_Server]:
    with serving(_Server()) as server:
        yield server


# --- host patterns --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entry", "canonical"),
    [
        ("API.Example.com.", "api.example.com"),
        ("*.example.com", "*.example.com"),
        ("api.example.com:8443", "api.example.com:8443"),
        ("127.0.0.1:8000", "127.0.0.1:8000"),
        ("::1", "[::1]"),
        ("[::1]:99", "[::1]:99"),
        ("bücher.de", "xn--bcher-kva.de"),
    ],
)
def test_host_patterns_are_stored_in_one_spelling(entry: str, canonical: str) -> None:
    assert normalize_host_pattern(entry) == canonical


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("https://api.example.com", "no scheme"),
        ("api.example.com/v1", "no scheme, path"),
        ("*.com", "top-level domain"),
        ("api.*.com", "wildcard may only start"),
        ("api.example.com:99999", "port"),
        ("bad host", "not a valid host"),
        ("", "empty"),
    ],
)
def test_bad_host_patterns_are_explained(entry: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        normalize_host_pattern(entry)


@pytest.mark.parametrize(
    ("host", "port", "scheme", "allowed"),
    [
        ("api.example.com", None, "https", True),
        ("API.EXAMPLE.COM.", None, "https", True),
        ("eu.api.example.com", None, "https", False),
        ("api.example.com.evil.com", None, "https", False),
        ("evil-api.example.com", None, "https", False),
        ("x.files.example.org", None, "https", True),
        ("files.example.org", None, "https", False),  # the wildcard needs a subdomain
        ("pinned.example.net", 8443, "https", True),
        ("pinned.example.net", None, "https", False),  # 443 is not 8443
        ("pinned.example.net", 443, "https", False),
    ],
)
def test_a_request_matches_a_pattern_exactly(
    host: str, port: int | None, scheme: str, allowed: bool
) -> None:
    patterns = ["api.example.com", "*.files.example.org", "pinned.example.net:8443"]

    assert host_allowed(patterns, host=host, port=port, scheme=scheme) is allowed


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://api.example.com/v1/{{ input.id }}", "api.example.com"),
        ("http://127.0.0.1:8123/x?q={{ input.q }}", "127.0.0.1:8123"),
        ("https://{{ input.host }}/collect", None),
        ("https://api.example.com{{ input.suffix }}/x", None),
        ("https://api.example.com:{{ input.port }}/x", None),
        ("{{ input.url }}", None),
    ],
)
def test_a_url_template_has_a_fixed_host_or_not(url: str, host: str | None) -> None:
    assert static_url_host(url) == host


# --- the runtime ----------------------------------------------------------------------------


def _tool(tool_id: str, url: str) -> Tool:
    tool = Tool(
        id=tool_id, name=tool_id, description="calls a partner API", kind=Tool.Kind.HTTP,
        input_schema={"type": "object", "properties": {"host": {"type": "string"}}},
        config={"url": url, "headers": {"X-Api-Key": "{{ credentials.partner_key }}"}},
    )
    tool.full_clean()
    tool.save()
    forget_snapshot()
    return tool


def _run(user: Any, make_version: Any, inprocess: Any, tool_id: str, host: str) -> Run:
    version = make_version({
        "name": "send",
        "input_schema": {"type": "object", "properties": {"host": {"type": "string"}}},
        "nodes": [
            {"id": "call", "type": "tool", "tool": tool_id, "inputs": {"host": "input.host"}},
            {"id": "result", "type": "output", "value": "call.status"},
        ],
    })
    run = run_services.run_create(user=user, flow_version_id=version.id,
                                  run_input={"host": host})
    inprocess.execute(run.id)
    return Run.objects.get(pk=run.pk)


@LOCAL
def test_a_credential_is_not_sent_to_a_host_from_the_run_input(
    home: _Server, elsewhere: _Server, user: Any, make_version: Any, inprocess: Any
) -> None:
    # Given a credential that belongs to `home`, and a tool whose host comes from the input
    credential_create(name="partner_key", secret=SECRET, allowed_hosts=[home.host])
    _tool("partner_call", "http://{{ input.host }}/collect")

    # When a user with no permissions at all points it somewhere else
    stolen = _run(user, make_version, inprocess, "partner_call", elsewhere.host)

    # Then the node fails, naming the credential and the host, and nothing was sent there
    assert stolen.status == "failed"
    error = NodeAttempt.objects.get(run=stolen, node_id="call").error
    assert error["code"] == "credential_host_not_allowed"
    assert "partner_key" in error["message"]
    assert elsewhere.host in error["message"]
    assert elsewhere.seen == []
    assert SECRET not in json.dumps(error)

    # And the same tool sends it home
    sent_home = _run(user, make_version, inprocess, "partner_call", home.host)
    assert sent_home.status == "completed", sent_home.error
    assert home.secrets_seen() == [SECRET]


@LOCAL
def test_a_redirect_does_not_carry_a_credential_elsewhere(
    home: _Server, elsewhere: _Server, user: Any, make_version: Any, inprocess: Any
) -> None:
    credential_create(name="partner_key", secret=SECRET, allowed_hosts=[home.host])
    home.bounce_to = f"http://{elsewhere.host}/landing"
    _tool("bouncing", f"http://{home.host}/bounce")

    run = _run(user, make_version, inprocess, "bouncing", "")

    assert run.status == "failed"
    error = NodeAttempt.objects.get(run=run, node_id="call").error
    assert error["code"] == "credential_host_not_allowed"
    assert elsewhere.seen == []
    assert [request["path"] for request in home.seen] == ["/bounce"]


@LOCAL
def test_a_credential_with_no_hosts_is_sent_nowhere(
    home: _Server, user: Any, make_version: Any, inprocess: Any
) -> None:
    credential_create(name="partner_key", secret=SECRET)
    _tool("fixed", f"http://{home.host}/collect")

    run = _run(user, make_version, inprocess, "fixed", "")

    error = NodeAttempt.objects.get(run=run, node_id="call").error
    assert error["code"] == "credential_host_not_allowed"
    assert "none" in error["message"]
    assert home.seen == []


# --- the admin's warnings -------------------------------------------------------------------


@pytest.mark.django_db
def test_saving_a_tool_warns_when_its_host_is_templated_or_not_allowed() -> None:
    credential_create(name="partner_key", secret=SECRET, allowed_hosts=["api.partner.com"])

    templated = _tool("templated", "https://{{ input.host }}/collect")
    elsewhere = _tool("elsewhere", "https://api.other.com/collect")
    fine = _tool("fine", "https://api.partner.com/collect")

    assert "whoever runs this tool picks where the request goes" in " ".join(
        credential_warnings(templated))
    assert "may not be sent to api.other.com" in " ".join(credential_warnings(elsewhere))
    assert credential_warnings(fine) == []


@pytest.mark.django_db
def test_the_admin_shows_the_warning_when_the_tool_is_saved(admin_client: Any) -> None:
    credential_create(name="partner_key", secret=SECRET, allowed_hosts=["api.partner.com"])

    response = admin_client.post("/admin/tools_registry/tool/add/", {
        "id": "leaky", "name": "Leaky", "description": "d", "kind": "http", "enabled": "on",
        "input_schema": '{"type": "object", "properties": {"host": {"type": "string"}}}',
        "output_schema": "{}",
        "config": json.dumps({"url": "https://{{ input.host }}/x",
                              "headers": {"X-Api-Key": "{{ credentials.partner_key }}"}}),
    }, follow=True)

    assert Tool.objects.filter(pk="leaky").exists()
    messages = [str(m) for m in response.context["messages"]]
    assert any("picks where the request goes" in m for m in messages), messages


@pytest.mark.django_db
def test_the_admin_edits_hosts_one_per_line_and_refuses_bad_ones(admin_client: Any) -> None:
    response = admin_client.post("/admin/tools_registry/credential/add/", {
        "name": "partner_key", "description": "", "secret": SECRET,
        "allowed_hosts": "api.partner.com\n*.cdn.partner.com",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    credential = Credential.objects.get(name="partner_key")
    assert credential.allowed_hosts == ["api.partner.com", "*.cdn.partner.com"]
    assert credential.reveal() == SECRET

    refused = admin_client.post(f"/admin/tools_registry/credential/{credential.pk}/change/", {
        "name": "partner_key", "description": "", "secret": "",
        "allowed_hosts": "https://evil.example.com/",
    })
    assert refused.status_code == 200
    assert "no scheme" in refused.content.decode()
    assert Credential.objects.get(pk=credential.pk).allowed_hosts == credential.allowed_hosts


# --- the ciphertext is bound to its row -----------------------------------------------------


@pytest.mark.django_db
def test_a_ciphertext_moved_to_another_row_does_not_open() -> None:
    first = credential_create(name="first", secret=SECRET, allowed_hosts=["a.example.com"])
    second = credential_create(name="second", secret="other", allowed_hosts=["a.example.com"])

    Credential.objects.filter(pk=second.pk).update(key_id=first.key_id,
                                                   ciphertext=first.ciphertext)

    with pytest.raises(DecryptionError, match="second"):
        Credential.objects.get(pk=second.pk).reveal()
    assert Credential.objects.get(pk=first.pk).reveal() == SECRET


@pytest.mark.django_db
def test_widening_the_hosts_in_the_database_makes_the_secret_unreadable() -> None:
    credential = credential_create(name="k", secret=SECRET, allowed_hosts=["a.example.com"])

    Credential.objects.filter(pk=credential.pk).update(allowed_hosts=["evil.example.com"])

    with pytest.raises(DecryptionError):
        Credential.objects.get(pk=credential.pk).reveal()


@pytest.mark.django_db
def test_renaming_or_rehosting_through_the_services_reseals() -> None:
    credential = credential_create(name="k", secret=SECRET, allowed_hosts=["a.example.com"])
    before = credential.ciphertext

    credential_update(credential, name="renamed", allowed_hosts=["b.example.com"])

    stored = Credential.objects.get(pk=credential.pk)
    assert stored.ciphertext != before
    assert stored.allowed_hosts == ["b.example.com"]
    assert stored.reveal() == SECRET


@pytest.mark.django_db
def test_the_migration_binds_legacy_ciphertext_and_keeps_the_hosts_in_use() -> None:
    # Given rows as they were before: sealed with the purpose only, and tools sending them
    migration = importlib.import_module(
        "tools_registry.migrations.0003_credential_allowed_hosts"
    )
    ring = keyring()
    legacy = Credential.objects.create(name="partner_key")
    unused = Credential.objects.create(name="unused")
    for row, secret in ((legacy, SECRET), (unused, "u")):
        key_id, token = ring.seal(secret.encode(), purpose=CREDENTIAL_PURPOSE)
        Credential.objects.filter(pk=row.pk).update(key_id=key_id, ciphertext=token)
    _tool("fixed", "https://api.partner.com:8443/v1/{{ input.host }}")
    _tool("templated", "https://{{ input.host }}/collect")

    # When the data migration runs (with the models as they were at that migration)
    from django.db.migrations.executor import MigrationExecutor

    state = MigrationExecutor(connection).loader.project_state(
        ("tools_registry", "0003_credential_allowed_hosts")
    )

    class Editor:
        connection = connection

    migration.bind_to_rows(state.apps, Editor())

    # Then each secret opens bound to its row, with the fixed hosts of the tools using it
    partner = Credential.objects.get(pk=legacy.pk)
    assert partner.allowed_hosts == ["api.partner.com:8443"]
    assert partner.reveal() == SECRET
    assert Credential.objects.get(pk=unused.pk).allowed_hosts == []
    assert Credential.objects.get(pk=unused.pk).reveal() == "u"
    with pytest.raises(DecryptionError):
        ring.unseal(partner.key_id, partner.ciphertext, purpose=CREDENTIAL_PURPOSE)

    # And the reverse migration seals them the old way again
    migration.unbind(state.apps, Editor())
    partner = Credential.objects.get(pk=legacy.pk)
    assert ring.unseal(partner.key_id, partner.ciphertext,
                       purpose=CREDENTIAL_PURPOSE).decode() == SECRET


def test_bad_hosts_are_refused_by_the_service(db: None) -> None:
    with pytest.raises(ValidationError) as caught:
        credential_create(name="k", secret="x", allowed_hosts=["https://a.example.com/x"])

    assert "allowed_hosts" in caught.value.message_dict
    assert not Credential.objects.exists()
