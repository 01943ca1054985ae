"""Review-opinion actions: every move allowed and refused (a refused move changes nothing), the
timeline events, the notifications, the rectification items issuing opens with the opinion's
deadline, and the inspection moved on to "reviewed"."""

from datetime import date

import pytest

from renda.core.errors import ConflictError, NotAllowed
from renda.meetings.models import Meeting
from renda.supervision.actions import opinions as actions
from renda.supervision.models import (
    Inspection,
    InspectionStatus,
    OpinionStatus,
    Rectification,
    ReviewOpinion,
    WorkReportStatus,
)
from tests.plans.factories import Mark, at, refused
from tests.supervision.opinion_factories import (  # noqa: F401  (the fixtures)
    ISSUE_DAY,
    ISSUE_DUE,
    POINTS,
    VOTE_DAY,
    issue_day_fixture,
    make_inspection,
    make_problem,
    opinions_fixture,
)

pytestmark = pytest.mark.django_db
TITLE = "关于《中华人民共和国安全生产法》执法检查报告的审议意见"


def vote_meeting(number: int = 32, day: date = date(2026, 11, 19)) -> Meeting:
    return Meeting.objects.create(
        kind=Meeting.Kind.STANDING, term_number=18, number=number, date=day
    )


def counts() -> tuple[int, int]:
    return ReviewOpinion.objects.count(), Rectification.objects.count()


# -- drafting ----------------------------------------------------------------------------------


def test_office_drafts_an_opinion_on_an_inspection(opinions):
    o = opinions
    mark = Mark(o.inspection)
    opinion = o.draft()
    assert opinion.status == OpinionStatus.DRAFT and opinion.office == o.s.office
    assert opinion.inspection == o.inspection and opinion.work_report is None
    points = list(opinion.points.order_by("position"))
    assert [(p.position, p.text, p.problem) for p in points] == [
        (1, POINTS[0], o.problems[0]),
        (2, POINTS[1], o.problems[1]),
    ]
    event = mark.event(opinion)
    assert event.verb == "draft" and event.to_state == "draft"
    assert event.summary == "起草审议意见（交区住房和城乡建设局，2 条意见）"
    assert mark.notified() == {}
    assert Inspection.objects.get(pk=o.inspection.pk).status == InspectionStatus.REPORTED


def test_drafts_on_a_work_report_and_by_the_admin(opinions):
    o = opinions
    opinion = o.draft(unit=o.org.other_unit, source="work_report", acting_user=o.p.admin)
    assert opinion.work_report == o.work_report and opinion.inspection is None
    assert [p.problem for p in opinion.points.all()] == [None]
    o.work_report.status = WorkReportStatus.SENT_TO_MEMBERS
    o.work_report.save()
    assert o.draft(unit=o.org.unit, source="work_report").status == OpinionStatus.DRAFT


def test_an_opinion_may_be_drafted_without_points_and_on_a_reviewed_inspection(opinions):
    o = opinions
    o.inspection.status = InspectionStatus.REVIEWED
    o.inspection.save()
    opinion = o.draft(points=[])
    assert opinion.points.count() == 0


@pytest.mark.parametrize("who", ["staff", "leader", "unit"])
def test_only_the_office_running_the_source_drafts(opinions, who):
    o = opinions
    user = getattr(o.p, who)
    refused(
        o.inspection,
        lambda: o.draft(acting_user=user),
        "只有社会建设工作室可以起草该审议意见。",
        NotAllowed,
    )
    assert counts() == (0, 0)


def test_draft_refuses_a_source_not_yet_reviewed(opinions):
    o = opinions
    Inspection.objects.filter(pk=o.inspection.pk).update(status=InspectionStatus.INSPECTING)
    o.inspection.refresh_from_db()
    refused(
        o.inspection,
        o.draft,
        "执法检查当前为“检查中”，形成检查报告后才能起草审议意见。",
    )
    o.work_report.status = WorkReportStatus.REVISED_RECEIVED
    o.work_report.save()
    refused(
        o.work_report,
        lambda: o.draft(source="work_report"),
        "专项工作报告当前为“已收到修改稿”，送常委会组成人员审议后才能起草审议意见。",
    )
    assert counts() == (0, 0)


