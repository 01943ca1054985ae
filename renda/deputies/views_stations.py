"""Station pages: the list with its counts, a station's page (receptions ahead and past, the
receiving deputies, its opinions, its timeline and the allowed actions), the public reception
schedule, the voters' opinion list (filters, Excel export of exactly the filtered rows), an
opinion's page, a deputy's phone page for entering an opinion, and one URL per action."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from renda.core import action_pages as ap
from renda.core import clock
from renda.core.access import PUBLIC, allow
from renda.core.downloads import download
from renda.core.errors import DomainError
from renda.core.exports import build_table_xlsx
from renda.core.models import TimelineEvent
from renda.deputies import actions_stations as actions
from renda.deputies import forms_stations as f
from renda.deputies.queries_stations import (
    OpinionFilters,
    Status,
    get_opinion_for_user,
    get_station_for_user,
    is_overdue,
    may_add_station,
    opinion_actions,
    opinion_list,
    public_schedule,
    station_actions,
    station_counts,
    station_list,
    station_receptions,
    stations_for_filter,
    voter_address,
    voter_phone,
    voter_text,
)

VIEWERS = ("admin", "leader", "staff", "street")
KEEPERS = ("admin", "staff", "street")  # narrowed per station by keeps_station
ALL = ("admin", "leader", "staff", "street", "deputy", "unit")
PAGE_SIZE = 30
EXPORT_LIMIT = 5000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATES = "deputies/stations"


# ---------------------------------------------------------------------------------------------
# Stations


@allow(*VIEWERS)
@require_GET
def stations(request):
    page = Paginator(station_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "may_add": may_add_station(request.user),
        "filter_query": "",
    }
    return render(request, f"{TEMPLATES}/list.html", context)


@allow(*KEEPERS)
@require_http_methods(["GET", "POST"])
def add_station(request):
    if not may_add_station(request.user):
        return ap.refused(
            request, TEMPLATES, "只有系统管理员、代表工作机构和街道人大工委可以设立联络站。"
        )
    if request.method == "GET":
        form = f.StationCreateForm(user=request.user)
        return render(request, f"{TEMPLATES}/add.html", {"form": form})
    form = f.StationCreateForm(request.POST, user=request.user)
    status = 400
    if form.is_valid():
        try:
            station = actions.add_station(acting_user=request.user, values=form.values())
        except DomainError as error:
            ap.show_domain_error(form, error)
            status = error.status
        else:
            messages.success(request, f"已设立：{station.name}。")
            return redirect("deputies:station", pk=station.pk)
    return render(request, f"{TEMPLATES}/add.html", {"form": form}, status=status)


@allow(*VIEWERS)
@require_GET
def station_detail(request, pk: int):
    user = request.user
    station = get_station_for_user(user, pk)
    records = {"station": station}
    opinions = opinion_list(user, OpinionFilters(station=station.pk))
    context = {
        "station": station,
        "counts": station_counts(station),
        "upcoming": station_receptions(station, past=False),
        "past": station_receptions(station, past=True),
        "opinions": list(opinions[:20]),
        "opinion_total": opinions.count(),
        "actions": ap.shown_actions(
            STATION, user, STATION_PAGES, station_actions(user, station), records
        ),
        "events": TimelineEvent.objects.for_object(station),
        "today": clock.today(),
    }
    return render(request, f"{TEMPLATES}/detail.html", context)


@allow(PUBLIC)
@require_GET
def public_receptions(request):
    """代表接待选民安排: where and when, and who receives; nothing private."""
    return render(
        request,
        f"{TEMPLATES}/public.html",
        {"stations": public_schedule(), "today": clock.today()},
    )


# ---------------------------------------------------------------------------------------------
# Voters' opinions


def _filtered(request):
    filters = OpinionFilters.from_params(request.GET)
    return filters, opinion_list(request.user, filters)


@allow(*ALL)
@require_GET
def opinions(request):
    filters, rows = _filtered(request)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    today = clock.today()
    context = {
        "page": page,
        "rows": [(o, is_overdue(o, today)) for o in page.object_list],
        "filters": filters,
        "statuses": Status.choices,
        "stations": stations_for_filter(request.user),
        "filter_query": ap.without_page(request.GET),
        "may_enter": request.user.roles.has("deputy"),
    }
    return render(request, f"{TEMPLATES}/opinions.html", context)


EXPORT_HEADERS = [
    "接待日期",
    "联络站",
    "接待代表",
    "选民姓名",
    "联系电话",
    "住址",
    "事项",
    "意见内容",
    "状态",
    "转交单位",
    "答复期限",
    "是否逾期",
    "办理结果",
    "反馈方式",
    "反馈情况",
]
EXPORT_WIDTHS = [12, 18, 10, 10, 14, 24, 24, 50, 12, 20, 12, 8, 40, 8, 30]


def export_row(user, opinion, today) -> list:
    return [
        opinion.received_on.isoformat(),
        opinion.station.name,
        opinion.received_by.full_name if opinion.received_by else "",
        opinion.voter_name,
        voter_phone(user, opinion),
        voter_address(user, opinion),
        opinion.subject,
        voter_text(user, opinion, opinion.content),
        opinion.get_status_display(),
        opinion.unit.name if opinion.unit else "",
        opinion.unit_due_on.isoformat() if opinion.unit_due_on else "",
        "是" if is_overdue(opinion, today) else "",
        voter_text(user, opinion, opinion.result),
        opinion.feedback_method,
        voter_text(user, opinion, opinion.feedback_note),
    ]


@allow(*ALL)
@require_GET
def opinion_export(request):
    _, rows = _filtered(request)
    today = clock.today()
    content = build_table_xlsx(
        title="选民意见",
        headers=EXPORT_HEADERS,
        rows=[export_row(request.user, o, today) for o in rows[:EXPORT_LIMIT]],
        widths=EXPORT_WIDTHS,
    )
    return download(content, content_type=XLSX, filename=f"选民意见-{today:%Y%m%d}.xlsx")


@allow(*ALL)
@require_GET
def opinion_detail(request, pk: int):
    user = request.user
    opinion = get_opinion_for_user(user, pk)
    records = {"opinion": opinion}
    context = {
        "opinion": opinion,
        "voter_phone": voter_phone(user, opinion),
        "voter_address": voter_address(user, opinion),
        "content": voter_text(user, opinion, opinion.content),
        "result": voter_text(user, opinion, opinion.result),
        "feedback_note": voter_text(user, opinion, opinion.feedback_note),
        "overdue": is_overdue(opinion),
        # A unit sees the opinion forwarded to it, not the reception or the suggestion behind it.
        "links": user.roles.has(*VIEWERS, "deputy"),
        "actions": ap.shown_actions(
            OPINION, user, OPINION_PAGES, opinion_actions(user, opinion), records
        ),
        "events": _events(user, opinion),
    }
    return render(request, f"{TEMPLATES}/opinion.html", context)


def _events(user, opinion) -> list:
    """The opinion's timeline; its notes repeat the free text, masked as the fields are."""
    events = list(TimelineEvent.objects.for_object(opinion))
    for event in events:
        event.note = voter_text(user, opinion, event.note)
    return events


