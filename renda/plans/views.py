"""The pages of plans (计划与落实): the list and creating a plan, the plan page with its item tree,
the item page with everything about the item, one page per action, the attention lists, the
leaders' dashboard with its click-through, and the public pages of published plans.

Thin: parse, fetch through permissions, call one action or query, render. Every rule is in
actions.py and permissions.py; a refused action re-renders its form with the action's message."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from renda.core import action_pages as ap
from renda.core.access import PUBLIC, allow
from renda.core.errors import DomainError
from renda.core.models import Office, TimelineEvent
from renda.plans import actions, presenters, queries
from renda.plans import forms as f
from renda.plans.imports import can_import
from renda.plans.models import (
    PUBLIC_KINDS,
    Evidence,
    ItemLink,
    Plan,
    PlanItem,
    PlanKind,
    PlanStatus,
)
from renda.plans.permissions import (
    get_item_for_user,
    get_plan_for_user,
    is_leader,
    item_actions,
    plan_actions,
)

ORGAN = ("admin", "leader", "staff")
OFFICE = ("admin", "staff")  # the drafting or owner office; the actions narrow staff further
LEADERS = ("admin", "leader")
PAGE_SIZE = 30


def _today():
    return timezone.localdate()


# ---------------------------------------------------------------------------------------------
# The list and creating a plan


def _plan_rows(user, filters: f.PlanFilters):
    return queries.plan_list(
        user,
        year=filters.year,
        kind=filters.kind,
        office_id=filters.office,
        status=filters.status,
    ).select_related("approved_meeting")


def _years() -> list[int]:
    return list(Plan.objects.values_list("year", flat=True).distinct().order_by("-year"))


@allow(*ORGAN)
@require_GET
def plan_list(request):
    filters = f.filters_from_params(request.GET)
    page = Paginator(_plan_rows(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "filters": filters,
        "filter_query": ap.without_page(request.GET),
        "years": _years(),
        "kinds": PlanKind.choices,
        "statuses": PlanStatus.choices,
        "offices": Office.objects.filter(is_active=True),
        "can_create": request.user.roles.has(*OFFICE),
    }
    return render(request, "plans/list.html", context)


@allow(*OFFICE)
@require_http_methods(["GET", "POST"])
def plan_create(request):
    form = f.PlanCreateForm(
        request.POST or None, user=request.user, initial={"year": _today().year}
    )
    if request.method == "GET":
        return render(request, "plans/create.html", {"form": form})
    if not form.is_valid():
        return render(request, "plans/create.html", {"form": form}, status=400)
    try:
        plan = actions.create_plan(acting_user=request.user, **form.cleaned_data)
    except DomainError as error:
        ap.show_domain_error(form, error)
        return render(request, "plans/create.html", {"form": form}, status=error.status)
    messages.success(request, "计划已创建，请逐项填写事项。")
    return redirect("plans:detail", pk=plan.pk)


# ---------------------------------------------------------------------------------------------
# The actions: one page per action, the same forms embedded in the plan and item pages


def _data(form: f.ActionForm, name: str):
    return form.cleaned_data[name]


def _plan_kw(form: f.ActionForm) -> dict:
    return {"acting_user": form.user, "plan": form.plan}


def _item_kw(form: f.ActionForm) -> dict:
    return {"acting_user": form.user, "item": form.item}


def _update_plan(form) -> str:
    actions.update_plan(
        **_plan_kw(form), title=_data(form, "title"), note=_data(form, "note"), version=form.version
    )
    return "计划已修改。"


def _add_item(form) -> str:
    item = actions.add_item(**_plan_kw(form), values=form.values(), parent=_data(form, "parent"))
    return f"已增加事项：{item.title}。"


def _submit_plan(form) -> str:
    actions.submit_plan(**_plan_kw(form), version=form.version)
    return "计划已提交主任会议审定。"


def _approve_plan(form) -> str:
    plan = actions.approve_plan(
        **_plan_kw(form),
        meeting=_data(form, "meeting"),
        party_committee_date=form.cleaned_data.get("party_committee_date"),
        party_committee_note=form.cleaned_data.get("party_committee_note") or "",
        version=form.version,
    )
    return f"计划已经{plan.approved_meeting.title}审定。"


def _return_plan(form) -> str:
    actions.return_plan(**_plan_kw(form), reason=_data(form, "reason"), version=form.version)
    return "计划已退回起草机构修改。"


def _publish_plan(form) -> str:
    plan = actions.publish_plan(**_plan_kw(form), version=form.version)
    return "计划已印发，并向社会公开。" if plan.is_public_kind else "计划已印发。"


def _update_item(form) -> str:
    actions.update_item(**_item_kw(form), values=form.values(), version=form.version)
    return "事项已修改。"


def _remove_item(form) -> str:
    actions.remove_item(**_item_kw(form))
    return f"已删除事项：{form.item.title}。"


def _add_milestone(form) -> str:
    m = actions.add_milestone(
        **_item_kw(form), title=_data(form, "title"), due_on=_data(form, "due_on")
    )
    return f"已设定节点：{m.title}（{m.due_on}）。"


def _complete_milestone(form) -> str:
    m = actions.complete_milestone(
        acting_user=form.user,
        milestone=_data(form, "milestone"),
        done_on=_data(form, "done_on"),
        note=_data(form, "note"),
    )
    return f"节点已完成：{m.title}。"


def _report_progress(form) -> str:
    actions.report_progress(
        **_item_kw(form),
        text=_data(form, "text"),
        percent=_data(form, "percent"),
        evidence=_data(form, "evidence"),
        version=form.version,
    )
    return f"已报告进展：{_data(form, 'percent')}%。"


def _complete_item(form) -> str:
    actions.complete_item(
        **_item_kw(form),
        result_statement=_data(form, "result_statement"),
        evidence=_data(form, "evidence"),
        version=form.version,
    )
    return "事项已完成。"


def _request_change(form) -> str:
    change = actions.request_change(
        **_item_kw(form),
        kind=_data(form, "kind"),
        reason=_data(form, "reason"),
        new_ends_on=_data(form, "new_ends_on"),
        new_expected_result=_data(form, "new_expected_result"),
        new_measure=_data(form, "new_measure"),
    )
    return f"{change.get_kind_display()}申请已提交领导审批。"


def _decide_change(form) -> str:
    change = form.pending()
    if change is None:
        raise DomainError("invalid_transition", "该事项没有待审批的变更申请。")
    approve = _data(form, "decision") == "approve"
    actions.decide_change(
        acting_user=form.user, change=change, approve=approve, note=_data(form, "note")
    )
    return "已同意变更申请。" if approve else "已不同意变更申请。"


def _self_assess(form) -> str:
    actions.self_assess(
        **_item_kw(form), text=_data(form, "text"), evidence=_data(form, "evidence")
    )
    return "年终自评已保存。"


def _grade_item(form) -> str:
    item = actions.grade_item(
        **_item_kw(form), grade=_data(form, "grade"), note=_data(form, "note")
    )
    return f"已评定为“{item.get_grade_display()}”。"


def _link_item(form) -> str:
    link = actions.link_item(
        **_item_kw(form), target=_data(form, "target"), label=_data(form, "label")
    )
    return f"已关联落实载体：{link.label}。"


PLAN_ACTION_PAGES: list[ap.ActionPage] = [
    ap.ActionPage("update_plan", "修改计划", OFFICE, f.PlanUpdateForm, _update_plan),
    ap.ActionPage("add_item", "增加事项", OFFICE, f.ItemForm, _add_item),
    ap.ActionPage(
        "submit_plan", "提交审定", OFFICE, f.VersionedConfirmForm, _submit_plan, "btn-success"
    ),
    ap.ActionPage("approve_plan", "审定计划", LEADERS, f.ApproveForm, _approve_plan, "btn-success"),
    ap.ActionPage(
        "return_plan", "退回修改", LEADERS, f.ReasonForm, _return_plan, "btn-outline-danger"
    ),
    ap.ActionPage(
        "publish_plan", "印发计划", ORGAN, f.VersionedConfirmForm, _publish_plan, "btn-dark"
    ),
]
ITEM_ACTION_PAGES: list[ap.ActionPage] = [
    ap.ActionPage("report_progress", "报告进展", OFFICE, f.ProgressForm, _report_progress),
    ap.ActionPage(
        "complete_milestone", "完成节点", OFFICE, f.CompleteMilestoneForm, _complete_milestone
    ),
    ap.ActionPage("add_milestone", "增加节点", OFFICE, f.MilestoneForm, _add_milestone),
    ap.ActionPage(
        "complete_item",
        "完成事项",
        OFFICE,
        f.CompleteItemForm,
        _complete_item,
        button="btn-success",
    ),
    ap.ActionPage(
        "request_change",
        "申请变更",
        OFFICE,
        f.ChangeRequestForm,
        _request_change,
        button="btn-outline-warning",
    ),
    ap.ActionPage("decide_change", "审批变更申请", LEADERS, f.DecideChangeForm, _decide_change),
    ap.ActionPage("self_assess", "年终自评", OFFICE, f.SelfAssessForm, _self_assess),
    ap.ActionPage(
        "grade_item", "评定等次", LEADERS, f.GradeForm, _grade_item, button="btn-success"
    ),
    ap.ActionPage(
        "link_item", "关联落实载体", OFFICE, f.LinkForm, _link_item, button="btn-outline-primary"
    ),
    ap.ActionPage("update_item", "修改事项", OFFICE, f.ItemForm, _update_item),
    ap.ActionPage(
        "remove_item",
        "删除事项",
        OFFICE,
        f.ConfirmForm,
        _remove_item,
        button="btn-outline-danger",
        confirm="确定删除该事项（连同下级事项和节点）吗？",
    ),
]


def _item_records(user, pk: int) -> dict:
    item = get_item_for_user(user, pk)
    return {"plan": item.plan, "item": item}


def _after_item_action(request, page: ap.ActionPage, form):
    if page.name == "remove_item":
        return redirect("plans:detail", pk=form.plan.pk)
    return redirect("plans:item", pk=form.item.pk)


PLAN = ap.RecordKind(
    namespace="plans",
    template_dir="plans",
    fetch=lambda user, pk: {"plan": get_plan_for_user(user, pk), "item": None},
    key="plan",
    allowed=plan_actions,
    detail_url="plans:detail",
)
ITEM = ap.RecordKind(
    namespace="plans",
    template_dir="plans",
    fetch=_item_records,
    key="item",
    allowed=item_actions,
    done=_after_item_action,
)
PLAN_ACTION_VIEWS = ap.action_views(PLAN, PLAN_ACTION_PAGES)
ITEM_ACTION_VIEWS = ap.action_views(ITEM, ITEM_ACTION_PAGES)


# ---------------------------------------------------------------------------------------------
# The plan page


@allow(*ORGAN)
@require_GET
def plan_detail(request, pk: int):
    user = request.user
    plan = get_plan_for_user(user, pk)
    items = list(plan.items.select_related("owner_office", "leader").order_by("position", "id"))
    health = presenters.health_by_item(plan, today=_today()) if plan.is_binding else {}
    rows = presenters.flatten(presenters.item_tree(items, health))
    context = {
        "plan": plan,
        "rows": rows,
        "events": TimelineEvent.objects.for_object(plan),
        "actions": ap.shown_actions(
            PLAN, user, PLAN_ACTION_PAGES, plan_actions(user, plan), {"plan": plan, "item": None}
        ),
        "unmeasurable": [i for i in items if not i.has_measurable_result or i.ends_on is None],
        "can_import": can_import(user, plan),
    }
    return render(request, "plans/detail.html", context)


# ---------------------------------------------------------------------------------------------
# The item page


def _evidence(item: PlanItem) -> dict[str, list[Evidence]]:
    groups: dict[str, list[Evidence]] = {"result": [], "assessment": [], "progress": []}
    for row in item.evidence.filter(report=None).order_by("id"):
        groups[row.purpose].append(row)
    return groups


@allow(*ORGAN)
@require_GET
def item_detail(request, pk: int):
    user = request.user
    item = get_item_for_user(user, pk)
    today = _today()
    names = item_actions(user, item)
    reports = item.reports.select_related("reported_by").prefetch_related(
        Prefetch("evidence", queryset=Evidence.objects.order_by("id"))
    )
    milestones = list(item.milestones.all())
    context = {
        "item": item,
        "plan": item.plan,
        "badge": presenters.health_badge(queries.item_health(item, today=today)),
        "milestones": [(m, m.is_overdue(today)) for m in milestones],
        "reports": reports,
        "changes": item.changes.select_related("requested_by", "decided_by"),
        "evidence": _evidence(item),
        "links": ItemLink.objects.filter(item=item).select_related("content_type"),
        "children": item.children.select_related("owner_office").order_by("position", "id"),
        "events": TimelineEvent.objects.for_object(item),
        "actions": ap.shown_actions(
            ITEM, user, ITEM_ACTION_PAGES, names, {"plan": item.plan, "item": item}
        ),
        "overdue": item.is_open and item.ends_on is not None and item.ends_on < today,
    }
    return render(request, "plans/item.html", context)


@allow(*ORGAN)
@require_GET
def evidence_download(request, pk: int):
    """An evidence file, served only to those who may see its plan."""
    evidence = Evidence.objects.filter(pk=pk).first()
    if evidence is None:
        raise Http404("未找到该佐证材料。")
    get_item_for_user(request.user, evidence.item_id)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.name,
        content_type=evidence.content_type or "application/octet-stream",
    )


# ---------------------------------------------------------------------------------------------
# Attention lists and the dashboard


ATTENTION_LISTS = {
    "overdue": "已逾期事项",
    "stale": "计划未落实（长期无进展）",
    "busy": "忙而无果（临近期限仍无成果）",
    "milestones": "逾期节点",
}


def _attention_scope(user) -> list[int] | None:
    """Leaders see every office's items; staff their own offices'."""
    return None if is_leader(user) else sorted(user.roles.office_ids)


def _attention_rows(key: str, *, today, office_ids):
    if key == "milestones":
        return queries.overdue_milestones(today=today, office_ids=office_ids)
    return queries.attention(key, today=today, office_ids=office_ids)


@allow(*ORGAN)
@require_GET
def attention(request):
    today = _today()
    key = request.GET.get("list", "overdue")
    key = key if key in ATTENTION_LISTS else "overdue"
    office_ids = _attention_scope(request.user)
    page = Paginator(_attention_rows(key, today=today, office_ids=office_ids), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "key": key,
        "lists": ATTENTION_LISTS,
        "title": ATTENTION_LISTS[key],
        "page": page,
        "today": today,
        "filter_query": ap.without_page(request.GET),
        "whole_organ": office_ids is None,
    }
    return render(request, "plans/attention.html", context)


def _year(params, years: list[int]) -> int:
    year = f.positive_int(params.get("year"))
    if year and 2000 <= year <= 2100:
        return year
    return _today().year


@allow(*ORGAN)
@require_GET
def dashboard(request):
    today = _today()
    years = _years()
    year = _year(request.GET, years)
    kinds = dict(PlanKind.choices)
    by_office = presenters.dashboard_rows(
        queries.dashboard(year=year, today=today, group_by="office"),
        group_by="office",
        kinds=kinds,
    )
    by_kind = presenters.dashboard_rows(
        queries.dashboard(year=year, today=today, group_by="kind"),
        group_by="kind",
        kinds=kinds,
    )
    context = {
        "year": year,
        "years": sorted(set(years) | {year}, reverse=True),
        "by_office": by_office,
        "by_kind": by_kind,
        "keys": [(key, queries.HEALTH_LABELS[key]) for key in presenters.DASHBOARD_KEYS],
        "chart_data": {
            "office": presenters.chart_data(by_office),
            "kind": presenters.chart_data(by_kind),
        },
    }
    return render(request, "plans/dashboard.html", context)


@allow(*ORGAN)
@require_GET
def health_items(request):
    """The click-through of a dashboard number: the items behind it."""
    key = request.GET.get("key") or "overdue"
    if key not in queries.HEALTH_KEYS:
        raise Http404("没有这一类事项。")
    year = _year(request.GET, [])
    office_id = f.positive_int(request.GET.get("office"))
    kind = request.GET.get("kind", "")
    kind = kind if kind in PlanKind.values else ""
    rows = queries.items_by_health(
        key=key, year=year, today=_today(), office_id=office_id, kind=kind
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    office = Office.objects.filter(pk=office_id).first() if office_id else None
    context = {
        "page": page,
        "title": queries.HEALTH_LABELS[key],
        "badge": presenters.health_badge(key),
        "year": year,
        "office": office,
        "kind_label": PlanKind(kind).label if kind else "",
        "filter_query": ap.without_page(request.GET),
    }
    return render(request, "plans/health_items.html", context)


# ---------------------------------------------------------------------------------------------
# Public pages: published supervision and deputy-work plans, without internal notes


def _public_plans():
    return Plan.objects.filter(status=PlanStatus.PUBLISHED, kind__in=PUBLIC_KINDS)


@allow(PUBLIC)
@require_GET
def public_list(request):
    rows = _public_plans().select_related("office").order_by("-year", "kind", "id")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "plans/public_list.html", {"page": page, "filter_query": ""})


@allow(PUBLIC)
@require_GET
def public_detail(request, pk: int):
    plan = _public_plans().select_related("office", "approved_meeting").filter(pk=pk).first()
    if plan is None:
        raise Http404("该计划不存在或未公开。")
    items = list(
        plan.items.exclude(status="cancelled")
        .select_related("owner_office")
        .order_by("position", "id")
    )
    rows = presenters.flatten(presenters.item_tree(items, {}))
    return render(request, "plans/public_detail.html", {"plan": plan, "rows": rows})
