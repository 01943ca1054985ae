"""Pages of review opinions (审议意见): the list (filters, paging, Excel), drafting an opinion
from a reviewed inspection or work report, the opinion page (source, body, deadline and its
basis, points with their rectification items, handling report, vote, timeline, the allowed
actions), one page per action, and the 审议意见书 as Word.

Thin: parse, fetch through queries_opinions, call one action, render. Every rule is in
actions/opinions.py; a refused action re-renders its form with the action's message."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from renda.core import action_pages as ap
from renda.core.access import allow
from renda.core.downloads import download
from renda.core.errors import DomainError
from renda.core.exports import build_table_xlsx
from renda.core.models import TimelineEvent, Unit
from renda.meetings.models import Meeting
from renda.supervision import forms_opinions as f
from renda.supervision import permissions as perms
from renda.supervision import queries_opinions as q
from renda.supervision.actions import opinions as actions
from renda.supervision.actions.common import satisfaction_rate
from renda.supervision.exports_opinions import build_opinion_docx, opinion_docx_filename
from renda.supervision.models import (
    Inspection,
    OpinionPoint,
    OpinionStatus,
    Rectification,
    ReviewOpinion,
    WorkReport,
)

READERS = ("admin", "leader", "staff", "unit")  # a unit: only the opinions issued to it
OFFICE = ("admin", "staff")  # the office that runs the source; the actions narrow staff further
ISSUERS = ("admin", "leader", "staff")
UNITS = ("unit",)
PAGE_SIZE = 30
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _today():
    return timezone.localdate()


def source_url(opinion: ReviewOpinion) -> str:
    if opinion.inspection_id:
        return reverse("supervision:inspection", args=[opinion.inspection_id])
    return reverse("supervision:work_report", args=[opinion.work_report_id])


def rate_text(opinion: ReviewOpinion) -> str:
    rate = satisfaction_rate(
        opinion.votes_satisfied, opinion.votes_basic, opinion.votes_unsatisfied
    )
    return "" if rate is None else actions.percent_text(rate)


# ---------------------------------------------------------------------------------------------
# The list


def _list_rows(request):
    filters = f.filters_from_params(request.GET)
    return filters, q.opinion_list(request.user, filters, today=_today())


def _unit_choices(user):
    if perms.is_organ(user):
        return Unit.objects.active()
    return Unit.objects.filter(pk__in=list(user.roles.unit_ids))


@allow(*READERS)
@require_GET
def opinion_list(request):
    filters, rows = _list_rows(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = _today()
    context = {
        "page": page,
        "rows": [(o, q.is_overdue(o, today)) for o in page.object_list],
        "filters": filters,
        "filter_query": ap.without_page(request.GET),
        "statuses": OpinionStatus.choices,
        "sources": list(q.SOURCE_KINDS.items()),
        "units": _unit_choices(request.user),
        "years": q.opinion_years(),
        "can_create": request.user.roles.has(*OFFICE),
    }
    return render(request, "supervision/opinions/list.html", context)


EXPORT_HEADERS = [
    "标题",
    "来源",
    "交办机关",
    "督办机构",
    "审议会议",
    "意见条数",
    "状态",
    "交办日期",
    "报告期限",
    "报告日期",
    "满意率",
    "办理轮次",
]


@allow(*READERS)
@require_GET
def opinion_export(request):
    """What the list shows (the same filters), as Excel."""
    _, rows = _list_rows(request)
    data = [
        [
            o.title,
            str(q.source_of(o)),
            o.unit.name,
            o.office.name,
            o.meeting.title,
            o.point_count,
            o.get_status_display(),
            o.issued_on,
            o.due_on,
            o.reported_on,
            rate_text(o),
            o.round,
        ]
        for o in rows
    ]
    body = build_table_xlsx(
        title="审议意见办理情况",
        headers=EXPORT_HEADERS,
        rows=data,
        widths=[40, 30, 20, 16, 30, 8, 12, 12, 12, 12, 8, 8],
    )
    return download(body, content_type=XLSX, filename="审议意见.xlsx")


# ---------------------------------------------------------------------------------------------
# Drafting an opinion


def _source_from(params) -> tuple[Inspection | None, WorkReport | None]:
    inspection_id = f.positive_int(params.get("inspection"))
    report_id = f.positive_int(params.get("work_report"))
    if inspection_id:
        inspection = Inspection.objects.select_related("office", "review_meeting").filter(
            pk=inspection_id
        )
        found = inspection.first()
        if found is None:
            raise Http404("未找到该执法检查。")
        return found, None
    if report_id:
        report = WorkReport.objects.select_related("office", "unit", "meeting").filter(pk=report_id)
        found = report.first()
        if found is None:
            raise Http404("未找到该专项工作报告。")
        return None, found
    return None, None


def _runs_filter(user, rows):
    return rows if user.roles.is_admin else rows.filter(office_id__in=list(user.roles.office_ids))


def _choose_source(request):
    """Without a source in the address: the reviewed reports the user's offices may draft on."""
    inspections = _runs_filter(
        request.user,
        Inspection.objects.filter(status__in=actions.INSPECTION_SOURCE_STATES).select_related(
            "office"
        ),
    ).order_by("-year", "-id")
    reports = _runs_filter(
        request.user,
        WorkReport.objects.filter(status__in=actions.WORK_REPORT_SOURCE_STATES).select_related(
            "office", "unit", "meeting"
        ),
    ).order_by("-year", "-id")
    context = {"inspections": inspections[:100], "reports": reports[:100]}
    return render(request, "supervision/opinions/choose_source.html", context)


