"""Performance-record pages. The record of a year and its PDF archive (for the organ, the
deputy's street committee and the deputy themself: get_deputy_for_user decides, others get 404),
a deputy's own suggestions (phone first), and the public profiles anyone may read without
logging in (current district deputies, public facts and counts only)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from renda.core import action_pages as ap
from renda.core.access import PUBLIC, allow
from renda.deputies.archive import PARTS, archive_response
from renda.deputies.permissions import get_deputy_for_user
from renda.deputies.queries_activities import own_deputy
from renda.deputies.queries_record import (
    get_public_deputy,
    own_suggestions,
    parse_year,
    public_deputies,
    public_profile,
    record_of,
    record_summaries,
    record_years,
    this_year,
)

RECORD_ROLES = ("admin", "leader", "staff", "street", "deputy")
PUBLIC_PAGE_SIZE = 30
MINE_PAGE_SIZE = 20


@allow(*RECORD_ROLES)
@require_GET
def deputy_record(request, pk: int):
    deputy = get_deputy_for_user(request.user, pk)
    year = parse_year(request.GET.get("year")) or this_year()
    context = {
        "deputy": deputy,
        "record": record_of(deputy, year),
        "years": record_years(deputy),
        "parts": PARTS,
    }
    return render(request, "deputies/record/record.html", context)


@allow(*RECORD_ROLES)
@require_GET
def record_archive(request, pk: int, year: int):
    deputy = get_deputy_for_user(request.user, pk)
    if parse_year(year) is None:
        raise Http404("没有该年度的履职档案。")
    return archive_response(deputy, year)


@allow("deputy")
@require_GET
def my_suggestions(request):
    deputy = own_deputy(request.user)
    if deputy is None:
        return render(request, "deputies/no_record.html", status=404)
    rows = own_suggestions(request.user, deputy)
    page = Paginator(rows, MINE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"deputy": deputy, "page": page, "today": timezone.localdate(), "filter_query": ""}
    return render(request, "deputies/record/my_suggestions.html", context)


@allow(PUBLIC)
@require_GET
def public_list(request):
    q = (request.GET.get("q") or "").strip()[:50]
    page = Paginator(public_deputies(q), PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    year = this_year()
    deputies = list(page.object_list)
    summaries = record_summaries([d.pk for d in deputies], year)
    context = {
        "page": page,
        "rows": [(d, public_profile(d), summaries[d.pk]) for d in deputies],
        "q": q,
        "year": year,
        "filter_query": ap.without_page(request.GET),
    }
    return render(request, "deputies/record/public_list.html", context)


@allow(PUBLIC)
@require_GET
def public_detail(request, pk: int):
    deputy = get_public_deputy(pk)
    year = this_year()
    context = {
        "profile": public_profile(deputy),
        "summary": record_summaries([deputy.pk], year)[deputy.pk],
        "year": year,
    }
    return render(request, "deputies/record/public_profile.html", context)
