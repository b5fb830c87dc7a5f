"""The registry admin: filters and search, read-only code schemas, "try this tool", joins
checked on save, write-only credentials, MCP import action."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tools_registry.models import Credential, Join, Tool

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    user = User.objects.create_superuser("root", "root@example.com", "pw")
    client.force_login(user)
    return client


def test_changelist_filters_and_search(admin_client: Client) -> None:
    page = admin_client.get("/admin/tools_registry/tool/",
                            {"kind__exact": "python", "enabled__exact": "1", "q": "tax"})

    assert page.status_code == 200
    text = page.content.decode()
    assert "calculate_tax" in text
    assert "send_email" not in text
    assert "By category" in text or "category" in text


def test_code_tool_schemas_are_shown_read_only(admin_client: Client) -> None:
    page = admin_client.get("/admin/tools_registry/tool/send_email/change/")

    text = page.content.decode()
    assert page.status_code == 200
    assert "<pre" in text
    assert "&quot;subject&quot;" in text
    assert 'name="input_schema"' not in text
    assert "Try this tool" in text


def test_saving_a_code_tool_only_changes_enabled(admin_client: Client) -> None:
    before = Tool.objects.get(pk="send_email")

    response = admin_client.post("/admin/tools_registry/tool/send_email/change/",
                                 {"enabled": "", "input_schema": "{}"})

    assert response.status_code == 302, response.content.decode()[:2000]
    after = Tool.objects.get(pk="send_email")
    assert after.enabled is False
    assert after.input_schema == before.input_schema
    assert after.config == before.config


def test_try_a_tool_with_a_form_built_from_its_schema(admin_client: Client) -> None:
    url = "/admin/tools_registry/tool/calculate_tax/try/"

    form = admin_client.get(url)
    result = admin_client.post(url, {"amount": "100", "country": "DE", "region": ""})

    assert form.status_code == 200
    assert 'name="amount"' in form.content.decode()
    text = result.content.decode()
    assert 'id="try-output"' in text
    assert "&quot;total&quot;: 119.0" in text


@pytest.mark.parametrize("page", ["/admin/tools_registry/tool/calculate_tax/change/",
                                  "/admin/tools_registry/tool/"])
def test_the_try_links_open_the_try_page(admin_client: Client, page: str) -> None:
    """The admin writes "calculate_tax" as "calculate_5Ftax" in its URLs: the button on the
    tool's page led to a 404 for every id with an underscore."""
    html = admin_client.get(page).content.decode()
    links = re.findall(r'href="([^"]*calculate[^"]*/try/)"', html)

    assert links
    for link in links:
        response = admin_client.get(link)
        assert response.status_code == 200, link
        assert 'name="amount"' in response.content.decode()


def test_try_shows_tool_errors_and_form_errors(admin_client: Client) -> None:
    url = "/admin/tools_registry/tool/calculate_tax/try/"

    failed = admin_client.post(url, {"amount": "100", "country": "Atlantis"})
    invalid = admin_client.post(url, {"amount": "lots", "country": "DE"})

    assert 'id="try-error"' in failed.content.decode()
    assert "try-output" not in invalid.content.decode()
    assert "errorlist" in invalid.content.decode()


def test_try_is_for_people_who_may_change_tools(client: Client) -> None:
    viewer = User.objects.create_user("viewer", password="pw", is_staff=True)
    client.force_login(viewer)

    assert client.get("/admin/tools_registry/tool/calculate_tax/try/").status_code == 403


def test_join_admin_checks_cel_on_save(admin_client: Client) -> None:
    data = {"from_tool": "lookup_user", "to_tool": "send_welcome_email",
            "mapping": '{"email": "source.user.email +"}', "description": "", "enabled": "on"}

    refused = admin_client.post("/admin/tools_registry/join/add/", data)
    accepted = admin_client.post("/admin/tools_registry/join/add/",
                                 {**data, "mapping": '{"email": "source.user.email"}'})

    assert refused.status_code == 200
    assert "does not compile" in refused.content.decode()
    assert accepted.status_code == 302
    assert Join.objects.get().mapping == {"email": "source.user.email"}


