"""Stations, the reception schedule and voters' opinions: each allowed move, each refused one
(refused moves change nothing), the timeline event and the notifications each writes."""

from datetime import time, timedelta

import pytest

from renda.core.errors import ConflictError, DomainError, NotAllowed
from renda.core.models import TimelineEvent
from renda.deputies import actions_activities
from renda.deputies import actions_stations as actions
from renda.deputies.models import Activity, Invitation, Station, VoterOpinion
from renda.deputies.queries_stations import (
    get_opinion_for_user,
    is_overdue,
    opinion_actions,
    station_actions,
    station_counts,
    visible_opinions,
    voter_address,
    voter_phone,
)
from renda.suggestions.models import Suggestion
from tests.core.factories import UnitFactory, UserFactory, grant
from tests.deputies.station_factories import (
    LATER,
    category,
    opinion_fields,
    schedule,
    station_fields,
    stations_fixture,  # noqa: F401 (the fixture "stations")
)
from tests.plans.factories import APRIL, Mark, at, refused

pytestmark = pytest.mark.django_db


def opinion_count() -> int:
    return VoterOpinion.objects.count()


# ---------------------------------------------------------------------------------------------
# Stations


def test_add_station_writes_the_station_and_its_event(stations):
    s = stations
    assert s.station.street == s.org.street and s.station.is_active and s.station.version == 1
    event = TimelineEvent.objects.for_object(s.station).first()
    assert event.verb == "add_station"
    assert (
        event.summary
        == "设立代表联络站：泉城路街道代表联络站（泉城路街道芙蓉社区党群服务中心二楼）"
    )
    assert s.home.kind == "home" and s.home.street is None


def test_add_station_refused(stations):
    s, org = stations, stations.org
    count = Station.objects.count()
    with pytest.raises(NotAllowed):
        actions.add_station(acting_user=s.p.leader, values=station_fields(org, name="新站"))
    with pytest.raises(NotAllowed):
        actions.add_station(acting_user=s.p.social_staff, values=station_fields(org, name="新站"))
    with pytest.raises(DomainError) as info:
        actions.add_station(
            acting_user=s.street,
            values=station_fields(org, name="大明湖站", street=org.other_street),
        )
    assert info.value.field_errors == {"street": "只能设立本街道的代表联络站"}
    with pytest.raises(DomainError) as info:
        actions.add_station(
            acting_user=s.street,
            values=station_fields(org, name="街道代表之家", kind="home", street=None),
        )
    assert info.value.field_errors == {"kind": "代表之家由代表工作机构设立"}
    with pytest.raises(DomainError) as info:
        actions.add_station(
            acting_user=s.staff,
            values=station_fields(
                org, name="泉城路街道代表联络站", address=" ", street=None, phone="电话号码"
            ),
        )
    assert info.value.field_errors == {
        "name": "已有名为“泉城路街道代表联络站”的联络站",
        "address": "请填写地址",
        "street": "代表联络站须选择所在街道",
        "phone": "联系电话只能包含数字、“-”和“转”",
    }
    assert info.value.message.startswith("4 处填写有误")
    assert Station.objects.count() == count


