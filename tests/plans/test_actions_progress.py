"""Implementation: progress reports by the owner office (never 100% — completion needs a result
and evidence), completion, and the weighted roll-up of progress up the item tree."""

from datetime import date
from pathlib import Path

import pytest

from renda.core.errors import ConflictError, NotAllowed
from renda.plans import actions
from renda.plans.models import ChangeRequest, Evidence, ItemStatus, PlanItem, ProgressReport
from tests.core.factories import UserFactory, grant
from tests.plans.factories import (
    Mark,
    frozen,  # noqa: F401  (fixture)
    item_fields,
    pdf,
    refused,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

OWNER_ONLY = "只有责任机构（社会建设工作室）可以办理该事项。"
OUTSIDERS = ("staff", "street", "deputy", "unit", "leader")
ITEM = "《安全生产法》执法检查"


def reload(item: PlanItem) -> PlanItem:
    return PlanItem.objects.get(pk=item.pk)


def report(planning, item, percent=40, text="召开座谈会两次", who="social_staff", **kw):
    return actions.report_progress(
        acting_user=getattr(planning.p, who), item=item, text=text, percent=percent, **kw
    )


def complete(planning, item, who="social_staff", statement="执法检查报告经常委会审议", **kw):
    kw.setdefault("evidence", [pdf()])
    return actions.complete_item(
        acting_user=getattr(planning.p, who), item=item, result_statement=statement, **kw
    )


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


# -- report_progress ------------------------------------------------------------------------------


def test_the_first_report_starts_the_item(planning):
    item = planning.item(planning.approved())
    mark = Mark(item)
    row = report(planning, item, percent=30, evidence=[pdf("座谈会纪要.pdf")], version=item.version)
    after = reload(item)
    assert (after.status, after.progress, after.last_report_on, after.report_count) == (
        ItemStatus.IN_PROGRESS,
        30,
        date(2026, 4, 1),
        1,
    )
    assert after.version == item.version + 1
    assert (row.percent, row.reported_on, row.reported_by) == (
        30,
        date(2026, 4, 1),
        planning.p.social_staff,
    )
    (evidence,) = row.evidence.all()
    assert (evidence.name, evidence.purpose, evidence.item) == (
        "座谈会纪要.pdf",
        Evidence.Purpose.PROGRESS,
        after,
    )
    event = mark.event()
    assert (event.verb, event.summary, event.note, event.from_state, event.to_state) == (
        "report",
        "报告进展：30%",
        "召开座谈会两次",
        "planned",
        "in_progress",
    )
    assert mark.notified() == {}


def test_a_later_report_moves_progress_without_a_state_change(planning):
    item = planning.in_progress(percent=40)
    mark = Mark(item)
    report(planning, item, percent=20, text="复核后下调")
    after = reload(item)
    assert (after.progress, after.report_count) == (20, 2)
    event = mark.event()
    assert (event.from_state, event.to_state) == ("", "")


@pytest.mark.parametrize("percent", [100, -1, 150])
def test_a_report_of_100_or_out_of_range_is_refused(planning, percent, settings):
    item = planning.in_progress()
    error = refused(
        item,
        lambda: report(planning, item, percent=percent, evidence=[pdf()]),
        "进度应为 0 到 99；完成请使用“完成事项”并提交成果和佐证。",
    )
    assert error.field_errors == {"percent": "0–99"}
    assert ProgressReport.objects.filter(item=item).count() == 1
    assert not Evidence.objects.exists() and stored_files(settings) == []


def test_a_report_needs_text(planning):
    item = planning.item(planning.approved())
    refused(item, lambda: report(planning, item, text="  "), "请填写进展情况。")


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_no_report_before_the_plan_binds(planning, status):
    item = planning.item(planning.plan_in(status))
    refused(item, lambda: report(planning, item), "计划尚未审定，不能报告进展。")


def test_no_report_on_a_completed_or_cancelled_item(planning):
    done = planning.completed()
    refused(done, lambda: report(planning, done), "事项当前为“已完成”，不能报告进展。")
    cancelled = cancel(planning, planning.item(planning.approved(kind="study")))
    refused(cancelled, lambda: report(planning, cancelled), "事项当前为“已取消”，不能报告进展。")


@pytest.mark.parametrize("who", OUTSIDERS)
def test_only_the_owner_office_reports(planning, who):
    item = planning.item(planning.approved())
    refused(item, lambda: report(planning, item, who=who), OWNER_ONLY, NotAllowed)


def test_a_parent_does_not_report_its_own_progress(planning):
    tree = planning.tree()
    planning.bind(tree["plan"])
    refused(
        tree["field"],
        lambda: report(planning, tree["field"]),
        "有下级事项的事项，进度由下级事项按权重汇总。",
    )


def test_a_report_on_a_stale_version_saves_nothing(planning):
    item = planning.in_progress()
    error = refused(
        item,
        lambda: report(planning, item, version=item.version - 1),
        "该事项已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )
    assert error.status == 409


# -- complete_item --------------------------------------------------------------------------------


def test_completion_with_a_result_and_evidence(planning):
    item = planning.in_progress()
    mark = Mark(item)
    complete(planning, item, statement=" 报告经第12次常委会会议审议 ", version=item.version)
    after = reload(item)
    assert (after.status, after.progress, after.result_statement, after.completed_on) == (
        ItemStatus.COMPLETED,
        100,
        "报告经第12次常委会会议审议",
        date(2026, 4, 1),
    )
    assert list(after.evidence.values_list("purpose", flat=True)) == ["result"]
    event = mark.event()
    assert (event.verb, event.from_state, event.to_state, event.note) == (
        "complete",
        "in_progress",
        "completed",
        "报告经第12次常委会会议审议",
    )
    # No leader in charge: every leader hears of it.
    assert mark.notified() == {"p_leader": [f"事项已完成：{ITEM}"]}


def test_completion_tells_the_leader_in_charge_only(planning):
    item = planning.item(planning.approved())  # planned: may complete straight away
    other = UserFactory(username="p_leader2", full_name="王副主任")
    grant(other, "leader")
    PlanItem.objects.filter(pk=item.pk).update(leader=other)
    mark = Mark(item)
    complete(planning, reload(item))
    assert reload(item).status == ItemStatus.COMPLETED
    assert mark.event().from_state == "planned"
    assert mark.notified() == {"p_leader2": [f"事项已完成：{ITEM}"]}


def test_completed_without_evidence_is_refused(planning, settings):
    item = planning.in_progress()
    error = refused(
        item,
        lambda: complete(planning, item, evidence=[]),
        "完成事项须上传成果佐证材料（如报告、会议纪要、照片）。",
    )
    assert error.field_errors == {"evidence": "请上传佐证材料"}
    assert stored_files(settings) == []


def test_completion_needs_a_result_statement(planning, settings):
    item = planning.in_progress()
    refused(item, lambda: complete(planning, item, statement=" "), "请填写成果说明。")
    assert not Evidence.objects.exists() and stored_files(settings) == []


@pytest.mark.parametrize("status", ["draft", "submitted"])
def test_no_completion_before_the_plan_binds(planning, status):
    item = planning.item(planning.plan_in(status))
    refused(item, lambda: complete(planning, item), "计划尚未审定，不能完成。")


def test_a_completed_item_is_not_completed_again(planning):
    item = planning.completed()
    refused(item, lambda: complete(planning, item), "事项当前为“已完成”，不能完成。")


@pytest.mark.parametrize("who", OUTSIDERS)
def test_only_the_owner_office_completes(planning, who):
    item = planning.in_progress()
    refused(item, lambda: complete(planning, item, who=who), OWNER_ONLY, NotAllowed)


def test_a_parent_waits_for_its_children(planning):
    tree = planning.tree()
    planning.bind(tree["plan"])
    refused(
        tree["field"],
        lambda: complete(planning, tree["field"]),
        "下级事项尚未全部完成，不能完成该事项。",
    )


def test_completion_on_a_stale_version_saves_nothing(planning):
    item = planning.in_progress()
    refused(
        item,
        lambda: complete(planning, item, version=item.version + 1),
        "该事项已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )


# -- roll-up --------------------------------------------------------------------------------------


def cancel(planning, item):
    change = actions.request_change(
        acting_user=planning.p.social_staff, item=item, kind="cancel", reason="不再开展"
    )
    actions.decide_change(acting_user=planning.p.leader, change=change, approve=True)
    return reload(item)


def progress(tree) -> dict[str, int]:
    return {name: reload(item).progress for name, item in tree.items() if name != "plan"}


def test_progress_rolls_up_three_levels_by_weight(planning):
    tree = planning.tree()
    planning.bind(tree["plan"])
    report(planning, tree["firms"], percent=40)
    report(planning, tree["forum"], percent=80)
    # 实地检查 = (40 + 80) / 2 = 60; 执法检查 = (0×1 + 60×3) / 4 = 45.
    assert progress(tree) == {
        "root": 45,
        "scheme": 0,
        "field": 60,
        "firms": 40,
        "forum": 80,
        "training": 0,
    }
    complete(planning, tree["scheme"])
    assert progress(tree)["root"] == 70  # (100 + 180) / 4
    cancel(planning, tree["forum"])  # a cancelled child no longer counts
    assert (progress(tree)["field"], progress(tree)["root"]) == (40, 55)
    complete(planning, tree["firms"])
    assert (progress(tree)["field"], progress(tree)["root"]) == (100, 100)
    complete(planning, tree["field"])
    complete(planning, tree["root"])
    assert reload(tree["root"]).status == ItemStatus.COMPLETED
    assert progress(tree)["training"] == 0  # a sibling tree is left alone


def test_a_completed_parent_is_100_even_with_every_child_cancelled(planning):
    tree = planning.tree()
    planning.bind(tree["plan"])
    for name in ("scheme", "firms", "forum"):
        cancel(planning, tree[name])
    complete(planning, tree["field"])
    complete(planning, tree["root"])
    assert (progress(tree)["field"], progress(tree)["root"]) == (100, 100)
    assert actions.recompute_progress(plan=tree["plan"]) == 0


def test_cancelling_a_parent_cancels_its_open_sub_items(planning):
    tree = planning.tree()
    planning.bind(tree["plan"])
    complete(planning, tree["firms"])
    mark = Mark(tree["forum"])
    cancel(planning, tree["field"])
    assert {n: reload(tree[n]).status for n in ("field", "firms", "forum", "scheme")} == {
        "field": ItemStatus.CANCELLED,
        "firms": ItemStatus.COMPLETED,  # done work stays done
        "forum": ItemStatus.CANCELLED,
        "scheme": ItemStatus.PLANNED,
    }
    event = mark.event()
    assert (event.verb, event.summary, event.to_state) == (
        "cancel",
        "随上级事项“实地检查”取消",
        "cancelled",
    )
    assert ChangeRequest.objects.get().status == ChangeRequest.Status.APPROVED


def test_recompute_returns_how_many_changed_in_a_fixed_number_of_queries(
    planning, django_assert_num_queries
):
    tree = planning.tree()
    plan = planning.bind(tree["plan"])
    report(planning, tree["firms"], percent=40)
    report(planning, tree["forum"], percent=80)
    # Parents knocked out of step (as an import or a bug might leave them).
    PlanItem.objects.filter(pk__in=[tree["root"].pk, tree["field"].pk]).update(progress=0)
    with django_assert_num_queries(2):  # one read, one bulk write
        assert actions.recompute_progress(plan=plan) == 2
    with django_assert_num_queries(1):  # nothing to write
        assert actions.recompute_progress(plan=plan) == 0
    # A tree three times the size costs the same.
    more = planning.tree(kind="study")
    for n in range(12):
        actions.add_item(
            acting_user=planning.p.social_staff,
            plan=more["plan"],
            parent=more["field"],
            values=item_fields(planning.office, title=f"检查第{n + 1}家企业"),
        )
    plan2 = planning.bind(more["plan"])
    for name in ("firms", "forum", "scheme"):
        report(planning, more[name], percent=56)
    PlanItem.objects.filter(pk__in=[more["root"].pk, more["field"].pk]).update(progress=99)
    with django_assert_num_queries(2):
        assert actions.recompute_progress(plan=plan2) == 2
    # 实地检查 = (56 + 56 + 12×0) / 14 = 8; 执法检查 = (56×1 + 8×3) / 4 = 20.
    assert (progress(more)["field"], progress(more)["root"]) == (8, 20)
