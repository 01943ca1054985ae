"""Points on the API: the table (filters, scope, constant queries), one deputy's quarters, the
talks, the bulletins and publishing one (its refusals in the one error shape)."""

import pytest

from renda.deputies.actions_points import publish_bulletin
from renda.deputies.models import ActivityKind, PointBulletin
from tests.deputies import points_factories
from tests.deputies.activity_factories import deputy_with_login
from tests.deputies.factories import GroupFactory, MandateFactory
from tests.deputies.points_factories import Q1_DAY

pytestmark = pytest.mark.django_db
pw = points_factories.pw  # the fixture

BASE = "/api/v1/deputies/points"


@pytest.fixture
def other(pw):
    group = GroupFactory(name="大明湖街道代表小组", street=pw.org.other_street)
    deputy = deputy_with_login("赵其他", street=pw.org.other_street, group=group)
    for _ in range(7):
        pw.suggestion(deputy)  # 81
    pw.activity(ActivityKind.VISIT, absent=[pw.li])  # 57
    return deputy


def by_name(body) -> dict:
    return {item["name"]: item for item in body["items"]}


def test_the_table(client, pw, other):
    client.force_login(pw.p.leader)
    response = client.get(f"{BASE}/", {"year": 2026, "quarter": 2})
    assert response.status_code == 200
    body = response.json()
    assert (body["year"], body["quarter"], body["count"]) == (2026, 2, 3)
    items = by_name(body)
    zhao = items["赵其他"]
    assert (zhao["period_points"], zhao["year_points"], zhao["band"]) == (21.0, 81.0, "good")
    assert (zhao["band_name"], zhao["group"]) == ("好", "大明湖街道代表小组")
    lead = next(line for line in zhao["lines"] if line["source"] == "suggestion_lead")
    assert (lead["items"], lead["units"], lead["points"]) == (7, 7, 21.0)
    assert items["李代表"]["band"] == "poor"


def test_the_table_filters_pages_and_the_whole_year(client, pw, other):
    client.force_login(pw.staff)
    poor = client.get(f"{BASE}/", {"year": 2026, "quarter": 2, "band": "poor"}).json()
    assert [i["name"] for i in poor["items"]] == ["李代表"]
    year = client.get(f"{BASE}/", {"year": 2026, "quarter": 0}).json()
    assert year["quarter"] is None and by_name(year)["赵其他"]["period_points"] == 21.0
    q1 = client.get(f"{BASE}/", {"year": 2026, "quarter": 1}).json()
    assert by_name(q1)["赵其他"]["year_points"] == 60.0
    window = client.get(f"{BASE}/", {"year": 2026, "sort": "points", "limit": 1}).json()
    assert (window["count"], [i["name"] for i in window["items"]]) == (3, ["赵其他"])
    group = client.get(f"{BASE}/", {"group": pw.org.group.pk}).json()
    assert set(by_name(group)) == {"张代表", "李代表"}


def test_a_street_reads_its_own_deputies(client, pw, other):
    client.force_login(pw.p.street)
    body = client.get(f"{BASE}/", {"year": 2026, "quarter": 2}).json()
    assert set(by_name(body)) == {"张代表", "李代表"}
    assert client.get(f"{BASE}/deputies/{other.pk}").status_code == 404


def test_the_table_takes_constant_queries(client, pw, other, django_assert_num_queries):
    client.force_login(pw.staff)
    with django_assert_num_queries(25):
        client.get(f"{BASE}/", {"year": 2026, "quarter": 2})
    for _ in range(5):
        MandateFactory(street=pw.org.street)
    with django_assert_num_queries(25):
        assert client.get(f"{BASE}/", {"year": 2026, "quarter": 2}).json()["count"] == 8


def test_a_deputy_reads_their_own_quarters(client, pw):
    pw.activity(ActivityKind.TRAINING, Q1_DAY, attended=[pw.zhang])
    pw.activity(ActivityKind.SESSION, granted=[pw.zhang], half_days=3)
    client.force_login(pw.p.deputy)
    body = client.get(f"{BASE}/deputies/{pw.zhang.pk}", {"year": 2026}).json()
    assert (body["name"], body["year"]) == ("张代表", 2026)
    assert [q["year_points"] for q in body["quarters"]] == [62.0, 59.0, 59.0, 59.0]
    leave = next(x for x in body["quarters"][1]["lines"] if x["source"] == "session_leave")
    assert (leave["items"], leave["units"], leave["points"]) == (1, 3, -3.0)
    assert client.get(f"{BASE}/deputies/{pw.li.pk}").status_code == 404


def test_talks(client, pw, other):
    client.force_login(pw.staff)
    body = client.get(f"{BASE}/talks", {"year": 2026}).json()
    assert [(t["name"], t["year_points"], t["reasons"]) for t in body] == [
        ("李代表", 57.0, ["年度积分 57.0 分，低于 60.0 分"])
    ]
    assert body[0]["mandate_at_risk"] is False


def test_bulletins_read_by_any_logged_in_user(client, pw, other):
    bulletin = publish_bulletin(acting_user=pw.staff, year=2026, quarter=2)
    client.force_login(pw.p.unit)
    [listed] = client.get(f"{BASE}/bulletins").json()
    assert (listed["id"], listed["title"], listed["deputies"]) == (
        bulletin.pk,
        "2026年第2季度代表履职积分通报",
        3,
    )
    detail = client.get(f"{BASE}/bulletins/{bulletin.pk}").json()
    rows = {r["deputy_name"]: r for r in detail["rows"]}
    assert rows["赵其他"] == {
        "deputy_name": "赵其他",
        "group_name": "大明湖街道代表小组",
        "quarter_points": 21.0,
        "year_points": 81.0,
        "band": "good",
        "band_name": "好",
    }
    assert client.get(f"{BASE}/bulletins/{bulletin.pk + 99}").status_code == 404


def test_publish_and_its_refusals(client, pw, other):
    client.force_login(pw.staff)
    response = client.post(
        f"{BASE}/bulletins", {"year": 2026, "quarter": 3}, content_type="application/json"
    )
    assert response.status_code == 201
    assert (response.json()["quarter"], len(response.json()["rows"])) == (3, 3)
    again = client.post(
        f"{BASE}/bulletins", {"year": 2026, "quarter": 3}, content_type="application/json"
    )
    assert again.status_code == 400
    assert again.json()["code"] == "already_published"
    early = client.post(
        f"{BASE}/bulletins", {"year": 2026, "quarter": 4}, content_type="application/json"
    )
    assert (early.status_code, early.json()["code"]) == (400, "too_early")
    assert early.json()["errors"] == [{"field": "quarter", "message": "该季度尚未结束"}]
    client.force_login(pw.p.social_staff)
    refused = client.post(
        f"{BASE}/bulletins", {"year": 2026, "quarter": 1}, content_type="application/json"
    )
    assert (refused.status_code, refused.json()["code"]) == (403, "not_allowed")
    assert PointBulletin.objects.count() == 1
