"""add_evidence: the owner office attaches evidence to an open item of a binding plan."""

import pytest

from renda.core.errors import DomainError, NotAllowed
from renda.plans import actions
from renda.plans.models import Evidence
from tests.plans.factories import pdf

pytestmark = pytest.mark.django_db


def test_evidence_is_stored_and_counts_for_completion(planning):
    item = planning.in_progress()
    rows = actions.add_evidence(
        acting_user=planning.p.social_staff, item=item, purpose="result", files=[pdf("a.pdf")]
    )
    assert [r.name for r in rows] == ["a.pdf"] and rows[0].file.storage.exists(rows[0].file.name)
    done = actions.complete_item(
        acting_user=planning.p.social_staff, item=item, result_statement="成果已形成"
    )
    assert done.status == "completed"


def test_refused_on_a_draft_or_finished_item_and_for_other_offices(planning):
    draft_item = planning.item(planning.draft(kind="study"))
    with pytest.raises(DomainError, match="计划尚未审定，不能上传佐证材料。"):
        actions.add_evidence(
            acting_user=planning.p.social_staff, item=draft_item, purpose="result", files=[pdf()]
        )
    done = planning.completed()
    with pytest.raises(DomainError, match="事项当前为“已完成”，不能上传佐证材料。"):
        actions.add_evidence(
            acting_user=planning.p.social_staff, item=done, purpose="result", files=[pdf()]
        )
    open_item = planning.in_progress(kind="office")
    with pytest.raises(NotAllowed):
        actions.add_evidence(
            acting_user=planning.p.staff, item=open_item, purpose="result", files=[pdf()]
        )
    with pytest.raises(DomainError, match="请选择要上传的文件。"):
        actions.add_evidence(
            acting_user=planning.p.social_staff, item=open_item, purpose="result", files=[]
        )
    assert Evidence.objects.filter(item__in=[draft_item, open_item]).count() == 0
