"""Integer ranges (issue 12, item 3): every model integer has validators and a matching database
check, every integer of the API document has a minimum and a maximum, and out-of-range numbers
are a Chinese 4xx that saves nothing — on SQLite and on PostgreSQL, where they used to be 500s."""

import json
from datetime import date

import pytest
from django.apps import apps
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import DataError, IntegrityError, models, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models.fields import AutoFieldMixin
from django.forms import modelform_factory
from django.test import RequestFactory

from renda.api import api
from renda.core.models import Congress
from renda.deputies.forms_activities import ActivityCreateForm
from renda.deputies.forms_groups import GroupCreateForm
from renda.deputies.models import Activity, Group
from renda.meetings.models import Meeting
from tests.deputies.activity_factories import world  # noqa: F401
from tests.suggestions.matrix_api import field_messages, refused, send

COLUMN_RANGES = BaseDatabaseOperations.integer_field_ranges
TOO_BIG = "99999999999999999999"  # beyond even a bigint


def _integer_fields():
    for model in apps.get_models():
        if not model.__module__.startswith("renda."):
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.IntegerField) and not isinstance(field, AutoFieldMixin):
                yield model, field


def _bounds(field) -> tuple[int | None, int | None]:
    low = [v.limit_value for v in field.validators if isinstance(v, MinValueValidator)]
    high = [v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)]
    # The backend adds the column type's own range; the field's declared range is the narrowest.
    return (max(low) if low else None), (min(high) if high else None)


def _check_bounds(model, field) -> tuple[int, int] | None:
    """(low, high) of the model's check `…_<field>_range`, read from its condition."""
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.CheckConstraint) and constraint.name == (
            f"{model._meta.app_label}_{model._meta.model_name}_{field.name}_range"
        ):
            lookups = dict(_leaves(constraint.condition))
            return lookups.get(f"{field.name}__gte"), lookups.get(f"{field.name}__lte")
    return None


def _leaves(q):
    for child in q.children:
        if isinstance(child, tuple):
            yield child
        else:
            yield from _leaves(child)


def test_every_model_integer_has_a_declared_range_and_a_matching_check():
    problems = []
    fields = list(_integer_fields())
    for model, field in fields:
        name = f"{model._meta.label}.{field.name}"
        low, high = _bounds(field)
        # The column types' ranges as PostgreSQL has them (SQLite would store anything).
        column_low, column_high = COLUMN_RANGES[field.get_internal_type()]
        if _check_bounds(model, field) != (low, high):
            problems.append(f"{name}: check {_check_bounds(model, field)} ≠ validators {low, high}")
        if not column_low <= low <= high <= column_high:
            problems.append(f"{name}: range {low, high} beyond the column's")
    assert problems == []
    assert len(fields) > 60  # the walk reached the models, not a handful


