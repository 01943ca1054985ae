"""Year-end evaluation: the owner office's self-assessment with evidence, then a leader's grade."""

import pytest

from renda.core.errors import NotAllowed
from renda.plans import actions
from renda.plans.models import Evidence, PlanItem
from tests.plans.factories import (
    Mark,
    frozen,  # noqa: F401  (fixture)
    pdf,
    refused,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

OUTSIDERS = ("staff", "street", "deputy", "unit")


def reload(item: PlanItem) -> PlanItem:
    return PlanItem.objects.get(pk=item.pk)


def assess(planning, item, text="全面完成检查任务", who="social_staff", **kw):
    return actions.self_assess(acting_user=getattr(planning.p, who), item=item, text=text, **kw)


def grade(planning, item, value="excellent", who="leader", note=""):
    return actions.grade_item(
        acting_user=getattr(planning.p, who), item=item, grade=value, note=note
    )


def test_the_office_assesses_and_a_leader_grades(planning):
    item = planning.completed()
    mark = Mark(item)
    assess(planning, item, evidence=[pdf("自评报告.pdf")])
    after = reload(item)
    assert after.self_assessment == "全面完成检查任务" and after.self_assessed_at is not None
    assert list(
        after.evidence.filter(purpose=Evidence.Purpose.ASSESSMENT).values_list("name", flat=True)
    ) == ["自评报告.pdf"]
    assert (mark.event().verb, mark.event().summary) == ("self_assess", "年终自评")
    mark = Mark(item)
    grade(planning, after, "good", note="成效明显")
    graded = reload(item)
    assert (graded.grade, graded.graded_by, graded.get_grade_display()) == (
        "good",
        planning.p.leader,
        "良",
    )
    event = mark.event()
    assert (event.verb, event.summary, event.note) == ("grade", "评定为“良”", "成效明显")
    refused(item, lambda: assess(planning, graded), "领导已评定，不能再修改自评。")


def test_an_open_item_may_be_assessed_at_year_end(planning):
    item = planning.in_progress()
    assess(planning, item, text="完成大部分检查")
    assert reload(item).self_assessment == "完成大部分检查"


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_no_assessment_before_the_plan_binds(planning, status):
    item = planning.item(planning.plan_in(status))
    refused(item, lambda: assess(planning, item), "只有已审定计划中未取消的事项可以自评。")


def test_assessment_needs_text(planning):
    item = planning.completed()
    refused(item, lambda: assess(planning, item, text=" "), "请填写自评内容。")


@pytest.mark.parametrize("who", [*OUTSIDERS, "leader"])
def test_only_the_owner_office_assesses(planning, who):
    item = planning.completed()
    refused(
        item,
        lambda: assess(planning, item, who=who),
        "只有责任机构（社会建设工作室）可以办理该事项。",
        NotAllowed,
    )


def test_grading_waits_for_the_self_assessment(planning):
    item = planning.completed()
    refused(item, lambda: grade(planning, item), "责任机构尚未自评，暂不能评定。")


def test_a_grade_must_be_one_of_four(planning):
    item = planning.completed()
    assess(planning, item)
    item = reload(item)
    refused(item, lambda: grade(planning, item, "perfect"), "请选择等次（优、良、一般、差）。")


def test_a_cancelled_item_is_not_graded(planning):
    item = planning.in_progress()
    assess(planning, item)
    change = actions.request_change(
        acting_user=planning.p.social_staff, item=reload(item), kind="cancel", reason="不再开展"
    )
    actions.decide_change(acting_user=planning.p.leader, change=change, approve=True)
    item = reload(item)
    refused(item, lambda: grade(planning, item), "已取消的事项不评定等次。")


@pytest.mark.parametrize("who", [*OUTSIDERS, "social_staff"])
def test_only_leaders_grade(planning, who):
    item = planning.completed()
    assess(planning, item)
    item = reload(item)
    refused(
        item, lambda: grade(planning, item, who=who), "只有常委会领导可以评定等次。", NotAllowed
    )
