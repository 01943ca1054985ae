"""Placeholder in the core migration chain, filled by the hardening work (issue 12)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0005_timeline_truncate_guard")]

    operations = []
