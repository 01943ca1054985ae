"""Clean the text stored before input was cleaned (renda/core/cleaning.py): every CharField,
TextField and JSONField string of every renda model loses its control characters, as new input
does, so no stored row poisons an export or a letter any more.

Only rows holding such a character are read and rewritten. The timeline (core.TimelineEvent) is
left alone: it is append-only, its triggers refuse UPDATE, and what it says is past; the writers
that print it make its text safe instead.
"""

from django.db import migrations, models
from django.db.models import Q

from renda.core.cleaning import clean_text

APPS = ("core", "deputies", "meetings", "suggestions", "plans", "supervision")
APPEND_ONLY = {("core", "timelineevent")}
CHUNK = 500


def _clean_json(value):
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean_json(v) for k, v in value.items()}
    return value


def _dirty(field: models.Field, vendor: str) -> Q:
    # What clean_text() changes, \r included (it becomes \n); a database holds no lone
    # surrogate, and only SQLite can hold a NUL (PostgreSQL refused it).
    low = "\x00" if vendor == "sqlite" else "\x01"
    return Q(**{f"{field.name}__regex": f"[{low}-\x08\x0b-\x1f\ufffe\uffff]"})


def clean_model(model, vendor: str) -> int:
    """Rewrite the rows of one model whose text holds characters clean_text() drops; returns
    how many rows changed."""
    text_fields = [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField))
    ]
    json_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.JSONField)]
    changed = 0
    if text_fields:
        dirty = Q()
        for f in text_fields:
            dirty |= _dirty(f, vendor)
        rows = model._base_manager.filter(dirty).only("pk", *(f.name for f in text_fields))
        for row in rows.iterator(chunk_size=CHUNK):
            updates = {}
            for f in text_fields:
                value = getattr(row, f.attname)
                if value and clean_text(value) != value:
                    updates[f.attname] = clean_text(value)
            if updates:
                model._base_manager.filter(pk=row.pk).update(**updates)
                changed += 1
    # JSON cannot be filtered portably by its characters: read it field by field, in chunks.
    for f in json_fields:
        rows = model._base_manager.only("pk", f.name)
        for row in rows.iterator(chunk_size=CHUNK):
            value = getattr(row, f.attname)
            if _clean_json(value) != value:
                model._base_manager.filter(pk=row.pk).update(**{f.attname: _clean_json(value)})
                changed += 1
    return changed


def clean_stored_text(apps, schema_editor) -> int:
    vendor = schema_editor.connection.vendor
    changed = 0
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            meta = model._meta
            if meta.proxy or not meta.managed or (label, meta.model_name) in APPEND_ONLY:
                continue
            changed += clean_model(model, vendor)
    return changed


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_timeline_truncate_guard"),
        ("deputies", "0005_activity_signup_opened"),
        ("meetings", "0001_initial"),
        ("suggestions", "0002_default_taxonomies"),
        ("plans", "0001_initial"),
        ("supervision", "0001_initial"),
    ]

    operations = [migrations.RunPython(clean_stored_text, migrations.RunPython.noop)]
