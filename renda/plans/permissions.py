"""Who may do what to a plan or an item: the actions check these; pages and the API show only
what `plan_actions` / `item_actions` return — the same rules."""

from __future__ import annotations

from django.http import Http404

from renda.core.models import Role
from renda.plans.models import (
    ChangeRequest,
    ItemStatus,
    Plan,
    PlanItem,
    PlanStatus,
)

READERS = (Role.ADMIN, Role.LEADER, Role.STAFF)


def visible_plans(user):
    """Plans are the organ's shared register: every organ role reads them all."""
    if not user.is_authenticated or not user.roles.has(*READERS):
        return Plan.objects.none()
    return Plan.objects.all()


def get_plan_for_user(user, pk: int) -> Plan:
    plan = visible_plans(user).select_related("office", "approved_meeting").filter(pk=pk).first()
    if plan is None:
        raise Http404("未找到该计划，或您无权查看。")
    return plan


def get_item_for_user(user, pk: int) -> PlanItem:
    item = (
        PlanItem.objects.filter(plan__in=visible_plans(user))
        .select_related("plan", "plan__office", "owner_office", "leader", "parent")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404("未找到该事项，或您无权查看。")
    return item


def is_leader(user) -> bool:
    return user.roles.has(Role.LEADER, Role.ADMIN)


def drafts(user, plan: Plan) -> bool:
    """The drafting office (and the admin) writes the plan and its items while it is a draft."""
    return user.roles.is_admin or plan.office_id in user.roles.office_ids


def owns(user, item: PlanItem) -> bool:
    """The owner office (and the admin) reports on an item, asks for changes, assesses it."""
    return user.roles.is_admin or item.owner_office_id in user.roles.office_ids


def plan_actions(user, plan: Plan) -> set[str]:
    names: set[str] = set()
    if plan.status == PlanStatus.DRAFT and drafts(user, plan):
        names |= {"update_plan", "add_item", "submit_plan"}
    if plan.status == PlanStatus.SUBMITTED and is_leader(user):
        names |= {"approve_plan", "return_plan"}
    if plan.status == PlanStatus.APPROVED and (drafts(user, plan) or is_leader(user)):
        names.add("publish_plan")
    return names


def item_actions(user, item: PlanItem) -> set[str]:
    plan = item.plan
    names: set[str] = set()
    if plan.status == PlanStatus.DRAFT and drafts(user, plan):
        names |= {"update_item", "remove_item", "add_milestone", "link_item"}
    if not plan.is_binding:
        return names
    own = owns(user, item)
    leaf = not item.children.exists()
    if item.is_open and own:
        names |= {"add_milestone", "complete_milestone", "link_item"}
        if leaf:
            names |= {"report_progress", "complete_item"}
        if not item.changes.filter(status=ChangeRequest.Status.REQUESTED).exists():
            names.add("request_change")
    if is_leader(user) and item.changes.filter(status=ChangeRequest.Status.REQUESTED).exists():
        names.add("decide_change")
    if own and item.status != ItemStatus.CANCELLED and not item.grade:
        names.add("self_assess")
    if is_leader(user) and item.self_assessed_at and item.status != ItemStatus.CANCELLED:
        names.add("grade_item")
    return names
