"""Demo-building rules that need an empty database (outside the tests/demo package, whose
tests share one committed build)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from renda.core.errors import DomainError
from renda.core.models import Congress, Office, User
from renda.demo.build import build_demo, database_is_empty
from renda.deputies.models import Deputy


@pytest.mark.django_db
def test_build_refuses_when_a_demo_username_is_taken():
    User.objects.create_user(username="admin", full_name="已有管理员", password="x-long-password")
    assert database_is_empty()  # users alone do not count as congress data
    with pytest.raises(DomainError) as info:
        build_demo(seed=2026)
    assert info.value.code == "demo_username_taken"
    assert "admin" in info.value.message
    assert not Congress.objects.exists() and not Office.objects.exists()


@pytest.mark.django_db
def test_hand_entered_offices_make_the_database_non_empty():
    Office.objects.create(name="办公室")
    assert not database_is_empty()
    with pytest.raises(CommandError):
        call_command("demo", stdout=StringIO())
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out)
    assert "跳过" in out.getvalue() and "没有演示账号" in out.getvalue()
    assert not Deputy.objects.exists()


@pytest.mark.django_db
def test_default_taxonomies_come_back_after_they_were_emptied():
    from renda.suggestions.defaults import CATEGORIES, ensure_default_taxonomies
    from renda.suggestions.models import AnswerCategory, Category

    Category.objects.filter(name="教育").update(sort_order=1)
    Category.objects.exclude(name="教育").delete()
    AnswerCategory.objects.all().delete()
    ensure_default_taxonomies()
    assert sorted(Category.objects.values_list("name", flat=True)) == sorted(CATEGORIES)
    assert Category.objects.get(name="教育").sort_order == 1  # an edit is kept
    assert list(AnswerCategory.objects.values_list("code", flat=True)) == ["A", "B", "C", "D"]