def test_draft_needs_exactly_one_source(opinions):
    o = opinions
    message = "请选择审议意见的来源：一项执法检查或一项专项工作报告（二者选一）。"
    error = refused(o.inspection, lambda: o.draft(work_report=o.work_report), message)
    assert error.field_errors == {"source": "请选择一个来源"}
    refused(o.inspection, lambda: o.draft(inspection=None), message)
    assert counts() == (0, 0)


def test_draft_refuses_bad_input(opinions):
    o = opinions
    director = o.s.director_meeting
    error = refused(
        o.inspection,
        lambda: o.draft(meeting=director),
        "审议意见由常委会会议审议形成，请选择常委会会议。",
    )
    assert error.field_errors == {"meeting": "应为常委会会议"}
    assert refused(o.inspection, lambda: o.draft(title=" "), "请填写标题。").field_errors == {
        "title": "请填写标题"
    }
    refused(o.inspection, lambda: o.draft(points=[("  ", None)]), "请填写意见内容。")
    o.org.unit.is_active = False
    o.org.unit.save()
    refused(o.inspection, o.draft, "区住房和城乡建设局已停用。")
    assert counts() == (0, 0)


def test_draft_refuses_a_problem_of_another_body_or_inspection(opinions):
    o = opinions
    other_body = o.problems[2]
    refused(
        o.inspection,
        lambda: o.draft(points=[("督促整改", other_body)]),
        "所选问题的责任主体不是该交办机关。",
    )
    elsewhere = make_inspection(o.s.office, o.staff, o.meeting, title="另一次执法检查")
    foreign = make_problem(elsewhere, o.org.unit, 1, "另一次检查发现的问题")
    refused(
        o.inspection, lambda: o.draft(points=[("督促整改", foreign)]), "所选问题不属于该执法检查。"
    )
    refused(
        o.work_report,
        lambda: o.draft(source="work_report", points=[("督促整改", o.problems[0])]),
        "专项工作报告的审议意见不能关联执法检查发现的问题。",
    )
    assert counts() == (0, 0)


def test_one_draft_per_source_and_body_at_a_time(opinions):
    o = opinions
    first = o.draft()
    error = refused(
        o.inspection, o.draft, "对区住房和城乡建设局已有一份起草中的审议意见，请在该草稿中修改。"
    )
    assert error.field_errors == {"unit": "已有草稿"}
    # Another body, or the same body on another source, is another opinion.
    assert o.draft(unit=o.org.other_unit).pk != first.pk
    assert o.draft(source="work_report").work_report == o.work_report
    actions.issue_opinion(acting_user=o.staff, opinion=first)
    assert o.draft().status == OpinionStatus.DRAFT


# -- points and the text while a draft ----------------------------------------------------------


def test_add_update_and_remove_points(opinions):
    o = opinions
    opinion = o.draft()
    mark = Mark(opinion)
    point = actions.add_point(
        acting_user=o.staff, opinion=opinion, text="加大执法力度。", version=opinion.version
    )
    assert point.position == 3 and point.problem is None
    assert mark.event().summary == "增加第 3 条意见"
    opinion.refresh_from_db()
    mark = Mark(opinion)
    first = opinion.points.get(position=1)
    actions.update_point(
        acting_user=o.staff,
        point=first,
        text="压实企业主体责任。",
        problem=o.problems[1],
        version=opinion.version,
    )
    first.refresh_from_db()
    assert (first.text, first.problem) == ("压实企业主体责任。", o.problems[1])
    assert mark.event().summary == "修改第 1 条意见"
    mark = Mark(opinion)
    second = opinion.points.get(position=2)
    actions.remove_point(acting_user=o.p.admin, point=second)
    assert list(opinion.points.order_by("position").values_list("position", "text")) == [
        (1, "压实企业主体责任。"),
        (2, "加大执法力度。"),
    ]
    assert mark.event().summary == "删除第 2 条意见"
    opinion.refresh_from_db()
    assert opinion.version == 4  # every change to a point moves the opinion's version on


