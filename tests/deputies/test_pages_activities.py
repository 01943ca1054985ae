"""Activity pages: the list (filters, constant queries), create, the activity page (counts,
invitations, QR code for the organiser only), the deputy's phone pages and check-in, and the
action pages (refused moves change nothing)."""

from datetime import timedelta

import pytest
from django.urls import reverse

from renda.deputies import actions_activities as actions
from renda.deputies.models import Activity, Invitation
from tests.deputies.activity_factories import DAY, activity_fields, invited
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
    refused = _get(client, world.staff, reverse("deputies:mark_held", args=[a.pk]))
    assert refused.status_code == 403  # not before the day
    time_machine.move_to(at(DAY, 18), tick=False)
    response = _post(
        client, world.staff, reverse("deputies:mark_held", args=[a.pk]), {"version": a.version}
    )
    assert response.status_code == 302
    assert Invitation.objects.filter(activity=a, attendance="absent").count() == 3
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
