"""Placeholder in the core migration chain, filled by the hardening work (issue 12)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0006_clean_control_characters")]

    operations = []
