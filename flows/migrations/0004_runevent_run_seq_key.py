"""RunEvent is keyed by (run, seq): one index instead of an id key plus a unique index.

Django cannot turn a single-column primary key into a composite one in place, so the
table is renamed, recreated with the new key, refilled, and the old one dropped.
"""

import django.db.models.deletion
import django.db.models.fields.composite
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("flows", "0003_hot_tables_lean"),
    ]

    operations = [
        migrations.RenameModel("RunEvent", "RunEventBefore0004"),
        migrations.AlterField(
            model_name="runeventbefore0004",
            name="run",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="flows.run",
            ),
        ),
        migrations.CreateModel(
            name="RunEvent",
            fields=[
                (
                    "pk",
                    django.db.models.fields.composite.CompositePrimaryKey(
                        "run_id", "seq", blank=True, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("seq", models.PositiveIntegerField()),
                ("type", models.CharField(max_length=32)),
                ("node_id", models.CharField(blank=True, max_length=64)),
                ("payload", models.JSONField(blank=True, default=dict)),
                ("ts", models.DateTimeField()),
                ("elapsed_ms", models.FloatField(blank=True, null=True)),
                ("duration_ms", models.FloatField(blank=True, null=True)),
                (
                    "run",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="flows.run",
                    ),
                ),
            ],
            options={"ordering": ["run", "seq"]},
        ),
        migrations.RunSQL(
            "INSERT INTO flows_runevent"
            " (run_id, seq, type, node_id, payload, ts, elapsed_ms, duration_ms)"
            " SELECT run_id, seq, type, node_id, payload, ts, elapsed_ms, duration_ms"
            " FROM flows_runeventbefore0004",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.DeleteModel("RunEventBefore0004"),
    ]
