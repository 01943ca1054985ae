"""The record on the API: the same access as the pages, the same counts, and public profiles
open without logging in that carry public fields only."""

import json
from datetime import date
from urllib.parse import quote

import pytest

from tests.deputies.activity_factories import deputy_with_login
from tests.deputies.factories import DeputyFactory, MandateFactory
from tests.deputies.record_factories import YEAR

# The record fixture (not in the package's conftest, which other helpers own).

pytestmark = pytest.mark.django_db

BASE = "/api/v1/deputies/records"


def test_the_record_as_json(client, record_world):
    client.force_login(record_world.p.staff)
    body = client.get(f"{BASE}/{record_world.zhang.pk}").json()
    assert body["year"] == YEAR and body["full_name"] == "张代表"
    assert body["seats"] == [
        {
            "level": "district",
            "level_name": "区人大代表",
            "term_number": 18,
            "street": "泉城路街道",
            "group": "泉城路街道代表小组",
        }
    ]
    summary = body["summary"]
    assert summary["meetings"] == {"attended": 1, "leave": 1, "absent": 0}
    assert summary["activities"] == {"attended": 2, "leave": 0, "absent": 1}
    assert summary["suggestions_led"] == 2 and summary["suggestions_cosigned"] == 1
    assert summary["opinions_received"] == 3 and summary["absences"] == 1
    assert [m["outcome"] for m in body["meetings"]] == ["attended", "leave"]
    assert body["meetings"][0]["meeting"] == "第十八届人民代表大会第五次会议"
    assert [a["outcome_name"] for a in body["activities"]] == ["出席", "缺席", "出席"]
    assert body["receptions"][0]["opinions"] == 2
    assert {s["title"] for s in body["suggestions_led"]} == {
        "关于增设停车位的建议",
        "关于整治背街小巷的建议",
    }
    assert "id_number" not in json.dumps(body) and "13912345678" not in json.dumps(body)


def test_another_year_and_a_bad_year(client, record_world):
    client.force_login(record_world.p.staff)
    body = client.get(f"{BASE}/{record_world.zhang.pk}", {"year": YEAR - 1}).json()
    assert [a["title"] for a in body["activities"]] == ["去年视察"]
    assert [s["title"] for s in body["suggestions_led"]] == ["去年的建议"]
    response = client.get(f"{BASE}/{record_world.zhang.pk}", {"year": 1990})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert response.json()["errors"][0]["field"] == "year"
    assert response.json()["message"].startswith("年度应在")
    assert client.get(f"{BASE}/{record_world.zhang.pk}/archive", {"year": 2099}).status_code == 400


def test_access_follows_the_deputy(client, world):
    client.force_login(world.p.deputy)
    assert client.get(f"{BASE}/{world.zhang.pk}").status_code == 200
    assert client.get(f"{BASE}/{world.li.pk}").status_code == 404
    assert client.get(f"{BASE}/{world.li.pk}/archive").status_code == 404
    client.force_login(world.p.street)
    assert client.get(f"{BASE}/{world.li.pk}").status_code == 200
    assert client.get(f"{BASE}/{world.wang.pk}").status_code == 404
    client.force_login(world.p.unit)
    assert client.get(f"{BASE}/{world.zhang.pk}").status_code == 403
    client.logout()
    assert client.get(f"{BASE}/{world.zhang.pk}").status_code == 401


def test_the_archive_downloads(client, world):
    client.force_login(world.p.leader)
    response = client.get(f"{BASE}/{world.zhang.pk}/archive", {"year": 2026})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert quote("张代表-2026年履职档案.pdf") in response["Content-Disposition"]


PUBLIC_FIELDS = {"id", "full_name", "seats", "group", "summary"}


def test_the_public_list_is_open_without_login_and_public_only(client, record_world):
    body = client.get(f"{BASE}/public").json()
    assert body["count"] == 2 and body["year"] == YEAR
    names = [item["full_name"] for item in body["items"]]
    assert sorted(names) == sorted(["张代表", "李代表"])
    for item in body["items"]:
        assert set(item) == PUBLIC_FIELDS
    zhang = next(i for i in body["items"] if i["full_name"] == "张代表")
    assert zhang["group"] == "泉城路街道代表小组"
    assert zhang["summary"]["suggestions_led"] == 2
    text = json.dumps(body, ensure_ascii=False)
    for private in ("11010519491231002X", "13912345678", "1949-12-31"):
        assert private not in text
    assert [i["full_name"] for i in client.get(f"{BASE}/public", {"q": "李"}).json()["items"]] == [
        "李代表"
    ]


def test_the_public_list_pages_in_constant_queries(client, world, django_assert_num_queries):
    with django_assert_num_queries(8) as few:
        client.get(f"{BASE}/public")
    for n in range(5):
        deputy_with_login(f"新代表{n}", street=world.org.street, group=world.org.group)
    with django_assert_num_queries(len(few.captured_queries)):
        body = client.get(f"{BASE}/public", {"limit": 5, "offset": 1}).json()
    assert body["count"] == 7 and len(body["items"]) == 5 and body["offset"] == 1


def test_a_public_profile(client, record_world):
    body = client.get(f"{BASE}/public/{record_world.zhang.pk}").json()
    assert set(body) == PUBLIC_FIELDS
    assert body["summary"]["meetings"]["attended"] == 1
    assert body["seats"][0]["level_name"] == "区人大代表"


def test_no_public_profile_for_ended_mandates_or_other_levels(client, world):
    ended = DeputyFactory(full_name="已离任代表")
    MandateFactory(
        deputy=ended, started_on=date(2022, 1, 6), ended_on=date(2025, 1, 1), end_reason="moved"
    )
    for deputy in (ended, world.wang):
        response = client.get(f"{BASE}/public/{deputy.pk}")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