def test_update_opinion_and_a_stale_form(opinions):
    o = opinions
    opinion = o.draft()
    mark = Mark(opinion)
    actions.update_opinion(
        acting_user=o.staff,
        opinion=opinion,
        title="关于安全生产法执法检查报告的审议意见",
        preamble="  总体平稳。 ",
        version=opinion.version,
    )
    opinion.refresh_from_db()
    assert (opinion.title, opinion.preamble, opinion.version) == (
        "关于安全生产法执法检查报告的审议意见",
        "总体平稳。",
        2,
    )
    assert mark.event().summary == "修改标题和总体意见"
    refused(
        opinion,
        lambda: actions.update_opinion(acting_user=o.staff, opinion=opinion, title="新", version=1),
        "该审议意见已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )
    refused(
        opinion,
        lambda: actions.update_opinion(acting_user=o.staff, opinion=opinion, title=""),
        "请填写标题。",
    )


def test_point_changes_refused(opinions):
    o = opinions
    opinion = o.draft()
    point = opinion.points.get(position=1)
    refused(
        opinion,
        lambda: actions.add_point(acting_user=o.p.staff, opinion=opinion, text="意见"),
        "只有社会建设工作室可以修改该审议意见。",
        NotAllowed,
    )
    refused(
        opinion,
        lambda: actions.update_point(
            acting_user=o.staff, point=point, text="意见", problem=o.problems[2]
        ),
        "所选问题的责任主体不是该交办机关。",
    )
    refused(
        opinion,
        lambda: actions.add_point(acting_user=o.staff, opinion=opinion, text=""),
        "请填写意见内容。",
    )
    refused(
        opinion,
        lambda: actions.remove_point(acting_user=o.staff, point=point, version=99),
        "该审议意见已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )
    assert opinion.points.count() == 2


def test_an_issued_opinion_is_no_longer_edited(opinions):
    o = opinions
    opinion = o.issued()
    point = opinion.points.first()
    message = "审议意见当前为“已交办”，已不能修改。"
    for call in (
        lambda: actions.update_opinion(acting_user=o.staff, opinion=opinion, title="新标题"),
        lambda: actions.add_point(acting_user=o.staff, opinion=opinion, text="新意见"),
        lambda: actions.update_point(acting_user=o.staff, point=point, text="改"),
        lambda: actions.remove_point(acting_user=o.staff, point=point),
    ):
        refused(opinion, call, message)
    assert opinion.points.count() == 2


# -- issuing -----------------------------------------------------------------------------------


def test_issue_opens_rectification_items_and_moves_the_inspection(opinions):
    o = opinions
    opinion = o.draft()
    mark = Mark(opinion)
    issued = actions.issue_opinion(acting_user=o.staff, opinion=opinion, version=opinion.version)
    issued.refresh_from_db()
    assert issued.status == OpinionStatus.ISSUED
    assert (issued.issued_on, issued.due_on) == (ISSUE_DAY, ISSUE_DUE)
    assert issued.due_basis == "交办日 2026-09-28 + 2 个月 = 2026-11-28，逢休息日顺延至 2026-11-30"
    event = mark.event()
    assert (event.verb, event.from_state, event.to_state, event.note) == (
        "issue",
        "draft",
        "issued",
        "",
    )
    assert event.summary == "交办区住房和城乡建设局，2026-11-30 前书面报告研究处理情况"
    items = list(Rectification.objects.order_by("id"))
    points = list(issued.points.order_by("position"))
    assert [(i.point, i.problem) for i in items] == [(p, p.problem) for p in points]
    for item in items:
        assert item.source == Rectification.Source.OPINION
        assert (item.opinion, item.inspection, item.unit, item.office) == (
            issued,
            o.inspection,
            o.org.unit,
            o.s.office,
        )
        assert (item.due_on, item.due_basis) == (ISSUE_DUE, issued.due_basis)
        assert item.description in POINTS
    assert items[0].title == "进一步压实安全生产责任"
    inspection = Inspection.objects.get(pk=o.inspection.pk)
    assert inspection.status == InspectionStatus.REVIEWED and inspection.version == 2
    inspection_event = mark.event(inspection)
    assert (inspection_event.from_state, inspection_event.to_state) == ("reported", "reviewed")
    assert inspection_event.summary == "常委会审议意见已交办（区住房和城乡建设局）"
    assert mark.notified() == {"p_unit": ["新交办整改事项 2 项", f"审议意见交办：{TITLE}"]}


def test_a_leader_issues_and_a_second_opinion_leaves_the_inspection_alone(opinions):
    o = opinions
    o.issued()
    other = o.draft(unit=o.org.other_unit, points=[("规范占道经营整治。", o.problems[2])])
    mark = Mark(o.inspection)
    actions.issue_opinion(acting_user=o.p.leader, opinion=other)
    assert ReviewOpinion.objects.get(pk=other.pk).status == OpinionStatus.ISSUED
    assert mark.events() == []  # already reviewed: nothing more happens to the inspection
    assert mark.notified() == {"p_unit2": ["新交办整改事项 1 项", f"审议意见交办：{TITLE}"]}


def test_issue_on_a_work_report_leaves_the_report_alone(opinions):
    o = opinions
    opinion = o.draft(unit=o.org.other_unit, source="work_report")
    actions.issue_opinion(acting_user=o.staff, opinion=opinion)
    item = Rectification.objects.get()
    assert (item.inspection, item.problem, item.opinion) == (None, None, opinion)
    assert o.work_report.__class__.objects.get(pk=o.work_report.pk).version == 1


def test_late_issue_is_allowed_and_noted(opinions, time_machine):
    o = opinions
    opinion = o.draft()
    time_machine.move_to(at(date(2026, 10, 9)), tick=False)
    mark = Mark(opinion)
    issued = actions.issue_opinion(acting_user=o.staff, opinion=opinion)
    assert issued.due_on == date(2026, 12, 9)
    assert mark.event().note == "（超过 7 日交办期限）"


def test_issue_refused(opinions, time_machine):
    o = opinions
    opinion = o.draft()
    for user, message in (
        (o.p.unit, "只有社会建设工作室或常委会领导可以交办审议意见。"),
        (o.p.staff, "只有社会建设工作室或常委会领导可以交办审议意见。"),
    ):
        refused(
            opinion,
            lambda u=user: actions.issue_opinion(acting_user=u, opinion=opinion),
            message,
            NotAllowed,
        )
    refused(
        opinion,
        lambda: actions.issue_opinion(acting_user=o.staff, opinion=opinion, version=7),
        "该审议意见已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )
    empty = o.draft(unit=o.org.other_unit, points=[])
    refused(
        empty,
        lambda: actions.issue_opinion(acting_user=o.staff, opinion=empty),
        "审议意见还没有意见条目，不能交办。",
    )
    time_machine.move_to(at(date(2026, 9, 20)), tick=False)
    refused(
        opinion,
        lambda: actions.issue_opinion(acting_user=o.staff, opinion=opinion),
        "第十八届人大常委会第30次会议（2026-09-24）尚未举行，不能交办审议意见。",
    )
    assert Rectification.objects.count() == 0
    assert Inspection.objects.get(pk=o.inspection.pk).status == InspectionStatus.REPORTED


def test_issue_twice_is_refused(opinions):
    o = opinions
    opinion = o.issued()
    refused(
        opinion,
        lambda: actions.issue_opinion(acting_user=o.staff, opinion=opinion),
        "当前状态为“已交办”，不能交办。",
    )
    assert Rectification.objects.count() == 2


# -- the handling report -----------------------------------------------------------------------


def test_the_body_reports_its_handling(opinions):
    o = opinions
    opinion = o.issued()
    mark = Mark(opinion)
    reported = actions.report_opinion_handling(
        acting_user=o.p.unit, opinion=opinion, text=" 已制定整改方案。 ", version=opinion.version
    )
    reported.refresh_from_db()
    assert reported.status == OpinionStatus.REPORTED
    assert (reported.handling_report, reported.reported_on) == ("已制定整改方案。", ISSUE_DAY)
    event = mark.event()
    assert (event.verb, event.from_state, event.to_state, event.note) == (
        "report",
        "issued",
        "reported",
        "",
    )
    assert event.summary == "区住房和城乡建设局报告研究处理情况"
    assert mark.notified() == {"p_social": [f"审议意见研究处理情况已报告：{TITLE}"]}


def test_a_late_report_is_noted(opinions, time_machine):
    o = opinions
    opinion = o.issued()
    time_machine.move_to(at(date(2026, 12, 3)), tick=False)
    mark = Mark(opinion)
    actions.report_opinion_handling(acting_user=o.p.unit, opinion=opinion, text="已整改。")
    assert mark.event().note == "超过办理期限（2026-11-30）3 日报告"


def test_report_refused(opinions):
    o = opinions
    draft = o.draft()
    refused(
        draft,
        lambda: actions.report_opinion_handling(acting_user=o.p.unit, opinion=draft, text="已办"),
        "当前状态为“起草中”，不能报告研究处理情况。",
    )
    actions.issue_opinion(acting_user=o.staff, opinion=draft)
    opinion = ReviewOpinion.objects.get(pk=draft.pk)
    message = "只有区住房和城乡建设局可以报告该审议意见的研究处理情况。"
    for user in (o.s.other_unit_user, o.staff, o.p.admin, o.p.leader):
        refused(
            opinion,
            lambda u=user: actions.report_opinion_handling(
                acting_user=u, opinion=opinion, text="已办"
            ),
            message,
            NotAllowed,
        )
    error = refused(
        opinion,
        lambda: actions.report_opinion_handling(acting_user=o.p.unit, opinion=opinion, text=" "),
        "请填写研究处理情况。",
    )
    assert error.field_errors == {"text": "请填写研究处理情况"}
    actions.report_opinion_handling(acting_user=o.p.unit, opinion=opinion, text="已办")
    opinion.refresh_from_db()
    refused(
        opinion,
        lambda: actions.report_opinion_handling(acting_user=o.p.unit, opinion=opinion, text="再报"),
        "当前状态为“已报告办理情况”，不能报告研究处理情况。",
    )


# -- the satisfaction vote ---------------------------------------------------------------------


@pytest.fixture
def voting(opinions, time_machine):
    """An opinion the body has reported on, and the meeting that votes on it, on VOTE_DAY."""
    opinion = opinions.reported()
    meeting = vote_meeting()
    time_machine.move_to(at(VOTE_DAY), tick=False)
    return opinions, ReviewOpinion.objects.get(pk=opinion.pk), meeting


def vote(o, opinion, meeting, counts, user=None, version=None):
    return actions.record_opinion_vote(
        acting_user=user or o.staff,
        opinion=opinion,
        meeting=meeting,
        votes_satisfied=counts[0],
        votes_basic=counts[1],
        votes_unsatisfied=counts[2],
        version=version,
    )


@pytest.mark.parametrize(("votes", "rate"), [((30, 5, 5), "87.5%"), ((5, 5, 10), "50%")])
def test_a_vote_of_at_least_half_closes_the_opinion(voting, votes, rate):
    o, opinion, meeting = voting
    mark = Mark(opinion)
    voted = vote(o, opinion, meeting, votes, version=opinion.version)
    voted.refresh_from_db()
    assert voted.status == OpinionStatus.CLOSED and voted.vote_meeting == meeting
    assert (voted.votes_satisfied, voted.votes_basic, voted.votes_unsatisfied) == votes
    assert (voted.round, voted.due_on) == (1, ISSUE_DUE)
    event = mark.event()
    assert (event.from_state, event.to_state, event.note) == ("reported", "closed", meeting.title)
    tally = f"满意 {votes[0]}、基本满意 {votes[1]}、不满意 {votes[2]}，满意率 {rate}"
    assert event.summary == f"满意度测评通过，办结（{tally}）"
    assert mark.notified() == {"p_unit": [f"审议意见已办结：{TITLE}"]}


def test_a_vote_below_half_sends_the_opinion_round_again(voting, time_machine):
    o, opinion, meeting = voting
    mark = Mark(opinion)
    voted = vote(o, opinion, meeting, (3, 2, 10))
    voted.refresh_from_db()
    assert (voted.status, voted.round) == (OpinionStatus.FOLLOW_UP, 2)
    assert voted.due_on == date(2027, 1, 20)
    assert voted.due_basis == (
        "跟踪督办日 2026-11-20 + 2 个月 = 2027-01-20（2027 年节假日安排未录入，暂按周末计算）"
    )
    event = mark.event()
    assert (event.from_state, event.to_state) == ("reported", "follow_up")
    assert event.summary == (
        "满意度测评未通过，跟踪督办（满意 3、基本满意 2、不满意 10，满意率 33.3%）；"
        "第 2 轮，2027-01-20 前再次报告研究处理情况"
    )
    assert mark.notified() == {"p_unit": [f"审议意见须继续办理：{TITLE}"]}
    # The body reports again; the next vote closes it.
    mark = Mark(voted)
    actions.report_opinion_handling(acting_user=o.p.unit, opinion=voted, text="已全部整改。")
    assert mark.event().summary == "区住房和城乡建设局报告研究处理情况（第 2 轮）"
    time_machine.move_to(at(date(2026, 12, 28)), tick=False)
    again = vote_meeting(33, date(2026, 12, 25))
    closed = vote(o, ReviewOpinion.objects.get(pk=voted.pk), again, (20, 10, 2))
    assert closed.status == OpinionStatus.CLOSED and closed.round == 2


def test_vote_refused_by_role_and_state(voting, opinions):
    o, opinion, meeting = voting
    message = "只有社会建设工作室可以录入满意度测评结果。"
    for user in (o.p.unit, o.p.leader, o.p.staff):
        refused(
            opinion,
            lambda u=user: vote(o, opinion, meeting, (1, 1, 1), user=u),
            message,
            NotAllowed,
        )
    issued = o.issued(unit=o.org.other_unit, points=[("规范占道经营整治。", o.problems[2])])
    refused(
        issued,
        lambda: vote(o, issued, meeting, (1, 1, 1)),
        "审议意见当前为“已交办”，不能录入满意度测评结果。",
    )
    refused(
        opinion,
        lambda: vote(o, opinion, meeting, (1, 1, 1), version=1),
        "该审议意见已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )


def test_vote_refused_for_bad_input(voting):
    o, opinion, meeting = voting
    director = o.s.director_meeting
    assert refused(
        opinion,
        lambda: vote(o, opinion, director, (1, 1, 1)),
        "审议意见由常委会会议审议形成，请选择常委会会议。",
    ).field_errors == {"meeting": "应为常委会会议"}
    future = vote_meeting(40, date(2026, 12, 20))
    refused(
        opinion,
        lambda: vote(o, opinion, future, (1, 1, 1)),
        "第十八届人大常委会第40次会议尚未举行。",
    )
    before_report = vote_meeting(31, date(2026, 9, 26))
    refused(
        opinion,
        lambda: vote(o, opinion, before_report, (1, 1, 1)),
        "测评会议应在报告研究处理情况之后举行。",
    )
    refused(opinion, lambda: vote(o, opinion, meeting, (0, 0, 0)), "请填写测评票数。")
    refused(opinion, lambda: vote(o, opinion, meeting, (-1, 2, 0)), "满意票应为不小于 0 的整数。")
    refused(
        opinion, lambda: vote(o, opinion, meeting, (1, True, 0)), "基本满意票应为不小于 0 的整数。"
    )
    assert ReviewOpinion.objects.get(pk=opinion.pk).status == OpinionStatus.REPORTED
