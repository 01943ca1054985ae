"""Points pages: the table of every current district deputy's points (with its Excel export),
one deputy's quarters, who needs a talk, and the published quarterly bulletins — public, showing
only names, groups, points and bands — with the page that publishes one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from renda.core import action_pages as ap
from renda.core import clock
from renda.core.access import PUBLIC, allow
from renda.core.downloads import download
from renda.core.errors import DomainError
from renda.core.exports import build_table_xlsx
from renda.core.models import TimelineEvent
from renda.deputies.actions_points import publish_bulletin as publish
from renda.deputies.models import PointBulletin, PointBulletinRow
from renda.deputies.permissions import get_deputy_for_user, keeps_roster
from renda.deputies.points import (
    BANDS,
    QUARTERS,
    SORTS,
    PointFilters,
    district_deputies,
    last_ended_quarter,
    needs_talk,
    point_rows,
    quarters_of,
    rules,
    with_group_names,
)
from renda.deputies.queries import groups_for_filter, streets_for_filter, visible_deputies

VIEWERS = ("admin", "leader", "staff", "street")
KEEPERS = ("admin", "staff")  # narrowed to the deputy-affairs office by the action
PAGE_SIZE = 50
BULLETIN_PAGE_SIZE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(request) -> PointFilters:
    return PointFilters.from_params(request.GET, clock.today())


def _years() -> list[int]:
    this = clock.today().year
    return list(range(this, this - 6, -1))


@allow(*VIEWERS)
@require_GET
def point_list(request):
    user = request.user
    filters = _filters(request)
    rows = point_rows(visible_deputies(user), filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "rules": rules(),
        "years": _years(),
        "quarters": QUARTERS,
        "bands": BANDS,
        "sorts": SORTS,
        "groups": groups_for_filter(user),
        "streets": streets_for_filter(user),
        "filter_query": ap.without_page(request.GET),
        "may_publish": keeps_roster(user),
    }
    return render(request, "deputies/points/list.html", context)


@allow(*VIEWERS)
@require_GET
def point_export(request):
    """Exactly the rows the table shows for these filters (all pages)."""
    filters = _filters(request)
    all_rules = rules()
    rows = point_rows(visible_deputies(request.user), filters)
    headers = [
        "姓名",
        "代表小组",
        "街道",
        *[r.label for r in all_rules],
        "本期积分",
        "年度累计积分",
        "等次",
    ]
    cells = [
        [
            row.name,
            row.group_name,
            row.street_name,
            *[row.points.lines[r.source].units for r in all_rules],
            float(row.points.period_points),
            float(row.points.year_points),
            row.points.band_label,
        ]
        for row in rows
    ]
    title = f"{filters.period_label}代表履职积分"
    content = build_table_xlsx(
        title=title,
        headers=headers,
        rows=cells,
        widths=[10, 18, 14, *[12] * len(all_rules), 10, 12, 8],
    )
    return download(content, content_type=XLSX, filename=f"{title}.xlsx")


@allow(*VIEWERS, "deputy")
@require_GET
def deputy_points(request, pk: int):
    deputy = get_deputy_for_user(request.user, pk)
    filters = _filters(request)
    quarters = quarters_of(deputy.pk, filters.year)
    all_rules = rules()
    lines = [(rule, [q.lines[rule.source] for q in quarters]) for rule in all_rules]
    published = (
        PointBulletinRow.objects.filter(deputy=deputy, bulletin__year=filters.year)
        .select_related("bulletin")
        .order_by("bulletin__quarter")
    )
    context = {
        "deputy": deputy,
        "year": filters.year,
        "years": _years(),
        "quarters": quarters,
        "lines": lines,
        "published": published,
    }
    return render(request, "deputies/points/deputy.html", context)


@allow(*VIEWERS)
@require_GET
def point_talks(request):
    filters = _filters(request)
    scope = visible_deputies(request.user).with_active_mandate(level="district")
    talks = needs_talk(filters.year, scope.values("pk"))
    names = {
        pk: (name, group or "")
        for pk, name, group in with_group_names(district_deputies())
        .filter(pk__in=scope.values("pk"))
        .values_list("pk", "full_name", "group_name")
    }
    rows = [(talk, *names[talk.deputy_id]) for talk in talks]
    rows.sort(key=lambda r: (not r[0].mandate_at_risk, r[0].year_points))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "year": filters.year,
        "years": _years(),
        "filter_query": ap.without_page(request.GET),
    }
    return render(request, "deputies/points/talks.html", context)


# ---------------------------------------------------------------------------------------------
# Bulletins: public


@allow(PUBLIC)
@require_GET
def bulletin_list(request):
    bulletins = PointBulletin.objects.annotate(row_count=Count("rows")).order_by(
        "-year", "-quarter"
    )
    page = Paginator(bulletins, PAGE_SIZE).get_page(request.GET.get("page"))
    user = request.user
    context = {
        "page": page,
        "may_publish": user.is_authenticated and keeps_roster(user),
        "filter_query": "",
    }
    return render(request, "deputies/points/bulletins.html", context)


@allow(PUBLIC)
@require_GET
def bulletin_detail(request, pk: int):
    bulletin = get_object_or_404(PointBulletin, pk=pk)
    rows = bulletin.rows.all()
    page = Paginator(rows, BULLETIN_PAGE_SIZE).get_page(request.GET.get("page"))
    user = request.user
    inside = user.is_authenticated and user.roles.has(*VIEWERS)
    context = {
        "bulletin": bulletin,
        "page": page,
        "bands": BANDS,
        "events": TimelineEvent.objects.for_object(bulletin) if inside else None,
        "filter_query": "",
    }
    return render(request, "deputies/points/bulletin.html", context)


class PublishForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label="季度", coerce=int, choices=[(q, f"第{q}季度") for q in QUARTERS]
    )
    note = forms.CharField(
        label="说明（可不填）",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name == "quarter" else "form-control"


PUBLISH_PAGE = ap.ActionPage("publish_bulletin", "发布季度积分通报", KEEPERS, PublishForm, str)


@allow(*KEEPERS)
@require_http_methods(["GET", "POST"])
def publish_bulletin(request):
    context = {"page_action": PUBLISH_PAGE}
    if not keeps_roster(request.user):
        message = "只有系统管理员和人事代表工作室可以发布积分通报。"
        return render(request, "deputies/refused.html", {"message": message}, status=403)
    if request.method == "GET":
        year, quarter = last_ended_quarter(clock.today())
        form = PublishForm(initial={"year": year, "quarter": quarter})
        return render(request, "deputies/points/publish.html", {**context, "form": form})
    form = PublishForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            bulletin = publish(
                acting_user=request.user,
                year=data["year"],
                quarter=data["quarter"],
                note=data["note"],
            )
        except DomainError as error:
            ap.show_domain_error(form, error)
            status = error.status
        else:
            messages.success(request, f"已发布{bulletin}。")
            return redirect("deputies:point_bulletin", pk=bulletin.pk)
    return render(request, "deputies/points/publish.html", {**context, "form": form}, status=status)
