"""The rectification pages (整改): the list with its filters and Excel export, the item page with
its reports, proof, timeline and the moves the user may make now, one page per move (GET shows
its form, POST makes it), the evidence download, and the organ's dashboard.

Thin: parse, fetch through queries.get_rectification_for_user, call one action or read, render.
Every rule is in actions/rectification.py (and queries.rectification_actions, the same rules)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from renda.core import action_pages as ap
from renda.core.access import allow
from renda.core.downloads import download
from renda.core.exports import build_table_xlsx
from renda.core.models import TimelineEvent
from renda.supervision import forms_rectification as f
from renda.supervision import queries
from renda.supervision.actions import rectification as actions
from renda.supervision.models import (
    Rectification,
    RectificationEvidence,
    RectificationStatus,
    SupervisionRules,
)

READERS = ("admin", "leader", "staff", "unit")  # a unit is narrowed to its own items
ORGAN = ("admin", "leader", "staff")
UNIT = ("unit",)  # the body responsible; the action narrows to its own unit
OFFICE = ("admin", "staff")  # the supervising office; the action narrows staff to it
PAGE_SIZE = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _today():
    return timezone.localdate()


# ---------------------------------------------------------------------------------------------
# The list and its export


@allow(*READERS)
@require_GET
def rectification_list(request):
    today = _today()
    filters = queries.filters_from_params(request.GET)
    rows = queries.rectification_list(request.user, filters, today=today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = ap.without_page(request.GET)
    context = {
        "page": page,
        "filters": filters,
        "filter_query": query,
        "export_url": reverse("supervision:rectifications_export") + (f"?{query}" if query else ""),
        "today": today,
        "statuses": queries.STATUS_CHOICES,
        "sources": Rectification.Source.choices,
        "units": queries.unit_choices(request.user),
        "offices": queries.office_choices(),
        "is_organ": request.user.roles.has(*ORGAN),
    }
    return render(request, "supervision/rectification/list.html", context)


EXPORT_HEADERS = [
    "序号",
    "整改事项",
    "问题或要求",
    "来源",
    "来源记录",
    "整改责任单位",
    "督办机构",
    "整改期限",
    "期限依据",
    "状态",
    "是否逾期",
    "进度（%）",
    "整改措施",
    "整改结果",
    "退回次数",
]


def _export_row(n: int, item: Rectification, today) -> list:
    late = item.status in actions.WITH_THE_UNIT and item.due_on < today
    return [
        n,
        item.title,
        item.description,
        item.get_source_display(),
        queries.source_title(item),
        item.unit.name,
        item.office.name,
        item.due_on,
        item.due_basis,
        item.get_status_display(),
        "逾期" if late else "",
        item.progress,
        item.measures,
        item.result,
        item.rejection_count,
    ]


@allow(*READERS)
@require_GET
def rectification_export(request):
    """Exactly the rows the list shows with the same filters (every page), as .xlsx."""
    today = _today()
    filters = queries.filters_from_params(request.GET)
    rows = queries.rectification_list(request.user, filters, today=today)
    content = build_table_xlsx(
        title="整改事项清单",
        headers=EXPORT_HEADERS,
        rows=[_export_row(n, item, today) for n, item in enumerate(rows, start=1)],
        widths=[6, 30, 40, 16, 30, 20, 16, 12, 30, 10, 8, 8, 30, 30, 8],
    )
    filename = f"整改事项清单-{today:%Y%m%d}.xlsx"
    return download(content, content_type=XLSX, filename=filename)


# ---------------------------------------------------------------------------------------------
# The moves: one page per move, the same forms embedded in the item page


def _kw(form: f.ActionForm) -> dict:
    return {"acting_user": form.user, "item": form.item}


def _report(form) -> str:
    data = form.cleaned_data
    actions.report_rectification(
        **_kw(form),
        text=data["text"],
        percent=data["percent"],
        measures=data["measures"],
        evidence=data["evidence"],
        version=form.version,
    )
    return f"已报告整改进展：{data['percent']}%。"


def _submit(form) -> str:
    data = form.cleaned_data
    actions.submit_rectification(
        **_kw(form), result=data["result"], evidence=data["evidence"], version=form.version
    )
    return "已申请销号，等待督办机构审核。"


def _verify(form) -> str:
    actions.verify_rectification(**_kw(form), note=form.cleaned_data["note"], version=form.version)
    return "已销号。"


def _reject(form) -> str:
    actions.reject_rectification(
        **_kw(form), reason=form.cleaned_data["reason"], version=form.version
    )
    return "已退回整改责任单位继续整改。"


def _deadline(form) -> str:
    item = actions.change_rectification_deadline(
        **_kw(form),
        due_on=form.cleaned_data["due_on"],
        reason=form.cleaned_data["reason"],
        version=form.version,
    )
    return f"整改期限已调整为 {item.due_on}。"


def _evidence(form) -> str:
    rows = actions.add_rectification_evidence(**_kw(form), files=form.cleaned_data["files"])
    return f"已上传 {len(rows)} 个佐证材料。"


ACTION_PAGES: list[ap.ActionPage] = [
    ap.ActionPage("report_rectification", "报告整改进展", UNIT, f.ReportForm, _report),
    ap.ActionPage(
        "add_rectification_evidence",
        "上传整改佐证",
        UNIT,
        f.EvidenceForm,
        _evidence,
        button="btn-outline-primary",
    ),
    ap.ActionPage(
        "submit_rectification", "申请销号", UNIT, f.SubmitForm, _submit, button="btn-success"
    ),
    ap.ActionPage(
        "verify_rectification",
        "审核销号",
        OFFICE,
        f.VerifyForm,
        _verify,
        button="btn-success",
        confirm="确认该事项已整改到位，予以销号吗？",
    ),
    ap.ActionPage(
        "reject_rectification",
        "退回继续整改",
        OFFICE,
        f.RejectForm,
        _reject,
        button="btn-outline-danger",
    ),
    ap.ActionPage(
        "change_rectification_deadline",
        "调整整改期限",
        OFFICE,
        f.DeadlineForm,
        _deadline,
        button="btn-outline-warning",
    ),
]


RECTIFICATION = ap.RecordKind(
    namespace="supervision",
    template_dir="supervision/rectification",
    fetch=lambda user, pk: {"item": queries.get_rectification_for_user(user, pk)},
    key="item",
    allowed=queries.rectification_actions,
    detail_url="supervision:rectification",
)
ACTION_VIEWS = ap.action_views(RECTIFICATION, ACTION_PAGES)


# ---------------------------------------------------------------------------------------------
# The item page and its files


@allow(*READERS)
@require_GET
def rectification_detail(request, pk: int):
    user = request.user
    item = queries.get_rectification_for_user(user, pk)
    today = _today()
    reports = item.reports.select_related("reported_by").prefetch_related(
        Prefetch("evidence", queryset=RectificationEvidence.objects.order_by("id"))
    )
    context = {
        "item": item,
        "source_title": queries.source_title(item),
        "source_text": _source_text(item),
        "overdue": item.status in actions.WITH_THE_UNIT and item.due_on < today,
        "reports": reports,
        "loose_evidence": item.evidence.filter(report=None).select_related("uploaded_by"),
        "events": TimelineEvent.objects.for_object(item),
        "actions": ap.shown_actions(
            RECTIFICATION,
            user,
            ACTION_PAGES,
            queries.rectification_actions(user, item),
            {"item": item},
        ),
    }
    return render(request, "supervision/rectification/detail.html", context)


def _source_text(item: Rectification) -> str:
    """The point, problem or question the item was opened from."""
    if item.point_id:
        return item.point.text
    if item.problem_id:
        return item.problem.description
    if item.question_id:
        return item.question.question
    return ""


@allow(*READERS)
@require_GET
def evidence_download(request, pk: int):
    """A proof file, served only to those who may see its item."""
    evidence = RectificationEvidence.objects.filter(pk=pk).first()
    if evidence is None:
        raise Http404("未找到该佐证材料。")
    queries.get_rectification_for_user(request.user, evidence.rectification_id)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.name,
        content_type=evidence.content_type or "application/octet-stream",
    )


# ---------------------------------------------------------------------------------------------
# The dashboard


OVERDUE_SHOWN = 20


def _cell_params(key: str, today, soon_days: int) -> dict:
    """The list filters behind one dashboard number (the click-through)."""
    if key == "overdue":
        return {"overdue": 1}
    if key == "due_soon":
        soon = today + timedelta(days=soon_days)
        return {"status": "todo", "due_after": today, "due_before": soon}
    if key in ("open", "submitted", "verified"):
        return {"status": key}
    return {}


def _cells(row: dict, base: dict, today, soon_days: int) -> list[dict]:
    list_url = reverse("supervision:rectifications")
    cells = []
    for key in queries.COUNT_KEYS:
        params = {**base, **_cell_params(key, today, soon_days)}
        cells.append({"key": key, "count": row[key], "url": f"{list_url}?{urlencode(params)}"})
    return cells


@allow(*ORGAN)
@require_GET
def dashboard(request):
    today = _today()
    soon_days = SupervisionRules.current().remind_days_before
    data = queries.dashboard(today=today, soon_days=soon_days)
    by_unit = [
        {"label": r["unit__name"], "cells": _cells(r, {"unit": r["unit_id"]}, today, soon_days)}
        for r in data["by_unit"]
    ]
    by_source = [
        {"label": r["label"], "cells": _cells(r, {"source": r["source"]}, today, soon_days)}
        for r in data["by_source"]
    ]
    totals = {key: sum(r[key] for r in data["by_source"]) for key in queries.COUNT_KEYS}
    overdue = (
        Rectification.objects.filter(queries.overdue_q(today))
        .select_related("unit", "office")
        .order_by("due_on", "id")[:OVERDUE_SHOWN]
    )
    context = {
        "today": today,
        "soon_days": soon_days,
        "keys": [(key, queries.COUNT_LABELS[key]) for key in queries.COUNT_KEYS],
        "by_unit": by_unit,
        "by_source": by_source,
        "totals": _cells(totals, {}, today, soon_days),
        "overdue": overdue,
        "overdue_url": reverse("supervision:rectifications") + "?overdue=1",
        "statuses": dict(RectificationStatus.choices),
    }
    return render(request, "supervision/rectification/dashboard.html", context)
