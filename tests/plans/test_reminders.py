"""The plans' tick: every attention list and every overdue milestone is told once to the owner
office's staff and the leader in charge; a new report or an approved postponement re-arms it."""

from datetime import date

import pytest

from renda.core.models import Notification
from renda.core.ticks import registered
from renda.plans import actions
from renda.plans.reminders import remind_attention
from tests.plans.factories import APRIL, at, item_fields

pytestmark = pytest.mark.django_db

TITLE = "《安全生产法》执法检查"


def tick(day: date) -> dict[str, list[str]]:
    """Run the tick on `day`; who got which new titles."""
    last = max(Notification.objects.values_list("id", flat=True), default=0)
    remind_attention(at(day, hour=8))
    sent: dict[str, list[str]] = {}
    for n in Notification.objects.filter(id__gt=last).select_related("user").order_by("id"):
        sent.setdefault(n.user.username, []).append(n.title)
    return sent


@pytest.fixture
def item(planning, time_machine):
    """Approved on APRIL, due 10-31, a milestone on 05-31, 李主任 in charge."""
    time_machine.move_to(at(APRIL), tick=False)
    plan = planning.draft(items=0)
    item = actions.add_item(
        acting_user=planning.p.social_staff,
        plan=plan,
        values=item_fields(planning.office, leader=planning.p.leader),
    )
    actions.add_milestone(
        acting_user=planning.p.social_staff, item=item, title="实地检查", due_on=date(2026, 5, 31)
    )
    planning.bind(plan)
    Notification.objects.all().delete()  # the approval's own notices are not reminders
    return item


def both(*titles: str) -> dict[str, list[str]]:
    return {"p_social": list(titles), "p_leader": list(titles)}


def test_the_tick_is_registered():
    assert registered()["plan_attention"] is remind_attention


def test_stale_is_told_once_and_a_new_report_re_arms_it(planning, item):
    assert tick(date(2026, 4, 30)) == {}
    stale = f"计划事项长期没有进展报告：{TITLE}"
    assert tick(date(2026, 5, 1)) == both(stale)
    assert tick(date(2026, 5, 1)) == {}  # the worker restarted and ran the tick again
    assert tick(date(2026, 5, 20)) == {}
    with actions.as_of(date(2026, 5, 2)):
        actions.report_progress(
            acting_user=planning.p.social_staff, item=item, text="制定方案", percent=10
        )
        actions.complete_milestone(
            acting_user=planning.p.social_staff, milestone=item.milestones.get()
        )
    assert tick(date(2026, 5, 31)) == {}  # 29 days since the report
    assert tick(date(2026, 6, 1)) == both(stale)  # 30 days: told again, once
    assert tick(date(2026, 6, 2)) == {}
    note = Notification.objects.filter(user=planning.p.social_staff).latest("id")
    assert (note.url, note.body) == (f"/plans/items/{item.pk}/", "完成期限：2026-10-31")


def test_an_overdue_milestone_and_item_are_told_once_and_a_postponement_re_arms(
    planning, item, time_machine
):
    with actions.as_of(date(2026, 5, 20)):
        actions.report_progress(
            acting_user=planning.p.social_staff, item=item, text="检查准备", percent=30
        )
    overdue = [f"计划事项已逾期：{TITLE}", f"节点已逾期：{TITLE} · 实地检查"]
    assert tick(date(2026, 6, 1)) == both(*overdue)
    assert tick(date(2026, 6, 2)) == {}
    # The deputy office's staff and the other leaders' inboxes stay empty.
    assert not Notification.objects.filter(user=planning.p.staff).exists()
    time_machine.move_to(at(date(2026, 6, 2)), tick=False)
    change = actions.request_change(
        acting_user=planning.p.social_staff,
        item=item,
        kind="postpone",
        reason="配合市人大统一检查",
        new_ends_on=date(2026, 12, 31),
    )
    actions.decide_change(acting_user=planning.p.leader, change=change, approve=True)
    assert tick(date(2026, 6, 3)) == {}  # postponed: nothing is overdue
    assert tick(date(2026, 6, 19)) == both(f"计划事项长期没有进展报告：{TITLE}")  # since 05-20
    # The milestone slipped with the end date (05-31 + 61 days); once past that, told again.
    assert tick(date(2026, 7, 31)) == {}
    assert tick(date(2026, 8, 1)) == both(*overdue)
    assert tick(date(2026, 8, 1)) == {}


def test_busy_without_result_is_told_once(planning, item, time_machine):
    actions.complete_milestone(
        acting_user=planning.p.social_staff, milestone=item.milestones.get(), done_on=APRIL
    )
    with actions.as_of(date(2026, 10, 5)):
        actions.report_progress(
            acting_user=planning.p.social_staff, item=item, text="仍在检查", percent=60
        )
    busy = f"计划事项临近期限仍无成果：{TITLE}"
    assert tick(date(2026, 10, 6)) == both(busy)
    assert tick(date(2026, 10, 7)) == {}


def test_nothing_for_completed_or_draft_items(planning, time_machine):
    time_machine.move_to(at(APRIL), tick=False)
    planning.draft(kind="study")  # never submitted
    planning.completed()
    Notification.objects.all().delete()
    assert tick(date(2026, 12, 1)) == {}
