"""Special inquiries: every action's allowed moves and its refusals (a refused move changes
nothing), the timeline event each writes, and the rectification list it opens."""

from __future__ import annotations

from datetime import date

import pytest

from renda.core.errors import ConflictError, DomainError, NotAllowed
from renda.core.models import TimelineEvent
from renda.plans import actions as plan_actions
from renda.plans.models import Evidence, ItemLink, PlanItem
from renda.supervision.actions import inquiries as actions
from renda.supervision.models import (
    Inquiry,
    InquiryAttendee,
    InquiryQuestion,
    Rectification,
)
from tests.supervision.factories import Mark, at, pdf, refused
from tests.supervision.matrix_inquiries import ANSWER, QUESTION, InquiryWorld

pytestmark = pytest.mark.django_db

DAY = date(2026, 9, 25)  # the day after the standing meeting of 2026-09-24
RUNS_ONLY = "只有社会建设工作室可以办理该专题询问。"


@pytest.fixture
def world(supervision, time_machine) -> InquiryWorld:
    time_machine.move_to(at(DAY), tick=False)
    return InquiryWorld(
        staff=supervision.staff,
        office=supervision.office,
        unit=supervision.org.unit,
        unit_user=supervision.p.unit,
        deputy=supervision.deputies[0],
        meeting=supervision.standing_meeting,
    )


def fresh(inquiry: Inquiry) -> Inquiry:
    return Inquiry.objects.get(pk=inquiry.pk)


# -- create_inquiry ------------------------------------------------------------------------------


def test_an_office_arranges_an_inquiry(world):
    inquiry = world.create(topic="  城市管理工作 ")
    assert (inquiry.topic, inquiry.status, inquiry.year, inquiry.meeting) == (
        "城市管理工作",
        "preparing",
        2026,
        world.meeting,
    )
    only = TimelineEvent.objects.for_object(inquiry).get()
    assert (only.verb, only.summary, only.to_state) == (
        "create",
        "安排专题询问：城市管理工作",
        "preparing",
    )


def test_a_plan_item_is_linked_to_the_inquiry(world, planning):
    item = planning.item(planning.approved())
    inquiry = world.create(plan_item=item)
    link = ItemLink.objects.get(item=item)
    assert (link.object_id, link.label) == (inquiry.pk, "专题询问：城市管理工作")
    assert inquiry.plan_item == item


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"topic": " "}, "请填写询问主题。"),
        ({"year": 1999}, "年度不正确。"),
        ({"year": "2026"}, "年度不正确。"),
    ],
)
def test_bad_input_arranges_nothing(world, overrides, message):
    with pytest.raises(DomainError) as info:
        world.create(**overrides)
    assert info.value.message == message
    assert not Inquiry.objects.exists()


def test_the_meeting_must_be_a_standing_meeting(world, supervision):
    with pytest.raises(DomainError) as info:
        world.create(meeting=supervision.director_meeting)
    assert info.value.message == "专题询问在常委会会议上进行，请选择常委会会议。"
    assert not Inquiry.objects.exists()


def test_only_own_office_arranges(world, supervision):
    for user in (supervision.p.staff, supervision.p.leader, supervision.p.unit):
        with pytest.raises(NotAllowed) as info:
            actions.create_inquiry(
                acting_user=user, topic="城市管理", year=2026, office=world.office
            )
        assert info.value.message == "只能为本机构安排专题询问。"
    assert not Inquiry.objects.exists()
    assert actions.create_inquiry(
        acting_user=supervision.p.admin, topic="城市管理", year=2026, office=world.office
    )


def test_plan_item_rules(world, planning, org):
    draft_item = planning.item(planning.draft(kind="office"))
    completed = planning.completed(kind="work_points")
    other_office = planning.item(planning.approved(kind="study"))
    PlanItem.objects.filter(pk=other_office.pk).update(owner_office=org.deputy_office)
    cases = [
        (draft_item, "所选计划事项所在计划尚未审定。"),
        (completed, "所选计划事项当前为“已完成”，不能再关联。"),
        (PlanItem.objects.get(pk=other_office.pk), "所选计划事项的责任机构不是社会建设工作室。"),
    ]
    for item, message in cases:
        with pytest.raises(DomainError) as info:
            world.create(plan_item=item)
        assert info.value.message == message
    assert not Inquiry.objects.exists()
    assert not ItemLink.objects.exists()


