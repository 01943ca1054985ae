"""The stations API: stations, the reception schedule and voters' opinions through every action,
reads scoped per role, refusals in the one error shape changing nothing, constant list queries."""

from datetime import timedelta

import pytest

from renda.deputies.models import Station, VoterOpinion
from tests.deputies.station_factories import (
    category,
    stations_fixture,  # noqa: F401 (the fixture "stations")
)
from tests.plans.factories import APRIL
from tests.suggestions.matrix_api import field_messages, refused, send

pytestmark = pytest.mark.django_db
BASE = "/api/v1/deputies/stations"


def opinion_state(pk: int) -> tuple:
    return VoterOpinion.objects.values_list("status", "version", "result").get(pk=pk)


def test_station_crud_and_schedule(client, stations):
    s = stations
    body = {
        "name": "泉城路街道第二代表联络站",
        "street_id": s.org.street.pk,
        "address": "芙蓉社区居委会一楼",
        "opening_hours": "每周四下午",
    }
    response = send(client, s.street, "POST", f"{BASE}/", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["kind_name"] == "代表联络站" and created["counts"] == {
        "upcoming": 0,
        "open": 0,
        "overdue": 0,
    }
    assert created["actions"] == [
        "deactivate_station",
        "record_opinion",
        "schedule_reception",
        "update_station",
    ]
    pk = created["id"]
    response = send(
        client, s.street, "PUT", f"{BASE}/{pk}", {**body, "phone": "0531-86001122", "version": 1}
    )
    assert response.json()["phone"] == "0531-86001122" and response.json()["version"] == 2
    schedule = {
        "date": (APRIL + timedelta(days=6)).isoformat(),
        "starts_at": "09:00",
        "ends_at": "11:00",
        "deputy_ids": [s.li.pk, s.zhang.pk],
    }
    response = send(client, s.street, "POST", f"{BASE}/{pk}/receptions", schedule)
    assert response.status_code == 201, response.content
    assert response.json()["deputies"] == ["李代表", "张代表"]
    listed = send(client, s.p.leader, "GET", f"{BASE}/{pk}/receptions").json()
    assert [r["title"] for r in listed] == ["泉城路街道第二代表联络站接待选民"]
    refused(send(client, s.street, "POST", f"{BASE}/{pk}/deactivate", {}), 400, "has_receptions")
    stations_listed = send(client, s.staff, "GET", f"{BASE}/").json()
    assert {row["name"]: row["counts"]["upcoming"] for row in stations_listed} == {
        "泉城区人大代表之家": 0,
        "泉城路街道代表联络站": 1,
        "泉城路街道第二代表联络站": 1,
    }


def test_station_refusals_have_the_one_shape_and_change_nothing(client, stations):
    s = stations
    before = Station.objects.values().get(pk=s.station.pk)
    body = refused(
        send(client, s.street, "POST", f"{BASE}/", {"name": "", "address": ""}), 400, "invalid"
    )
    assert field_messages(body) == {
        "name": "请填写名称",
        "address": "请填写地址",
        "street": "代表联络站须选择所在街道",
    }
    refused(
        send(client, s.p.leader, "POST", f"{BASE}/{s.station.pk}/deactivate", {}), 403, "forbidden"
    )
    refused(
        send(client, s.p.social_staff, "POST", f"{BASE}/{s.station.pk}/deactivate", {}),
        403,
        "not_allowed",
    )
    refused(send(client, s.p.unit, "GET", f"{BASE}/{s.station.pk}"), 403, "forbidden")
    refused(
        send(
            client,
            s.street,
            "PUT",
            f"{BASE}/{s.station.pk}",
            {"name": "改名", "street_id": s.org.street.pk, "address": "x", "version": 7},
        ),
        409,
        "stale_version",
    )
    body = refused(
        send(
            client,
            s.street,
            "POST",
            f"{BASE}/{s.station.pk}/receptions",
            {"date": "2026-04-09", "starts_at": "09:00", "deputy_ids": [s.wang.pk]},
        ),
        400,
        "invalid",
    )
    assert field_messages(body) == {"deputies": "王代表不在您可安排的现任代表之中"}
    assert Station.objects.values().get(pk=s.station.pk) == before
    assert s.station.receptions.count() == 1


def test_an_opinion_through_every_action(client, stations):
    s = stations
    record = {
        "reception_id": s.reception.pk,
        "voter_name": "王阿姨",
        "voter_phone": "13605310002",
        "subject": "学校门口接送拥堵",
        "content": "芙蓉小学门口早晚接送车辆乱停，孩子过马路很危险。",
    }
    response = send(client, s.li.user, "POST", f"{BASE}/opinions", record)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["received_by"] == "李代表" and created["station"] == "泉城路街道代表联络站"
    assert created["voter_phone"] == "136****0002"  # the deputy sees it masked
    assert created["actions"] == ["forward_as_suggestion"]
    pk = created["id"]
    street_view = send(client, s.street, "GET", f"{BASE}/opinions/{pk}").json()
    assert street_view["voter_phone"] == "13605310002"
    assert street_view["actions"] == ["answer_opinion", "forward_to_unit"]
    forward = {"unit_id": s.org.unit.pk, "due_on": "2026-04-22", "version": 1}
    response = send(client, s.street, "POST", f"{BASE}/opinions/{pk}/forward-to-unit", forward)
    assert response.json()["status"] == "to_unit" and response.json()["unit_due_on"] == "2026-04-22"
    unit_view = send(client, s.p.unit, "GET", f"{BASE}/opinions/{pk}").json()
    assert unit_view["actions"] == ["unit_answer"] and unit_view["voter_phone"] == "136****0002"
    response = send(
        client, s.p.unit, "POST", f"{BASE}/opinions/{pk}/answer", {"result": "已协调交警加强疏导。"}
    )
    assert response.json()["status"] == "answered"
    response = send(
        client,
        s.street,
        "POST",
        f"{BASE}/opinions/{pk}/report-back",
        {"method": "短信", "note": "已短信告知王阿姨。"},
    )
    assert response.json()["status"] == "reported" and response.json()["feedback_method"] == "短信"


def test_forward_as_suggestion_on_the_api(client, stations):
    s = stations
    opinion = s.record()
    response = send(
        client,
        s.zhang.user,
        "POST",
        f"{BASE}/opinions/{opinion.pk}/forward-as-suggestion",
        {"category_id": category().pk, "version": 1},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "to_suggestion" and response.json()["suggestion_id"]
    body = refused(
        send(
            client,
            s.staff,
            "POST",
            f"{BASE}/opinions/{s.record().pk}/forward-as-suggestion",
            {"category_id": 99999},
        ),
        400,
        "invalid",
    )
    assert field_messages(body) == {"category_id": "没有该类别"}


def test_opinion_refusals_change_nothing(client, stations):
    s = stations
    opinion = s.to_unit()
    before = opinion_state(opinion.pk)
    path = f"{BASE}/opinions/{opinion.pk}"
    refused(
        send(client, s.street, "POST", f"{path}/answer", {"result": "已办"}), 403, "not_allowed"
    )
    refused(send(client, s.p.unit, "POST", f"{path}/answer", {"result": ""}), 400, "invalid")
    refused(
        send(client, s.p.unit, "POST", f"{path}/answer", {"result": "已办", "version": 1}),
        409,
        "stale_version",
    )
    refused(
        send(client, s.street, "POST", f"{path}/report-back", {"method": "电话", "note": "x"}),
        400,
        "wrong_state",
    )
    refused(send(client, s.wang.user, "GET", path), 404, "not_found")
    refused(send(client, s.p.leader, "POST", f"{path}/answer", {"result": "x"}), 403, "forbidden")
    assert opinion_state(opinion.pk) == before
    other = s.record()
    refused(send(client, s.p.unit, "GET", f"{BASE}/opinions/{other.pk}"), 404, "not_found")
    body = refused(
        send(
            client,
            s.street,
            "POST",
            f"{BASE}/opinions",
            {"station_id": s.station.pk, "voter_name": "", "subject": "路灯", "content": "坏了"},
        ),
        400,
        "invalid",
    )
    assert field_messages(body) == {"voter_name": "请填写选民姓名", "received_on": "请填写接待日期"}


def test_opinion_list_filters_and_constant_queries(client, stations, django_assert_num_queries):
    s = stations
    s.to_unit()
    s.record()
    client.force_login(s.staff)
    url = f"{BASE}/opinions"
    client.get(url)
    with django_assert_num_queries(6) as few:
        response = client.get(url)
    assert response.json()["count"] == 2
    for i in range(3):
        s.record(subject=f"菜市场占道{i}")
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.json()["count"] == 5 and len(response.json()["items"]) == 5
    assert client.get(url + "?status=to_unit").json()["count"] == 1
    assert client.get(url + f"?station={s.home.pk}").json()["count"] == 0
    assert client.get(url + "?overdue=true").json()["count"] == 0