@allow("deputy")
@require_http_methods(["GET", "POST"])
def new_opinion(request):
    """A deputy's phone page: what a voter told them at a reception they were invited to."""
    if request.method == "GET":
        form = f.DeputyOpinionForm(user=request.user)
        return render(request, f"{TEMPLATES}/new_opinion.html", {"form": form})
    form = f.DeputyOpinionForm(request.POST, user=request.user)
    status = 400
    if form.is_valid():
        values = form.values()
        try:
            opinion = actions.record_opinion(
                acting_user=request.user, station=values.reception.station, values=values
            )
        except DomainError as error:
            ap.show_domain_error(form, error)
            status = error.status
        else:
            messages.success(request, f"已登记选民意见：{opinion.subject}。")
            for warning in form.warnings():
                messages.warning(request, warning)
            return redirect("deputies:opinion", pk=opinion.pk)
    return render(request, f"{TEMPLATES}/new_opinion.html", {"form": form}, status=status)


# ---------------------------------------------------------------------------------------------
# One page per action (core/action_pages.py does the GET form or refusal, the POST, the
# conflict and the action's own errors).


def _update(form) -> str:
    actions.update_station(
        acting_user=form.user, station=form.station, values=form.values(), version=form.version
    )
    return "联络站信息已修改。"


def _deactivate(form) -> str:
    actions.deactivate_station(acting_user=form.user, station=form.station, version=form.version)
    return "已停用。"


