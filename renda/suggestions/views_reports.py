"""The report pages of deputies' suggestions: a session's statistics with its .xlsx and the .docx
handling report, the public pages of published suggestions, and the Excel import.

Thin: parse, check, call one read (statistics.py) or one write (imports.py), render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from renda.core import forms as core_forms
from renda.core.access import PUBLIC, allow
from renda.core.downloads import download as _download
from renda.core.models import Congress
from renda.suggestions import imports
from renda.suggestions.exports import (
    build_handling_report_docx,
    build_statistics_xlsx,
    handling_report_title,
    session_label,
)
from renda.suggestions.models import Category
from renda.suggestions.permissions import handles_suggestions
from renda.suggestions.statistics import (
    chart_data,
    current_answers,
    published_sessions,
    published_suggestion,
    published_suggestions,
    session_statistics,
    statistics_sessions,
)

ORGAN = ("admin", "leader", "staff")
OFFICE = ("admin", "staff")  # narrowed to the deputy-affairs office inside the view
PUBLIC_PAGE_SIZE = 20
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _positive(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 1000 else None


def _parse_session(value: str | None) -> tuple[int, int] | None:
    """ "18-5" → (18, 5), as the suggestion list names a session."""
    term, _, session = (value or "").partition("-")
    term, session = _positive(term), _positive(session)
    return (term, session) if term and session else None


def _session_choices(pairs) -> list[tuple[str, str]]:
    return [(f"{t}-{s}", f"第{t}届{s}次会议") for t, s in pairs]


# ---------------------------------------------------------------------------------------------
# Statistics


def _chosen_session(request) -> tuple[tuple[int, int], list[tuple[int, int]]]:
    """The session asked for, else the latest with numbered suggestions, else the current one."""
    available = statistics_sessions()
    chosen = _parse_session(request.GET.get("session"))
    if chosen is None and available:
        chosen = available[0]
    if chosen is None:
        congress = Congress.current()
        chosen = (congress.term_number, congress.session_number) if congress else (1, 1)
    return chosen, available


def _statistics_for(request):
    (term, session), available = _chosen_session(request)
    stats = session_statistics(term_number=term, session_number=session, today=timezone.localdate())
    return stats, available


@allow(*ORGAN)
@require_GET
def statistics(request):
    stats, available = _statistics_for(request)
    session_value = f"{stats.term_number}-{stats.session_number}"
    if (stats.term_number, stats.session_number) not in available:
        available = [(stats.term_number, stats.session_number), *available]
    context = {
        "stats": stats,
        "title": f"{session_label(stats.term_number, stats.session_number)}代表建议办理情况",
        "session_value": session_value,
        "session_choices": _session_choices(available),
        "rates": [
            ("按期答复率", stats.on_time_rate, "按期答复件数 ÷（已答复件数 + 逾期未答复件数）"),
            (
                "满意率",
                stats.satisfaction_rate,
                "满意和基本满意件数 ÷ 已评价件数（以最近一次评价为准）",
            ),
            ("解决率（A）", stats.solved_rate, "已解决或基本解决件数 ÷ 已答复件数"),
            (
                "解决和列入计划率（A+B）",
                stats.solved_or_planned_rate,
                "已解决、正在解决或列入计划件数 ÷ 已答复件数",
            ),
        ],
        "overdue_units": [u for u in stats.units if u.overdue_open],
        "chart_data": chart_data(stats),
    }
    return render(request, "suggestions/statistics.html", context)


def _file_session(stats) -> str:
    return f"{stats.term_number}届{stats.session_number}次会议"


@allow(*ORGAN)
@require_GET
def statistics_xlsx(request):
    stats, _ = _statistics_for(request)
    return _download(
        build_statistics_xlsx(stats),
        content_type=XLSX,
        filename=f"代表建议统计-{_file_session(stats)}-{stats.generated_on:%Y%m%d}.xlsx",
    )


@allow(*ORGAN)
@require_GET
def handling_report(request):
    stats, _ = _statistics_for(request)
    return _download(
        build_handling_report_docx(stats),
        content_type=DOCX,
        filename=f"{handling_report_title(stats)}-{stats.generated_on:%Y%m%d}.docx",
    )


# ---------------------------------------------------------------------------------------------
# Public pages: published, non-confidential suggestions; no personal data beyond names


@allow(PUBLIC)
@require_GET
def public_list(request):
    session = _parse_session(request.GET.get("session"))
    category = _positive(request.GET.get("category"))
    keyword = (request.GET.get("q") or "").strip()[:50]
    rows = published_suggestions(session=session, category_id=category, keyword=keyword)
    page = Paginator(rows, PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "page": page,
        "session_value": f"{session[0]}-{session[1]}" if session else "",
        "session_choices": _session_choices(published_sessions()),
        "categories": Category.objects.filter(is_active=True),
        "category": category,
        "keyword": keyword,
        "filter_query": params.urlencode(),
    }
    return render(request, "suggestions/public_list.html", context)


@allow(PUBLIC)
@require_GET
def public_detail(request, term: int, session: int, number: int):
    suggestion = published_suggestion(term_number=term, session_number=session, number=number)
    if suggestion is None:
        raise Http404("该建议不存在或未公开。")
    context = {
        "suggestion": suggestion,
        "session": session_label(term, session),
        "answers": current_answers(suggestion),
    }
    return render(request, "suggestions/public_detail.html", context)


# ---------------------------------------------------------------------------------------------
# Excel import


class ImportForm(core_forms.ImportForm):
    sheet = imports.SHEET
    term_number = forms.IntegerField(
        label="届次",
        min_value=1,
        max_value=99,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    session_number = forms.IntegerField(
        label="次会议",
        min_value=1,
        max_value=99,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )


def _office_or_403(user) -> None:
    # Other offices' staff pass @allow("staff") but only the deputy-affairs office imports.
    if not handles_suggestions(user):
        raise PermissionDenied("只有代表工作机构可以导入建议。")


def _initial_session() -> dict:
    congress = Congress.current()
    if congress is None:
        return {}
    return {"term_number": congress.term_number, "session_number": congress.session_number}


@allow(*OFFICE)
@require_http_methods(["GET", "POST"])
def import_suggestions(request):
    _office_or_403(request.user)
    errors: list[imports.ImportProblem] = []
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            term = form.cleaned_data["term_number"]
            session = form.cleaned_data["session_number"]
            result = imports.import_suggestions(
                acting_user=request.user,
                data=form.cleaned_data["file"].read(),
                term_number=term,
                session_number=session,
            )
            if result.ok:
                messages.success(
                    request,
                    f"已导入 {len(result.created)} 件建议（第{term}届{session}次会议），"
                    f"其中 {result.assigned} 件已交办。",
                )
                return redirect(reverse("suggestions:list") + f"?session={term}-{session}")
            errors = result.errors
    else:
        form = ImportForm(initial=_initial_session())
    context = {"form": form, "errors": errors, "columns": imports.TEMPLATE_NOTES}
    return render(request, "suggestions/import.html", context)


@allow(*OFFICE)
@require_GET
def import_template(request):
    _office_or_403(request.user)
    return _download(
        imports.build_import_template(), content_type=XLSX, filename="代表建议导入模板.xlsx"
    )
