from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from renda.core.access import allow
from renda.core.exports import build_table_xlsx
from renda.deputies.models import LEVEL_RANK, Deputy, Level, OccupationCategory
from renda.deputies.permissions import get_deputy_for_user
from renda.deputies.presenters import ROSTER_HEADERS, ROSTER_WIDTHS, Disclosure, roster_row
from renda.deputies.queries import (
    SORTS,
    RosterFilters,
    groups_for_filter,
    roster,
    streets_for_filter,
)

ROSTER_ROLES = ("admin", "leader", "staff", "street")
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
    rows = [roster_row(d, disclosure) for d in roster(request.user, filters)[:EXPORT_LIMIT]]
    content = build_table_xlsx(
        title="代表名册", headers=ROSTER_HEADERS, rows=rows, widths=ROSTER_WIDTHS
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
    context = {
        "deputy": deputy,
        "phone": disclosure.phone_of(deputy),
        "id_number": disclosure.id_number_of(deputy),
        "mandates": mandates,
        "age": _age(deputy),
    }
    return render(request, "deputies/detail.html", context)


def _age(deputy: Deputy) -> int:
    today = timezone.localdate()
    born = deputy.birth_date
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@allow("deputy")
@require_GET
def my_record(request):
    deputy = Deputy.objects.filter(user=request.user).first()
    if deputy is None:
        return render(request, "deputies/no_record.html", status=404)
    return redirect("deputies:detail", pk=deputy.pk)