def _reactivate(form) -> str:
    actions.reactivate_station(acting_user=form.user, station=form.station, version=form.version)
    return "已重新启用。"


def _schedule(form) -> str:
    data = form.cleaned_data
    activity = actions.schedule_reception(
        acting_user=form.user,
        station=form.station,
        date=data["date"],
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        deputies=data["deputies"],
        topic=data["topic"],
        note=data["note"],
    )
    return f"已安排接待：{activity.date:%Y-%m-%d}，已邀请 {len(data['deputies'])} 位代表。"


def _record(form) -> str:
    opinion = actions.record_opinion(
        acting_user=form.user, station=form.station, values=form.values()
    )
    return f"已登记选民意见：{opinion.subject}。"


STATION_PAGES = [
    ap.ActionPage(
        "schedule_reception", "安排接待", KEEPERS, f.ScheduleForm, _schedule, embed=False
    ),
    ap.ActionPage("record_opinion", "登记选民意见", KEEPERS, f.OpinionForm, _record, embed=False),
    ap.ActionPage(
        "update_station", "修改联络站信息", KEEPERS, f.StationUpdateForm, _update, embed=False
    ),
    ap.ActionPage("reactivate_station", "重新启用", KEEPERS, f.VersionedConfirmForm, _reactivate),
    ap.ActionPage(
        "deactivate_station",
        "停用",
        KEEPERS,
        f.VersionedConfirmForm,
        _deactivate,
        button="btn-outline-danger",
        confirm="停用后不能再安排接待和登记意见，确定吗？",
    ),
]


def _to_suggestion(form) -> str:
    data = form.cleaned_data
    opinion = actions.forward_as_suggestion(
        acting_user=form.user,
        opinion=form.opinion,
        category=data["category"],
        title=data["title"],
        content=data["content"],
        timing=data["timing"],
        version=form.version,
    )
    return f"已转为{opinion.received_by.full_name}代表的建议草稿，待代表审阅提交。"


def _to_unit(form) -> str:
    data = form.cleaned_data
    actions.forward_to_unit(
        acting_user=form.user,
        opinion=form.opinion,
        unit=data["unit"],
        due_on=data["due_on"],
        note=data["note"],
        version=form.version,
    )
    return f"已转交{data['unit'].name}办理。"


def _answer(form) -> str:
    actions.answer_opinion(
        acting_user=form.user,
        opinion=form.opinion,
        result=form.cleaned_data["result"],
        version=form.version,
    )
    return "办理结果已记录。"


def _report(form) -> str:
    data = form.cleaned_data
    actions.report_back(
        acting_user=form.user,
        opinion=form.opinion,
        method=data["method"],
        note=data["note"],
        version=form.version,
    )
    return "已记录向选民反馈的情况。"


OPINION_PAGES = [
    ap.ActionPage(
        "forward_as_suggestion",
        "转为代表建议",
        ("admin", "staff", "deputy"),
        f.ForwardSuggestionForm,
        _to_suggestion,
    ),
    ap.ActionPage("forward_to_unit", "转交单位办理", KEEPERS, f.ForwardUnitForm, _to_unit),
    ap.ActionPage("answer_opinion", "记录办理结果", KEEPERS, f.AnswerForm, _answer),
    ap.ActionPage("unit_answer", "答复", ("unit",), f.AnswerForm, _answer),
    ap.ActionPage("report_back", "反馈选民", KEEPERS, f.ReportBackForm, _report),
]

STATION = ap.RecordKind(
    namespace="deputies",
    template_dir=TEMPLATES,
    fetch=lambda user, pk: {"station": get_station_for_user(user, pk)},
    key="station",
    allowed=station_actions,
    detail_url="deputies:station",
    refused_message="您当前不能进行“{label}”（只有联络站所在街道的人大工委和代表工作机构可以）。",
)
OPINION = ap.RecordKind(
    namespace="deputies",
    template_dir=TEMPLATES,
    fetch=lambda user, pk: {"opinion": get_opinion_for_user(user, pk)},
    key="opinion",
    allowed=opinion_actions,
    detail_url="deputies:opinion",
    refused_message="您当前不能进行“{label}”（要看您的身份和意见所处的阶段）。",
)
STATION_ACTION_VIEWS = ap.action_views(STATION, STATION_PAGES)
OPINION_ACTION_VIEWS = ap.action_views(OPINION, OPINION_PAGES)