def _create_context(form, rows, inspection, work_report) -> dict:
    return {
        "form": form,
        "rows": rows,
        "inspection": inspection,
        "work_report": work_report,
        "source": inspection or work_report,
        "units": Unit.objects.active(),
    }


def _initial(inspection, work_report, unit_id) -> dict:
    meeting = inspection.review_meeting if inspection else work_report.meeting
    return {
        "unit": unit_id,
        "meeting": meeting.pk if meeting and meeting.kind == Meeting.Kind.STANDING else None,
        "title": f.default_title(inspection, work_report),
    }


@allow(*OFFICE)
@require_http_methods(["GET", "POST"])
def opinion_create(request):
    inspection, work_report = _source_from(request.GET)
    if inspection is None and work_report is None:
        return _choose_source(request)
    template = "supervision/opinions/create.html"
    if request.method == "GET":
        unit_id = f.positive_int(request.GET.get("unit"))
        if unit_id is None and work_report is not None:
            unit_id = work_report.unit_id
        form = f.OpinionCreateForm(initial=_initial(inspection, work_report, unit_id))
        rows = f.point_rows(inspection=inspection, unit_id=unit_id)
        return render(request, template, _create_context(form, rows, inspection, work_report))
    form = f.OpinionCreateForm(request.POST)
    rows = f.point_rows(request.POST, inspection=inspection, unit_id=None)
    context = _create_context(form, rows, inspection, work_report)
    if not (form.is_valid() and rows.is_valid()):
        return render(request, template, context, status=400)
    try:
        opinion = actions.draft_opinion(
            acting_user=request.user,
            unit=form.cleaned_data["unit"],
            meeting=form.cleaned_data["meeting"],
            title=form.cleaned_data["title"],
            preamble=form.cleaned_data["preamble"],
            inspection=inspection,
            work_report=work_report,
            points=f.cleaned_points(rows),
        )
    except DomainError as error:
        ap.show_domain_error(form, error)
        return render(request, template, context, status=error.status)
    messages.success(request, "审议意见草稿已创建。")
    return redirect("supervision:opinion", pk=opinion.pk)


# ---------------------------------------------------------------------------------------------
# The actions: one page per action, the same forms embedded in the opinion page


@dataclass(frozen=True)
class ActionPage(ap.ActionPage):
    @property
    def url_name(self) -> str:  # the opinion page links each point's actions
        return f"supervision:{self.name}"


def _kw(form: f.ActionForm) -> dict:
    return {"acting_user": form.user, "version": form.version}


def _update_opinion(form) -> str:
    data = form.cleaned_data
    actions.update_opinion(
        **_kw(form), opinion=form.opinion, title=data["title"], preamble=data["preamble"]
    )
    return "审议意见已修改。"


def _add_point(form) -> str:
    point = actions.add_point(
        **_kw(form),
        opinion=form.opinion,
        text=form.cleaned_data["text"],
        problem=form.chosen_problem,
    )
    return f"已增加第 {point.position} 条意见。"


def _update_point(form) -> str:
    point = actions.update_point(
        **_kw(form), point=form.point, text=form.cleaned_data["text"], problem=form.chosen_problem
    )
    return f"第 {point.position} 条意见已修改。"


def _remove_point(form) -> str:
    actions.remove_point(**_kw(form), point=form.point)
    return f"已删除第 {form.point.position} 条意见。"


def _issue(form) -> str:
    opinion = actions.issue_opinion(**_kw(form), opinion=form.opinion)
    return f"审议意见已交办{opinion.unit.name}，{opinion.due_on} 前报告研究处理情况。"


def _report(form) -> str:
    actions.report_opinion_handling(
        **_kw(form), opinion=form.opinion, text=form.cleaned_data["text"]
    )
    return "研究处理情况已报告。"


