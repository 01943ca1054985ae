"""The suggestions API: list, detail, timeline, taxonomies, and who sees what."""

import datetime

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from renda.core.models import User
from renda.core.tokens import issue_token
from renda.suggestions import actions
from renda.suggestions.models import Suggestion
from renda.suggestions.permissions import available_actions
from tests.suggestions.factories import category
from tests.suggestions.matrix_api import BASE, field_messages, refused, send

pytestmark = pytest.mark.django_db


def ids(client, user, **params) -> list[int]:
    client.force_login(user)
    response = client.get(f"{BASE}/", params)
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


@pytest.fixture
def three(world):
    """A parking suggestion assigned to the persona unit, a school one submitted, a draft."""
    parking = world.assigned(co_unit=False)
    school = world.submitted(
        title="关于改善学校周边交通秩序的建议",
        content="上下学时段校门口拥堵，建议教育部门会同交警疏导。",
        category=category("教育"),
    )
    draft = world.draft(title="关于增设健身器材的建议", content="小区缺少健身器材。")
    return parking, school, draft


def test_list_filters_are_the_page_filters(client, world, three):
    parking, school, draft = three
    staff = world.p.staff
    assert set(ids(client, staff)) == {parking.pk, school.pk}  # a draft is its drafter's only
    assert ids(client, staff, status="submitted") == [school.pk]
    assert ids(client, staff, category=category("教育").pk) == [school.pk]
    assert ids(client, staff, unit=world.org.unit.pk) == [parking.pk]
    assert ids(client, staff, unit=world.org.other_unit.pk) == []
    assert ids(client, staff, q="停车") == [parking.pk]
    assert ids(client, staff, q="教育") == [school.pk]  # inside 教育部门: substring search
    assert set(ids(client, staff, deputy=world.p.deputy.deputy.pk)) == {parking.pk, school.pk}
    assert ids(client, staff, street=world.org.other_street.pk) == []
    assert set(ids(client, staff, term_number=18, session_number=5)) == {parking.pk, school.pk}
    assert ids(client, staff, session_number=4) == []
    assert ids(client, staff, key=True) == []
    assert ids(client, staff, escalated=True) == []
    # Earliest deadline first, rows without one last; newest first on request.
    assert ids(client, staff, sort="due") == [parking.pk, school.pk]
    assert ids(client, staff, sort="-created") == [school.pk, parking.pk]


def test_list_overdue_and_key_filters(client, world, three):
    parking, school, _ = three
    actions.flag_key(
        acting_user=world.p.leader,
        suggestion=parking,
        leader=world.p.leader,
        office=world.org.deputy_office,
    )
    assert ids(client, world.p.leader, key=True) == [parking.pk]
    parking.refresh_from_db()
    with time_machine.travel(parking.due_at + datetime.timedelta(days=2)):
        client.force_login(world.p.staff)
        body = client.get(f"{BASE}/", {"overdue": True}).json()
    assert [i["id"] for i in body["items"]] == [parking.pk] and body["items"][0]["is_overdue"]


def test_list_item_shape(client, world, three):
    parking, _, _ = three
    client.force_login(world.p.unit)
    body = client.get(f"{BASE}/").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == parking.pk and item["number"] == 1
    assert item["status"] == "assigned" and item["status_name"] == "待签收"
    assert item["deputy"] == "张代表" and item["street"] == "泉城路街道"
    assert item["category"] == "城乡建设" and item["due_at"] is not None
    assert item["units"] == [
        {
            "unit_id": world.org.unit.pk,
            "unit": "区住房和城乡建设局",
            "role": "lead",
            "role_name": "主办",
        }
    ]


def test_list_refuses_unknown_filter_values_in_chinese(client, world):
    client.force_login(world.p.staff)
    body = refused(client.get(f"{BASE}/", {"status": "lost", "sort": "title"}), 422, "invalid")
    assert field_messages(body) == {"status": "不是允许的取值", "sort": "不是允许的取值"}
    body = refused(client.get(f"{BASE}/", {"unit": "住建局"}), 422, "invalid")
    assert field_messages(body) == {"unit": "应为整数"}


def test_list_paginates_at_most_200(client, world):
    for n in range(3):
        world.submitted(title=f"关于第{n}段道路修缮的建议")
    client.force_login(world.p.staff)
    first = client.get(f"{BASE}/", {"limit": 2}).json()
    assert first["count"] == 3 and len(first["items"]) == 2 and first["limit"] == 2
    rest = client.get(f"{BASE}/", {"limit": 2, "offset": 2}).json()
    assert len(rest["items"]) == 1
    assert {i["id"] for i in first["items"] + rest["items"]} == set(
        Suggestion.objects.values_list("pk", flat=True)
    )
    assert client.get(f"{BASE}/", {"limit": 5000}).json()["limit"] == 200
    refused(client.get(f"{BASE}/", {"offset": -1}), 422, "invalid")


def list_queries(client, user, django_assert_num_queries) -> int:
    client.force_login(user)
    # session, user, roles, count, rows, the rows' live assignments with their units
    with django_assert_num_queries(6):
        return len(client.get(f"{BASE}/", {"limit": 200}).json()["items"])


