"""The report pages of plans: the year-end evaluation (page, .docx, .xlsx) and the Excel round-trip
of one plan (export, import).

Thin: parse, check, call one read (reports.py) or one write (imports.py), render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from renda.core import forms as core_forms
from renda.core.access import allow
from renda.core.downloads import download as _download
from renda.core.errors import NotAllowed
from renda.core.models import Office
from renda.core.numbers import ID, YEAR
from renda.plans import imports
from renda.plans.exports import (
    PLAN_NOTES,
    build_evaluation_docx,
    build_evaluation_xlsx,
    build_plan_xlsx,
)
from renda.plans.permissions import get_plan_for_user
from renda.plans.queries import HEALTH_LABELS
from renda.plans.reports import evaluation_report, evaluation_years, plan_sheet

ORGAN = ("admin", "leader", "staff")
WRITERS = ("admin", "staff")  # narrowed to the drafting or owner offices inside the view
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# ---------------------------------------------------------------------------------------------
# Year-end evaluation


def _chosen(request) -> tuple[int, Office | None, list[int], list[Office]]:
    """The year asked for (else the latest with a binding plan, else this year) and the office
    (none: the whole organ)."""
    years = evaluation_years()
    year = YEAR.parse(request.GET.get("year"))
    if year is None or not 2000 <= year <= 2100:
        year = years[0] if years else timezone.localdate().year
    if year not in years:
        years = sorted({*years, year}, reverse=True)
    offices = list(Office.objects.filter(is_active=True))
    office_id = ID.parse(request.GET.get("office"))
    office = next((o for o in offices if o.pk == office_id), None)
    return year, office, years, offices


def _report(request):
    year, office, years, offices = _chosen(request)
    report = evaluation_report(year=year, office=office, today=timezone.localdate())
    return report, years, offices


def _query(report, office: Office | None) -> str:
    return f"year={report.year}" + (f"&office={office.pk}" if office else "")


@allow(*ORGAN)
@require_GET
def evaluation(request):
    report, years, offices = _report(request)
    office = next((o for o in offices if o.name == report.office_name), None)
    # The rows are on the page anyway: counting them needs no query.
    health_counts = [
        (label, sum(1 for r in report.rows if r.health == key))
        for key, label in HEALTH_LABELS.items()
    ]
    context = {
        "report": report,
        "years": years,
        "offices": offices,
        "office": office,
        "query": _query(report, office),
        "health_counts": health_counts,
    }
    return render(request, "plans/evaluation.html", context)


@allow(*ORGAN)
@require_GET
def evaluation_docx(request):
    report, _, _ = _report(request)
    return _download(
        build_evaluation_docx(report),
        content_type=DOCX,
        filename=f"{report.title}-{report.generated_on:%Y%m%d}.docx",
    )


@allow(*ORGAN)
@require_GET
def evaluation_xlsx(request):
    report, _, _ = _report(request)
    return _download(
        build_evaluation_xlsx(report),
        content_type=XLSX,
        filename=f"{report.title}-{report.generated_on:%Y%m%d}.xlsx",
    )


# ---------------------------------------------------------------------------------------------
# Excel round-trip of one plan


@allow(*ORGAN)
@require_GET
def export_xlsx(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    return _download(
        build_plan_xlsx(plan_sheet(plan)),
        content_type=XLSX,
        filename=f"{plan.title}-{timezone.localdate():%Y%m%d}.xlsx",
    )


class ImportForm(core_forms.ImportForm):
    sheet = imports.SHEET
    file = core_forms.workbook_field(
        label="计划表（.xlsx）", help_text="请上传从本页“导出计划表”下载、填写后的文件。"
    )


def _done_message(result: imports.ImportResult) -> str:
    parts = [
        f"新增事项 {result.added} 项" if result.added else "",
        f"修改事项 {result.updated} 项" if result.updated else "",
        f"报告进展 {result.reported} 项" if result.reported else "",
    ]
    return "导入完成：" + "，".join(p for p in parts if p) + "。"


@allow(*WRITERS)
@require_http_methods(["GET", "POST"])
def import_plan(request, pk: int):
    plan = get_plan_for_user(request.user, pk)
    if not imports.can_import(request.user, plan):
        raise PermissionDenied("只有起草机构（计划起草中）或责任机构（计划审定后）可以导入该计划。")
    errors: list[imports.ImportProblem] = []
    bound = request.method == "POST"
    form = ImportForm(request.POST, request.FILES) if bound else ImportForm()
    if bound and form.is_valid():
        try:
            result = imports.import_plan(
                acting_user=request.user, plan=plan, data=form.cleaned_data["file"].read()
            )
        except NotAllowed as refused:  # the plan changed state since the check above
            raise PermissionDenied(refused.message) from refused
        if result.ok:
            messages.success(request, _done_message(result))
            return redirect(reverse("plans:detail", args=[plan.pk]))
        errors = result.errors
    context = {"plan": plan, "form": form, "errors": errors, "notes": PLAN_NOTES}
    return render(request, "plans/import.html", context)
