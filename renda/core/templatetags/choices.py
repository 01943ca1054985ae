"""The <option>s of a select, written in one Python loop: a template loop with an `if` per row
cost a 421-deputy filter select about 40 ms of CPU on every list page."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def options(items, selected=None, label: str = "name"):
    """`items` are model instances (value: pk, text: the `label` attribute) or (value, text)
    pairs; the one whose value equals `selected` is marked selected."""
    chosen = "" if selected is None else str(selected)
    parts = []
    for item in items:
        value, text = item if isinstance(item, tuple) else (item.pk, getattr(item, label))
        value = str(value)
        mark = " selected" if chosen and value == chosen else ""
        parts.append(f'<option value="{escape(value)}"{mark}>{escape(text)}</option>')
    return mark_safe("".join(parts))  # every value and text is escaped above
