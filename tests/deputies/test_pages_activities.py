"""Activity pages: the list (filters, constant queries), create, the activity page (counts,
invitations, QR code for the organiser only), the deputy's phone pages and check-in, and the
action pages (refused moves change nothing)."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from renda.deputies import actions_activities as actions
from renda.deputies.models import Activity, Invitation
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

pytestmark = pytest.mark.django_db


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def _post(client, user, url, data=None):
    client.force_login(user)
    return client.post(url, data or {})


def _more_activities(world, n):
    for i in range(n):
        a = actions.create_activity(
            acting_user=world.staff,
            values=activity_fields(world.org, title=f"调研{i}", kind="research"),
        )
        actions.invite(acting_user=world.staff, activity=a, deputies=[world.wang, world.li])


def test_list_queries_do_not_grow_with_rows(client, world, django_assert_num_queries):
    invited(world)
    url = reverse("deputies:activities")
    client.force_login(world.staff)
    client.get(url)  # warm the per-process caches
    with django_assert_num_queries(7) as few:
        response = client.get(url)
    assert response.status_code == 200
    _more_activities(world, 5)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    html = response.content.decode()
    assert html.count('data-activity="') == 6
    assert '<span class="badge text-bg-secondary" id="activity-count">6</span>' in html


def test_list_filters_and_street_scope(client, world):
    invited(world)
    _more_activities(world, 2)
    html = _get(
        client, world.staff, reverse("deputies:activities") + "?kind=research"
    ).content.decode()
    assert html.count('data-activity="') == 2 and "视察老旧小区改造" not in html
    html = _get(
        client, world.staff, reverse("deputies:activities") + "?q=老旧小区"
    ).content.decode()
    assert html.count('data-activity="') == 1
    # The street committee sees the activities that invite its deputies (Li and Zhang).
    html = _get(client, world.p.street, reverse("deputies:activities")).content.decode()
    assert html.count('data-activity="') == 3
    other = actions.create_activity(
        acting_user=world.staff, values=activity_fields(world.org, title="无关")
    )
    assert (
        _get(client, world.p.street, reverse("deputies:activity", args=[other.pk])).status_code
        == 404
    )


def test_create_page(client, world):
    url = reverse("deputies:create_activity")
    data = {
        "kind": "training",
        "title": "代表履职培训",
        "organiser_office": world.org.deputy_office.pk,
        "date": "2026-04-20",
        "starts_at": "14:30",
        "place": "区委党校",
    }
    count = Activity.objects.count()
    bad = _post(client, world.staff, url, {**data, "organiser_office": ""})
    assert bad.status_code == 400 and "请选择组织处室或组织街道（二者选一）" in bad.content.decode()
    assert Activity.objects.count() == count
    response = _post(client, world.staff, url, data)
    activity = Activity.objects.get(title="代表履职培训")
    assert response.status_code == 302 and response["Location"] == reverse(
        "deputies:activity", args=[activity.pk]
    )
    assert activity.kind == "training" and activity.organiser_office == world.org.deputy_office


def test_detail_shows_counts_invitations_and_qr_for_the_organiser(client, world):
    invited(world)
    actions.sign_up(acting_user=world.li.user, invitation=world.inv(world.li))
    url = reverse("deputies:activity", args=[world.activity.pk])
    html = _get(client, world.staff, url).content.decode()
    assert '<div class="fs-4" data-count="invited">4</div>' in html
    assert '<div class="fs-4" data-count="signed_up">1</div>' in html
    assert html.count('data-invitation="') == 4
    assert 'id="checkin-qr"><svg' in html and world.activity.checkin_code in html
    assert "<script" not in html.split('id="checkin-qr"')[1].split("</section>")[0]
    # The leader sees the activity but not the code; the deputy sees only their own invitation.
    leader = _get(client, world.p.leader, url).content.decode()
    assert "checkin-qr" not in leader and world.activity.checkin_code not in leader
    mine = _get(client, world.li.user, url).content.decode()
    assert (
        "checkin-qr" not in mine
        and 'data-invitation="' not in mine
        and 'id="own-invitation"' in mine
    )


def test_qr_encodes_the_check_in_link_with_the_code(world):
    from renda.deputies.views_activities import qr_svg

    svg = qr_svg("https://example.org/deputies/activities/1/check-in/?code=123456")
    assert svg.startswith("<svg") and "<path" in svg


def test_my_activities_sign_up_and_leave_from_the_phone_page(client, world):
    invited(world)
    html = _get(client, world.li.user, reverse("deputies:my_activities")).content.decode()
    assert 'data-action="sign_up"' in html and 'data-action="request_leave"' in html
    inv = world.inv(world.li)
    response = _post(client, world.li.user, reverse("deputies:sign_up", args=[inv.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("deputies:my_activities")
    assert world.inv(world.li).response == "signed_up"
    zhang = world.inv(world.zhang)
    blank = _post(
        client, world.zhang.user, reverse("deputies:request_leave", args=[zhang.pk]), {"reason": ""}
    )
    assert blank.status_code == 400 and world.inv(world.zhang).leave == ""
    _post(
        client,
        world.zhang.user,
        reverse("deputies:request_leave", args=[zhang.pk]),
        {"reason": "出差"},
    )
    assert world.inv(world.zhang).leave == "requested"
    # Someone else's invitation is not theirs to answer, and not even visible.
    other = _post(
        client, world.li.user, reverse("deputies:sign_up", args=[world.inv(world.wang).pk])
    )
    assert other.status_code == 404 and world.inv(world.wang).response == "invited"


def test_check_in_page(client, world, time_machine):
    invited(world)
    code = world.activity.checkin_code
    url = reverse("deputies:check_in", args=[world.activity.pk])
    time_machine.move_to(at(DAY, 9), tick=False)
    page = _get(client, world.li.user, f"{url}?code={code}").content.decode()
    assert f'value="{code}"' in page
    wrong = "000000" if code != "000000" else "111111"
    bad = _post(client, world.li.user, url, {"code": wrong})
    assert bad.status_code == 400 and "签到码不正确" in bad.content.decode()
    assert world.inv(world.li).attendance == ""
    ok = _post(client, world.li.user, url, {"code": code})
    assert ok.status_code == 302 and world.inv(world.li).attendance == "attended"
    time_machine.move_to(at(DAY + timedelta(days=1)), tick=False)
    late = _post(client, world.zhang.user, url, {"code": code})
    assert (
        late.status_code == 400 and "签到码仅在活动当天（2026-04-10）有效" in late.content.decode()
    )


def test_staff_action_pages(client, world, time_machine):
    invited(world)
    a = world.activity
    inv = world.inv(world.wang)
    actions.request_leave(acting_user=world.wang.user, invitation=inv, reason="出差")
    response = _post(
        client, world.staff, reverse("deputies:refuse_leave", args=[inv.pk]), {"reason": ""}
    )
    assert response.status_code == 400 and world.inv(world.wang).leave == "requested"
    _post(client, world.staff, reverse("deputies:grant_leave", args=[inv.pk]), {"answer": "同意"})
    assert world.inv(world.wang).leave == "granted"
    stale = _post(
        client,
        world.staff,
        reverse("deputies:cancel_activity", args=[a.pk]),
        {"reason": "改期", "version": 1},
    )
    assert stale.status_code == 409 and Activity.objects.get(pk=a.pk).status == "open"
    for deputy in (world.li, world.zhao):
        actions.sign_up(acting_user=deputy.user, invitation=world.inv(deputy))
    refused = _get(client, world.staff, reverse("deputies:mark_held", args=[a.pk]))
    assert refused.status_code == 403  # not before the day
    time_machine.move_to(at(DAY, 18), tick=False)
    response = _post(
        client, world.staff, reverse("deputies:mark_held", args=[a.pk]), {"version": a.version}
    )
    assert response.status_code == 302
    # Sign-up was open: those who signed up were expected (Li, Zhao); Wang had leave and Zhang
    # never signed up.
    assert set(
        Invitation.objects.filter(activity=a, attendance="absent").values_list(
            "deputy__full_name", flat=True
        )
    ) == {"李代表", "赵市代表"}
    _post(client, world.staff, reverse("deputies:record_attendance", args=[world.inv(world.li).pk]))
    assert world.inv(world.li).attendance == "attended"


def test_my_activities_queries_do_not_grow(client, world, django_assert_num_queries):
    invited(world)
    url = reverse("deputies:my_activities")
    client.force_login(world.li.user)
    client.get(url)
    with django_assert_num_queries(7) as few:
        response = client.get(url)
    assert response.content.decode().count('data-invitation="') == 1
    _more_activities(world, 3)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('data-invitation="') == 4


# ---------------------------------------------------------------------------------------------
# What an activity carries out: the create page prefilled from the work, the pickers limited
# to what the user may see, refusals that save nothing, and the activity page's link


@pytest.fixture
def work(world) -> Work:
    return make_work(world.org, world.p)


def _selected(html: str, field: str) -> str:
    """The value selected in one <select> of the page."""
    select = html.split(f'name="{field}"')[1].split("</select>")[0]
    return select.split(" selected")[0].rsplit('value="', 1)[1].split('"')[0]


def _options(html: str, field: str) -> list[str]:
    select = html.split(f'name="{field}"')[1].split("</select>")[0]
    return [v.split('"')[0] for v in select.split('value="')[1:] if v.split('"')[0]]


@pytest.mark.parametrize(
    ("param", "attr", "kind", "title"),
    [
        ("meeting", "congress", "session", "第十八届人民代表大会第五次会议"),
        ("meeting", "standing", "standing_committee", "列席第十八届人大常委会第28次会议"),
        ("inspection", "inspection", "inspection", "《中华人民共和国安全生产法》执法检查"),
        ("inquiry", "inquiry", "inquiry", "城市管理工作专题询问"),
        ("station", "station", "reception", "泉城路街道代表联络站代表接待选民"),
        ("plan_item", "plan_item", "", "组织代表开展养老服务专题视察"),
    ],
)
def test_create_page_is_prefilled_from_the_work(client, world, work, param, attr, kind, title):
    target = getattr(work, attr)
    url = reverse("deputies:create_activity") + f"?{param}={target.pk}"
    html = _get(client, world.staff, url).content.decode()
    assert _selected(html, param) == str(target.pk)
    assert f'value="{title}"' in html and 'id="carries-out"' in html
    if kind:
        assert _selected(html, "kind") == kind


def test_pickers_offer_only_what_the_user_may_see(client, world, work):
    url = reverse("deputies:create_activity")
    staff = _get(client, world.staff, url).content.decode()
    assert _options(staff, "meeting") == [str(work.standing.pk), str(work.congress.pk)]
    assert _options(staff, "plan_item") == [str(work.plan_item.pk)]  # not a draft plan's
    assert set(_options(staff, "station")) == {str(work.station.pk), str(work.other_station.pk)}
    street = _get(client, world.p.street, url).content.decode()
    assert _options(street, "station") == [str(work.station.pk)]
    for field in ("meeting", "inspection", "inquiry", "plan_item"):
        assert _options(street, field) == []
    # Work the street may not see prefills nothing; its own station prefills it as organiser.
    hidden = _get(client, world.p.street, f"{url}?meeting={work.congress.pk}").content.decode()
    assert 'id="carries-out"' not in hidden
    own = _get(client, world.p.street, f"{url}?station={work.station.pk}").content.decode()
    assert _selected(own, "organiser_street") == str(world.org.street.pk)


def _create_data(world, **more) -> dict:
    return {
        "kind": "session",
        "title": "区十八届人大五次会议",
        "organiser_office": world.org.deputy_office.pk,
        "date": "2026-04-10",
        "starts_at": "08:30",
        "place": "区会议中心",
        "half_days": "5",
        **more,
    }


def test_create_with_a_link_and_refusals_save_nothing(client, world, work):
    url = reverse("deputies:create_activity")
    count = Activity.objects.count()
    wrong = _post(
        client, world.staff, url, _create_data(world, kind="visit", meeting=work.congress.pk)
    )
    assert wrong.status_code == 400
    assert "关联会议的活动类型应为人代会、列席常委会" in wrong.content.decode()
    two = _post(
        client,
        world.staff,
        url,
        _create_data(world, meeting=work.congress.pk, inquiry=work.inquiry.pk),
    )
    assert two.status_code == 400 and "一项活动只能关联一项工作" in two.content.decode()
    hidden = _post(
        client,
        world.p.street,
        url,
        _create_data(
            world,
            organiser_office="",
            organiser_street=world.org.street.pk,
            meeting=work.congress.pk,
        ),
    )
    assert hidden.status_code == 400 and Activity.objects.count() == count
    ok = _post(client, world.staff, url, _create_data(world, meeting=work.congress.pk))
    activity = Activity.objects.get(title="区十八届人大五次会议")
    assert ok.status_code == 302 and (activity.meeting, activity.half_days) == (work.congress, 5)


def test_half_days_left_blank_is_one(client, world):
    data = _create_data(world, kind="training", title="培训", half_days="")
    _post(client, world.staff, reverse("deputies:create_activity"), data)
    assert Activity.objects.get(title="培训").half_days == 1


def test_activity_page_shows_what_it_carries_out(client, world, work):
    invited(world)
    Activity.objects.filter(pk=world.activity.pk).update(
        kind="inspection", inspection=work.inspection
    )
    url = reverse("deputies:activity", args=[world.activity.pk])
    html = _get(client, world.staff, url).content.decode()
    link = reverse("supervision:inspection", args=[work.inspection.pk])
    assert f'<a href="{link}">《中华人民共和国安全生产法》执法检查</a>' in html
    # The street sees what it is, without a link to a page it may not open.
    street = _get(client, world.p.street, url).content.decode()
    assert 'id="carries-out"' in street and link not in street


def test_update_page_keeps_the_current_link(client, world, work):
    """The street may not choose plan items, but keeps the one the staff linked."""
    Activity.objects.filter(pk=world.activity.pk).update(
        plan_item=work.plan_item, organiser_office=None, organiser_street=world.org.street
    )
    url = reverse("deputies:update_activity", args=[world.activity.pk])
    html = _get(client, world.p.street, url).content.decode()
    assert _options(html, "plan_item") == [str(work.plan_item.pk)]
    assert _selected(html, "plan_item") == str(work.plan_item.pk)
    data = {
        **_create_data(world, kind="visit", title="视察（改）", date="2026-04-10"),
        "organiser_office": "",
        "organiser_street": world.org.street.pk,
        "plan_item": work.plan_item.pk,
        "version": 1,
    }
    response = _post(client, world.p.street, url, data)
    assert response.status_code == 302
    world.refresh()
    assert (world.activity.title, world.activity.plan_item) == ("视察（改）", work.plan_item)
    other = _post(
        client, world.p.street, url, {**data, "plan_item": work.draft_item.pk, "version": 2}
    )
    assert other.status_code == 400 and world.refresh().plan_item == work.plan_item


# ---------------------------------------------------------------------------------------------
# Excel: the list as filtered, and the attendance sheet


def _xlsx_rows(response) -> list[tuple]:
    assert response["Content-Type"] == XLSX
    sheet = load_workbook(BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def test_list_export_has_exactly_the_filtered_rows(client, world, django_assert_num_queries):
    invited(world)
    _more_activities(world, 2)
    url = reverse("deputies:activities") + "?kind=research&export=xlsx"
    client.force_login(world.staff)
    client.get(url)
    with django_assert_num_queries(4) as few:
        response = client.get(url)
    rows = _xlsx_rows(response)
    assert rows[0][0] == "履职活动" and rows[1][:3] == ("日期", "开始时间", "活动名称")
    assert sorted(r[2] for r in rows[2:]) == ["调研0", "调研1"]
    assert rows[2][3] == "调研" and rows[2][9] == 2  # two invited
    _more_activities(world, 4)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(_xlsx_rows(response)) == 2 + 6
    everything = _xlsx_rows(client.get(reverse("deputies:activities") + "?export=xlsx"))
    assert len(everything) == 2 + 7  # every page, not the first 30 only
    # The street exports what its list shows; deputies and units have no list.
    street = _xlsx_rows(
        _get(client, world.p.street, reverse("deputies:activities") + "?export=xlsx")
    )
    assert len(street) == 2 + 7  # every activity invites 李代表 of its street
    for user in (world.li.user, world.p.unit):
        assert (
            _get(client, user, reverse("deputies:activities") + "?export=xlsx").status_code == 403
        )


def test_list_export_link_keeps_the_filters(client, world):
    html = _get(
        client, world.staff, reverse("deputies:activities") + "?kind=visit&page=2"
    ).content.decode()
    assert 'href="/deputies/activities/?kind=visit&amp;export=xlsx"' in html


def test_attendance_sheet(client, world, time_machine, django_assert_num_queries):
    invited(world)
    a = world.activity
    actions.request_leave(
        acting_user=world.wang.user, invitation=world.inv(world.wang), reason="出差"
    )
    actions.grant_leave(acting_user=world.staff, invitation=world.inv(world.wang))
    actions.sign_up(acting_user=world.li.user, invitation=world.inv(world.li))
    actions.sign_up(acting_user=world.zhang.user, invitation=world.inv(world.zhang))
    time_machine.move_to(at(DAY, 9), tick=False)
    actions.check_in(acting_user=world.li.user, activity=a, code=a.checkin_code)
    actions.record_attendance(acting_user=world.staff, invitation=world.inv(world.zhao))
    time_machine.move_to(at(DAY, 18), tick=False)
    actions.mark_held(acting_user=world.staff, activity=a)
    url = reverse("deputies:attendance_sheet", args=[a.pk])
    client.force_login(world.staff)
    client.get(url)
    with django_assert_num_queries(6) as few:
        response = client.get(url)
    assert "attachment" in response["Content-Disposition"]
    rows = _xlsx_rows(response)
    assert rows[0][0] == "视察老旧小区改造签到表（2026-04-10，泉城路街道办事处）"
    assert rows[1] == (
        "序号",
        "代表",
        "层级",
        "代表小组",
        "邀请方式",
        "回复",
        "请假",
        "出席",
        "签到时间",
        "签到方式",
    )
    by_name = {r[1]: r for r in rows[2:]}
    assert by_name["李代表"] == (
        by_name["李代表"][0],
        "李代表",
        "区人大代表",
        "泉城路街道代表小组",
        "按代表小组（泉城路街道代表小组）",
        "已报名",
        None,
        "出席",
        "2026-04-10 09:00",
        "签到码签到",
    )
    assert by_name["王市代表"][2:8] == (
        "市人大代表",
        None,
        "直接邀请",
        "待回复",
        "准假：出差",
        None,
    )
    assert by_name["赵市代表"][7:] == ("出席", "2026-04-10 09:00", "工作人员补录")
    assert by_name["张代表"][7] == "缺席"
    assert [r[0] for r in rows[2:]] == [1, 2, 3, 4]
    # More invited deputies, the same number of queries.
    more = [
        deputy_with_login(f"新代表{i}", street=world.org.street, group=world.org.group)
        for i in range(3)
    ]
    Invitation.objects.bulk_create(
        Invitation(activity=a, deputy=d, invited_at=a.invitations.first().invited_at) for d in more
    )
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(_xlsx_rows(client.get(url))) == 2 + 7
    assert _get(client, world.li.user, url).status_code == 403  # a deputy: not others' rows
    other = actions.create_activity(
        acting_user=world.staff,
        values=activity_fields(world.org, title="无关", date=DAY + timedelta(days=3)),
    )
    hidden = reverse("deputies:attendance_sheet", args=[other.pk])
    assert _get(client, world.p.street, hidden).status_code == 404


def test_a_title_excel_refuses_in_sheet_names_still_exports(client, world):
    a = actions.create_activity(
        acting_user=world.staff, values=activity_fields(world.org, title="视察/调研[一]：养老?")
    )
    response = _get(client, world.staff, reverse("deputies:attendance_sheet", args=[a.pk]))
    assert response.status_code == 200
    assert _xlsx_rows(response)[0][0].startswith("视察－调研－一－：养老－签到表")


def test_detail_links_the_attendance_sheet_for_viewers_only(client, world):
    invited(world)
    url = reverse("deputies:activity", args=[world.activity.pk])
    sheet = reverse("deputies:attendance_sheet", args=[world.activity.pk])
    assert sheet in _get(client, world.p.leader, url).content.decode()
    assert sheet not in _get(client, world.li.user, url).content.decode()


@pytest.mark.parametrize(
    ("page", "param", "attr"),
    [
        ("supervision:inspection", "inspection", "inspection"),
        ("supervision:inquiry", "inquiry", "inquiry"),
        ("plans:item", "plan_item", "plan_item"),
    ],
)
def test_the_work_links_to_organising_an_activity(client, world, work, page, param, attr):
    target = getattr(work, attr)
    url = reverse(page, args=[target.pk])
    link = reverse("deputies:create_activity") + f"?{param}={target.pk}"
    staff = _get(client, world.staff, url)
    assert staff.status_code == 200 and f'href="{link}"' in staff.content.decode()
    assert f'href="{link}"' not in _get(client, world.p.leader, url).content.decode()
