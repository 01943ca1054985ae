"""The pages of work reports: the list and scheduling a report for a meeting, the report page
(the statutory checklist with dates and states, the link to draft review opinions, the
timeline, the allowed actions), and one page per action (renda.core.action_pages)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from renda.core import action_pages as ap
from renda.core.access import allow
from renda.core.errors import DomainError
from renda.core.exports import build_table_xlsx
from renda.core.models import Office, TimelineEvent, Unit
from renda.supervision import forms_work_reports as f
from renda.supervision import queries_work_reports as q
from renda.supervision.actions import common
from renda.supervision.actions import work_reports as actions
from renda.supervision.models import WorkReport, WorkReportStatus
from renda.supervision.views_inquiries import XLSX, download, record_kind

READERS = ("admin", "leader", "staff", "unit")
OFFICE = ("admin", "staff")  # the liaison office; the actions narrow staff further
PAGE_SIZE = 30


def _kw(form) -> dict:
    return {"acting_user": form.user, "report": form.record, "version": form.version}


def _step(action, label: str):
    def perform(form) -> str:
        report = action(**_kw(form), on=form.cleaned_data["on"])
        return f"已登记{label}（{report.get_status_display()}）。"

    return perform


def _reschedule(form) -> str:
    report = actions.reschedule_work_report(**_kw(form), meeting=form.cleaned_data["meeting"])
    return f"已改至{report.meeting.title}，法定日期已重新计算。"


ACTION_PAGES: list[ap.ActionPage] = [
    ap.ActionPage(
        "record_draft_received",
        "登记收到报告稿",
        OFFICE,
        f.StepForm,
        _step(actions.record_draft_received, "收到报告稿"),
    ),
    ap.ActionPage(
        "record_revised_received",
        "登记收到修改稿",
        OFFICE,
        f.StepForm,
        _step(actions.record_revised_received, "收到修改稿"),
    ),
    ap.ActionPage(
        "record_sent_to_members",
        "登记送组成人员",
        OFFICE,
        f.StepForm,
        _step(actions.record_sent_to_members, "送组成人员"),
    ),
    ap.ActionPage(
        "record_reviewed",
        "登记审议",
        OFFICE,
        f.StepForm,
        _step(actions.record_reviewed, "常委会会议审议"),
        button="btn-success",
    ),
    ap.ActionPage(
        "reschedule_work_report",
        "改期",
        OFFICE,
        f.RescheduleForm,
        _reschedule,
        button="btn-outline-warning",
    ),
]

WORK_REPORT = record_kind(
    detail_url="supervision:work_report",
    fetch=q.get_work_report_for_user,
    allowed=q.work_report_actions,
    template_dir="supervision/work_reports",
)
ACTION_VIEWS = ap.action_views(WORK_REPORT, ACTION_PAGES)


def _mark(report: WorkReport, today) -> WorkReport:
    """What a list row shows beyond the fields: the next step and whether it is overdue."""
    report.next_step = q.next_step_label(report)
    report.is_overdue = report.due_at is not None and report.due_at < today
    return report


@allow(*READERS)
@require_GET
def work_report_list(request):
    today = common.today()
    filters = q.filters_from_params(request.GET)
    rows = q.work_report_list(request.user, filters, today=today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for report in page.object_list:
        _mark(report, today)
    query = ap.without_page(request.GET)
    context = {
        "page": page,
        "filters": filters,
        "filter_query": query,
        "export_url": reverse("supervision:work_reports_export") + (f"?{query}" if query else ""),
        "years": q.work_report_years(),
        "statuses": WorkReportStatus.choices,
        "units": Unit.objects.filter(is_active=True),
        "offices": Office.objects.filter(is_active=True),
        "can_create": request.user.roles.has(*OFFICE),
    }
    return render(request, "supervision/work_reports/list.html", context)


EXPORT_HEADERS = [
    "报告名称",
    "年度",
    "报告机关",
    "联系机构",
    "审议会议",
    "会议日期",
    "报告稿应送日期",
    "报告稿收到日期",
    "修改稿应送日期",
    "修改稿收到日期",
    "送组成人员应送日期",
    "送组成人员日期",
    "审议日期",
    "状态",
    "下一环节",
    "下一节点期限",
    "是否逾期",
]


def _export_row(report: WorkReport) -> list:
    return [
        report.title,
        report.year,
        report.unit.name,
        report.office.name,
        report.meeting.title,
        report.meeting.date,
        report.draft_due_on,
        report.draft_received_on,
        report.revised_due_on,
        report.revised_received_on,
        report.members_due_on,
        report.sent_to_members_on,
        report.reviewed_on,
        report.get_status_display(),
        report.next_step,
        report.due_at,
        "逾期" if report.is_overdue else "",
    ]


@allow(*READERS)
@require_GET
def work_report_list_export(request):
    """The list as it is filtered, in its order, as an Excel workbook."""
    today = common.today()
    rows = q.work_report_list(request.user, q.filters_from_params(request.GET), today=today)
    data = build_table_xlsx(
        title="专项工作报告",
        headers=EXPORT_HEADERS,
        rows=[_export_row(_mark(row, today)) for row in rows],
        widths=[40, 8, 18, 18, 30] + [12] * 8 + [12, 20, 12, 8],
    )
    return download(data, content_type=XLSX, filename="专项工作报告.xlsx")


@allow(*OFFICE)
@require_http_methods(["GET", "POST"])
def work_report_create(request):
    form = f.WorkReportCreateForm(
        request.POST or None, user=request.user, initial={"year": common.today().year}
    )
    template = "supervision/work_reports/create.html"
    if request.method == "GET":
        return render(request, template, {"form": form})
    if not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    try:
        report = actions.schedule_work_report(acting_user=request.user, **form.cleaned_data)
    except DomainError as error:
        ap.show_domain_error(form, error)
        return render(request, template, {"form": form}, status=error.status)
    messages.success(request, "专项工作报告已列入会议议程，法定日期已计算。")
    return redirect("supervision:work_report", pk=report.pk)


@allow(*READERS)
@require_GET
def work_report_detail(request, pk: int):
    user = request.user
    report = q.get_work_report_for_user(user, pk)
    reviewed = report.status == WorkReportStatus.REVIEWED
    context = {
        "report": report,
        "checklist": q.checklist(report, today=common.today()),
        "next_step": q.next_step_label(report),
        "opinion_url": q.opinion_create_url(report)
        if reviewed and user.roles.has(*OFFICE)
        else None,
        "events": TimelineEvent.objects.for_object(report),
        "actions": ap.shown_actions(
            WORK_REPORT, user, ACTION_PAGES, q.work_report_actions(user, report), {"record": report}
        ),
    }
    return render(request, "supervision/work_reports/detail.html", context)
