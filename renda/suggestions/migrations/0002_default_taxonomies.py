"""The default taxonomies (configurable afterwards in the admin)."""

from django.db import migrations

from renda.suggestions.defaults import ensure_default_taxonomies


def seed(apps, schema_editor):
    ensure_default_taxonomies(
        apps.get_model("suggestions", "Category"), apps.get_model("suggestions", "AnswerCategory")
    )


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
