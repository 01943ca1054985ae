"""The roster's upkeep on the API: the same actions and rules as the pages, one error shape."""

import json
from datetime import date

import pytest

from renda.deputies.models import Deputy, Mandate
from tests.api_versions import with_current_version
from tests.deputies.test_imports import good_rows, workbook

pytestmark = pytest.mark.django_db
BASE = "/api/v1/deputies"


def call(client, method, path, body):
    path, body = with_current_version(method, path, body)
    return client.generic(method, path, json.dumps(body), content_type="application/json")


PERSON = {
    "full_name": "陈红",
    "gender": "F",
    "birth_date": "1949-12-31",
    "party": "none",
    "occupation_category": "farmer",
    "id_number": "11010519491231002X",
}


@pytest.fixture
def free_id(personas):
    Deputy.objects.filter(pk=personas.deputy.deputy.pk).update(id_number="")
    return personas


def test_create_returns_the_record(client, free_id, org):
    client.force_login(free_id.staff)
    seat = {"level": "district", "term_number": 18, "started_on": "2022-01-06"}
    seat.update(street_id=org.street.pk, group_id=org.group.pk)
    response = call(client, "POST", f"{BASE}/", {**PERSON, "mandate": seat})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["full_name"] == "陈红" and body["version"] == 1
    [mandate] = body["mandates"]
    assert (mandate["level_name"], mandate["group_id"], mandate["ended_on"]) == (
        "区人大代表",
        org.group.pk,
        None,
    )


def test_create_refusals_name_the_body_field(client, free_id, org):
    client.force_login(free_id.staff)
    seat = {"level": "district", "term_number": 18, "started_on": "2022-01-06", "street_id": 9999}
    response = call(client, "POST", f"{BASE}/", {**PERSON, "mandate": seat})
    assert response.status_code == 400
    assert response.json()["errors"] == [{"field": "mandate.street_id", "message": "没有该街道"}]
    seat = {"level": "district", "term_number": 18, "started_on": "2022-01-06"}
    response = call(client, "POST", f"{BASE}/", {**PERSON, "gender": "M", "mandate": seat})
    assert response.status_code == 400
    assert response.json()["message"] == "性别与身份证号不符。"
    assert not Deputy.objects.filter(full_name="陈红").exists()


def test_other_offices_are_refused_and_nothing_changes(client, personas):
    deputy = personas.deputy.deputy
    client.force_login(personas.social_staff)
    before = Deputy.objects.filter(pk=deputy.pk).values().get()
    response = call(
        client,
        "PUT",
        f"{BASE}/{deputy.pk}",
        {**PERSON, "full_name": "张代表", "phone": "13900000000"},
    )
    assert response.status_code == 403 and response.json()["code"] == "not_allowed"
    assert Deputy.objects.filter(pk=deputy.pk).values().get() == before


def test_update_with_a_stale_version_is_a_conflict(client, personas):
    deputy = personas.deputy.deputy
    client.force_login(personas.staff)
    body = {**PERSON, "full_name": "张代表", "phone": "13900000000", "version": 1}
    assert call(client, "PUT", f"{BASE}/{deputy.pk}", body).status_code == 200
    response = call(client, "PUT", f"{BASE}/{deputy.pk}", {**body, "phone": "13900000001"})
    assert response.status_code == 409 and response.json()["code"] == "stale_version"
    assert Deputy.objects.get(pk=deputy.pk).phone == "13900000000"


def test_seats_added_corrected_and_ended(client, personas, time_machine):
    time_machine.move_to(date(2026, 4, 1), tick=False)
    deputy = personas.deputy.deputy
    client.force_login(personas.admin)
    seat = {"level": "municipal", "term_number": 18, "started_on": "2022-01-06"}
    response = call(client, "POST", f"{BASE}/{deputy.pk}/mandates", seat)
    assert response.status_code == 201
    again = call(client, "POST", f"{BASE}/{deputy.pk}/mandates", seat)
    assert again.status_code == 400 and again.json()["code"] == "duplicate_mandate"
    municipal = deputy.mandates.get(level="municipal")
    response = call(
        client,
        "PUT",
        f"{BASE}/mandates/{municipal.pk}",
        {**seat, "electoral_unit": "历下区", "version": 1},
    )
    assert response.status_code == 200
    end = {"ended_on": "2026-03-01", "reason": "recalled", "version": 2}
    response = call(client, "POST", f"{BASE}/mandates/{municipal.pk}/end", end)
    assert response.status_code == 200
    ended = next(m for m in response.json()["mandates"] if m["id"] == municipal.pk)
    assert (ended["end_reason"], ended["end_reason_name"]) == ("recalled", "罢免")
    response = call(client, "POST", f"{BASE}/mandates/{municipal.pk}/end", end)
    assert response.status_code == 409  # the version moved on when it ended
    assert Mandate.objects.get(pk=municipal.pk).end_reason == "recalled"


def test_import_over_the_api(client, personas, org):
    client.force_login(personas.staff)
    rows = good_rows()
    rows[0][11] = "第十八"  # still a term; then a bad one:
    rows[1][11] = "下一届"
    response = client.post(f"{BASE}/import", {"file": _upload(workbook(rows))})
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "第4行·届次", "message": "“下一届”不是有效的届次（如 18 或 第十八届）"}
    ]
    assert not Deputy.objects.filter(full_name="李建国").exists()
    response = client.post(f"{BASE}/import", {"file": _upload(workbook(good_rows()))})
    assert response.status_code == 200
    assert response.json() == {"people": 3, "mandates": 4, "existing": 0}


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("名册.xlsx", content)