def test_credentials_are_write_only(admin_client: Client) -> None:
    created = admin_client.post("/admin/tools_registry/credential/add/",
                                {"name": "api_key", "description": "", "secret": "s3cret"})
    credential = Credential.objects.get(name="api_key")

    page = admin_client.get(f"/admin/tools_registry/credential/{credential.pk}/change/")
    kept = admin_client.post(f"/admin/tools_registry/credential/{credential.pk}/change/",
                             {"name": "api_key", "description": "now described", "secret": ""})

    assert created.status_code == 302
    assert "s3cret" not in page.content.decode()
    assert credential.ciphertext not in page.content.decode()
    assert kept.status_code == 302
    assert Credential.objects.get(pk=credential.pk).reveal() == "s3cret"


def test_adding_an_http_tool_in_the_admin(admin_client: Client) -> None:
    data = {"id": "status_page", "name": "Status page", "description": "Fetch the status.",
            "kind": "http", "enabled": "on",
            "input_schema": '{"type": "object", "properties": {}}', "output_schema": "{}",
            "config": '{"url": "https://status.example.com/api", "retries": 2}'}

    bad = admin_client.post("/admin/tools_registry/tool/add/",
                            {**data, "config": '{"url": "gopher://x"}'})
    good = admin_client.post("/admin/tools_registry/tool/add/", data)

    assert "http:// or https://" in bad.content.decode()
    assert good.status_code == 302
    assert Tool.objects.get(pk="status_page").source == Tool.Source.ADMIN


def test_mcp_server_admin_pages(admin_client: Client) -> None:
    assert admin_client.get("/admin/tools_registry/mcpserver/add/").status_code == 200
    assert admin_client.get("/admin/tools_registry/category/").status_code == 200


def test_saving_an_approval_tool_warns_of_assignees_that_do_not_exist(
    admin_client: Client,
) -> None:
    """A misspelt group left the tool's steps waiting for nobody, and saving said nothing."""
    from django.contrib.auth.models import Group

    Group.objects.create(name="finance")
    response = admin_client.post("/admin/tools_registry/tool/add/", {
        "id": "refund_ok", "name": "Refund OK", "description": "Approve a refund",
        "kind": "approval", "enabled": "on", "access": "everyone",
        "input_schema": '{"type": "object", "properties": {"reason": {"type": "string"}}}',
        "output_schema": "{}",
        "config": '{"assignees": {"users": ["nobody_here"], "groups": ["finance", "fnance"]}}',
    }, follow=True)

    text = response.content.decode()
    assert Tool.objects.filter(id="refund_ok").exists()  # a warning, not a refusal
    assert "There is no user `nobody_here`" in text
    assert "There is no group `fnance`" in text
    assert "There is no group `finance`" not in text


def test_saving_an_http_tool_on_a_loopback_address_says_runs_will_refuse_it(
    admin_client: Client, settings
) -> None:
    """Runs refuse private and loopback hosts; an admin who registered a local service
    learned it only from a failed run."""
    data = {
        "name": "Orders", "description": "Look up an order", "kind": "http", "enabled": "on",
        "access": "everyone", "input_schema": '{"type": "object", "properties": {}}',
        "output_schema": "{}",
    }
    settings.DYNAMICFLOW_ALLOWED_PRIVATE_HOSTS = ["10.0.0.0/8"]

    local = admin_client.post("/admin/tools_registry/tool/add/", {
        **data, "id": "local_orders", "config": '{"url": "http://127.0.0.1:8931/orders"}',
    }, follow=True)
    allowed = admin_client.post("/admin/tools_registry/tool/add/", {
        **data, "id": "office_orders", "config": '{"url": "http://10.1.2.3/orders"}',
    }, follow=True)

    assert Tool.objects.filter(id__in=["local_orders", "office_orders"]).count() == 2
    warned = local.content.decode()
    assert "Runs will refuse this tool&#x27;s URL (http://127.0.0.1:8931)" in warned
    assert "DYNAMICFLOW_ALLOWED_PRIVATE_HOSTS" in warned
    assert "Runs will refuse" not in allowed.content.decode()
