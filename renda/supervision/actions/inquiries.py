"""Special inquiries (专题询问, 监督法 46–50): preparation (topic, research with deputies, the bodies
and officials who must attend, the questions), the inquiry at a standing-committee meeting with
every question answered, the per-question satisfaction vote, the rectification list drawn from
the answers, and closing once every item is verified (销号).

Every action locks the inquiry (its attendees and questions hang off it, so one lock orders every
write), checks that the user's office runs it, checks the state through INQUIRY_TRANSITIONS,
moves the version on and writes one event on the inquiry's timeline."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.urls import reverse

from renda.core.errors import DomainError, NotAllowed
from renda.core.models import Office, Unit, User
from renda.deputies.actions_linked import record_held_activity
from renda.deputies.models import ActivityKind, Deputy
from renda.meetings.models import Meeting
from renda.plans import actions as plan_actions
from renda.plans.models import PlanItem
from renda.supervision import permissions as perms
from renda.supervision.actions import common
from renda.supervision.actions.rectification import NewRectification, open_rectifications
from renda.supervision.exports_inquiries import build_inquiry_report_docx
from renda.supervision.models import (
    INQUIRY_TRANSITIONS,
    Inquiry,
    InquiryAttendee,
    InquiryQuestion,
    InquiryStatus,
    Rectification,
    RectificationStatus,
)
from renda.supervision.queries_inquiries import rate_text

WHAT = "专题询问"
# The states in which answers are still recorded (during preparation written answers may come in).
ANSWERING = (InquiryStatus.PREPARING, InquiryStatus.HELD)
ATTENDANCE = (InquiryStatus.PREPARING, InquiryStatus.HELD)
AFTER_HELD = (InquiryStatus.HELD, InquiryStatus.RECTIFYING, InquiryStatus.CLOSED)
COMMITTING = (InquiryStatus.HELD, InquiryStatus.RECTIFYING)


# ---------------------------------------------------------------------------------------------
# Shared checks


def _lock(inquiry: Inquiry | int, version: int | None = None) -> Inquiry:
    pk = inquiry.pk if isinstance(inquiry, Inquiry) else inquiry
    return common.lock(Inquiry, pk, version=version, what=WHAT)


def _office_name(office_id: int) -> str:
    return Office.objects.filter(pk=office_id).values_list("name", flat=True).first() or ""


def _running(user: User, inquiry: Inquiry) -> None:
    if not perms.runs(user, inquiry.office_id):
        raise NotAllowed(f"只有{_office_name(inquiry.office_id)}可以办理该专题询问。")


def _in(inquiry: Inquiry, states: Sequence[str], doing: str) -> None:
    if inquiry.status not in states:
        raise DomainError(
            "invalid_transition", f"当前状态为“{inquiry.get_status_display()}”，不能{doing}。"
        )


def _url(inquiry: Inquiry) -> str:
    return reverse("supervision:inquiry", args=[inquiry.pk])


def _standing_meeting(meeting: Meeting | None) -> Meeting | None:
    if meeting is not None and meeting.kind != Meeting.Kind.STANDING:
        raise DomainError(
            "invalid",
            "专题询问在常委会会议上进行，请选择常委会会议。",
            field_errors={"meeting": "应为常委会会议"},
        )
    return meeting


def _year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise DomainError("invalid", "年度不正确。", field_errors={"year": "年度不正确"})
    return year


def check_plan_item(item: PlanItem | None, office: Office) -> PlanItem | None:
    """A supervision record may carry out an item of a binding plan that is still open and that
    the same office owns (the item is then completed with the record's result)."""
    if item is None:
        return None
    item = PlanItem.objects.select_related("plan").get(pk=item.pk)
    if not item.plan.is_binding:
        raise DomainError(
            "invalid", "所选计划事项所在计划尚未审定。", field_errors={"plan_item": "计划未审定"}
        )
    if not item.is_open:
        raise DomainError(
            "invalid",
            f"所选计划事项当前为“{item.get_status_display()}”，不能再关联。",
            field_errors={"plan_item": "事项已结束"},
        )
    if item.owner_office_id != office.pk:
        raise DomainError(
            "invalid",
            f"所选计划事项的责任机构不是{office.name}。",
            field_errors={"plan_item": "不是本机构的事项"},
        )
    return item


def _attendee(inquiry: Inquiry, attendee: InquiryAttendee) -> InquiryAttendee:
    row = InquiryAttendee.objects.filter(pk=attendee.pk, inquiry=inquiry).first()
    if row is None:
        raise DomainError(
            "invalid", "所选应询人不属于该专题询问。", field_errors={"attendee": "不属于"}
        )
    return row


def _question(inquiry: Inquiry, question: InquiryQuestion) -> InquiryQuestion:
    row = (
        InquiryQuestion.objects.select_for_update(of=("self",))
        .select_related("attendee")
        .filter(pk=question.pk, inquiry=inquiry)
        .first()
    )
    if row is None:
        raise DomainError(
            "invalid", "所选问题不属于该专题询问。", field_errors={"question": "不属于"}
        )
    return row


def _touch(inquiry: Inquiry) -> None:
    """A change to an attendee or a question is a change to the inquiry: a form read before it
    is then refused as stale."""
    common.bump(inquiry)


# ---------------------------------------------------------------------------------------------
# Creating and preparing


@transaction.atomic
def create_inquiry(
    *,
    acting_user: User,
    topic: str,
    year: int,
    office: Office,
    plan_item: PlanItem | None = None,
    meeting: Meeting | None = None,
    background: str = "",
) -> Inquiry:
    common.require(perms.runs(acting_user, office.pk), "只能为本机构安排专题询问。")
    topic = common.required_text(topic, "topic", "询问主题")[:200]
    year = _year(year)
    meeting = _standing_meeting(meeting)
    plan_item = check_plan_item(plan_item, office)
    inquiry = Inquiry.objects.create(
        topic=topic,
        year=year,
        office=office,
        plan_item=plan_item,
        meeting=meeting,
        background=(background or "").strip(),
        created_by=acting_user,
        created_at=common.now(),
    )
    common.event(
        inquiry,
        actor=acting_user,
        verb="create",
        summary=f"安排专题询问：{topic}",
        to_state=inquiry.status,
    )
    if plan_item is not None:
        plan_actions.link_item(
            acting_user=acting_user, item=plan_item, target=inquiry, label=f"专题询问：{topic}"
        )
    return inquiry


@transaction.atomic
def update_inquiry(
    *,
    acting_user: User,
    inquiry: Inquiry,
    topic: str,
    background: str = "",
    research: str = "",
    meeting: Meeting | None = None,
    version: int | None = None,
) -> Inquiry:
    """The topic, its background, the preparatory research with deputies, and the meeting."""
    inquiry = _lock(inquiry, version)
    _running(acting_user, inquiry)
    _in(inquiry, (InquiryStatus.PREPARING,), "修改询问方案")
    inquiry.topic = common.required_text(topic, "topic", "询问主题")[:200]
    inquiry.background = (background or "").strip()
    inquiry.research = (research or "").strip()
    inquiry.meeting = _standing_meeting(meeting)
    common.bump(inquiry, "topic", "background", "research", "meeting")
    where = f"，安排在{inquiry.meeting.title}" if inquiry.meeting else ""
    common.event(inquiry, actor=acting_user, verb="edit", summary=f"修改询问方案{where}")
    return inquiry


# ---------------------------------------------------------------------------------------------
# The bodies that must attend (应询单位) and their officials


@transaction.atomic
def add_attendee(
    *,
    acting_user: User,
    inquiry: Inquiry,
    unit: Unit,
    official: str,
    official_title: str,
    version: int | None = None,
) -> InquiryAttendee:
    inquiry = _lock(inquiry, version)
    _running(acting_user, inquiry)
    _in(inquiry, (InquiryStatus.PREPARING,), "增加应询单位")
    official = common.required_text(official, "official", "应询人")[:50]
    official_title = common.required_text(official_title, "official_title", "应询人职务")[:100]
    if InquiryAttendee.objects.filter(inquiry=inquiry, unit=unit, official=official).exists():
        raise DomainError(
            "duplicate",
            f"{unit.name}{official}已在应询人名单中。",
            field_errors={"official": "已在名单中"},
        )
    attendee = InquiryAttendee.objects.create(
        inquiry=inquiry, unit=unit, official=official, official_title=official_title
    )
    _touch(inquiry)
    common.event(
        inquiry,
        actor=acting_user,
        verb="add_attendee",
        summary=f"确定应询人：{unit.name}{official_title}{official}",
    )
    common.notify(
        users=common.unit_users(unit.pk),
        title=f"请派员出席专题询问：{inquiry.topic}",
        body=f"应询人：{official_title}{official}",
        url=_url(inquiry),
        key=f"inquiry:{inquiry.pk}:attendee:{attendee.pk}",
    )
    return attendee


@transaction.atomic
def remove_attendee(
    *, acting_user: User, inquiry: Inquiry, attendee: InquiryAttendee, version: int | None = None
) -> None:
    inquiry = _lock(inquiry, version)
    _running(acting_user, inquiry)
    _in(inquiry, (InquiryStatus.PREPARING,), "删除应询单位")
    attendee = _attendee(inquiry, attendee)
    if attendee.questions.exists():
        raise DomainError(
            "in_use",
            f"已有问题向{attendee.unit.name}{attendee.official}提出，请先修改或删除这些问题。",
        )
    label = f"{attendee.unit.name}{attendee.official_title}{attendee.official}"
    attendee.delete()
    _touch(inquiry)
    common.event(inquiry, actor=acting_user, verb="remove_attendee", summary=f"删除应询人：{label}")


@transaction.atomic
def record_attendance(
    *,
    acting_user: User,
    inquiry: Inquiry,
    attendee: InquiryAttendee,
    attended: bool,
    version: int | None = None,
) -> InquiryAttendee:
    inquiry = _lock(inquiry, version)
    _running(acting_user, inquiry)
    _in(inquiry, ATTENDANCE, "登记到会情况")
    attendee = _attendee(inquiry, attendee)
    if not isinstance(attended, bool):
        raise DomainError("invalid", "请选择是否到会。", field_errors={"attended": "请选择"})
    attendee.attended = attended
    attendee.save(update_fields=["attended"])
    _touch(inquiry)
    word = "到会" if attended else "未到会"
    common.event(
        inquiry,
        actor=acting_user,
        verb="record_attendance",
        summary=f"{attendee.unit.name}{attendee.official}{word}",
    )
    return attendee


# ---------------------------------------------------------------------------------------------
# Questions and answers


def _asker(kind: str, name: str, deputy: Deputy | None) -> tuple[str, str, Deputy | None]:
    if kind not in InquiryQuestion.AskerKind.values:
        raise DomainError(
            "invalid",
            "请选择提问人类别（常委会组成人员或人大代表）。",
            field_errors={"asker_kind": "请选择"},
        )
    if deputy is not None:
        name = deputy.full_name
    name = common.required_text(name, "asker_name", "提问人")[:50]
    return kind, name, deputy


@transaction.atomic
def add_question(
    *,
    acting_user: User,
    inquiry: Inquiry,
    asker_kind: str,
    asker_name: str = "",
    asker_deputy: Deputy | None = None,
    attendee: InquiryAttendee,
    question: str,
    version: int | None = None,
) -> InquiryQuestion:
    inquiry = _lock(inquiry, version)
    _running(acting_user, inquiry)
    _in(inquiry, (InquiryStatus.PREPARING,), "增加问题")
    kind, name, deputy = _asker(asker_kind, asker_name, asker_deputy)
    attendee = _attendee(inquiry, attendee)
    text = common.required_text(question, "question", "问题")
    position = (inquiry.questions.aggregate(m=models.Max("position"))["m"] or 0) + 1
    row = InquiryQuestion.objects.create(
        inquiry=inquiry,
        position=position,
        asker_kind=kind,
        asker_name=name,
        asker_deputy=deputy,
        attendee=attendee,
        question=text,
    )
    _touch(inquiry)
    common.event(
        inquiry,
        actor=acting_user,
        verb="add_question",
        summary=f"增加第 {position} 个问题：{name}问{attendee.unit.name}{attendee.official}",
        note=text,
    )
    return row


@transaction.atomic
def update_question(
    *,
    acting_user: User,
    inquiry: Inquiry,
    question: InquiryQuestion,
    asker_kind: str,
    asker_name: str = "",
    asker_deputy: Deputy | None = None,
    attendee: InquiryAttendee,
    text: str,
    version: int | None = None,
) -> InquiryQuestion:
    inquiry = _lock(inquiry, version)
    _running(acting_user, inquiry)
    _in(inquiry, (InquiryStatus.PREPARING,), "修改问题")
    row = _question(inquiry, question)
    kind, name, deputy = _asker(asker_kind, asker_name, asker_deputy)
    row.attendee = _attendee(inquiry, attendee)
    row.asker_kind, row.asker_name, row.asker_deputy = kind, name, deputy
    row.question = common.required_text(text, "question", "问题")
    row.save(update_fields=["asker_kind", "asker_name", "asker_deputy", "attendee", "question"])
    _touch(inquiry)
    common.event(
        inquiry,
        actor=acting_user,
        verb="update_question",
        summary=f"修改第 {row.position} 个问题",
        note=row.question,
    )
    return row


@transaction.atomic
def remove_question(
    *, acting_user: User, inquiry: Inquiry, question: InquiryQuestion, version: int | None = None
) -> None:
    inquiry = _lock(inquiry, version)
    _running(acting_user, inquiry)
    _in(inquiry, (InquiryStatus.PREPARING,), "删除问题")
    row = _question(inquiry, question)
    position = row.position
    row.delete()
    _touch(inquiry)
    common.event(
        inquiry, actor=acting_user, verb="remove_question", summary=f"删除第 {position} 个问题"
    )


@transaction.atomic
def record_answer(
    *,
    acting_user: User,
    inquiry: Inquiry,
    question: InquiryQuestion,
    answer: str,
    version: int | None = None,
) -> InquiryQuestion:
    inquiry = _lock(inquiry, version)
    _running(acting_user, inquiry)
    _in(inquiry, ANSWERING, "记录回答")
    row = _question(inquiry, question)
    row.answer = common.required_text(answer, "answer", "回答")
    row.answered_at = common.now()
    row.save(update_fields=["answer", "answered_at"])
    _touch(inquiry)
    attendee = row.attendee
    common.event(
        inquiry,
        actor=acting_user,
        verb="record_answer",
        summary=f"记录第 {row.position} 个问题的回答（{attendee.unit.name}{attendee.official}）",
        note=row.answer,
    )
    return row


# ---------------------------------------------------------------------------------------------
# The inquiry itself and the satisfaction vote


@transaction.atomic
def hold_inquiry(
    *,
    acting_user: User,
    inquiry: Inquiry,
    held_on: date,
    summary: str,
    version: int | None = None,
) -> Inquiry:
    """Record that the inquiry took place: it needs its meeting, at least one question, and an
    answer to every question."""
    inquiry = _lock(inquiry, version)
    _running(acting_user, inquiry)
    before = common.move(inquiry, InquiryStatus.HELD, INQUIRY_TRANSITIONS, "记录询问情况")
    if inquiry.meeting_id is None:
        raise DomainError(
            "no_meeting", "请先确定询问会议（常委会会议）。", field_errors={"meeting": "未确定"}
        )
    unanswered = list(
        inquiry.questions.filter(answer="").order_by("position").values_list("position", flat=True)
    )
    if not inquiry.questions.exists():
        raise DomainError("no_questions", "还没有询问问题，不能记录询问情况。")
    if unanswered:
        numbers = "、".join(f"第 {n} 个" for n in unanswered)
        raise DomainError(
            "unanswered",
            f"以下问题尚未记录回答：{numbers}。",
            field_errors={"questions": "尚有问题未回答"},
        )
    if held_on is None or held_on > common.today():
        raise DomainError("invalid", "询问日期不能晚于今天。", field_errors={"held_on": "晚于今天"})
    inquiry.held_on = held_on
    inquiry.summary = common.required_text(summary, "summary", "询问情况")
    common.bump(inquiry, "status", "held_on", "summary")
    record_held_activity(
        acting_user=acting_user,
        kind=ActivityKind.INQUIRY,
        title=f"专题询问：{inquiry.topic}",
        day=held_on,
        place=inquiry.meeting.place or inquiry.meeting.title,
        office=inquiry.office,
        deputies=[q.asker_deputy for q in inquiry.questions.select_related("asker_deputy")],
        via_label="专题询问提问代表",
        inquiry=inquiry,
    )
    common.event(
        inquiry,
        actor=acting_user,
        verb="hold",
        summary=f"{held_on} 在{inquiry.meeting.title}上进行专题询问",
        note=inquiry.summary,
        from_state=before,
        to_state=inquiry.status,
    )
    return inquiry


@transaction.atomic
def record_question_vote(
    *,
    acting_user: User,
    inquiry: Inquiry,
    question: InquiryQuestion,
    votes_satisfied,
    votes_basic,
    votes_unsatisfied,
    version: int | None = None,
) -> InquiryQuestion:
    """The members present vote on each answer (满意、基本满意、不满意)."""
    inquiry = _lock(inquiry, version)
    _running(acting_user, inquiry)
    _in(inquiry, AFTER_HELD, "进行满意度测评")
    row = _question(inquiry, question)
    satisfied, basic, unsatisfied = common.parse_votes(
        votes_satisfied, votes_basic, votes_unsatisfied
    )
    row.votes_satisfied, row.votes_basic, row.votes_unsatisfied = satisfied, basic, unsatisfied
    row.voted_at = common.now()
    row.save(update_fields=["votes_satisfied", "votes_basic", "votes_unsatisfied", "voted_at"])
    _touch(inquiry)
    common.event(
        inquiry,
        actor=acting_user,
        verb="vote",
        summary=(
            f"第 {row.position} 个问题满意度测评：满意 {satisfied} 票、基本满意 {basic} 票、"
            f"不满意 {unsatisfied} 票，满意率 {rate_text(satisfied, basic, unsatisfied)}"
        ),
    )
    return row


# ---------------------------------------------------------------------------------------------
# The rectification list, closing, publishing


def _new_commitment(inquiry: Inquiry, question: InquiryQuestion, title, description, due_on):
    return NewRectification(
        source=Rectification.Source.INQUIRY,
        unit_id=question.attendee.unit_id,
        office_id=inquiry.office_id,
        title=title,
        description=description,
        question=question,
        inquiry=inquiry,
        due_on=due_on,
        due_basis="专题询问整改清单确定" if due_on else "",
    )


@transaction.atomic
def list_commitments(
    *,
    acting_user: User,
    inquiry: Inquiry,
    entries: Sequence[tuple[InquiryQuestion, str, str, date | None]],
    version: int | None = None,
) -> list[Rectification]:
    """The rectification list drawn from the answers: one item per entry (question, title,
    description, deadline or the default period), assigned to the body that answered. The first
    list starts the rectification; more items may be added while it runs."""
    inquiry = _lock(inquiry, version)
    _running(acting_user, inquiry)
    _in(inquiry, COMMITTING, "列出整改清单")
    if not entries:
        raise DomainError(
            "required", "请至少列出一项整改事项。", field_errors={"entries": "请填写"}
        )
    news = []
    for question, title, description, due_on in entries:
        row = _question(inquiry, question)
        news.append(_new_commitment(inquiry, row, title, description, due_on))
    items = open_rectifications(acting_user=acting_user, items=news)
    before = inquiry.status
    first = before == InquiryStatus.HELD
    if first:
        common.move(inquiry, InquiryStatus.RECTIFYING, INQUIRY_TRANSITIONS, "列出整改清单")
    common.bump(inquiry, "status")
    titles = "；".join(item.title for item in items)
    common.event(
        inquiry,
        actor=acting_user,
        verb="list_commitments",
        summary=f"{'列出整改清单' if first else '增加整改事项'} {len(items)} 项",
        note=titles,
        from_state=before if first else "",
        to_state=inquiry.status if first else "",
    )
    return items


def _open_items(inquiry: Inquiry) -> list[str]:
    return list(
        inquiry.rectifications.exclude(status=RectificationStatus.VERIFIED)
        .order_by("due_on", "id")
        .values_list("title", flat=True)
    )


def _linked_open_item(inquiry: Inquiry) -> PlanItem | None:
    if inquiry.plan_item_id is None:
        return None
    item = PlanItem.objects.filter(pk=inquiry.plan_item_id).first()
    if item is None or not item.is_open or item.owner_office_id != inquiry.office_id:
        return None
    return item


@transaction.atomic
def close_inquiry(
    *,
    acting_user: User,
    inquiry: Inquiry,
    result_statement: str,
    version: int | None = None,
) -> Inquiry:
    """Close once every item of the rectification list is verified; the plan item it carries
    out (if still open) is completed with the inquiry report as its evidence."""
    inquiry = _lock(inquiry, version)
    _running(acting_user, inquiry)
    before = common.move(inquiry, InquiryStatus.CLOSED, INQUIRY_TRANSITIONS, "办结")
    statement = common.required_text(result_statement, "result_statement", "办理结果")
    still_open = _open_items(inquiry)
    if still_open:
        names = "、".join(f"“{title}”" for title in still_open)
        raise DomainError(
            "rectification_open",
            f"以下整改事项尚未销号，不能办结：{names}。",
            field_errors={"rectifications": "尚未全部销号"},
        )
    common.bump(inquiry, "status")
    common.event(
        inquiry,
        actor=acting_user,
        verb="close",
        summary="整改事项全部销号，专题询问办结",
        note=statement,
        from_state=before,
        to_state=inquiry.status,
    )
    item = _linked_open_item(inquiry)
    if item is not None:
        report = ContentFile(build_inquiry_report_docx(inquiry), name="专题询问报告.docx")
        plan_actions.complete_item(
            acting_user=acting_user, item=item, result_statement=statement, evidence=[report]
        )
    common.notify(
        users=common.leaders(),
        title=f"专题询问已办结：{inquiry.topic}",
        body=statement,
        url=_url(inquiry),
        key=f"inquiry:{inquiry.pk}:closed",
    )
    return inquiry


@transaction.atomic
def publish_inquiry(*, acting_user: User, inquiry: Inquiry, version: int | None = None) -> Inquiry:
    """Publish the questions, answers, votes and the rectification list to the public page."""
    inquiry = _lock(inquiry, version)
    common.require(
        perms.runs(acting_user, inquiry.office_id) or perms.is_leader(acting_user),
        "无权公开该专题询问。",
    )
    _in(inquiry, AFTER_HELD, "公开")
    if inquiry.is_published:
        raise DomainError("already_published", "该专题询问已经公开。")
    inquiry.is_published = True
    common.bump(inquiry, "is_published")
    common.event(inquiry, actor=acting_user, verb="publish", summary="向社会公开询问情况")
    return inquiry
