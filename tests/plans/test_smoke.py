from datetime import date

import pytest

from renda.plans import actions
from renda.plans.models import ItemStatus, PlanStatus
from tests.plans.factories import item_fields, pdf

pytestmark = pytest.mark.django_db


def test_plan_from_draft_to_completed_item_with_rollup(planning):
    plan = planning.draft(items=0)
    parent = actions.add_item(
        acting_user=planning.p.social_staff,
        plan=plan,
        values=item_fields(planning.office, title="执法检查", weight=1),
    )
    for title, weight in (("制定检查方案", 1), ("实地检查", 3)):
        actions.add_item(
            acting_user=planning.p.social_staff,
            plan=plan,
            parent=parent,
            values=item_fields(planning.office, title=title, weight=weight),
        )
    plan = actions.submit_plan(acting_user=planning.p.social_staff, plan=plan)
    plan = actions.approve_plan(
        acting_user=planning.p.leader,
        plan=plan,
        meeting=planning.meeting,
        party_committee_date=date(2026, 2, 10),
    )
    assert plan.status == PlanStatus.APPROVED
    first, second = parent.children.order_by("position")
    actions.complete_item(
        acting_user=planning.p.social_staff,
        item=first,
        result_statement="方案印发",
        evidence=[pdf()],
    )
    actions.report_progress(
        acting_user=planning.p.social_staff, item=second, text="检查中", percent=40
    )
    parent.refresh_from_db()
    assert parent.progress == round((100 * 1 + 40 * 3) / 4)
    first.refresh_from_db()
    assert first.status == ItemStatus.COMPLETED
