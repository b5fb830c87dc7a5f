"""`manage.py rotate_keys`: reseal every sealed value (credentials, suspended approval steps
and their decisions) with the primary (first) key of DYNAMICFLOW_ENCRYPTION_KEYS.

It first opens every sealed value: if any does not open (tampered, copied from another row,
or sealed with a key that is no longer configured), it names each such row and changes
nothing. Then it reseals in batches, one transaction each, skipping rows already under the
primary key: an interrupted rotation is resumed by running the command again.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from tools_registry.crypto import (
    DecryptionError,
    EncryptionConfigError,
    SealedTable,
    keyring,
    sealed_tables,
)
from tools_registry.models import Credential

#: Rows named in the error before "and N more".
SHOWN_FAILURES = 50


def credential_table() -> SealedTable:
    return SealedTable(
        label="credentials",
        model=Credential,
        open=lambda row: row.reveal().encode(),
        seal=lambda row, plaintext: row.set_secret(plaintext.decode()),
    )


def all_tables() -> list[SealedTable]:
    return [credential_table(), *sealed_tables.values()]


def _rows(model: Any, batch_size: int) -> Iterator[Any]:
    """Every row, in primary-key order, a batch at a time."""
    last = None
    while True:
        rows = model.objects.order_by("pk")
        if last is not None:
            rows = rows.filter(pk__gt=last)
        batch = list(rows[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].pk


def _failure(table: SealedTable, row: Any, exc: Exception) -> str:
    text = str(exc)
    return text if str(row.pk) in text else f"{table.label} {row.pk}: {text}"


class Command(BaseCommand):
    help = (
        "Re-encrypt credentials and suspended approval state under the first key of "
        "DYNAMICFLOW_ENCRYPTION_KEYS (checks every value first; resumable); afterwards the "
        "old keys can be removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per transaction.")

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = max(int(options["batch_size"]), 1)
        try:
            primary = keyring().primary
        except EncryptionConfigError as exc:
            raise CommandError(str(exc)) from None
        tables = all_tables()
        self._check(tables, batch_size)
        for table in tables:
            already = table.model.objects.filter(key_id=primary).count()
            resealed = self._reseal(table, primary, batch_size)
            self.stdout.write(
                f"Resealed {resealed} {table.label} with key '{primary}' "
                f"({already} already were)."
            )

    def _check(self, tables: list[SealedTable], batch_size: int) -> None:
        failures: list[str] = []
        checked = 0
        for table in tables:
            for row in _rows(table.model, batch_size):
                checked += 1
                try:
                    table.open(row)
                except DecryptionError as exc:
                    failures.append(_failure(table, row, exc))
        if failures:
            shown = failures[:SHOWN_FAILURES]
            more = len(failures) - len(shown)
            raise CommandError(
                f"{len(failures)} of {checked} sealed values do not open; nothing was "
                "changed. Restore the key they were sealed with, or the rows:\n  "
                + "\n  ".join(shown)
                + (f"\n  ... and {more} more" if more else "")
            )

    def _reseal(self, table: SealedTable, primary: str, batch_size: int) -> int:
        done = 0
        while True:
            with transaction.atomic():
                rows = list(
                    table.model.objects.select_for_update(skip_locked=True)
                    .exclude(key_id=primary)
                    .order_by("pk")[:batch_size]
                )
                if not rows:
                    return done
                for row in rows:
                    try:
                        table.seal(row, table.open(row))
                    except DecryptionError as exc:  # changed since the check
                        raise CommandError(
                            f"{_failure(table, row, exc)} (this batch was not changed; "
                            f"{done} {table.label} were resealed before it)"
                        ) from None
                table.model.objects.bulk_update(rows, ["key_id", "ciphertext"])
            done += len(rows)
