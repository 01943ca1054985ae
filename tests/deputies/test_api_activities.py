"""The activities API: reads scoped per role, every action allowed and refused in the one
error shape, and the list's constant query count."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from renda.deputies import actions_activities as actions
from renda.deputies.models import Activity
from renda.deputies.queries_activities import XLSX
from tests.deputies.activity_factories import (
    DAY,
    Work,
    activity_fields,
    deputy_with_login,
    invited,
    make_work,
)
from tests.plans.factories import at
from tests.suggestions.matrix_api import field_messages, refused, send

pytestmark = pytest.mark.django_db
BASE = "/api/v1/deputies/activities"


def state(a: Activity) -> tuple:
    return Activity.objects.values_list("status", "version", "title").get(pk=a.pk)


def test_create_invite_open_and_read(client, world):
    body = {
        "kind": "inspection",
        "title": "《食品安全法》执法检查",
        "organiser_office_id": world.org.deputy_office.pk,
        "date": "2026-04-15",
        "starts_at": "09:00",
        "place": "区市场监管局",
        "capacity": 10,
    }
    response = send(client, world.staff, "POST", f"{BASE}/", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["status"] == "planned" and created["kind_name"] == "执法检查"
    assert len(created["checkin_code"]) == 6
    assert created["actions"] == ["cancel_activity", "invite", "open_signup", "update_activity"]
    pk = created["id"]
    invite = {"group_ids": [world.org.group.pk], "levels": ["municipal"]}
    response = send(client, world.staff, "POST", f"{BASE}/{pk}/invite", invite)
    assert response.status_code == 200, response.content
    assert response.json()["invited"] == 4
    via = {i["deputy_name"]: i["via"] for i in response.json()["activity"]["invitations"]}
    assert via == {"张代表": "group", "李代表": "group", "王市代表": "level", "赵市代表": "level"}
    response = send(client, world.staff, "POST", f"{BASE}/{pk}/open-signup", {"version": 1})
    assert response.json()["status"] == "open"
    # The deputy sees their own invitation only, and no code.
    mine = send(client, world.li.user, "GET", f"{BASE}/{pk}").json()
    assert mine["checkin_code"] is None and [i["deputy_name"] for i in mine["invitations"]] == [
        "李代表"
    ]
    assert mine["invitations"][0]["actions"] == ["decline", "request_leave", "sign_up"]
    listed = send(client, world.li.user, "GET", f"{BASE}/mine").json()
    assert [i["activity_id"] for i in listed] == [pk]


def test_refusals_have_the_one_error_shape_and_change_nothing(client, world):
    a = world.activity
    before = state(a)
    body = refused(
        send(client, world.staff, "POST", f"{BASE}/{a.pk}/cancel", {"reason": ""}), 400, "invalid"
    )
    assert field_messages(body) == {"reason": "请填写取消原因"}
    refused(
        send(client, world.p.leader, "POST", f"{BASE}/{a.pk}/cancel", {"reason": "x"}),
        403,
        "forbidden",
    )
    refused(send(client, world.p.unit, "GET", f"{BASE}/{a.pk}"), 403, "forbidden")
    refused(send(client, world.li.user, "GET", f"{BASE}/{a.pk}"), 404, "not_found")
    refused(
        send(client, world.staff, "POST", f"{BASE}/{a.pk}/open-signup", {"version": 7}),
        409,
        "stale_version",
    )
    refused(send(client, world.staff, "POST", f"{BASE}/{a.pk}/mark-held", {}), 400, "too_early")
    body = refused(
        send(client, world.staff, "POST", f"{BASE}/{a.pk}/invite", {"deputy_ids": [99999]}),
        400,
        "invalid",
    )
    assert field_messages(body) == {"deputy_ids": "没有该代表"}
    assert state(a) == before and a.invitations.count() == 0


def test_sign_up_leave_check_in_and_attendance(client, world, time_machine):
    invited(world)
    a = world.activity
    li, zhang, wang = world.inv(world.li), world.inv(world.zhang), world.inv(world.wang)
    ok = send(client, world.li.user, "POST", f"{BASE}/invitations/{li.pk}/sign-up")
    assert ok.status_code == 200 and ok.json()["response"] == "signed_up"
    refused(
        send(client, world.li.user, "POST", f"{BASE}/invitations/{zhang.pk}/sign-up"),
        404,
        "not_found",
    )
    refused(
        send(client, world.li.user, "POST", f"{BASE}/invitations/{li.pk}/sign-up"), 400, "already"
    )
    leave = send(
        client, world.zhang.user, "POST", f"{BASE}/invitations/{zhang.pk}/leave", {"reason": "出差"}
    )
    assert leave.json()["leave"] == "requested"
    refused(
        send(client, world.zhang.user, "POST", f"{BASE}/invitations/{zhang.pk}/grant-leave", {}),
        403,
        "forbidden",
    )
    granted = send(
        client,
        world.staff,
        "POST",
        f"{BASE}/invitations/{zhang.pk}/grant-leave",
        {"answer": "同意"},
    )
    assert granted.json()["leave"] == "granted"
    time_machine.move_to(at(DAY, 9), tick=False)
    refused(
        send(client, world.li.user, "POST", f"{BASE}/{a.pk}/check-in", {"code": "abc"}),
        400,
        "wrong_code",
    )
    refused(
        send(client, world.zhang.user, "POST", f"{BASE}/{a.pk}/check-in", {"code": a.checkin_code}),
        400,
        "on_leave",
    )
    checked = send(
        client, world.li.user, "POST", f"{BASE}/{a.pk}/check-in", {"code": a.checkin_code}
    )
    assert checked.status_code == 200 and checked.json()["checked_in_by"] == "code"
    recorded = send(client, world.staff, "POST", f"{BASE}/invitations/{wang.pk}/attendance")
    assert (
        recorded.json()["attendance"] == "attended" and recorded.json()["checked_in_by"] == "staff"
    )
    held = send(client, world.staff, "POST", f"{BASE}/{a.pk}/mark-held", {"version": a.version})
    # Zhao never signed up for this open activity: not expected, so not absent.
    assert held.json()["counts"] == {
        "invited": 4,
        "signed_up": 1,
        "leave": 1,
        "attended": 2,
        "absent": 0,
    }


def test_list_queries_do_not_grow(client, world, django_assert_num_queries):
    invited(world)
    client.force_login(world.staff)
    client.get(f"{BASE}/")
    with django_assert_num_queries(5) as few:
        response = client.get(f"{BASE}/?status=open")
    assert response.json()["count"] == 1
    for i in range(4):
        other = actions.create_activity(
            acting_user=world.staff, values=activity_fields(world.org, title=f"第{i}次")
        )
        actions.open_signup(acting_user=world.staff, activity=other)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(f"{BASE}/?status=open")
    body = response.json()
    invited_counts = {item["title"]: item["counts"]["invited"] for item in body["items"]}
    assert body["count"] == 5
    assert invited_counts == {"视察老旧小区改造": 4, "第0次": 0, "第1次": 0, "第2次": 0, "第3次": 0}


# ---------------------------------------------------------------------------------------------
# What an activity carries out, its half-days, and the Excel exports


@pytest.fixture
def work(world) -> Work:
    return make_work(world.org, world.p)


def _body(world, **more) -> dict:
    return {
        "kind": "session",
        "title": "区十八届人大五次会议",
        "organiser_office_id": world.org.deputy_office.pk,
        "date": "2026-04-10",
        "starts_at": "08:30",
        "place": "区会议中心",
        "half_days": 5,
        **more,
    }


def test_create_with_a_link_and_read_it_back(client, world, work):
    response = send(
        client, world.staff, "POST", f"{BASE}/", _body(world, meeting_id=work.congress.pk)
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["half_days"] == 5 and created["meeting_id"] == work.congress.pk
    assert created["carries_out"] == {
        "link": "meeting",
        "label": "会议",
        "id": work.congress.pk,
        "name": "第十八届人民代表大会第五次会议",
    }
    listed = send(client, world.staff, "GET", f"{BASE}/?kind=session").json()["items"]
    assert [(i["meeting_id"], i["half_days"]) for i in listed] == [(work.congress.pk, 5)]


def test_link_refusals_change_nothing(client, world, work):
    count = Activity.objects.count()
    body = refused(
        send(
            client,
            world.staff,
            "POST",
            f"{BASE}/",
            _body(world, kind="visit", meeting_id=work.standing.pk),
        ),
        400,
        "invalid",
    )
    assert field_messages(body) == {"meeting": "关联会议的活动类型应为人代会、列席常委会"}
    body = refused(
        send(
            client,
            world.staff,
            "POST",
            f"{BASE}/",
            _body(world, kind="inquiry", meeting_id=work.standing.pk, inquiry_id=work.inquiry.pk),
        ),
        400,
        "invalid",
    )
    assert field_messages(body) == {"inquiry": "一项活动只能关联一项工作（现选了会议、专题询问）"}
    for link, pk in [("meeting_id", work.director.pk), ("plan_item_id", work.draft_item.pk)]:
        body = refused(
            send(client, world.staff, "POST", f"{BASE}/", _body(world, **{link: pk})),
            400,
            "invalid",
        )
        assert link in field_messages(body)
    # The street may not link a meeting it cannot see, nor the other street's station.
    street = {"organiser_office_id": None, "organiser_street_id": world.org.street.pk}
    for link, pk, message in [
        ("meeting_id", work.congress.pk, "没有该会议，或您无权选择"),
        ("station_id", work.other_station.pk, "没有该联络站接待，或您无权选择"),
    ]:
        body = refused(
            send(client, world.p.street, "POST", f"{BASE}/", _body(world, **street, **{link: pk})),
            400,
            "invalid",
        )
        assert field_messages(body) == {link: message}
    # Out of the schema's range: refused before the action, naming the field.
    body = refused(
        send(client, world.staff, "POST", f"{BASE}/", _body(world, half_days=0)), 422, "invalid"
    )
    assert field_messages(body) == {"half_days": "数值太小"}
    assert Activity.objects.count() == count


def test_an_update_keeps_a_link_the_user_could_not_choose(client, world, work):
    """The staff linked a plan item; the street organiser edits the activity and keeps it, but
    cannot switch to another item it may not see."""
    a = actions.create_activity(
        acting_user=world.staff,
        values=activity_fields(
            world.org,
            organiser_office=None,
            organiser_street=world.org.street,
            plan_item=work.plan_item,
        ),
    )
    body = {
        "kind": "visit",
        "title": "视察老旧小区改造（第二批）",
        "organiser_street_id": world.org.street.pk,
        "date": "2026-04-10",
        "starts_at": "09:00",
        "ends_at": "11:30",
        "place": "泉城路街道办事处",
        "plan_item_id": work.plan_item.pk,
        "version": 1,
    }
    ok = send(client, world.p.street, "PUT", f"{BASE}/{a.pk}", body)
    assert ok.status_code == 200, ok.content
    assert ok.json()["plan_item_id"] == work.plan_item.pk
    before = state(a)
    refused(
        send(
            client,
            world.p.street,
            "PUT",
            f"{BASE}/{a.pk}",
            {**body, "plan_item_id": work.draft_item.pk, "version": 2},
        ),
        400,
        "invalid",
    )
    assert state(a) == before


def _rows(response) -> list[tuple]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == XLSX
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


def test_export_the_filtered_list(client, world, django_assert_num_queries):
    invited(world)
    for i in range(2):
        actions.create_activity(
            acting_user=world.staff,
            values=activity_fields(world.org, title=f"调研{i}", kind="research"),
        )
    client.force_login(world.staff)
    client.get(f"{BASE}/export?kind=research")
    with django_assert_num_queries(4) as few:
        rows = _rows(client.get(f"{BASE}/export?kind=research"))
    assert sorted(r[2] for r in rows[2:]) == ["调研0", "调研1"]
    for i in range(3):
        actions.create_activity(
            acting_user=world.staff,
            values=activity_fields(world.org, title=f"再调研{i}", kind="research"),
        )
    with django_assert_num_queries(len(few.captured_queries)):
        rows = _rows(client.get(f"{BASE}/export?kind=research"))
    assert len(rows) == 2 + 5
    assert len(_rows(client.get(f"{BASE}/export?q=老旧小区"))) == 2 + 1
    refused(send(client, world.li.user, "GET", f"{BASE}/export"), 403, "forbidden")


def test_export_the_attendance_sheet(client, world, django_assert_num_queries):
    invited(world)
    a = world.activity
    client.force_login(world.p.leader)
    client.get(f"{BASE}/{a.pk}/attendance-sheet")
    with django_assert_num_queries(6) as few:
        rows = _rows(client.get(f"{BASE}/{a.pk}/attendance-sheet"))
    assert sorted(r[1] for r in rows[2:]) == sorted(["张代表", "李代表", "王市代表", "赵市代表"])
    for i in range(3):
        deputy_with_login(f"新代表{i}", street=world.org.street, group=world.org.group)
    actions.invite(acting_user=world.staff, activity=a, groups=[world.org.group])
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(_rows(client.get(f"{BASE}/{a.pk}/attendance-sheet"))) == 2 + 7
    refused(send(client, world.li.user, "GET", f"{BASE}/{a.pk}/attendance-sheet"), 403, "forbidden")
    other = actions.create_activity(
        acting_user=world.staff, values=activity_fields(world.org, title="无关")
    )
    refused(
        send(client, world.p.street, "GET", f"{BASE}/{other.pk}/attendance-sheet"),
        404,
        "not_found",
    )
