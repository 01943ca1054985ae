from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from renda.core import action_pages as ap
from renda.core.access import allow
from renda.core.errors import DomainError
from renda.core.exports import build_table_xlsx
from renda.core.imports import IN_REQUEST_BYTES, stash_upload
from renda.core.jobs import start_job
from renda.core.models import TimelineEvent
from renda.deputies import actions, imports, tasks
from renda.deputies import forms as f
from renda.deputies.models import LEVEL_RANK, Deputy, Level, OccupationCategory
from renda.deputies.permissions import (
    deputy_actions,
    get_deputy_for_user,
    get_mandate_for_user,
    keeps_roster,
    mandate_actions,
)
from renda.deputies.presenters import (
    EXPORT_HEADERS,
    EXPORT_WIDTHS,
    Disclosure,
    export_rows,
    roster_row,
)
from renda.deputies.queries import (
    SORTS,
    RosterFilters,
    active_mandates_prefetch,
    groups_for_filter,
    roster,
    streets_for_filter,
)
from renda.deputies.queries_record import profile_of, record_summaries, this_year

ROSTER_ROLES = ("admin", "leader", "staff", "street")
KEEPERS = ("admin", "staff")  # narrowed to the deputy-affairs office by keeps_roster
PAGE_SIZE = 50
EXPORT_LIMIT = 5000


