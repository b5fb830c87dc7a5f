"""Code tools are synced into Tool rows after migrate and by `sync_tools`, idempotently."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tools_registry.catalog import registry_catalog, registry_joins
from tools_registry.code_tools import CODE_TOOLS
from tools_registry.models import Category, Tool
from tools_registry.services import tools_sync

pytestmark = pytest.mark.django_db


def test_migrate_has_synced_every_code_tool() -> None:
    rows = {row.id: row for row in Tool.objects.filter(source=Tool.Source.CODE)}
    assert set(rows) == set(CODE_TOOLS.keys())
    send_email = rows["send_email"]
    spec = CODE_TOOLS["send_email"].spec
    assert send_email.kind == Tool.Kind.PYTHON
    assert send_email.input_schema == spec.input_schema
    assert send_email.output_schema == spec.output_schema
    assert send_email.category is not None
    assert send_email.category.slug == spec.category
    assert send_email.config["retries"] == spec.config.retries


def test_sync_is_idempotent_and_keeps_the_admins_enabled_flag() -> None:
    Tool.objects.filter(id="send_email").update(enabled=False)

    report = tools_sync()

    assert report.created == []
    assert report.updated == []
    assert sorted(report.unchanged) == sorted(CODE_TOOLS.keys())
    assert Tool.objects.get(id="send_email").enabled is False


def test_sync_repairs_a_drifted_row_and_bumps_its_version() -> None:
    row = Tool.objects.get(id="calculate_tax")
    Tool.objects.filter(id=row.id).update(input_schema={"type": "object"}, description="old")

    report = tools_sync()

    assert report.updated == ["calculate_tax"]
    fresh = Tool.objects.get(id="calculate_tax")
    assert fresh.input_schema == CODE_TOOLS["calculate_tax"].spec.input_schema
    assert fresh.version == row.version + 1


def test_sync_recreates_deleted_rows_and_categories() -> None:
    Tool.objects.filter(source=Tool.Source.CODE).delete()
    Category.objects.all().delete()

    out = io.StringIO()
    call_command("sync_tools", stdout=out)

    assert f"{len(CODE_TOOLS)} created" in out.getvalue()
    assert Tool.objects.filter(source=Tool.Source.CODE).count() == len(CODE_TOOLS)


def test_registry_catalog_leaves_out_disabled_code_tools() -> None:
    Tool.objects.filter(id="send_email").update(enabled=False)

    catalog = registry_catalog()

    assert catalog.get("send_email") is None
    assert catalog.get("calculate_tax") is not None
    assert registry_joins() == []


def test_sync_gives_code_tools_display_names_and_keeps_an_admins_rename() -> None:
    # Given rows named as sync named them before ("Fetch url"), and one an admin renamed
    Tool.objects.filter(id="fetch_url").update(name="Fetch url")
    Tool.objects.filter(id="lookup_user").update(name="Find a customer")

    report = tools_sync()

    # Then the one sync named reads as people write it; the admin's name stays
    assert "fetch_url" in report.updated
    assert Tool.objects.get(id="fetch_url").name == "Fetch URL"
    assert Tool.objects.get(id="lookup_user").name == "Find a customer"
    # and the planners keep the code tool's own name, which they match prompts against
    assert CODE_TOOLS["fetch_url"].spec.name == "Fetch url"
    assert registry_catalog().get("lookup_user").spec.name == "Lookup user"

    Tool.objects.filter(id="lookup_user").update(name="Lookup user")
    tools_sync()
    assert Tool.objects.get(id="lookup_user").name == "Look up user"
    assert tools_sync().updated == []
