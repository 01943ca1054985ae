"""The default taxonomies (DOMAIN.md): the subject categories of the issue and the A/B/C/D answer
scheme. The data migration seeds them; `ensure_default_taxonomies` puts back any that are missing
(after `renda flush`, before the demo is built). Administrators edit them afterwards."""

from __future__ import annotations

CATEGORIES = (
    "城乡建设",
    "教育",
    "医疗卫生",
    "交通",
    "生态环境",
    "社会保障",
    "经济发展",
    "政法",
    "其他",
)
ANSWER_CATEGORIES = (
    ("A", "已经解决或基本解决", "solved"),
    ("B", "正在解决或列入计划逐步解决", "planned"),
    ("C", "因条件限制需待以后解决", "constrained"),
    ("D", "留作参考", "reference"),
)


def ensure_default_taxonomies(category_model=None, answer_category_model=None) -> None:
    """Create the defaults that do not exist; never changes what an administrator edited.
    The migration passes its historical models."""
    if category_model is None or answer_category_model is None:
        from renda.suggestions.models import AnswerCategory, Category

        category_model, answer_category_model = Category, AnswerCategory
    for order, name in enumerate(CATEGORIES, start=1):
        category_model.objects.get_or_create(name=name, defaults={"sort_order": order * 10})
    for order, (code, label, resolution) in enumerate(ANSWER_CATEGORIES, start=1):
        answer_category_model.objects.get_or_create(
            code=code,
            defaults={"label": label, "resolution": resolution, "sort_order": order * 10},
        )