def test_update_station_checks_keeper_version_and_change(stations):
    s, org = stations, stations.org
    mark = Mark(s.station)
    actions.update_station(
        acting_user=s.street,
        station=s.station,
        values=station_fields(org, opening_hours="每周三上午 9:00—11:30"),
        version=1,
    )
    s.station.refresh_from_db()
    assert s.station.opening_hours == "每周三上午 9:00—11:30" and s.station.version == 2
    assert mark.event().summary == "修改联络站：接待时间说明"
    refused(
        s.station,
        lambda: actions.update_station(
            acting_user=s.staff,
            station=s.station,
            values=station_fields(org, phone="0531-1"),
            version=1,
        ),
        "该联络站已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )
    refused(
        s.station,
        lambda: actions.update_station(
            acting_user=s.staff,
            station=s.station,
            values=station_fields(org, opening_hours="每周三上午 9:00—11:30"),
        ),
        "没有修改任何内容。",
    )
    refused(
        s.home,
        lambda: actions.update_station(
            acting_user=s.street,
            station=s.home,
            values=station_fields(org, kind="home", street=None, name="改名"),
        ),
        "只有系统管理员、代表工作机构和联络站所在街道的人大工委可以进行此操作。",
        NotAllowed,
    )


def test_deactivate_refused_while_receptions_are_ahead_then_reactivate(stations):
    s = stations
    refused(
        s.station,
        lambda: actions.deactivate_station(acting_user=s.street, station=s.station),
        "“泉城路街道代表联络站”还有 1 场待举行的接待活动，请先取消或调整后再停用。",
    )
    actions_activities.cancel_activity(acting_user=s.street, activity=s.reception, reason="改期")
    refused(
        s.station,
        lambda: actions.deactivate_station(acting_user=s.p.leader, station=s.station),
        "只有系统管理员、代表工作机构和联络站所在街道的人大工委可以进行此操作。",
        NotAllowed,
    )
    mark = Mark(s.station)
    actions.deactivate_station(acting_user=s.street, station=s.station, version=1)
    s.station.refresh_from_db()
    assert not s.station.is_active and s.station.version == 2
    assert mark.event().verb == "deactivate_station"
    assert station_actions(s.street, s.station) == {"update_station", "reactivate_station"}
    refused(
        s.station,
        lambda: actions.deactivate_station(acting_user=s.street, station=s.station),
        "“泉城路街道代表联络站”已停用。",
    )
    refused(
        s.station,
        lambda: actions.schedule_reception(
            acting_user=s.street,
            station=s.station,
            date=LATER,
            starts_at=time(9),
            deputies=[s.zhang],
        ),
        "“泉城路街道代表联络站”已停用，不能安排接待。",
    )
    refused(
        s.station,
        lambda: actions.record_opinion(
            acting_user=s.street, station=s.station, values=opinion_fields(received_on=APRIL)
        ),
        "“泉城路街道代表联络站”已停用，不能登记选民意见。",
    )
    actions.reactivate_station(acting_user=s.staff, station=s.station, version=2)
    s.station.refresh_from_db()
    assert s.station.is_active and s.station.version == 3
    refused(
        s.station,
        lambda: actions.reactivate_station(acting_user=s.staff, station=s.station),
        "“泉城路街道代表联络站”正在启用中。",
    )


# ---------------------------------------------------------------------------------------------
# The reception schedule


def test_schedule_reception_creates_a_reception_activity_and_invites_directly(stations):
    s = stations
    mark = Mark(s.station)
    activity = schedule(s, deputies=[s.li])
    assert activity.kind == "reception" and activity.station == s.station
    assert activity.organiser_street == s.org.street and activity.organiser_office is None
    assert activity.title == "泉城路街道代表联络站接待选民"
    assert activity.place == s.station.address and activity.status == "planned"
    [invitation] = activity.invitations.all()
    assert invitation.deputy == s.li and invitation.via == Invitation.Via.DIRECT
    assert mark.event().summary == "安排接待：2026-04-10 09:00，李代表"
    assert [e.verb for e in TimelineEvent.objects.for_object(activity)] == [
        "create_activity",
        "invite",
    ]
    assert mark.notified() == {"d_李代表": ["活动邀请：泉城路街道代表联络站接待选民"]}


def test_the_home_is_organised_by_the_deputy_affairs_office(stations):
    s = stations
    activity = actions.schedule_reception(
        acting_user=s.staff,
        station=s.home,
        date=LATER,
        starts_at=time(14, 30),
        deputies=[s.zhang, s.wang],
        topic="听取群众对城市更新的意见",
    )
    assert activity.organiser_office == s.org.deputy_office
    assert activity.title == "泉城区人大代表之家接待选民：听取群众对城市更新的意见"
    assert set(activity.invitations.values_list("deputy__full_name", flat=True)) == {
        "张代表",
        "王代表",
    }


def test_reception_attendance_counts_like_any_activity(stations):
    s = stations
    actions_activities.check_in(
        acting_user=s.zhang.user, activity=s.reception, code=s.reception.checkin_code
    )
    actions_activities.mark_held(acting_user=s.street, activity=s.reception)
    rows = dict(s.reception.invitations.values_list("deputy__full_name", "attendance"))
    assert rows == {"张代表": "attended", "李代表": "absent"}


def test_schedule_reception_refused(stations):
    s = stations
    count = Activity.objects.count()
    refused(
        s.station,
        lambda: schedule(s, deputies=[]),
        "请选择接待代表。",
    )
    error = refused(
        s.station,
        lambda: schedule(s, deputies=[s.zhang, s.wang]),
        "王代表不在您可安排的现任代表之中。",
    )
    assert error.field_errors == {"deputies": "王代表不在您可安排的现任代表之中"}
    error = refused(
        s.station,
        lambda: schedule(s, day=APRIL - timedelta(days=1)),
        "活动日期不能早于今天。",
    )
    assert error.field_errors == {"date": "活动日期不能早于今天"}
    refused(
        s.station,
        lambda: schedule(s, user=s.p.social_staff),
        "只有系统管理员、代表工作机构和联络站所在街道的人大工委可以进行此操作。",
        NotAllowed,
    )
    refused(
        s.home,
        lambda: schedule(s, station=s.home),
        "只有系统管理员、代表工作机构和联络站所在街道的人大工委可以进行此操作。",
        NotAllowed,
    )
    assert Activity.objects.count() == count


# ---------------------------------------------------------------------------------------------
# Recording an opinion


def test_street_records_an_opinion_with_its_event(stations):
    s = stations
    opinion = s.record()
    assert opinion.status == "received" and opinion.received_on == APRIL
    assert opinion.received_by == s.zhang and opinion.recorded_by == s.street
    [event] = TimelineEvent.objects.for_object(opinion)
    assert event.verb == "record_opinion" and event.to_state == "received"
    assert event.summary == "登记选民意见：老旧小区加装电梯（泉城路街道代表联络站，2026-04-01）"
    assert event.to_label == "已登记"


def test_a_deputy_records_from_their_reception_and_the_street_is_told(stations):
    s = stations
    mark = Mark(s.station)
    opinion = actions.record_opinion(
        acting_user=s.li.user,
        station=s.station,
        values=opinion_fields(reception=s.reception, received_by=s.zhang, subject="背街小巷路灯"),
    )
    assert opinion.received_by == s.li  # whoever enters it from the phone received it
    assert mark.notified() == {"p_street": ["代表登记了选民意见：背街小巷路灯"]}


def test_record_opinion_refused(stations):
    s = stations
    count = opinion_count()
    refused(
        s.station,
        lambda: actions.record_opinion(
            acting_user=s.p.unit, station=s.station, values=opinion_fields(received_on=APRIL)
        ),
        "只有联络站的工作人员（代表工作机构、所在街道人大工委）或参加接待的代表可以登记选民意见。",
        NotAllowed,
    )
    error = refused(
        s.station,
        lambda: actions.record_opinion(
            acting_user=s.wang.user, station=s.station, values=opinion_fields(reception=s.reception)
        ),
        "您不在该接待活动的邀请名单中。",
    )
    assert error.field_errors == {"reception": "您不在该接待活动的邀请名单中"}
    refused(
        s.station,
        lambda: actions.record_opinion(
            acting_user=s.zhang.user, station=s.station, values=opinion_fields(received_on=APRIL)
        ),
        "请选择您参加的接待活动。",
    )
    error = refused(
        s.station,
        lambda: actions.record_opinion(
            acting_user=s.street,
            station=s.station,
            values=opinion_fields(
                voter_name="",
                subject="",
                voter_phone="abc",
                received_on=APRIL + timedelta(days=1),
            ),
        ),
        "4 处填写有误：请填写选民姓名等。",
    )
    assert error.field_errors == {
        "voter_name": "请填写选民姓名",
        "voter_phone": "联系电话格式不正确",
        "subject": "请填写事项",
        "received_on": "接待日期不能晚于今天",
    }
    later = schedule(s)
    refused(
        s.station,
        lambda: actions.record_opinion(
            acting_user=s.street, station=s.station, values=opinion_fields(reception=later)
        ),
        "接待活动尚未举行。",
    )
    refused(
        s.station,
        lambda: actions.record_opinion(
            acting_user=s.street,
            station=s.station,
            values=opinion_fields(reception=s.reception, received_by=s.wang),
        ),
        "王代表不在该接待活动的邀请名单中。",
    )
    refused(
        s.home,
        lambda: actions.record_opinion(
            acting_user=s.staff, station=s.home, values=opinion_fields(reception=s.reception)
        ),
        "该活动不是“泉城区人大代表之家”的接待活动。",
    )
    assert opinion_count() == count


# ---------------------------------------------------------------------------------------------
# Forwarding as a suggestion


def test_forward_as_suggestion_drafts_for_the_receiving_deputy(stations):
    s = stations
    opinion = s.record()
    mark = Mark(opinion)
    actions.forward_as_suggestion(
        acting_user=s.staff, opinion=opinion, category=category(), version=1
    )
    opinion.refresh_from_db()
    assert opinion.status == "to_suggestion" and opinion.version == 2
    suggestion = opinion.suggestion
    assert suggestion.status == "draft" and suggestion.deputy == s.zhang
    assert suggestion.created_by == s.staff
    assert suggestion.title == "关于老旧小区加装电梯的建议"
    assert "来源：2026年04月01日泉城路街道代表联络站接待选民时收到的意见" in suggestion.content
    assert "刘大爷" not in suggestion.content and "13805310001" not in suggestion.content
    event = mark.event()
    assert event.verb == "forward_as_suggestion" and event.from_state == "received"
    assert mark.notified() == {
        "p_deputy": ["选民意见已转为您的建议草稿，请审阅后提交：关于老旧小区加装电梯的建议"]
    }


def test_the_receiving_deputy_forwards_their_own_without_telling_themselves(stations):
    s = stations
    opinion = s.record()
    mark = Mark(opinion)
    actions.forward_as_suggestion(
        acting_user=s.zhang.user, opinion=opinion, category=category(), title="关于加装电梯"
    )
    opinion.refresh_from_db()
    assert opinion.suggestion.title == "关于加装电梯" and mark.notified() == {}


def test_forward_as_suggestion_refused(stations):
    s = stations
    opinion = s.record()
    refused(
        opinion,
        lambda: actions.forward_as_suggestion(
            acting_user=s.street, opinion=opinion, category=category()
        ),
        "只有代表工作机构或接待该选民的代表本人可以将选民意见转为代表建议。",
        NotAllowed,
    )
    refused(
        opinion,
        lambda: actions.forward_as_suggestion(
            acting_user=s.li.user, opinion=opinion, category=category()
        ),
        "只有代表工作机构或接待该选民的代表本人可以将选民意见转为代表建议。",
        NotAllowed,
    )
    refused(
        opinion,
        lambda: actions.forward_as_suggestion(
            acting_user=s.staff, opinion=opinion, category=category(), version=9
        ),
        "该选民意见已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )
    anonymous_desk = s.record(received_by=None, reception=None, received_on=APRIL)
    refused(
        anonymous_desk,
        lambda: actions.forward_as_suggestion(
            acting_user=s.staff, opinion=anonymous_desk, category=category()
        ),
        "该意见没有登记接待代表，不能转为代表建议；可转交有关单位办理。",
    )
    forwarded = s.to_unit()
    refused(
        forwarded,
        lambda: actions.forward_as_suggestion(
            acting_user=s.staff, opinion=forwarded, category=category()
        ),
        "选民意见“老旧小区加装电梯”已转交单位，不能转为代表建议。",
    )
    assert not Suggestion.objects.exists()


# ---------------------------------------------------------------------------------------------
# Forwarding to a unit, answering, reporting back


def test_forward_to_unit_notifies_the_units_users(stations):
    s = stations
    opinion = s.record()
    mark = Mark(opinion)
    actions.forward_to_unit(
        acting_user=s.street,
        opinion=opinion,
        unit=s.org.unit,
        due_on=APRIL + timedelta(days=21),
        note="请与街道对接现场勘查",
        version=1,
    )
    opinion.refresh_from_db()
    assert opinion.status == "to_unit" and opinion.unit == s.org.unit
    assert opinion.unit_due_on == APRIL + timedelta(days=21) and opinion.forwarded_at
    event = mark.event()
    assert event.summary == "转交区住房和城乡建设局办理，2026-04-22前答复"
    assert event.note == "请与街道对接现场勘查"
    assert mark.notified() == {"p_unit": ["选民意见转办：老旧小区加装电梯"]}


def test_forward_to_unit_refused(stations):
    s = stations
    opinion = s.record()
    error = refused(
        opinion,
        lambda: actions.forward_to_unit(
            acting_user=s.street, opinion=opinion, unit=None, due_on=APRIL
        ),
        "2 处填写有误：请选择转交单位等。",
    )
    assert error.field_errors == {"unit": "请选择转交单位", "due_on": "答复期限应晚于今天"}
    closed = UnitFactory(name="已撤并单位", is_active=False)
    refused(
        opinion,
        lambda: actions.forward_to_unit(
            acting_user=s.street, opinion=opinion, unit=closed, due_on=LATER
        ),
        "已撤并单位已停用。",
    )
    for user in (s.p.unit, s.p.leader, s.p.social_staff, s.zhang.user):
        refused(
            opinion,
            lambda user=user: actions.forward_to_unit(
                acting_user=user, opinion=opinion, unit=s.org.unit, due_on=LATER
            ),
            "只有系统管理员、代表工作机构和联络站所在街道的人大工委可以进行此操作。",
            NotAllowed,
        )
    refused(
        opinion,
        lambda: actions.forward_to_unit(
            acting_user=s.street, opinion=opinion, unit=s.org.unit, due_on=LATER, version=5
        ),
        "该选民意见已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )
    reported = s.reported()
    refused(
        reported,
        lambda: actions.forward_to_unit(
            acting_user=s.street, opinion=reported, unit=s.org.unit, due_on=LATER
        ),
        "选民意见“老旧小区加装电梯”已反馈选民，不能转交单位。",
    )


def test_the_unit_answers_and_the_street_and_deputy_are_told(stations):
    s = stations
    opinion = s.to_unit()
    mark = Mark(opinion)
    actions.answer_opinion(
        acting_user=s.p.unit, opinion=opinion, result="已列入今年改造计划。", version=2
    )
    opinion.refresh_from_db()
    assert opinion.status == "answered" and opinion.result == "已列入今年改造计划。"
    assert opinion.answered_at is not None
    event = mark.event()
    assert event.summary == "区住房和城乡建设局答复" and event.from_state == "to_unit"
    titles = ["选民意见有了办理结果，请反馈选民：老旧小区加装电梯"]
    assert mark.notified() == {"p_street": titles, "p_deputy": titles}


def test_answer_on_the_spot_and_after_the_suggestion(stations):
    s = stations
    spot = s.record(subject="菜市场占道经营")
    actions.answer_opinion(
        acting_user=s.street, opinion=spot, result="街道城管中队当场答复：本周内清理占道摊位。"
    )
    spot.refresh_from_db()
    assert spot.status == "answered"
    assert TimelineEvent.objects.for_object(spot).last().summary == "当场答复"
    opinion = s.to_suggestion()
    actions.answer_opinion(acting_user=s.staff, opinion=opinion, result="建议已交办区住建局。")
    opinion.refresh_from_db()
    assert opinion.status == "answered"
    assert TimelineEvent.objects.for_object(opinion).last().summary == "记录建议办理结果"


def test_answer_opinion_refused(stations):
    s = stations
    opinion = s.to_unit()
    refused(
        opinion,
        lambda: actions.answer_opinion(acting_user=s.street, opinion=opinion, result="已办"),
        "该意见已转交区住房和城乡建设局办理，由该单位答复。",
        NotAllowed,
    )
    other = UserFactory(username="other_unit")
    grant(other, "unit", unit=s.org.other_unit)
    for user in (other, s.p.leader, s.zhang.user):
        refused(
            opinion,
            lambda user=user: actions.answer_opinion(acting_user=user, opinion=opinion, result="x"),
            "只有联络站的工作人员或受转办的单位可以答复选民意见。",
            NotAllowed,
        )
    refused(
        opinion,
        lambda: actions.answer_opinion(acting_user=s.p.unit, opinion=opinion, result=" "),
        "请填写办理结果。",
    )
    refused(
        opinion,
        lambda: actions.answer_opinion(
            acting_user=s.p.unit, opinion=opinion, result="已办", version=1
        ),
        "该选民意见已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )
    answered = s.answered()
    refused(
        answered,
        lambda: actions.answer_opinion(acting_user=s.p.unit, opinion=answered, result="再答"),
        "选民意见“老旧小区加装电梯”已有办理结果，不能答复。",
    )


def test_report_back(stations):
    s = stations
    opinion = s.answered()
    mark = Mark(opinion)
    actions.report_back(
        acting_user=s.street,
        opinion=opinion,
        method="当面",
        note="在联络站当面告知，选民表示满意。",
        version=3,
    )
    opinion.refresh_from_db()
    assert opinion.status == "reported" and opinion.feedback_method == "当面"
    assert opinion.reported_at is not None
    assert mark.event().summary == "已当面反馈选民刘大爷"
    assert mark.notified() == {"p_deputy": ["您接待的选民意见已反馈选民：老旧小区加装电梯"]}
    assert opinion_actions(s.street, opinion) == set()


def test_report_back_refused(stations):
    s = stations
    received = s.record()
    refused(
        received,
        lambda: actions.report_back(
            acting_user=s.street, opinion=received, method="电话", note="已告知"
        ),
        "选民意见“老旧小区加装电梯”已登记，不能反馈选民。",
    )
    opinion = s.answered()
    error = refused(
        opinion,
        lambda: actions.report_back(acting_user=s.street, opinion=opinion, method="微信", note=""),
        "2 处填写有误：请选择反馈方式（电话、当面、短信、书面）等。",
    )
    assert set(error.field_errors) == {"method", "note"}
    refused(
        opinion,
        lambda: actions.report_back(
            acting_user=s.p.unit, opinion=opinion, method="电话", note="已告知"
        ),
        "只有系统管理员、代表工作机构和联络站所在街道的人大工委可以进行此操作。",
        NotAllowed,
    )
    refused(
        opinion,
        lambda: actions.report_back(
            acting_user=s.street, opinion=opinion, method="电话", note="已告知", version=1
        ),
        "该选民意见已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )


# ---------------------------------------------------------------------------------------------
# Who sees and does what


def test_opinion_actions_per_role_and_state(stations):
    s = stations
    p = s.p
    received = s.record()
    assert opinion_actions(s.street, received) == {"forward_to_unit", "answer_opinion"}
    assert opinion_actions(p.staff, received) == {
        "forward_to_unit",
        "answer_opinion",
        "forward_as_suggestion",
    }
    assert opinion_actions(s.zhang.user, received) == {"forward_as_suggestion"}
    assert opinion_actions(p.leader, received) == set()
    assert opinion_actions(p.social_staff, received) == set()
    to_unit = s.to_unit()
    assert opinion_actions(p.unit, to_unit) == {"unit_answer"}
    assert opinion_actions(s.street, to_unit) == set()
    answered = s.answered()
    assert opinion_actions(s.street, answered) == {"report_back"}
    assert opinion_actions(p.unit, answered) == set()


def test_visibility_and_voter_privacy(stations):
    s = stations
    p = s.p
    mine = s.record()
    forwarded = s.to_unit(subject="学校门口接送拥堵")
    li_received = s.record(received_by=s.li, subject="背街小巷路灯")
    assert set(visible_opinions(p.unit)) == {forwarded}
    assert set(visible_opinions(s.zhang.user)) == {mine, forwarded}
    assert set(visible_opinions(s.li.user)) == {li_received}
    assert set(visible_opinions(s.street)) == {mine, forwarded, li_received}
    other_street = UserFactory(username="other_street")
    grant(other_street, "street", street=s.org.other_street)
    assert not visible_opinions(other_street).exists()
    with pytest.raises(Exception) as info:
        get_opinion_for_user(p.unit, mine.pk)
    assert info.type.__name__ == "Http404"
    # Phone and address: the keepers and the station's street only.
    assert voter_phone(s.street, mine) == "13805310001"
    assert voter_phone(p.staff, mine) == "13805310001"
    for user in (p.leader, p.social_staff, p.unit, s.zhang.user):
        assert voter_phone(user, mine) == "138****0001"
        assert voter_address(user, mine) == "芙蓉街12****"


def test_overdue_at_the_unit_counts_on_the_station(stations, time_machine):
    s = stations
    opinion = s.to_unit()
    s.record()
    assert not is_overdue(opinion)
    assert station_counts(s.station) == {"upcoming": 1, "open": 2, "overdue": 0}
    time_machine.move_to(at(APRIL + timedelta(days=22)), tick=False)
    opinion.refresh_from_db()
    assert is_overdue(opinion)
    assert station_counts(s.station) == {"upcoming": 0, "open": 2, "overdue": 1}