def _vote(form) -> str:
    data = form.cleaned_data
    opinion = actions.record_opinion_vote(
        **_kw(form),
        opinion=form.opinion,
        meeting=data["meeting"],
        votes_satisfied=data["votes_satisfied"],
        votes_basic=data["votes_basic"],
        votes_unsatisfied=data["votes_unsatisfied"],
    )
    if opinion.status == OpinionStatus.CLOSED:
        return f"满意率 {rate_text(opinion)}，审议意见已办结。"
    return f"满意率 {rate_text(opinion)}，未达到要求，已转入跟踪督办。"


OPINION_PAGES: list[ActionPage] = [
    ActionPage(
        "issue_opinion",
        "交办审议意见",
        ISSUERS,
        f.ConfirmForm,
        _issue,
        button="btn-success",
        confirm="交办后将逐条生成整改事项并通知交办机关，确定交办吗？",
    ),
    ActionPage("report_opinion_handling", "报告研究处理情况", UNITS, f.HandlingReportForm, _report),
    ActionPage("record_opinion_vote", "录入满意度测评结果", OFFICE, f.VoteForm, _vote),
    ActionPage("add_opinion_point", "增加意见条目", OFFICE, f.PointForm, _add_point),
    ActionPage("update_opinion", "修改标题和总体意见", OFFICE, f.OpinionEditForm, _update_opinion),
]
POINT_PAGES: list[ActionPage] = [
    ActionPage("update_opinion_point", "修改意见条目", OFFICE, f.PointForm, _update_point),
    ActionPage(
        "remove_opinion_point",
        "删除意见条目",
        OFFICE,
        f.ConfirmForm,
        _remove_point,
        button="btn-outline-danger",
        confirm="确定删除该条意见吗？",
    ),
]


def _point_records(user, pk: int) -> dict:
    point = q.get_point_for_user(user, pk)
    return {"opinion": point.opinion, "point": point}


# The opinion's moves decide both; a point's page leads back to its opinion.
OPINION = ap.RecordKind(
    namespace="supervision",
    template_dir="supervision/opinions",
    fetch=lambda user, pk: {"opinion": q.get_opinion_for_user(user, pk), "point": None},
    key="opinion",
    allowed=q.opinion_actions,
    detail_url="supervision:opinion",
)
POINT = ap.RecordKind(
    namespace="supervision",
    template_dir="supervision/opinions",
    fetch=_point_records,
    key="opinion",
    allowed=q.opinion_actions,
    detail_url="supervision:opinion",
)
OPINION_ACTION_VIEWS = ap.action_views(OPINION, OPINION_PAGES)
POINT_ACTION_VIEWS = ap.action_views(POINT, POINT_PAGES)
ACTION_VIEWS = {**OPINION_ACTION_VIEWS, **POINT_ACTION_VIEWS}


# ---------------------------------------------------------------------------------------------
# The opinion page and its document


@dataclass(frozen=True)
class PointRow:
    point: OpinionPoint
    item: Rectification | None  # the rectification item issuing opened from the point


def _point_rows(opinion: ReviewOpinion) -> list[PointRow]:
    return [
        PointRow(point=point, item=getattr(point, "rectification", None))
        for point in q.opinion_points(opinion)
    ]


def _siblings(user, opinion: ReviewOpinion):
    """The committee's document on one report is the set of opinions with the same source."""
    rows = q.visible_opinions(user).exclude(pk=opinion.pk).select_related("unit")
    if opinion.inspection_id:
        return rows.filter(inspection_id=opinion.inspection_id)
    return rows.filter(work_report_id=opinion.work_report_id)


@allow(*READERS)
@require_GET
def opinion_detail(request, pk: int):
    user = request.user
    opinion = q.get_opinion_for_user(user, pk)
    points = _point_rows(opinion)
    names = q.opinion_actions(user, opinion, has_points=bool(points))
    context = {
        "opinion": opinion,
        "source": q.source_of(opinion),
        "source_kind": q.SOURCE_KINDS[q.source_kind(opinion)],
        "source_url": source_url(opinion),
        "points": points,
        "point_actions": [p for p in POINT_PAGES if p.name in names],
        "overdue": q.is_overdue(opinion, _today()),
        "rate": rate_text(opinion),
        "siblings": list(_siblings(user, opinion)),
        "events": TimelineEvent.objects.for_object(opinion),
        "actions": ap.shown_actions(OPINION, user, OPINION_PAGES, names, {"opinion": opinion}),
    }
    return render(request, "supervision/opinions/detail.html", context)


@allow(*READERS)
@require_GET
def opinion_docx(request, pk: int):
    opinion = q.get_opinion_for_user(request.user, pk)
    return download(
        build_opinion_docx(opinion), content_type=DOCX, filename=opinion_docx_filename(opinion)
    )