def test_list_query_count_does_not_grow_with_rows(client, world, django_assert_num_queries):
    world.assigned()
    assert list_queries(client, world.p.staff, django_assert_num_queries) == 1
    for _ in range(4):
        world.assigned()
        world.submitted()
    assert list_queries(client, world.p.staff, django_assert_num_queries) == 9
    assert list_queries(client, world.p.unit, django_assert_num_queries) == 5


def test_each_role_lists_only_what_it_may_see(client, world, three):
    parking, school, draft = three
    assert set(ids(client, world.p.deputy)) == {parking.pk, school.pk, draft.pk}
    assert ids(client, world.cosigner) == []  # another deputy: not even the submitted ones
    assert set(ids(client, world.p.street)) == {parking.pk, school.pk}
    assert ids(client, world.p.unit) == [parking.pk]
    assert ids(client, world.co_unit_user) == []
    assert set(ids(client, world.p.leader)) == {parking.pk, school.pk}


def test_detail_shows_the_record_and_only_the_callers_actions(client, world):
    s = world.assigned(cosign=True)
    client.force_login(world.p.staff)
    body = client.get(f"{BASE}/{s.pk}").json()
    assert body["title"] == "关于解决老旧小区停车难的建议" and body["content"].startswith("泉城路")
    assert body["deadline"]["due_at"] == str(s.due_at)
    assert "交办日" in body["deadline"]["explanation"]
    assert body["deadline"]["is_overdue"] is False
    assert [(c["full_name"], c["status"]) for c in body["cosigners"]] == [("李联名", "confirmed")]
    assert [(a["unit"], a["role"], a["status"]) for a in body["assignments"]] == [
        ("区住房和城乡建设局", "lead", "pending"),
        ("区城市管理局", "co", "pending"),
    ]
    assert body["answers"] == body["ratings"] == body["contacts"] == body["extensions"] == []
    assert body["mode"] == "lead" and body["version"] == s.version
    assert body["actions"] == actions_of(world.p.staff, s)
    assert "extend_deadline" in body["actions"] and "sign_for" not in body["actions"]
    client.force_login(world.p.unit)
    unit_actions = client.get(f"{BASE}/{s.pk}").json()["actions"]
    assert unit_actions == actions_of(world.p.unit, s)
    assert {"sign_for", "request_adjustment"} <= set(unit_actions)
    assert "extend_deadline" not in unit_actions
    client.force_login(world.p.leader)
    assert "flag_key" in client.get(f"{BASE}/{s.pk}").json()["actions"]
    client.force_login(world.p.street)
    assert client.get(f"{BASE}/{s.pk}").json()["actions"] == []


def actions_of(user, s) -> list[str]:
    user = User.objects.get(pk=user.pk)  # fresh role cache, as a request has
    return sorted(available_actions(user, s, today=timezone.localdate()))


def test_detail_is_404_for_what_the_caller_cannot_see(client, world):
    lead_only = world.assigned(co_unit=False)
    draft = world.draft(cosign=True)
    body = refused(
        send(client, world.co_unit_user, "GET", f"{BASE}/{lead_only.pk}"), 404, "not_found"
    )
    assert body == {"code": "not_found", "message": "未找到，或您无权查看。", "errors": []}
    refused(send(client, world.cosigner, "GET", f"{BASE}/{draft.pk}"), 404, "not_found")
    refused(send(client, world.p.staff, "GET", f"{BASE}/{draft.pk}"), 404, "not_found")
    refused(send(client, world.p.staff, "GET", f"{BASE}/999999"), 404, "not_found")
    refused(
        send(client, world.co_unit_user, "GET", f"{BASE}/{lead_only.pk}/timeline"), 404, "not_found"
    )
    refused(send(client, None, "GET", f"{BASE}/{lead_only.pk}"), 401, "unauthenticated")


def test_timeline_lists_every_move(client, world):
    s = world.accepted()
    client.force_login(world.p.deputy)
    events = client.get(f"{BASE}/{s.pk}/timeline").json()
    assert [e["verb"] for e in events] == ["draft", "submit", "accept"]
    accept = events[-1]
    assert accept["summary"] == "立案，编为第1号" and accept["actor"] == "代表室干部"
    assert (accept["from_state_name"], accept["to_state_name"]) == ("待审查", "待交办")


def test_taxonomies(client, world):
    client.force_login(world.p.unit)
    names = [c["name"] for c in client.get(f"{BASE}/categories").json()]
    assert names[:3] == ["城乡建设", "教育", "医疗卫生"] and "其他" in names
    grades = client.get(f"{BASE}/answer-categories").json()
    assert [g["code"] for g in grades] == ["A", "B", "C", "D"]
    assert grades[1]["resolution"] == "planned" and grades[1]["is_active"] is True


def test_token_auth_acts_without_a_session_or_csrf(world):
    s = world.submitted()
    _, key = issue_token(user=world.p.staff, name="交办系统")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"{BASE}/{s.pk}/accept",
        data={"version": s.version},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accepted" and response.json()["number"] == 1
    # The same call on a session without the CSRF token is refused.
    other = world.submitted()
    client.force_login(world.p.staff)
    response = client.post(
        f"{BASE}/{other.pk}/accept",
        data={"version": other.version},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Suggestion.objects.get(pk=other.pk).status == "submitted"
