"""Role-matrix entries (see tests/core/test_role_matrix.py for the format).

Each object page gets a plan built through the real actions in the state where every role the
page is open to may take the action: the plan is drafted by personas.staff's office (人事代表工作室),
which also owns its items, so the staff persona drafts, reports and asks for changes, and the
leader (and admin) approves, decides and grades."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from renda.core.models import Office
from renda.meetings.models import Meeting
from renda.plans import actions
from renda.plans.models import ChangeRequest, PlanItem
from tests.plans.factories import Planning, pdf

ORGAN = {"admin", "leader", "staff"}
OFFICE = {"admin", "staff"}
LEADERS = {"admin", "leader"}


def _planning(p) -> Planning:
    """The factories' Planning, with personas.staff's office drafting and owning the items."""
    office = Office.objects.get(pk=min(p.staff.roles.office_ids))
    meeting, _ = Meeting.objects.get_or_create(
        kind=Meeting.Kind.DIRECTOR, term_number=18, number=7, defaults={"date": date(2026, 2, 5)}
    )
    drafter = SimpleNamespace(social_staff=p.staff, leader=p.leader)
    return Planning(p=drafter, org=SimpleNamespace(social_office=office), meeting=meeting)


def _pk(row) -> dict:
    return {"pk": row.pk}


def draft_plan(p):
    return _pk(_planning(p).draft())


def submitted_plan(p):
    return _pk(_planning(p).submitted())


def approved_plan(p):
    return _pk(_planning(p).approved())


def published_plan(p):
    return _pk(_planning(p).published())


def draft_item(p):
    planning = _planning(p)
    return _pk(planning.item(planning.draft()))


def _approved_item(p) -> PlanItem:
    planning = _planning(p)
    return planning.item(planning.approved())


def approved_item(p):
    return _pk(_approved_item(p))


def item_with_milestone(p):
    item = _approved_item(p)
    actions.add_milestone(
        acting_user=p.staff, item=item, title="形成检查方案", due_on=date(2026, 4, 30)
    )
    return _pk(item)


def change_requested(p):
    item = _approved_item(p)
    actions.request_change(
        acting_user=p.staff,
        item=item,
        kind=ChangeRequest.Kind.POSTPONE,
        reason="配合市人大统一部署",
        new_ends_on=date(2026, 12, 15),
    )
    return _pk(item)


def self_assessed(p):
    item = _approved_item(p)
    actions.self_assess(acting_user=p.staff, item=item, text="按计划完成执法检查")
    return _pk(item)


def evidence(p):
    item = _approved_item(p)
    report = actions.report_progress(
        acting_user=p.staff, item=item, text="召开座谈会", percent=30, evidence=[pdf()]
    )
    return {"pk": report.evidence.get().pk}


PLAN_PAGES: dict = {
    "plans:list": (ORGAN, "get", None, 200),
    "plans:create": (OFFICE, "get", None, 200),
    "plans:detail": (ORGAN, "get", approved_plan, 200),
    "plans:update_plan": (OFFICE, "get", draft_plan, 200),
    "plans:add_item": (OFFICE, "get", draft_plan, 200),
    "plans:submit_plan": (OFFICE, "get", draft_plan, 200),
    "plans:approve_plan": (LEADERS, "get", submitted_plan, 200),
    "plans:return_plan": (LEADERS, "get", submitted_plan, 200),
    "plans:publish_plan": (ORGAN, "get", approved_plan, 200),
    "plans:item": (ORGAN, "get", approved_item, 200),
    "plans:update_item": (OFFICE, "get", draft_item, 200),
    "plans:remove_item": (OFFICE, "get", draft_item, 200),
    "plans:add_milestone": (OFFICE, "get", approved_item, 200),
    "plans:complete_milestone": (OFFICE, "get", item_with_milestone, 200),
    "plans:report_progress": (OFFICE, "get", approved_item, 200),
    "plans:complete_item": (OFFICE, "get", approved_item, 200),
    "plans:request_change": (OFFICE, "get", approved_item, 200),
    "plans:decide_change": (LEADERS, "get", change_requested, 200),
    "plans:self_assess": (OFFICE, "get", approved_item, 200),
    "plans:grade_item": (LEADERS, "get", self_assessed, 200),
    "plans:link_item": (OFFICE, "get", approved_item, 200),
    "plans:evidence": (ORGAN, "get", evidence, 200),
    "plans:attention": (ORGAN, "get", None, 200),
    "plans:dashboard": (ORGAN, "get", None, 200),
    "plans:health_items": (ORGAN, "get", None, 200),
    "plans:public_list": ("public", "get", None, 200),
    "plans:public_detail": ("public", "get", published_plan, 200),
}
