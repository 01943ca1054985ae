"""The pages of special inquiries: the list and arranging an inquiry, the inquiry page (attendees,
questions with answers, votes and rates, the rectification list, the timeline, the allowed
actions), one page per action, the report (.docx) and votes (.xlsx), and the public page of
published inquiries.

Thin: parse, fetch through the queries module, call one action, render. The action pages are
renda.core.action_pages; record_kind here describes inquiries and work reports alike."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from renda.core import action_pages as ap
from renda.core.access import PUBLIC, allow
from renda.core.downloads import download
from renda.core.errors import DomainError
from renda.core.exports import build_table_xlsx
from renda.core.models import Office, TimelineEvent
from renda.supervision import forms_inquiries as f
from renda.supervision import queries_inquiries as q
from renda.supervision.actions import common
from renda.supervision.actions import inquiries as actions
from renda.supervision.exports_inquiries import build_inquiry_report_docx, build_inquiry_votes_xlsx
from renda.supervision.models import InquiryStatus

READERS = ("admin", "leader", "staff", "unit", "deputy")
OFFICE = ("admin", "staff")  # the office that runs it; the actions narrow staff further
PUBLISHERS = ("admin", "leader", "staff")
PAGE_SIZE = 30
PUBLIC_PAGE_SIZE = 5
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# ---------------------------------------------------------------------------------------------
# The action pages (shared with the work reports)


def _initial_pk(request) -> dict:
    return {"initial_pk": q.positive_int(request.GET.get("pick"))}


def record_kind(*, detail_url: str, fetch, allowed, template_dir: str) -> ap.RecordKind:
    """Inquiries and work reports: forms and templates call the record "record", and ?pick=…
    preselects a row of the form."""
    return ap.RecordKind(
        namespace="supervision",
        template_dir=template_dir,
        fetch=lambda user, pk: {"record": fetch(user, pk)},
        key="record",
        allowed=allowed,
        detail_url=detail_url,
        get_kwargs=_initial_pk,
    )


# ---------------------------------------------------------------------------------------------
# The inquiry actions


def _kw(form) -> dict:
    return f.inquiry_kwargs(form)


def _data(form, name: str):
    return form.cleaned_data[name]


def _update_inquiry(form) -> str:
    actions.update_inquiry(
        **_kw(form),
        topic=_data(form, "topic"),
        background=_data(form, "background"),
        research=_data(form, "research"),
        meeting=_data(form, "meeting"),
    )
    return "询问方案已修改。"


def _add_attendee(form) -> str:
    row = actions.add_attendee(
        **_kw(form),
        unit=_data(form, "unit"),
        official=_data(form, "official"),
        official_title=_data(form, "official_title"),
    )
    return f"已确定应询人：{row.unit.name}{row.official}。"


def _remove_attendee(form) -> str:
    attendee = _data(form, "attendee")
    actions.remove_attendee(**_kw(form), attendee=attendee)
    return f"已删除应询人：{attendee.official}。"


def _record_attendance(form) -> str:
    row = actions.record_attendance(
        **_kw(form), attendee=_data(form, "attendee"), attended=_data(form, "attended")
    )
    return f"已登记{row.official}{'到会' if row.attended else '未到会'}。"


def _question_fields(form) -> dict:
    return {
        "asker_kind": _data(form, "asker_kind"),
        "asker_name": _data(form, "asker_name"),
        "asker_deputy": _data(form, "asker_deputy"),
        "attendee": _data(form, "attendee"),
    }


def _add_question(form) -> str:
    row = actions.add_question(
        **_kw(form), **_question_fields(form), question=_data(form, "question")
    )
    return f"已增加第 {row.position} 个问题。"


def _update_question(form) -> str:
    row = actions.update_question(
        **_kw(form),
        question=_data(form, "target"),
        **_question_fields(form),
        text=_data(form, "question"),
    )
    return f"第 {row.position} 个问题已修改。"


def _remove_question(form) -> str:
    question = _data(form, "target")
    actions.remove_question(**_kw(form), question=question)
    return f"已删除第 {question.position} 个问题。"


def _record_answer(form) -> str:
    row = actions.record_answer(
        **_kw(form), question=_data(form, "target"), answer=_data(form, "answer")
    )
    return f"已记录第 {row.position} 个问题的回答。"


def _hold_inquiry(form) -> str:
    actions.hold_inquiry(
        **_kw(form), held_on=_data(form, "held_on"), summary=_data(form, "summary")
    )
    return "询问情况已记录。"


def _record_question_vote(form) -> str:
    row = actions.record_question_vote(
        **_kw(form),
        question=_data(form, "target"),
        votes_satisfied=_data(form, "votes_satisfied"),
        votes_basic=_data(form, "votes_basic"),
        votes_unsatisfied=_data(form, "votes_unsatisfied"),
    )
    rate = q.rate_text(row.votes_satisfied, row.votes_basic, row.votes_unsatisfied)
    return f"第 {row.position} 个问题满意度测评已记录，满意率 {rate}。"


def _list_commitments(form) -> str:
    items = actions.list_commitments(**_kw(form), entries=_data(form, "entries"))
    return f"已交办整改事项 {len(items)} 项。"


def _close_inquiry(form) -> str:
    actions.close_inquiry(**_kw(form), result_statement=_data(form, "result_statement"))
    return "专题询问已办结。"


def _publish_inquiry(form) -> str:
    actions.publish_inquiry(**_kw(form))
    return "专题询问已向社会公开。"


ACTION_PAGES: list[ap.ActionPage] = [
    ap.ActionPage("update_inquiry", "修改询问方案", OFFICE, f.UpdateInquiryForm, _update_inquiry),
    ap.ActionPage("add_attendee", "增加应询人", OFFICE, f.AddAttendeeForm, _add_attendee),
    ap.ActionPage(
        "remove_attendee",
        "删除应询人",
        OFFICE,
        f.RemoveAttendeeForm,
        _remove_attendee,
        button="btn-outline-danger",
    ),
    ap.ActionPage("add_question", "增加问题", OFFICE, f.AddQuestionForm, _add_question),
    ap.ActionPage("update_question", "修改问题", OFFICE, f.UpdateQuestionForm, _update_question),
    ap.ActionPage(
        "remove_question",
        "删除问题",
        OFFICE,
        f.PickQuestionForm,
        _remove_question,
        button="btn-outline-danger",
        confirm="确定删除该问题吗？",
    ),
    ap.ActionPage("record_answer", "记录回答", OFFICE, f.AnswerForm, _record_answer),
    ap.ActionPage("record_attendance", "登记到会", OFFICE, f.AttendanceForm, _record_attendance),
    ap.ActionPage(
        "hold_inquiry", "记录询问情况", OFFICE, f.HoldForm, _hold_inquiry, button="btn-success"
    ),
    ap.ActionPage("record_question_vote", "满意度测评", OFFICE, f.VoteForm, _record_question_vote),
    ap.ActionPage("list_commitments", "列出整改清单", OFFICE, f.CommitmentsForm, _list_commitments),
    ap.ActionPage(
        "close_inquiry", "办结", OFFICE, f.CloseForm, _close_inquiry, button="btn-success"
    ),
    ap.ActionPage(
        "publish_inquiry",
        "向社会公开",
        PUBLISHERS,
        f.ConfirmForm,
        _publish_inquiry,
        button="btn-dark",
        confirm="公开后，问题、回答、测评结果和整改清单将在公开页面展示。确定公开吗？",
    ),
]

INQUIRY = record_kind(
    detail_url="supervision:inquiry",
    fetch=q.get_inquiry_for_user,
    allowed=q.inquiry_actions,
    template_dir="supervision/inquiries",
)
ACTION_VIEWS = ap.action_views(INQUIRY, ACTION_PAGES)


# ---------------------------------------------------------------------------------------------
# The list, arranging an inquiry, the inquiry page


@allow(*READERS)
@require_GET
def inquiry_list(request):
    filters = q.filters_from_params(request.GET)
    rows = q.inquiry_list(request.user, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = ap.without_page(request.GET)
    context = {
        "page": page,
        "filters": filters,
        "filter_query": query,
        "export_url": reverse("supervision:inquiries_export") + (f"?{query}" if query else ""),
        "years": q.inquiry_years(),
        "statuses": InquiryStatus.choices,
        "offices": Office.objects.filter(is_active=True),
        "can_create": request.user.roles.has(*OFFICE),
    }
    return render(request, "supervision/inquiries/list.html", context)


EXPORT_HEADERS = [
    "询问主题",
    "年度",
    "承办机构",
    "询问会议",
    "询问日期",
    "状态",
    "问题数",
    "整改事项数",
    "已销号",
]


def _export_row(inquiry) -> list:
    return [
        inquiry.topic,
        inquiry.year,
        inquiry.office.name,
        inquiry.meeting.title if inquiry.meeting_id else "未确定",
        inquiry.held_on,
        inquiry.get_status_display(),
        inquiry.question_count,
        inquiry.rectification_count,
        inquiry.verified_count,
    ]


@allow(*READERS)
@require_GET
def inquiry_list_export(request):
    """The list as it is filtered, in its order, as an Excel workbook."""
    rows = q.inquiry_list(request.user, q.filters_from_params(request.GET))
    data = build_table_xlsx(
        title="专题询问",
        headers=EXPORT_HEADERS,
        rows=[_export_row(row) for row in rows],
        widths=[36, 8, 18, 30, 12, 12, 8, 10, 8],
    )
    return download(data, content_type=XLSX, filename="专题询问.xlsx")


@allow(*OFFICE)
@require_http_methods(["GET", "POST"])
def inquiry_create(request):
    form = f.InquiryCreateForm(
        request.POST or None, user=request.user, initial={"year": common.today().year}
    )
    if request.method == "GET":
        return render(request, "supervision/inquiries/create.html", {"form": form})
    if not form.is_valid():
        return render(request, "supervision/inquiries/create.html", {"form": form}, status=400)
    try:
        inquiry = actions.create_inquiry(acting_user=request.user, **form.cleaned_data)
    except DomainError as error:
        ap.show_domain_error(form, error)
        context = {"form": form}
        return render(request, "supervision/inquiries/create.html", context, status=error.status)
    messages.success(request, "专题询问已安排，请确定应询人和询问问题。")
    return redirect("supervision:inquiry", pk=inquiry.pk)


@allow(*READERS)
@require_GET
def inquiry_detail(request, pk: int):
    user = request.user
    inquiry = q.get_inquiry_for_user(user, pk)
    questions = q.questions_of(inquiry)
    names = q.inquiry_actions(user, inquiry)
    context = {
        "inquiry": inquiry,
        "attendees": q.attendees_of(inquiry),
        "questions": questions,
        "rectifications": q.rectifications_of(inquiry),
        "events": TimelineEvent.objects.for_object(inquiry),
        "actions": ap.shown_actions(INQUIRY, user, ACTION_PAGES, names, {"record": inquiry}),
        "names": names,
    }
    return render(request, "supervision/inquiries/detail.html", context)


@allow(*READERS)
@require_GET
def inquiry_report_docx(request, pk: int):
    inquiry = q.get_inquiry_for_user(request.user, pk)
    return download(
        build_inquiry_report_docx(inquiry),
        content_type=DOCX,
        filename=f"{inquiry.topic}专题询问报告.docx",
    )


@allow(*READERS)
@require_GET
def inquiry_votes_xlsx(request, pk: int):
    inquiry = q.get_inquiry_for_user(request.user, pk)
    return download(
        build_inquiry_votes_xlsx(inquiry),
        content_type=XLSX,
        filename=f"{inquiry.topic}满意度测评.xlsx",
    )


# ---------------------------------------------------------------------------------------------
# The public page: published inquiries, their questions, answers, votes and rectification list


@allow(PUBLIC)
@require_GET
def public_inquiries(request):
    page = Paginator(q.public_inquiries(), PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    for inquiry in page.object_list:
        for question in inquiry.questions.all():
            question.rate_text = q.rate_text(
                question.votes_satisfied, question.votes_basic, question.votes_unsatisfied
            )
    context = {"page": page, "filter_query": ""}
    return render(request, "supervision/inquiries/public_list.html", context)