# -- update_inquiry -----------------------------------------------------------------------------


def test_the_plan_and_research_are_updated_while_preparing(world):
    inquiry = world.create(meeting=None)
    mark = Mark(inquiry)
    actions.update_inquiry(
        acting_user=world.staff,
        inquiry=inquiry,
        topic="城市管理工作情况",
        research="组织代表走访 6 个街道，召开座谈会 3 次",
        meeting=world.meeting,
        version=inquiry.version,
    )
    inquiry = fresh(inquiry)
    assert (inquiry.topic, inquiry.research, inquiry.meeting, inquiry.version) == (
        "城市管理工作情况",
        "组织代表走访 6 个街道，召开座谈会 3 次",
        world.meeting,
        2,
    )
    assert mark.event().summary == "修改询问方案，安排在第十八届人大常委会第30次会议"


def test_update_refusals(world, supervision):
    inquiry = world.create()

    def update(user=world.staff, **kw):
        values = {"topic": "城市管理", "meeting": world.meeting, **kw}
        return lambda: actions.update_inquiry(acting_user=user, inquiry=inquiry, **values)

    refused(inquiry, update(user=supervision.p.staff), RUNS_ONLY, NotAllowed)
    refused(inquiry, update(topic=""), "请填写询问主题。")
    refused(
        inquiry,
        update(meeting=supervision.director_meeting),
        "专题询问在常委会会议上进行，请选择常委会会议。",
    )
    refused(
        inquiry,
        update(version=inquiry.version + 1),
        "该专题询问已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )
    held = world.held()
    refused(
        held,
        lambda: actions.update_inquiry(acting_user=world.staff, inquiry=held, topic="x"),
        "当前状态为“已询问”，不能修改询问方案。",
    )


# -- attendees ----------------------------------------------------------------------------------


def test_an_attendee_is_added_and_the_unit_told(world):
    inquiry = world.create()
    mark = Mark(inquiry)
    attendee = actions.add_attendee(
        acting_user=world.staff,
        inquiry=inquiry,
        unit=world.unit,
        official=" 张局长 ",
        official_title="局长",
        version=inquiry.version,
    )
    assert (attendee.official, attendee.attended) == ("张局长", None)
    assert mark.event().summary == "确定应询人：区住房和城乡建设局局长张局长"
    assert mark.notified() == {"p_unit": ["请派员出席专题询问：城市管理工作"]}
    assert fresh(inquiry).version == inquiry.version + 1


def test_attendee_refusals(world, supervision):
    inquiry = world.preparing()

    def add(user=world.staff, **kw):
        values = {"unit": world.unit, "official": "王副局长", "official_title": "副局长", **kw}
        return lambda: actions.add_attendee(acting_user=user, inquiry=inquiry, **values)

    refused(inquiry, add(official="张局长"), "区住房和城乡建设局张局长已在应询人名单中。")
    refused(inquiry, add(official=" "), "请填写应询人。")
    refused(inquiry, add(official_title=""), "请填写应询人职务。")
    refused(inquiry, add(user=supervision.p.unit), RUNS_ONLY, NotAllowed)
    held = world.held()
    refused(
        held,
        lambda: actions.add_attendee(
            acting_user=world.staff,
            inquiry=held,
            unit=world.unit,
            official="王副局长",
            official_title="副局长",
        ),
        "当前状态为“已询问”，不能增加应询单位。",
    )
    assert InquiryAttendee.objects.filter(inquiry=inquiry).count() == 1


def test_an_attendee_without_questions_is_removed(world):
    inquiry = world.preparing()
    attendee = inquiry.attendees.get()
    mark = Mark(inquiry)
    actions.remove_attendee(acting_user=world.staff, inquiry=inquiry, attendee=attendee)
    assert not inquiry.attendees.exists()
    assert mark.event().summary == "删除应询人：区住房和城乡建设局局长张局长"


def test_an_attendee_with_questions_stays(world):
    inquiry = world.with_question()
    attendee = inquiry.attendees.get()
    refused(
        inquiry,
        lambda: actions.remove_attendee(
            acting_user=world.staff, inquiry=inquiry, attendee=attendee
        ),
        "已有问题向区住房和城乡建设局张局长提出，请先修改或删除这些问题。",
    )
    other = world.preparing()
    refused(
        other,
        lambda: actions.remove_attendee(acting_user=world.staff, inquiry=other, attendee=attendee),
        "所选应询人不属于该专题询问。",
    )
    assert InquiryAttendee.objects.filter(pk=attendee.pk).exists()


def test_attendance_is_recorded_while_preparing_and_at_the_inquiry(world):
    inquiry = world.held()
    attendee = inquiry.attendees.get()
    mark = Mark(inquiry)
    actions.record_attendance(
        acting_user=world.staff, inquiry=inquiry, attendee=attendee, attended=False
    )
    assert InquiryAttendee.objects.get(pk=attendee.pk).attended is False
    assert mark.event().summary == "区住房和城乡建设局张局长未到会"
    rectifying = world.rectifying()
    refused(
        rectifying,
        lambda: actions.record_attendance(
            acting_user=world.staff,
            inquiry=rectifying,
            attendee=rectifying.attendees.get(),
            attended=True,
        ),
        "当前状态为“整改中”，不能登记到会情况。",
    )
    refused(
        inquiry,
        lambda: actions.record_attendance(
            acting_user=world.staff, inquiry=inquiry, attendee=attendee, attended="yes"
        ),
        "请选择是否到会。",
    )


# -- questions and answers ----------------------------------------------------------------------


def test_a_deputy_asks_and_the_name_comes_from_the_roll(world, supervision):
    inquiry = world.preparing()
    mark = Mark(inquiry)
    question = actions.add_question(
        acting_user=world.staff,
        inquiry=inquiry,
        asker_kind="deputy",
        asker_name="随便写的",
        asker_deputy=supervision.deputies[1],
        attendee=inquiry.attendees.get(),
        question=QUESTION,
    )
    assert (question.position, question.asker_name, question.asker_deputy) == (
        1,
        "李守法",
        supervision.deputies[1],
    )
    event = mark.event()
    assert (event.summary, event.note) == (
        "增加第 1 个问题：李守法问区住房和城乡建设局张局长",
        QUESTION,
    )
    second = actions.add_question(
        acting_user=world.staff,
        inquiry=inquiry,
        asker_kind="member",
        asker_name="常委乙",
        attendee=inquiry.attendees.get(),
        question="第二问",
    )
    assert (second.position, second.asker_deputy) == (2, None)


def test_question_refusals(world):
    inquiry = world.preparing()
    other = world.preparing()

    def add(**kw):
        values = {
            "asker_kind": "member",
            "asker_name": "常委乙",
            "attendee": inquiry.attendees.get(),
            "question": QUESTION,
            **kw,
        }
        return lambda: actions.add_question(acting_user=world.staff, inquiry=inquiry, **values)

    refused(inquiry, add(asker_kind="public"), "请选择提问人类别（常委会组成人员或人大代表）。")
    refused(inquiry, add(asker_name=" "), "请填写提问人。")
    refused(inquiry, add(question=""), "请填写问题。")
    refused(inquiry, add(attendee=other.attendees.get()), "所选应询人不属于该专题询问。")
    assert not InquiryQuestion.objects.exists()


def test_a_question_is_changed_and_removed_while_preparing(world):
    inquiry = world.with_question()
    question = world.question(inquiry)
    mark = Mark(inquiry)
    actions.update_question(
        acting_user=world.staff,
        inquiry=inquiry,
        question=question,
        asker_kind="member",
        asker_name="常委丙",
        attendee=question.attendee,
        text="修改后的问题",
    )
    question.refresh_from_db()
    assert (question.asker_name, question.asker_deputy, question.question) == (
        "常委丙",
        None,
        "修改后的问题",
    )
    assert mark.event().summary == "修改第 1 个问题"
    actions.remove_question(acting_user=world.staff, inquiry=inquiry, question=question)
    assert not inquiry.questions.exists()
    assert [e.summary for e in mark.events()][-1] == "删除第 1 个问题"


def test_questions_are_fixed_once_held(world):
    inquiry = world.held()
    question = world.question(inquiry)
    refused(
        inquiry,
        lambda: actions.update_question(
            acting_user=world.staff,
            inquiry=inquiry,
            question=question,
            asker_kind="member",
            asker_name="常委丙",
            attendee=question.attendee,
            text="改",
        ),
        "当前状态为“已询问”，不能修改问题。",
    )
    refused(
        inquiry,
        lambda: actions.remove_question(
            acting_user=world.staff, inquiry=inquiry, question=question
        ),
        "当前状态为“已询问”，不能删除问题。",
    )
    refused(
        inquiry,
        lambda: actions.add_question(
            acting_user=world.staff,
            inquiry=inquiry,
            asker_kind="member",
            asker_name="常委丙",
            attendee=question.attendee,
            question="再问",
        ),
        "当前状态为“已询问”，不能增加问题。",
    )


def test_answers_are_recorded_before_and_at_the_inquiry(world):
    inquiry = world.with_question()
    question = world.question(inquiry)
    mark = Mark(inquiry)
    actions.record_answer(
        acting_user=world.staff, inquiry=inquiry, question=question, answer=ANSWER
    )
    question.refresh_from_db()
    assert question.answer == ANSWER and question.answered_at is not None
    assert mark.event().summary == "记录第 1 个问题的回答（区住房和城乡建设局张局长）"
    held = world.held()
    actions.record_answer(
        acting_user=world.staff, inquiry=held, question=world.question(held), answer="补充回答"
    )
    assert world.question(held).answer == "补充回答"
    rectifying = world.rectifying()
    refused(
        rectifying,
        lambda: actions.record_answer(
            acting_user=world.staff,
            inquiry=rectifying,
            question=world.question(rectifying),
            answer="迟到的回答",
        ),
        "当前状态为“整改中”，不能记录回答。",
    )
    refused(
        inquiry,
        lambda: actions.record_answer(
            acting_user=world.staff, inquiry=inquiry, question=question, answer=" "
        ),
        "请填写回答。",
    )


# -- hold_inquiry -------------------------------------------------------------------------------


def test_the_inquiry_is_held(world):
    inquiry = world.with_question(answered=True)
    mark = Mark(inquiry)
    actions.hold_inquiry(
        acting_user=world.staff,
        inquiry=inquiry,
        held_on=date(2026, 9, 24),
        summary="共提出问题 1 个",
        version=inquiry.version,
    )
    inquiry = fresh(inquiry)
    assert (inquiry.status, inquiry.held_on, inquiry.summary) == (
        "held",
        date(2026, 9, 24),
        "共提出问题 1 个",
    )
    event = mark.event()
    assert (event.summary, event.from_state, event.to_state) == (
        "2026-09-24 在第十八届人大常委会第30次会议上进行专题询问",
        "preparing",
        "held",
    )


def test_hold_refusals(world):
    def hold(inquiry, **kw):
        values = {"held_on": date(2026, 9, 24), "summary": "询问情况", **kw}
        return lambda: actions.hold_inquiry(acting_user=world.staff, inquiry=inquiry, **values)

    no_meeting = world.with_question(answered=True, meeting=None)
    refused(no_meeting, hold(no_meeting), "请先确定询问会议（常委会会议）。")
    empty = world.preparing()
    refused(empty, hold(empty), "还没有询问问题，不能记录询问情况。")
    inquiry = world.with_question(answered=True)
    actions.add_question(
        acting_user=world.staff,
        inquiry=inquiry,
        asker_kind="member",
        asker_name="常委乙",
        attendee=inquiry.attendees.get(),
        question="第二问",
    )
    inquiry = fresh(inquiry)
    refused(inquiry, hold(inquiry), "以下问题尚未记录回答：第 2 个。")
    ready = world.with_question(answered=True)
    refused(ready, hold(ready, held_on=date(2026, 9, 26)), "询问日期不能晚于今天。")
    refused(ready, hold(ready, summary=""), "请填写询问情况。")
    held = world.held()
    refused(held, hold(held), "当前状态为“已询问”，不能记录询问情况。")


# -- record_question_vote -----------------------------------------------------------------------


def test_each_question_is_voted_on(world):
    inquiry = world.held()
    question = world.question(inquiry)
    mark = Mark(inquiry)
    actions.record_question_vote(
        acting_user=world.staff,
        inquiry=inquiry,
        question=question,
        votes_satisfied=30,
        votes_basic=5,
        votes_unsatisfied=2,
    )
    question.refresh_from_db()
    assert (question.votes_satisfied, question.votes_basic, question.votes_unsatisfied) == (
        30,
        5,
        2,
    )
    assert mark.event().summary == (
        "第 1 个问题满意度测评：满意 30 票、基本满意 5 票、不满意 2 票，满意率 94.6%"
    )


def test_vote_refusals(world):
    preparing = world.with_question(answered=True)

    def vote(inquiry, s=30, b=5, u=2):
        return lambda: actions.record_question_vote(
            acting_user=world.staff,
            inquiry=inquiry,
            question=world.question(inquiry),
            votes_satisfied=s,
            votes_basic=b,
            votes_unsatisfied=u,
        )

    refused(preparing, vote(preparing), "当前状态为“筹备中”，不能进行满意度测评。")
    held = world.held()
    refused(held, vote(held, s=-1), "满意票应为不小于 0 的整数。")
    refused(held, vote(held, s=0, b=0, u=0), "请填写测评票数。")
    refused(held, vote(held, u="2"), "不满意票应为不小于 0 的整数。")


# -- list_commitments ---------------------------------------------------------------------------


def test_the_rectification_list_starts_the_rectification(world):
    inquiry = world.held()
    question = world.question(inquiry)
    mark = Mark(inquiry)
    items = actions.list_commitments(
        acting_user=world.staff,
        inquiry=inquiry,
        entries=[
            (question, "背街小巷保洁", "建立巡查保洁长效机制", None),
            (question, "占道经营治理", "设置疏导点", date(2026, 11, 30)),
        ],
    )
    inquiry = fresh(inquiry)
    assert inquiry.status == "rectifying"
    rows = Rectification.objects.filter(inquiry=inquiry).order_by("id")
    assert [
        (r.source, r.question, r.unit, r.office, r.title, r.due_on, r.status) for r in rows
    ] == [
        (
            "inquiry",
            question,
            world.unit,
            world.office,
            "背街小巷保洁",
            date(2026, 12, 25),
            "assigned",
        ),
        (
            "inquiry",
            question,
            world.unit,
            world.office,
            "占道经营治理",
            date(2026, 11, 30),
            "assigned",
        ),
    ]
    assert [i.pk for i in items] == [r.pk for r in rows]
    event = mark.event()
    assert (event.summary, event.from_state, event.to_state, event.note) == (
        "列出整改清单 2 项",
        "held",
        "rectifying",
        "背街小巷保洁；占道经营治理",
    )
    assert mark.notified() == {"p_unit": ["新交办整改事项 2 项"]}
    more = Mark(inquiry)
    actions.list_commitments(
        acting_user=world.staff,
        inquiry=inquiry,
        entries=[(question, "渣土车管理", "严查抛洒", None)],
    )
    assert fresh(inquiry).status == "rectifying"
    event = more.event()
    assert (event.summary, event.from_state, event.to_state) == ("增加整改事项 1 项", "", "")
    assert inquiry.rectifications.count() == 3


def test_commitment_refusals(world):
    held = world.held()
    other = world.held()

    def commit(inquiry, entries):
        return lambda: actions.list_commitments(
            acting_user=world.staff, inquiry=inquiry, entries=entries
        )

    question = world.question(held)
    refused(held, commit(held, []), "请至少列出一项整改事项。")
    refused(
        held,
        commit(held, [(world.question(other), "事项", "要求", None)]),
        "所选问题不属于该专题询问。",
    )
    refused(held, commit(held, [(question, "", "要求", None)]), "请填写整改事项。")
    refused(
        held, commit(held, [(question, "事项", "要求", date(2026, 9, 1))]), "整改期限不能早于今天。"
    )
    preparing = world.with_question(answered=True)
    refused(
        preparing,
        commit(preparing, [(world.question(preparing), "事项", "要求", None)]),
        "当前状态为“筹备中”，不能列出整改清单。",
    )
    assert not Rectification.objects.exists()


# -- close_inquiry ------------------------------------------------------------------------------


def test_closing_waits_for_every_item_to_be_verified(world):
    inquiry = world.rectifying()

    def close():
        return actions.close_inquiry(
            acting_user=world.staff, inquiry=inquiry, result_statement="全部整改到位"
        )

    refused(inquiry, close, "以下整改事项尚未销号，不能办结：“背街小巷保洁”。")
    inquiry = world.verify_all(inquiry)
    refused(
        inquiry,
        lambda: actions.close_inquiry(
            acting_user=world.staff, inquiry=inquiry, result_statement=""
        ),
        "请填写办理结果。",
    )
    mark = Mark(inquiry)
    close()
    inquiry = fresh(inquiry)
    assert inquiry.status == "closed"
    event = mark.event()
    assert (event.summary, event.note, event.to_state) == (
        "整改事项全部销号，专题询问办结",
        "全部整改到位",
        "closed",
    )
    assert mark.notified() == {"p_leader": ["专题询问已办结：城市管理工作"]}
    refused(inquiry, close, "当前状态为“已办结”，不能办结。")


def test_closing_completes_the_plan_item_with_the_report(world, planning):
    item = planning.item(planning.approved())
    inquiry = world.verify_all(world.rectifying(plan_item=item))
    actions.close_inquiry(acting_user=world.staff, inquiry=inquiry, result_statement="整改到位")
    item = PlanItem.objects.get(pk=item.pk)
    assert (item.status, item.result_statement) == ("completed", "整改到位")
    evidence = Evidence.objects.get(item=item)
    assert (evidence.purpose, evidence.name) == ("result", "专题询问报告.docx")
    assert evidence.file.read(2) == b"PK"


def test_closing_leaves_a_finished_plan_item_alone(world, planning):
    item = planning.item(planning.approved())
    inquiry = world.verify_all(world.rectifying(plan_item=item))
    plan_actions.complete_item(
        acting_user=world.staff, item=item, result_statement="提前完成", evidence=[pdf()]
    )
    actions.close_inquiry(acting_user=world.staff, inquiry=inquiry, result_statement="整改到位")
    item = PlanItem.objects.get(pk=item.pk)
    assert item.result_statement == "提前完成"
    assert Evidence.objects.filter(item=item).count() == 1


# -- publish_inquiry ----------------------------------------------------------------------------


def test_a_leader_publishes_a_held_inquiry_once(world, supervision):
    preparing = world.preparing()
    refused(
        preparing,
        lambda: actions.publish_inquiry(acting_user=world.staff, inquiry=preparing),
        "当前状态为“筹备中”，不能公开。",
    )
    held = world.held()
    refused(
        held,
        lambda: actions.publish_inquiry(acting_user=supervision.p.unit, inquiry=held),
        "无权公开该专题询问。",
        NotAllowed,
    )
    mark = Mark(held)
    actions.publish_inquiry(acting_user=supervision.p.leader, inquiry=held)
    assert fresh(held).is_published
    assert mark.event().summary == "向社会公开询问情况"
    held = fresh(held)
    refused(
        held,
        lambda: actions.publish_inquiry(acting_user=world.staff, inquiry=held),
        "该专题询问已经公开。",
    )


# -- the office that runs it, and only it, acts -------------------------------------------------


@pytest.mark.parametrize("who", ["staff", "leader", "unit", "deputy", "street"])
def test_outsiders_act_on_nothing(world, supervision, who):
    user = getattr(supervision.p, who)
    held = world.held()
    question = world.question(held)
    calls = [
        lambda: actions.record_answer(
            acting_user=user, inquiry=held, question=question, answer="x"
        ),
        lambda: actions.record_question_vote(
            acting_user=user,
            inquiry=held,
            question=question,
            votes_satisfied=1,
            votes_basic=0,
            votes_unsatisfied=0,
        ),
        lambda: actions.list_commitments(
            acting_user=user, inquiry=held, entries=[(question, "事项", "要求", None)]
        ),
        lambda: actions.record_attendance(
            acting_user=user, inquiry=held, attendee=question.attendee, attended=True
        ),
    ]
    for call in calls:
        refused(held, call, RUNS_ONLY, NotAllowed)
