"""The default taxonomies (configurable afterwards in the admin): the issue's categories and the
A/B/C/D answer scheme of DOMAIN.md."""

from django.db import migrations

CATEGORIES = [
    "城乡建设",
    "教育",
    "医疗卫生",
    "交通",
    "生态环境",
    "社会保障",
    "经济发展",
    "政法",
    "其他",
]
ANSWER_CATEGORIES = [
    ("A", "已经解决或基本解决", "solved"),
    ("B", "正在解决或列入计划逐步解决", "planned"),
    ("C", "因条件限制需待以后解决", "constrained"),
    ("D", "留作参考", "reference"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("suggestions", "Category")
    AnswerCategory = apps.get_model("suggestions", "AnswerCategory")
    for order, name in enumerate(CATEGORIES, start=1):
        Category.objects.get_or_create(name=name, defaults={"sort_order": order * 10})
    for order, (code, label, resolution) in enumerate(ANSWER_CATEGORIES, start=1):
        AnswerCategory.objects.get_or_create(
            code=code,
            defaults={"label": label, "resolution": resolution, "sort_order": order * 10},
        )


class Migration(migrations.Migration):
    dependencies = [("suggestions", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
