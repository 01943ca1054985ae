"""Activities: create, edit, invite (people, groups, levels), open, sign up, decline, leave,
check in, record attendance, held, closed, cancelled. Each allowed move, each refused one
(refused moves change nothing), the timeline event and the notifications each writes."""

from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from renda.core import clock
from renda.core.errors import ConflictError, DomainError, NotAllowed
from renda.core.models import Notification, TimelineEvent
from renda.deputies import actions_activities as actions
from renda.deputies.models import Activity, Invitation, Level, Station
from renda.deputies.queries_activities import activity_actions, counts_of, invitation_actions
from tests.deputies.activity_factories import (
    DAY,
    Work,
    activity_fields,
    deputy_with_login,
    invited,
    make_work,
)
from tests.plans.factories import Mark, at, refused

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------
# create and update


def test_create_gives_a_planned_activity_with_a_six_digit_code(world):
    a = world.activity
    assert a.status == "planned" and a.version == 1
    assert len(a.checkin_code) == 6 and a.checkin_code.isdigit()
    [event] = TimelineEvent.objects.for_object(a)
    assert event.verb == "create_activity"
    assert event.summary == "创建活动：视察“视察老旧小区改造”（2026-04-10 09:00，泉城路街道办事处）"


def test_street_staff_create_for_their_street_only(world):
    org, p = world.org, world.p
    mine = actions.create_activity(
        acting_user=p.street,
        values=activity_fields(org, organiser_office=None, organiser_street=org.street),
    )
    assert mine.organiser_street == org.street
    count = Activity.objects.count()
    for values, field in [
        (
            activity_fields(org, organiser_office=None, organiser_street=org.other_street),
            "organiser_street",
        ),
        (activity_fields(org), "organiser_office"),
    ]:
        with pytest.raises(DomainError) as info:
            actions.create_activity(acting_user=p.street, values=values)
        assert field in info.value.field_errors
    assert Activity.objects.count() == count


def test_create_refused(world):
    org, p = world.org, world.p
    count = Activity.objects.count()
    with pytest.raises(NotAllowed):
        actions.create_activity(acting_user=p.leader, values=activity_fields(org))
    with pytest.raises(DomainError) as info:
        actions.create_activity(
            acting_user=p.staff, values=activity_fields(org, organiser_office=org.social_office)
        )
    assert info.value.field_errors == {"organiser_office": "只能以本人所在处室的名义组织活动"}
    with pytest.raises(DomainError) as info:
        actions.create_activity(
            acting_user=p.admin,
            values=activity_fields(
                org,
                title=" ",
                date=DAY - timedelta(days=30),
                ends_at=time(8),
                capacity=0,
                organiser_street=org.street,
            ),
        )
    assert set(info.value.field_errors) == {
        "title",
        "date",
        "ends_at",
        "capacity",
        "organiser_office",
    }
    assert info.value.message.startswith("5 处填写有误")
    assert Activity.objects.count() == count