@allow(*ROSTER_ROLES)
@require_GET
def deputy_list(request):
    filters = RosterFilters.from_params(request.GET)
    page = Paginator(roster(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    disclosure = Disclosure.for_viewer(request.user)
    context = {
        "page": page,
        "rows": [(d, roster_row(d, disclosure)) for d in page.object_list],
        "filters": filters,
        "levels": Level.choices,
        "categories": OccupationCategory.choices,
        "streets": streets_for_filter(request.user),
        "groups": groups_for_filter(request.user),
        "sorts": SORTS,
        "query_string": request.GET.urlencode(),
        "keeps_roster": keeps_roster(request.user),
        "filter_query": _without_page(request.GET),
    }
    return render(request, "deputies/list.html", context)


def _without_page(params) -> str:
    params = params.copy()
    params.pop("page", None)
    return params.urlencode()


@allow(*ROSTER_ROLES)
@require_GET
def deputy_export(request):
    filters = RosterFilters.from_params(request.GET)
    disclosure = Disclosure.for_viewer(request.user)
    deputies = roster(request.user, filters)[:EXPORT_LIMIT]
    content = build_table_xlsx(
        title="代表名册",
        headers=EXPORT_HEADERS,
        rows=export_rows(deputies, disclosure),
        widths=EXPORT_WIDTHS,
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"deputies-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@allow(*ROSTER_ROLES, "deputy")
@require_GET
def deputy_detail(request, pk: int):
    deputy = get_deputy_for_user(request.user, pk)
    disclosure = Disclosure.for_viewer(request.user, deputy)
    # Current seats first (national to district), then ended ones: a deputy has only a few.
    mandates = sorted(
        deputy.mandates.select_related("street", "group"),
        key=lambda m: (m.ended_on is not None, LEVEL_RANK[m.level], -m.term_number),
    )
    user = request.user
    context = {
        "deputy": deputy,
        "phone": disclosure.phone_of(deputy),
        "id_number": disclosure.id_number_of(deputy),
        "mandates": [(m, _mandate_links(user, m)) for m in mandates],
        "age": _age(deputy),
        "actions": ap.shown_actions(
            DEPUTY, user, DEPUTY_PAGES, deputy_actions(user, deputy), {"deputy": deputy}
        ),
        "events": TimelineEvent.objects.for_object(deputy),
        # This year's record in figures (five queries, see queries_record.record_summaries).
        "record_summary": record_summaries([deputy.pk], this_year())[deputy.pk],
    }
    return render(request, "deputies/detail.html", context)


def _mandate_links(user, mandate) -> list[tuple[str, str]]:
    allowed = mandate_actions(user, mandate)
    return [
        (page.label, reverse(f"deputies:{page.name}", args=[mandate.pk]))
        for page in MANDATE_PAGES
        if page.name in allowed
    ]


def _age(deputy: Deputy) -> int:
    today = timezone.localdate()
    born = deputy.birth_date
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@allow("deputy")
@require_GET
def my_record(request):
    """A deputy's own page, phone first: this year's record in figures, the full record, the PDF."""
    deputy = (
        Deputy.objects.filter(user=request.user)
        .prefetch_related(active_mandates_prefetch())
        .first()
    )
    if deputy is None:
        return render(request, "deputies/no_record.html", status=404)
    year = this_year()
    context = {
        "deputy": deputy,
        "profile": profile_of(deputy, deputy.active_mandates),
        "summary": record_summaries([deputy.pk], year)[deputy.pk],
    }
    return render(request, "deputies/record/mine.html", context)


# ---------------------------------------------------------------------------------------------
# Keeping the roster: one page per action (core/action_pages.py does the GET form or refusal,
# the POST, the conflict and the action's own errors).


def _update_deputy(form) -> str:
    actions.update_deputy(
        acting_user=form.user, deputy=form.deputy, person=form.person(), version=form.version
    )
    return "代表信息已修改。"


def _add_mandate(form) -> str:
    mandate = actions.add_mandate(acting_user=form.user, deputy=form.deputy, seat=form.seat())
    return f"已增加代表资格：{actions.seat_label(mandate.level, mandate.term_number)}。"


def _update_mandate(form) -> str:
    mandate = actions.update_mandate(
        acting_user=form.user, mandate=form.mandate, seat=form.seat(), version=form.version
    )
    return f"代表资格已修改：{actions.seat_label(mandate.level, mandate.term_number)}。"


def _end_mandate(form) -> str:
    data = form.cleaned_data
    mandate = actions.end_mandate(
        acting_user=form.user,
        mandate=form.mandate,
        ended_on=data["ended_on"],
        reason=data["reason"],
        note=data.get("note", ""),
        version=form.version,
    )
    return f"已终止代表资格：{mandate}（{mandate.get_end_reason_display()}）。"


DEPUTY_PAGES = [
    ap.ActionPage(
        "update_deputy", "修改代表信息", KEEPERS, f.DeputyForm, _update_deputy, embed=False
    ),
    ap.ActionPage("add_mandate", "增加代表资格", KEEPERS, f.MandateForm, _add_mandate, embed=False),
]
MANDATE_PAGES = [
    ap.ActionPage(
        "update_mandate", "修改代表资格", KEEPERS, f.MandateForm, _update_mandate, embed=False
    ),
    ap.ActionPage(
        "end_mandate",
        "终止代表资格",
        KEEPERS,
        f.EndMandateForm,
        _end_mandate,
        button="btn-outline-danger",
        embed=False,
    ),
]


def _mandate_records(user, pk: int) -> dict:
    mandate = get_mandate_for_user(user, pk)
    return {"mandate": mandate, "deputy": mandate.deputy}


def _to_deputy(request, page, form):
    return redirect("deputies:detail", pk=form.deputy.pk)


DEPUTY = ap.RecordKind(
    namespace="deputies",
    template_dir="deputies",
    fetch=lambda user, pk: {"deputy": get_deputy_for_user(user, pk)},
    key="deputy",
    allowed=deputy_actions,
    detail_url="deputies:detail",
    refused_message="您不能进行“{label}”：代表名册由人事代表工作室维护。",
)
MANDATE = ap.RecordKind(
    namespace="deputies",
    template_dir="deputies",
    fetch=_mandate_records,
    key="mandate",
    allowed=mandate_actions,
    done=_to_deputy,
    refused_message="您当前不能进行“{label}”（代表名册由人事代表工作室维护；已终止的资格不能再修改）。",
)
DEPUTY_ACTION_VIEWS = ap.action_views(DEPUTY, DEPUTY_PAGES)
MANDATE_ACTION_VIEWS = ap.action_views(MANDATE, MANDATE_PAGES)

ADD_DEPUTY = ap.ActionPage("add_deputy", "新增代表", KEEPERS, f.AddDeputyForm, lambda form: "")


def _keeper_or_403(user) -> None:
    # Other offices' staff pass @allow("staff"); only the deputy-affairs office keeps the roster.
    if not keeps_roster(user):
        raise PermissionDenied("只有系统管理员和人事代表工作室可以维护代表名册。")


@allow(*KEEPERS)
@require_http_methods(["GET", "POST"])
def add_deputy(request):
    _keeper_or_403(request.user)
    if request.method == "GET":
        form = f.AddDeputyForm(user=request.user)
        return render(request, "deputies/action.html", {"page_action": ADD_DEPUTY, "form": form})
    form = f.AddDeputyForm(request.POST, user=request.user)
    status = 400
    if form.is_valid():
        try:
            deputy = actions.add_deputy(
                acting_user=request.user, person=form.person(), seat=form.seat()
            )
        except DomainError as error:
            ap.show_domain_error(form, error)
            status = error.status
        else:
            messages.success(request, f"已录入代表：{deputy.full_name}。")
            return redirect("deputies:detail", pk=deputy.pk)
    context = {"page_action": ADD_DEPUTY, "form": form}
    return render(request, "deputies/action.html", context, status=status)


@allow(*KEEPERS)
@require_http_methods(["GET", "POST"])
def import_roster(request):
    _keeper_or_403(request.user)
    errors: list[imports.ImportProblem] = []
    if request.method == "POST":
        form = f.ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > IN_REQUEST_BYTES:  # the worker imports it; the page follows
                job = start_job(
                    user=request.user,
                    kind=tasks.IMPORT_ROSTER,
                    title="导入代表名册",
                    params={"path": stash_upload(upload.read())},
                    back_url=reverse("deputies:list"),
                )
                return redirect("job", pk=job.pk)
            result = imports.import_roster(acting_user=request.user, data=upload.read())
            if result.ok:
                messages.success(request, tasks.imported(result))
                return redirect("deputies:list")
            errors = result.errors
    else:
        form = f.ImportForm()
    status = 400 if errors or form.errors else 200
    context = {"form": form, "errors": errors, "columns": imports.COLUMN_NOTES}
    return render(request, "deputies/import.html", context, status=status)
