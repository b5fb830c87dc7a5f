"""Keeps the warnings a version stores (`FlowVersion.validation_warnings`, counted by the
flows list) in step with what the designer says live: when a group is made, renamed or
deleted, someone joins or leaves one, an account comes or goes, or an approval tool
(which publishes approvers) changes, the versions naming them are counted again once the
change is committed (`services.version_warnings_refresh`)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from tools_registry.models import Tool


def _refresh_on_commit(**names: Any) -> None:
    from flows.api.services import version_warnings_refresh

    transaction.on_commit(lambda: version_warnings_refresh(**names))


def _group_renamed_from(sender: Any, instance: Group, **_: Any) -> None:
    if instance.pk:
        instance._df_old_name = (  # type: ignore[attr-defined]
            Group.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
        )


def _group_saved(sender: Any, instance: Group, **_: Any) -> None:
    old = getattr(instance, "_df_old_name", None)
    if old == instance.name:  # saved unchanged: nothing it is named by changed
        return
    _refresh_on_commit(groups=[n for n in (instance.name, old) if n])


def _group_deleted(sender: Any, instance: Group, **_: Any) -> None:
    _refresh_on_commit(groups=[instance.name])


def _membership_changed(sender: Any, instance: Any, action: str, reverse: bool,
                        pk_set: Any, **_: Any) -> None:
    # Someone joining a group changes what they (as an author) may name, and who they
    # may name; the warnings of versions naming the group or the person are counted again.
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if isinstance(instance, Group):
        users = get_user_model().objects.filter(pk__in=pk_set or ()) if action != "pre_clear" \
            else instance.user_set.all()
        _refresh_on_commit(groups=[instance.name],
                           users=[u.get_username() for u in users],
                           authors=[u.pk for u in users])
    else:
        groups = Group.objects.filter(pk__in=pk_set or ()) if action != "pre_clear" \
            else instance.groups.all()
        _refresh_on_commit(groups=[g.name for g in groups], users=[instance.get_username()],
                           authors=[instance.pk])


def _user_saved(sender: Any, instance: Any, created: bool, update_fields: Any = None,
                **_: Any) -> None:
    if update_fields and set(update_fields) <= {"last_login", "password"}:
        return  # signing in changes nobody's warnings
    # An account made, (de)activated or made staff: versions naming it, and its own
    # versions (staff may name every group and account).
    _refresh_on_commit(users=[instance.get_username()], authors=[instance.pk])


def _user_deleted(sender: Any, instance: Any, **_: Any) -> None:
    _refresh_on_commit(users=[instance.get_username()])


def _tool_changed(sender: Any, instance: Tool, **_: Any) -> None:
    if instance.kind != Tool.Kind.APPROVAL:
        return
    config = instance.config if isinstance(instance.config, dict) else {}
    assignees = config.get("assignees") if isinstance(config.get("assignees"), dict) else {}
    _refresh_on_commit(
        groups=[g for g in assignees.get("groups") or () if isinstance(g, str)],
        users=[u for u in assignees.get("users") or () if isinstance(u, str)],
        unknown=True,
    )


def connect() -> None:
    user_model = get_user_model()
    pre_save.connect(_group_renamed_from, sender=Group, dispatch_uid="df-warn-group-pre")
    post_save.connect(_group_saved, sender=Group, dispatch_uid="df-warn-group")
    post_delete.connect(_group_deleted, sender=Group, dispatch_uid="df-warn-group-del")
    m2m_changed.connect(_membership_changed, sender=user_model.groups.through,
                        dispatch_uid="df-warn-membership")
    post_save.connect(_user_saved, sender=user_model, dispatch_uid="df-warn-user")
    post_delete.connect(_user_deleted, sender=user_model, dispatch_uid="df-warn-user-del")
    post_save.connect(_tool_changed, sender=Tool, dispatch_uid="df-warn-tool")
    post_delete.connect(_tool_changed, sender=Tool, dispatch_uid="df-warn-tool-del")