def test_update_changes_fields_notifies_on_time_change_and_checks_version(world):
    invited(world)
    mark = Mark(world.activity)
    actions.update_activity(
        acting_user=world.p.social_staff,
        activity=world.activity,
        values=activity_fields(world.org, place="区人大常委会第一会议室"),
        version=2,
    )
    a = world.refresh()
    assert a.place == "区人大常委会第一会议室" and a.version == 3
    assert mark.event().summary == "修改活动：地点"
    notified = mark.notified()
    assert set(notified) == {"p_deputy", "d_李代表", "d_王市代表", "d_赵市代表"}
    assert notified["p_deputy"] == ["活动时间地点有变：视察老旧小区改造"]
    refused(
        a,
        lambda: actions.update_activity(
            acting_user=world.staff,
            activity=a,
            values=activity_fields(world.org, place="别处"),
            version=2,
        ),
        "该活动已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )
    refused(
        a,
        lambda: actions.update_activity(
            acting_user=world.staff,
            activity=a,
            values=activity_fields(world.org, place="区人大常委会第一会议室"),
        ),
        "没有修改任何内容。",
    )
    refused(
        a,
        lambda: actions.update_activity(
            acting_user=world.p.street,
            activity=a,
            values=activity_fields(world.org, place="别处"),
        ),
        "只有活动的组织者（机关工作人员或组织街道的人大工委）可以进行此操作。",
        NotAllowed,
    )


def test_capacity_cannot_drop_below_the_signed_up(world):
    invited(world)
    for d in (world.zhang, world.li):
        actions.sign_up(acting_user=d.user, invitation=world.inv(d))
    a = world.refresh()
    error = refused(
        a,
        lambda: actions.update_activity(
            acting_user=world.staff, activity=a, values=activity_fields(world.org, capacity=1)
        ),
        "已有 2 人报名，人数上限不能少于报名人数。",
    )
    assert error.field_errors == {"capacity": "已有 2 人报名，人数上限不能少于报名人数"}


# ---------------------------------------------------------------------------------------------
# invite


def test_invite_a_group_and_two_municipal_deputies(world):
    mark = Mark(world.activity)
    new = actions.invite(
        acting_user=world.staff,
        activity=world.activity,
        groups=[world.org.group],
        deputies=[world.wang, world.zhao],
    )
    assert len(new) == 4
    via = {i.deputy.full_name: (i.via, i.via_label) for i in world.activity.invitations.all()}
    assert via == {
        "张代表": ("group", "泉城路街道代表小组"),
        "李代表": ("group", "泉城路街道代表小组"),
        "王市代表": ("direct", ""),
        "赵市代表": ("direct", ""),
    }
    event = mark.event()
    assert event.summary == "邀请代表 4 人"
    assert event.note == "代表：王市代表、赵市代表；代表小组：泉城路街道代表小组"
    assert set(mark.notified()) == {"p_deputy", "d_李代表", "d_王市代表", "d_赵市代表"}


def test_invite_a_level_skips_those_already_invited(world):
    actions.invite(acting_user=world.staff, activity=world.activity, deputies=[world.wang])
    mark = Mark(world.activity)
    new = actions.invite(acting_user=world.staff, activity=world.activity, levels=[Level.MUNICIPAL])
    assert [i.deputy for i in new] == [world.zhao]
    assert world.inv(world.zhao).via == "level" and world.inv(world.zhao).via_label == "市人大代表"
    assert mark.event().summary == "邀请代表 1 人（1 人已在名单中）"
    assert mark.notified() == {"d_赵市代表": ["活动邀请：视察老旧小区改造"]}


def test_an_ended_mandate_is_not_invited_by_level(world):
    mandate = world.zhao.mandates.get()
    mandate.ended_on, mandate.end_reason = DAY - timedelta(days=20), "moved"
    mandate.save()
    new = actions.invite(acting_user=world.staff, activity=world.activity, levels=[Level.MUNICIPAL])
    assert [i.deputy for i in new] == [world.wang]


def test_invite_refused(world):
    a = world.activity
    actions.invite(acting_user=world.staff, activity=a, levels=[Level.MUNICIPAL])
    refused(
        a,
        lambda: actions.invite(acting_user=world.staff, activity=a, deputies=[world.wang]),
        "所选代表都已在邀请名单中，没有新邀请任何人。",
    )
    refused(
        a,
        lambda: actions.invite(acting_user=world.staff, activity=a),
        "请选择要邀请的代表、代表小组或层级。",
    )
    refused(
        a,
        lambda: actions.invite(acting_user=world.p.leader, activity=a, deputies=[world.li]),
        "只有活动的组织者（机关工作人员或组织街道的人大工委）可以进行此操作。",
        NotAllowed,
    )
    # A street's committee invites only the deputies it can see: its own street's.
    mine = actions.create_activity(
        acting_user=world.p.street,
        values=activity_fields(world.org, organiser_office=None, organiser_street=world.org.street),
    )
    refused(
        mine,
        lambda: actions.invite(acting_user=world.p.street, activity=mine, deputies=[world.wang]),
        "所选代表中有人不在您可邀请的现任代表之中。",
    )
    new = actions.invite(acting_user=world.p.street, activity=mine, levels=[Level.DISTRICT])
    assert {i.deputy for i in new} == {world.zhang, world.li}
    actions.cancel_activity(acting_user=world.staff, activity=a, reason="改期")
    a.refresh_from_db()
    refused(
        a,
        lambda: actions.invite(acting_user=world.staff, activity=a, deputies=[world.li]),
        "活动“视察老旧小区改造”已取消，不能邀请代表。",
    )


# ---------------------------------------------------------------------------------------------
# open, sign up, decline


def test_open_signup_notifies_the_invited(world):
    invited(world, open_=False)
    mark = Mark(world.activity)
    actions.open_signup(
        acting_user=world.staff, activity=world.activity, version=world.activity.version
    )
    a = world.refresh()
    assert a.status == "open"
    event = mark.event()
    assert (event.from_state, event.to_state, event.summary) == ("planned", "open", "开放报名")
    assert mark.notified()["d_王市代表"] == ["活动开始报名：视察老旧小区改造"]
    refused(
        a,
        lambda: actions.open_signup(acting_user=world.staff, activity=a),
        "活动“视察老旧小区改造”报名中，不能开放报名。",
    )


def test_sign_up_and_decline(world):
    invited(world)
    mark = Mark(world.activity)
    actions.sign_up(acting_user=world.li.user, invitation=world.inv(world.li))
    assert world.inv(world.li).response == "signed_up"
    assert mark.event().summary == "李代表 报名参加"
    mark = Mark(world.activity)
    actions.decline(acting_user=world.wang.user, invitation=world.inv(world.wang), reason="出差")
    assert world.inv(world.wang).response == "declined"
    event = mark.event()
    assert (event.summary, event.note) == ("王市代表 回复不参加", "出差")
    # Changing one's mind: a decline can become a sign-up.
    actions.sign_up(acting_user=world.wang.user, invitation=world.inv(world.wang))
    assert world.inv(world.wang).response == "signed_up"


def test_sign_up_refused(world):
    invited(world, open_=False)
    inv = world.inv(world.li)
    refused(
        inv,
        lambda: actions.sign_up(acting_user=world.li.user, invitation=inv),
        "活动“视察老旧小区改造”计划中，现在不能报名。",
    )
    actions.open_signup(acting_user=world.staff, activity=world.activity)
    refused(
        inv,
        lambda: actions.sign_up(acting_user=world.zhang.user, invitation=inv),
        "只能由被邀请的代表本人进行此操作。",
        NotAllowed,
    )
    refused(
        inv,
        lambda: actions.sign_up(acting_user=world.staff, invitation=inv),
        "只能由被邀请的代表本人进行此操作。",
        NotAllowed,
    )
    actions.sign_up(acting_user=world.li.user, invitation=inv)
    refused(
        inv, lambda: actions.sign_up(acting_user=world.li.user, invitation=inv), "您已报名该活动。"
    )
    zhao = world.inv(world.zhao)
    actions.request_leave(acting_user=world.zhao.user, invitation=zhao, reason="住院")
    zhao.refresh_from_db()
    assert "sign_up" not in invitation_actions(world.zhao.user, zhao)
    refused(
        zhao,
        lambda: actions.sign_up(acting_user=world.zhao.user, invitation=zhao),
        "您已请假，不能报名；如能参加，请联系组织者。",
    )


def test_capacity_is_respected_for_sign_ups_only(world):
    actions.update_activity(
        acting_user=world.staff,
        activity=world.activity,
        values=activity_fields(world.org, capacity=1),
    )
    invited(world)  # four invited over a capacity of one: inviting is not refused
    assert counts_of(world.activity)["invited"] == 4
    actions.sign_up(acting_user=world.li.user, invitation=world.inv(world.li))
    wang = world.inv(world.wang)
    refused(
        wang,
        lambda: actions.sign_up(acting_user=world.wang.user, invitation=wang),
        "报名人数已满（上限 1 人）。",
    )


# ---------------------------------------------------------------------------------------------
# leave


def test_leave_requested_then_granted(world):
    invited(world)
    inv = world.inv(world.li)
    actions.sign_up(acting_user=world.li.user, invitation=inv)
    mark = Mark(world.activity)
    actions.request_leave(acting_user=world.li.user, invitation=inv, reason="参加市人代会")
    inv.refresh_from_db()
    assert (inv.leave, inv.leave_reason) == ("requested", "参加市人代会")
    assert mark.event().summary == "李代表 请假"
    assert mark.notified() == {"p_staff": ["代表请假待批：李代表（视察老旧小区改造）"]}
    assert invitation_actions(world.staff, inv) >= {"grant_leave", "refuse_leave"}
    mark = Mark(world.activity)
    actions.grant_leave(acting_user=world.p.admin, invitation=inv, answer="同意")
    inv.refresh_from_db()
    # Granted leave frees the seat taken by the sign-up.
    assert (inv.leave, inv.leave_answer, inv.response) == ("granted", "同意", "invited")
    assert mark.event().summary == "准假：李代表"
    assert mark.notified() == {"d_李代表": ["请假已批准：视察老旧小区改造"]}
    assert counts_of(world.activity)["leave"] == 1


def test_leave_refused_with_a_reason_and_asked_again(world):
    invited(world)
    inv = world.inv(world.wang)
    actions.request_leave(acting_user=world.wang.user, invitation=inv, reason="有事")
    refused(
        inv,
        lambda: actions.refuse_leave(acting_user=world.staff, invitation=inv, reason=" "),
        "不准假时请写明理由。",
    )
    mark = Mark(world.activity)
    actions.refuse_leave(acting_user=world.staff, invitation=inv, reason="事由不充分")
    inv.refresh_from_db()
    assert (inv.leave, inv.leave_answer) == ("refused", "事由不充分")
    assert mark.event().summary == "不准假：王市代表"
    assert mark.notified() == {"d_王市代表": ["请假未获批准：视察老旧小区改造"]}
    actions.request_leave(acting_user=world.wang.user, invitation=inv, reason="单位紧急任务")
    inv.refresh_from_db()
    assert (inv.leave, inv.leave_answer) == ("requested", "")


def test_leave_refused_moves(world):
    invited(world)
    inv = world.inv(world.zhao)
    refused(
        inv,
        lambda: actions.request_leave(acting_user=world.zhao.user, invitation=inv, reason=""),
        "请填写请假事由。",
    )
    refused(
        inv,
        lambda: actions.grant_leave(acting_user=world.staff, invitation=inv),
        "赵市代表没有待批的请假。",
    )
    actions.request_leave(acting_user=world.zhao.user, invitation=inv, reason="生病")
    refused(
        inv,
        lambda: actions.request_leave(acting_user=world.zhao.user, invitation=inv, reason="生病"),
        "您已请假（请假待批）。",
    )
    refused(
        inv,
        lambda: actions.grant_leave(acting_user=world.p.street, invitation=inv),
        "只有活动的组织者（机关工作人员或组织街道的人大工委）可以进行此操作。",
        NotAllowed,
    )
    refused(
        inv,
        lambda: actions.grant_leave(acting_user=world.zhao.user, invitation=inv),
        "只有活动的组织者（机关工作人员或组织街道的人大工委）可以进行此操作。",
        NotAllowed,
    )


# ---------------------------------------------------------------------------------------------
# check-in and attendance


def _on_the_day(time_machine, hour=9):
    time_machine.move_to(at(DAY, hour), tick=False)


def test_check_in_with_the_code_on_the_day(world, time_machine):
    invited(world)
    _on_the_day(time_machine)
    code = world.activity.checkin_code
    mark = Mark(world.activity)
    inv = actions.check_in(acting_user=world.li.user, activity=world.activity, code=f" {code} ")
    assert (inv.attendance, inv.checked_in_by) == ("attended", "code")
    assert inv.checked_in_at is not None
    assert mark.event().summary == "李代表 签到"
    assert counts_of(world.activity)["attended"] == 1
    assert "check_in" not in invitation_actions(world.li.user, world.inv(world.li))


def test_check_in_refusals(world, time_machine):
    invited(world)
    a = world.activity
    code = a.checkin_code
    li = world.inv(world.li)
    # Before the day, and after it.
    refused(
        li,
        lambda: actions.check_in(acting_user=world.li.user, activity=a, code=code),
        "签到码仅在活动当天（2026-04-10）有效。",
    )
    time_machine.move_to(at(DAY + timedelta(days=1)), tick=False)
    refused(
        li,
        lambda: actions.check_in(acting_user=world.li.user, activity=a, code=code),
        "签到码仅在活动当天（2026-04-10）有效。",
    )
    _on_the_day(time_machine)
    wrong = "000000" if code != "000000" else "111111"
    error = refused(
        li,
        lambda: actions.check_in(acting_user=world.li.user, activity=a, code=wrong),
        "签到码不正确，请核对后重新输入。",
    )
    assert error.field_errors == {"code": "签到码不正确"}
    # Not invited.

    stranger = deputy_with_login("孙代表", street=world.org.street)
    refused(
        a,
        lambda: actions.check_in(acting_user=stranger.user, activity=a, code=code),
        "您不在该活动的邀请名单中，不能签到。",
    )
    refused(
        a,
        lambda: actions.check_in(acting_user=world.staff, activity=a, code=code),
        "只有人大代表本人可以签到。",
        NotAllowed,
    )
    # On leave.
    zhao = world.inv(world.zhao)
    actions.request_leave(acting_user=world.zhao.user, invitation=zhao, reason="生病")
    actions.grant_leave(acting_user=world.staff, invitation=zhao)
    refused(
        zhao,
        lambda: actions.check_in(acting_user=world.zhao.user, activity=a, code=code),
        "您已获准请假，不能签到；如能参加，请联系组织者补录。",
    )
    # Twice.
    actions.check_in(acting_user=world.li.user, activity=a, code=code)
    li.refresh_from_db()
    refused(
        li,
        lambda: actions.check_in(acting_user=world.li.user, activity=a, code=code),
        "您已于 09:00 签到。",
    )


def test_staff_record_attendance_for_who_forgot(world, time_machine):
    invited(world)
    inv = world.inv(world.wang)
    refused(
        inv,
        lambda: actions.record_attendance(acting_user=world.staff, invitation=inv),
        "活动尚未举行，不能补录出席。",
    )
    _on_the_day(time_machine, 10)
    mark = Mark(world.activity)
    actions.record_attendance(acting_user=world.staff, invitation=inv)
    inv.refresh_from_db()
    assert (inv.attendance, inv.checked_in_by) == ("attended", "staff")
    assert mark.event().summary == "补录出席：王市代表"
    refused(
        inv,
        lambda: actions.record_attendance(acting_user=world.staff, invitation=inv),
        "王市代表已签到。",
    )
    refused(
        inv,
        lambda: actions.record_attendance(acting_user=world.wang.user, invitation=inv),
        "只有活动的组织者（机关工作人员或组织街道的人大工委）可以进行此操作。",
        NotAllowed,
    )


def test_mark_held_counts_the_absent_then_close(world, time_machine):
    invited(world)
    a = world.activity
    actions.sign_up(acting_user=world.li.user, invitation=world.inv(world.li))
    actions.sign_up(acting_user=world.zhang.user, invitation=world.inv(world.zhang))
    actions.request_leave(
        acting_user=world.wang.user, invitation=world.inv(world.wang), reason="出差"
    )
    actions.grant_leave(acting_user=world.staff, invitation=world.inv(world.wang))
    refused(
        a,
        lambda: actions.mark_held(acting_user=world.staff, activity=a),
        "活动日期为 2026-04-10，活动举行后才能标记为已举行。",
    )
    _on_the_day(time_machine)
    actions.check_in(acting_user=world.li.user, activity=a, code=a.checkin_code)
    mark = Mark(a)
    actions.mark_held(acting_user=world.staff, activity=a, version=a.version)
    a = world.refresh()
    assert a.status == "held"
    assert mark.event().summary == "活动已举行：出席 1 人，缺席 1 人"
    # Sign-up was open: Zhang signed up and did not come (absent); Zhao never signed up (not
    # expected, not absent); Wang had leave.
    assert {i.deputy.full_name: i.attendance for i in a.invitations.all()} == {
        "张代表": "absent",
        "李代表": "attended",
        "王市代表": "",
        "赵市代表": "",
    }
    assert counts_of(a) == {"invited": 4, "signed_up": 2, "leave": 1, "attended": 1, "absent": 1}
    # A forgotten check-in is still recorded after the day: absent becomes attended.
    time_machine.move_to(at(DAY + timedelta(days=2)), tick=False)
    actions.record_attendance(acting_user=world.staff, invitation=world.inv(world.zhang))
    assert counts_of(a)["attended"] == 2 and counts_of(a)["absent"] == 0
    refused(
        a,
        lambda: actions.cancel_activity(acting_user=world.staff, activity=a, reason="x"),
        "活动“视察老旧小区改造”已举行，不能取消。",
    )
    refused(
        a,
        lambda: actions.check_in(acting_user=world.zhao.user, activity=a, code=a.checkin_code),
        "活动“视察老旧小区改造”已举行，不能签到。",
    )
    actions.close_activity(acting_user=world.staff, activity=a)
    a = world.refresh()
    assert a.status == "closed" and activity_actions(world.staff, a) == set()
    refused(
        a,
        lambda: actions.close_activity(acting_user=world.staff, activity=a),
        "活动“视察老旧小区改造”已归档，不能归档。",
    )


def test_cancel_notifies_the_invited_who_did_not_decline(world):
    invited(world)
    a = world.activity
    actions.decline(acting_user=world.zhao.user, invitation=world.inv(world.zhao))
    refused(
        a,
        lambda: actions.cancel_activity(acting_user=world.staff, activity=a, reason=" "),
        "请填写取消原因。",
    )
    refused(
        a,
        lambda: actions.cancel_activity(acting_user=world.p.unit, activity=a, reason="改期"),
        "只有活动的组织者（机关工作人员或组织街道的人大工委）可以进行此操作。",
        NotAllowed,
    )
    mark = Mark(a)
    actions.cancel_activity(
        acting_user=world.staff, activity=a, reason="因天气原因改期", version=a.version
    )
    a = world.refresh()
    assert (a.status, a.cancel_reason) == ("cancelled", "因天气原因改期")
    event = mark.event()
    assert (event.summary, event.note, event.to_state) == (
        "取消活动",
        "因天气原因改期",
        "cancelled",
    )
    assert set(mark.notified()) == {"p_deputy", "d_李代表", "d_王市代表"}
    inv = world.inv(world.li)
    refused(
        inv,
        lambda: actions.sign_up(acting_user=world.li.user, invitation=inv),
        "活动“视察老旧小区改造”已取消，现在不能报名。",
    )
    refused(
        inv,
        lambda: actions.request_leave(acting_user=world.li.user, invitation=inv, reason="x"),
        "活动“视察老旧小区改造”已取消，不能请假。",
    )


def test_activity_actions_follow_the_state_and_the_role(world, time_machine):
    a = world.activity
    assert activity_actions(world.staff, a) == {
        "update_activity",
        "invite",
        "cancel_activity",
        "open_signup",
    }
    assert activity_actions(world.p.social_staff, a) == activity_actions(world.staff, a)
    for user in (world.p.leader, world.p.street, world.p.deputy, world.p.unit):
        assert activity_actions(user, a) == set()
    _on_the_day(time_machine)
    assert {"mark_held", "record_attendance"} <= activity_actions(world.staff, a)
    assert Invitation.objects.count() == 0


# ---------------------------------------------------------------------------------------------
# What an activity carries out, and its length in half-days


@pytest.fixture
def work(world) -> Work:
    return make_work(world.org, world.p)


FITTING = [
    ("station", "reception"),
    ("meeting", "standing_committee"),
    ("inspection", "inspection"),
    ("inspection", "visit"),
    ("inspection", "research"),
    ("inquiry", "inquiry"),
    ("inquiry", "research"),
    ("plan_item", "training"),  # a plan item fits any kind
    ("plan_item", "visit"),
]


@pytest.mark.parametrize(("link", "kind"), FITTING)
def test_an_activity_carries_out_work_of_a_fitting_kind(world, work, link, kind):
    target = getattr(work, "standing" if link == "meeting" else link)
    values = activity_fields(world.org, kind=kind, **{link: target})
    a = actions.create_activity(acting_user=world.staff, values=values)
    a.refresh_from_db()
    assert getattr(a, f"{link}_id") == target.pk and a.kind == kind
    assert [name for name in actions.LINKS if getattr(a, f"{name}_id")] == [link]


def test_a_session_carries_out_the_congress_with_its_half_days(world, work):
    a = actions.create_activity(
        acting_user=world.staff,
        values=activity_fields(world.org, kind="session", meeting=work.congress, half_days=5),
    )
    a.refresh_from_db()
    assert (a.meeting, a.half_days) == (work.congress, 5)


WRONG_KIND = [
    ("station", "visit", "关联联络站的活动类型应为接待选民"),
    ("meeting", "visit", "关联会议的活动类型应为人代会、列席常委会"),
    ("inspection", "training", "关联执法检查的活动类型应为执法检查、调研、视察"),
    ("inquiry", "session", "关联专题询问的活动类型应为专题询问、调研"),
]


@pytest.mark.parametrize(("link", "kind", "message"), WRONG_KIND)
def test_work_of_another_kind_is_refused_and_nothing_is_saved(world, work, link, kind, message):
    target = getattr(work, "standing" if link == "meeting" else link)
    count, events = Activity.objects.count(), TimelineEvent.objects.count()
    with pytest.raises(DomainError) as info:
        actions.create_activity(
            acting_user=world.staff,
            values=activity_fields(world.org, kind=kind, **{link: target}),
        )
    assert info.value.field_errors == {link: message}
    assert (Activity.objects.count(), TimelineEvent.objects.count()) == (count, events)


def test_two_pieces_of_work_are_refused(world, work):
    count = Activity.objects.count()
    with pytest.raises(DomainError) as info:
        actions.create_activity(
            acting_user=world.staff,
            values=activity_fields(
                world.org, kind="inspection", meeting=work.standing, inspection=work.inspection
            ),
        )
    assert info.value.field_errors == {
        "inspection": "一项活动只能关联一项工作（现选了会议、执法检查）"
    }
    assert Activity.objects.count() == count


def test_an_inactive_station_and_a_bad_length_are_refused(world, work):
    Station.objects.filter(pk=work.station.pk).update(is_active=False)
    work.station.refresh_from_db()
    count = Activity.objects.count()
    for values, field, message in [
        (
            activity_fields(world.org, kind="reception", station=work.station),
            "station",
            "联络站“泉城路街道代表联络站”已停用",
        ),
        (activity_fields(world.org, half_days=0), "half_days", "时长应为 1 至 40 个半天"),
        (activity_fields(world.org, half_days=41), "half_days", "时长应为 1 至 40 个半天"),
    ]:
        with pytest.raises(DomainError) as info:
            actions.create_activity(acting_user=world.staff, values=values)
        assert info.value.field_errors[field] == message
    assert Activity.objects.count() == count


def test_update_links_and_unlinks_and_refusals_change_nothing(world, work):
    a = world.activity  # a visit
    mark = Mark(a)
    actions.update_activity(
        acting_user=world.staff,
        activity=a,
        values=activity_fields(world.org, inspection=work.inspection, half_days=2),
    )
    a = world.refresh()
    assert (a.inspection, a.half_days) == (work.inspection, 2)
    assert mark.event().summary == "修改活动：时长（半天）、执法检查"
    refused(
        a,
        lambda: actions.update_activity(
            acting_user=world.staff,
            activity=a,
            values=activity_fields(world.org, inspection=work.inspection, meeting=work.standing),
        ),
        "一项活动只能关联一项工作（现选了会议、执法检查）。",
    )
    refused(
        a,
        lambda: actions.update_activity(
            acting_user=world.staff,
            activity=a,
            values=activity_fields(world.org, kind="training", inspection=work.inspection),
        ),
        "关联执法检查的活动类型应为执法检查、调研、视察。",
    )
    actions.update_activity(
        acting_user=world.staff, activity=a, values=activity_fields(world.org, half_days=2)
    )
    assert world.refresh().inspection is None


def test_past_work_entered_as_of_its_day_is_dated_that_day(world):
    """The demo and imports enter last year's activities: their timeline and notifications
    carry the day entered, not today."""
    day = date(2026, 3, 2)
    with clock.as_of(day):
        a = actions.create_activity(
            acting_user=world.staff, values=activity_fields(world.org, date=date(2026, 3, 10))
        )
        actions.invite(acting_user=world.staff, activity=a, deputies=[world.li])
    events = TimelineEvent.objects.for_object(a)
    assert [timezone.localtime(e.created_at).date() for e in events] == [day, day]
    sent = Notification.objects.get(user=world.li.user, key=f"activity:{a.pk}:invited")
    assert timezone.localtime(sent.created_at).date() == day


def _held_with(world, time_machine, *, kind: str, open_: bool) -> dict[str, str]:
    """Invite the four, let Li decline (where he may) and Wang have leave, hold it: attendance."""
    world.activity.kind = kind
    world.activity.save(update_fields=["kind"])
    invited(world, open_=open_)
    if kind == "visit":
        actions.decline(acting_user=world.li.user, invitation=world.inv(world.li))
    actions.request_leave(
        acting_user=world.wang.user, invitation=world.inv(world.wang), reason="出差"
    )
    actions.grant_leave(acting_user=world.staff, invitation=world.inv(world.wang))
    _on_the_day(time_machine)
    actions.mark_held(acting_user=world.staff, activity=world.activity)
    return {i.deputy.full_name: i.attendance for i in world.activity.invitations.all()}


def test_a_notice_without_sign_up_expects_all_but_who_declined(world, time_machine):
    assert _held_with(world, time_machine, kind="visit", open_=False) == {
        "张代表": "absent",  # never answered a notice
        "李代表": "",  # declined
        "王市代表": "",  # leave granted
        "赵市代表": "absent",
    }


def test_a_session_expects_every_invited_deputy_and_refuses_a_decline(world, time_machine):
    world.activity.kind = "session"
    world.activity.save(update_fields=["kind"])
    invited(world)
    inv = world.inv(world.li)
    assert "decline" not in invitation_actions(world.li.user, inv)
    assert "request_leave" in invitation_actions(world.li.user, inv)
    refused(
        inv,
        lambda: actions.decline(acting_user=world.li.user, invitation=inv),
        "人代会应当出席，不能出席的请请假。",
    )
    actions.sign_up(acting_user=world.zhang.user, invitation=world.inv(world.zhang))
    actions.request_leave(
        acting_user=world.wang.user, invitation=world.inv(world.wang), reason="出差"
    )
    actions.grant_leave(acting_user=world.staff, invitation=world.inv(world.wang))
    _on_the_day(time_machine)
    actions.mark_held(acting_user=world.staff, activity=world.activity)
    assert {i.deputy.full_name: i.attendance for i in world.activity.invitations.all()} == {
        "张代表": "absent",
        "李代表": "absent",  # open for sign-up, yet a session expects everyone
        "王市代表": "",
        "赵市代表": "absent",
    }
