"""`manage.py rotate_credentials`: reseal every credential with the primary (first) key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tools_registry.services import credentials_reseal


class Command(BaseCommand):
    help = (
        "Re-encrypt credentials sealed with older keys under the first key of "
        "DYNAMICFLOW_ENCRYPTION_KEYS; afterwards the old keys can be removed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = credentials_reseal()
        self.stdout.write(f"Resealed {count} credential(s) with the primary key.")
