"""Every integer column gets a database check of its meaningful range (issue 12: term 70000 or
capacity 2^40 were stored by SQLite and crashed PostgreSQL). Field validators change too, which
touches no column."""

import django.core.validators
from django.db import migrations, models

BIGINT_MAX = 9223372036854775807


def _field(cls, low, high, **kwargs):
    validators = [
        django.core.validators.MinValueValidator(low),
        django.core.validators.MaxValueValidator(high),
    ]
    return cls(validators=validators, **kwargs)


def _check(model, field, low, high):
    within = models.Q((f"{field}__gte", low), (f"{field}__lte", high))
    return models.CheckConstraint(
        condition=models.Q(within, (f"{field}__isnull", True), _connector="OR"),
        name=f"core_{model}_{field}_range",
    )


class AddConstraintKeepingTriggers(migrations.AddConstraint):
    """SQLite adds a check by rebuilding the table, which drops its triggers: the timeline's
    append-only triggers are read before and created again after."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        triggers = _sqlite_triggers(schema_editor, from_state, app_label, self.model_name)
        super().database_forwards(app_label, schema_editor, from_state, to_state)
        for sql in triggers:
            schema_editor.execute(sql)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        triggers = _sqlite_triggers(schema_editor, from_state, app_label, self.model_name)
        super().database_backwards(app_label, schema_editor, from_state, to_state)
        for sql in triggers:
            schema_editor.execute(sql)


def _sqlite_triggers(schema_editor, state, app_label, model_name) -> list[str]:
    if schema_editor.connection.vendor != "sqlite":
        return []
    table = state.apps.get_model(app_label, model_name)._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
        )
        return [row[0] for row in cursor.fetchall()]


_SMALL = models.PositiveSmallIntegerField


class Migration(migrations.Migration):
    dependencies = [("core", "0006_clean_control_characters")]

    operations = [
        migrations.AlterField(
            model_name="calendaryear",
            name="year",
            field=_field(_SMALL, 1949, 2100, unique=True, verbose_name="年份"),
        ),
        migrations.AlterField(
            model_name="congress",
            name="session_number",
            field=_field(_SMALL, 1, 99, default=1, verbose_name="当前会议次数"),
        ),
        migrations.AlterField(
            model_name="congress",
            name="term_number",
            field=_field(_SMALL, 1, 99, default=18, verbose_name="当前届次"),
        ),
        migrations.AlterField(
            model_name="job",
            name="progress",
            field=_field(_SMALL, 0, 100, default=0, verbose_name="进度（%）"),
        ),
        migrations.AlterField(
            model_name="office",
            name="sort_order",
            field=_field(_SMALL, 0, 32767, default=100, verbose_name="排序"),
        ),
        migrations.AlterField(
            model_name="street",
            name="sort_order",
            field=_field(_SMALL, 0, 32767, default=100, verbose_name="排序"),
        ),
        migrations.AlterField(
            model_name="timelineevent",
            name="object_id",
            field=_field(models.PositiveBigIntegerField, 1, BIGINT_MAX),
        ),
        migrations.AlterField(
            model_name="unit",
            name="sort_order",
            field=_field(_SMALL, 0, 32767, default=100, verbose_name="排序"),
        ),
        migrations.AddConstraint(
            model_name="calendaryear", constraint=_check("calendaryear", "year", 1949, 2100)
        ),
        migrations.AddConstraint(
            model_name="congress", constraint=_check("congress", "term_number", 1, 99)
        ),
        migrations.AddConstraint(
            model_name="congress", constraint=_check("congress", "session_number", 1, 99)
        ),
        migrations.AddConstraint(model_name="job", constraint=_check("job", "progress", 0, 100)),
        migrations.AddConstraint(
            model_name="office", constraint=_check("office", "sort_order", 0, 32767)
        ),
        migrations.AddConstraint(
            model_name="street", constraint=_check("street", "sort_order", 0, 32767)
        ),
        AddConstraintKeepingTriggers(
            model_name="timelineevent",
            constraint=_check("timelineevent", "object_id", 1, BIGINT_MAX),
        ),
        migrations.AddConstraint(
            model_name="unit", constraint=_check("unit", "sort_order", 0, 32767)
        ),
    ]