def _unbounded(node, where: str):
    if isinstance(node, dict):
        if node.get("type") == "integer" and not (
            ("minimum" in node or "exclusiveMinimum" in node)
            and ("maximum" in node or "exclusiveMaximum" in node)
        ):
            yield where
        for key, value in node.items():
            yield from _unbounded(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _unbounded(value, f"{where}/{index}")


def test_every_integer_of_the_api_document_is_bounded():
    document = api.get_openapi_schema()
    found = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                where = f"{method.upper()} {path} ?{parameter['name']}"
                found += _unbounded(parameter.get("schema", {}), where)
    for name, schema in document["components"]["schemas"].items():
        found += _unbounded(schema, name)
    assert found == []


# --- Behaviour: a Chinese 4xx, nothing saved, on both engines ----------------------------------


@pytest.mark.django_db
def test_the_public_bulletins_refuse_a_huge_offset(client):
    body = refused(
        send(client, None, "GET", f"/api/v1/deputies/points/bulletins?offset={TOO_BIG}"),
        422,
        "invalid",
    )
    assert field_messages(body) == {"offset": "数值太大"}
    body = refused(
        send(client, None, "GET", "/api/v1/deputies/points/bulletins?offset=-1"), 422, "invalid"
    )
    assert field_messages(body) == {"offset": "数值太小"}
    assert send(client, None, "GET", "/api/v1/deputies/points/bulletins").status_code == 200


@pytest.mark.django_db
def test_ids_beyond_a_bigint_are_refused_not_looked_up(client, personas):
    body = refused(
        send(client, personas.admin, "GET", f"/api/v1/deputies/{TOO_BIG}"), 422, "invalid"
    )
    assert field_messages(body) == {"deputy_id": "数值太大"}


@pytest.mark.django_db
def test_a_meeting_with_term_70000_or_session_40000_is_refused(client, personas):
    meeting = {"kind": "standing", "term_number": 18, "number": 1, "date": "2026-03-01"}
    for field, value in (("term_number", 70000), ("number", 40000)):
        response = send(
            client, personas.admin, "POST", "/api/v1/meetings/", {**meeting, field: value}
        )
        assert field_messages(refused(response, 422, "invalid")) == {field: "数值太大"}
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_an_activity_with_capacity_2_to_the_40_is_refused(client, personas, org):
    body = {
        "kind": "inspection",
        "title": "执法检查",
        "organiser_office_id": org.deputy_office.pk,
        "date": "2026-04-15",
        "starts_at": "09:00",
        "place": "区市场监管局",
        "capacity": 2**40,
    }
    response = send(client, personas.staff, "POST", "/api/v1/deputies/activities/", body)
    assert field_messages(refused(response, 422, "invalid")) == {"capacity": "数值太大"}
    assert not Activity.objects.exists()


@pytest.mark.django_db
def test_the_year_filters_of_meetings_and_review_opinions_are_bounded(client, personas):
    for path in ("/api/v1/meetings/", "/api/v1/supervision/opinions/"):
        for year, message in ((99999, "数值太大"), (TOO_BIG, "数值太大"), (-3, "数值太小")):
            response = send(client, personas.admin, "GET", f"{path}?year={year}")
            assert field_messages(refused(response, 422, "invalid")) == {"year": message}, path
        assert send(client, personas.admin, "GET", f"{path}?year=2026").status_code == 200


@pytest.mark.django_db
def test_forms_refuse_out_of_range_numbers(personas, org):
    group = GroupCreateForm(
        {"name": "第九组", "sort_order": 100, "term_number": 70000}, user=personas.staff
    )
    assert not group.is_valid() and "term_number" in group.errors
    activity = ActivityCreateForm(
        {
            "kind": "visit",
            "title": "视察",
            "date": "2026-04-15",
            "starts_at": "09:00",
            "place": "街道",
            "organiser_office": org.deputy_office.pk,
            "capacity": str(2**40),
        },
        user=personas.staff,
    )
    assert not activity.is_valid() and "capacity" in activity.errors
    # A ModelForm takes the range from the model field's validators.
    congress = modelform_factory(Congress, fields=["term_number", "session_number"])(
        {"term_number": 70000, "session_number": 40000}
    )
    assert not congress.is_valid()
    assert set(congress.errors) == {"term_number", "session_number"}
    assert "99" in congress.errors["term_number"][0]
    assert Group.objects.filter(name="第九组").count() == 0


@pytest.mark.django_db
def test_the_database_refuses_what_the_forms_would(world):  # noqa: F811
    """The last line: a write that skips the forms and the API still cannot store the value.
    Values inside the column type, so that the range check (not an overflow) refuses them."""
    meeting = Meeting.objects.create(
        kind="standing", term_number=18, number=1, date=date(2026, 3, 1)
    )
    congress = Congress.current()
    cases = [
        (Meeting, meeting.pk, {"number": 2}, {"term_number": 100}),
        (Meeting, meeting.pk, {"number": 3}, {"number": 1000}),
        (Activity, world.activity.pk, {"capacity": 50}, {"capacity": 100001}),
        (Activity, world.activity.pk, {"half_days": 2}, {"half_days": 41}),
        (Congress, congress.pk, {"session_number": 2}, {"session_number": 100}),
    ]
    for model, pk, fine, out_of_range in cases:
        assert model.objects.filter(pk=pk).update(**fine) == 1  # the write itself works
        with pytest.raises(IntegrityError), transaction.atomic():
            model.objects.filter(pk=pk).update(**out_of_range)
    assert Meeting.objects.values_list("term_number", "number").get() == (18, 3)
    assert Activity.objects.values_list("capacity", "half_days").get() == (50, 2)
    assert Congress.current().session_number == 2


def test_a_database_overflow_is_the_one_error_shape_not_a_500():
    request = RequestFactory().get("/api/v1/")
    for error in (DataError("integer out of range"), OverflowError("too large")):
        response = api.on_exception(request, error)
        assert response.status_code == 422
        body = json.loads(response.content)
        assert body["code"] == "invalid" and "超出" in body["message"] and body["errors"] == []
