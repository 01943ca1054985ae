"""Health of items and the attention lists: overdue (end date or a milestone passed), "planned
but not implemented" (stale), "busy with nothing to show" (busy), on track; completed and
cancelled apart; only leaf items of binding plans count. The dashboard is one aggregate query."""

from dataclasses import dataclass
from datetime import date

import pytest

from renda.plans import actions, queries
from renda.plans.models import PlanRules
from tests.plans.factories import APRIL, at, item_fields, pdf

pytestmark = pytest.mark.django_db

TODAY = date(2026, 10, 5)  # stale before 09-05 (30 days); busy if due by 11-04 (30 days)
REPORTED = date(2026, 9, 20)


@dataclass
class World:
    planning: object
    items: dict

    def titles(self, rows) -> list[str]:
        return [item.title for item in rows]

    def __getitem__(self, name):
        return self.items[name]


@pytest.fixture
def world(planning, time_machine) -> World:
    """Approved on APRIL; on TODAY each item is in the state its name says."""
    time_machine.move_to(at(APRIL), tick=False)
    social, deputy_office = planning.office, planning.org.deputy_office
    staff = planning.p.social_staff

    def add(plan, title, ends_on, office=social, parent=None):
        return actions.add_item(
            acting_user=staff,
            plan=plan,
            parent=parent,
            values=item_fields(office, title=title, ends_on=ends_on),
        )

    plan = planning.draft(items=0)
    end = date(2026, 12, 31)
    items = {
        "on_track": add(plan, "正常推进", end),
        "stale": add(plan, "计划未落实", end, office=deputy_office),
        "busy": add(plan, "忙而无果", date(2026, 10, 31)),
        "overdue": add(plan, "已过期限", date(2026, 9, 30), office=deputy_office),
        "milestone": add(plan, "节点逾期", end),
        "done": add(plan, "已完成", end),
        "dropped": add(plan, "已取消", end),
        "parent": add(plan, "上级事项", end),
    }
    items["child"] = add(plan, "下级事项", end, parent=items["parent"])
    actions.add_milestone(
        acting_user=staff, item=items["milestone"], title="实地检查", due_on=date(2026, 9, 1)
    )
    planning.bind(plan)
    study = planning.draft(kind="study", items=0)
    items["study"] = add(study, "赴外地学习考察", date(2026, 6, 30))
    planning.bind(study)
    draft = planning.draft(kind="work_points", items=0)
    items["draft"] = add(draft, "草稿中的事项", date(2026, 5, 1))  # never approved

    with actions.as_of(date(2026, 6, 1)):
        actions.complete_item(
            acting_user=staff, item=items["done"], result_statement="已办结", evidence=[pdf()]
        )
        change = actions.request_change(
            acting_user=staff, item=items["dropped"], kind="cancel", reason="上级统一部署"
        )
        actions.decide_change(acting_user=planning.p.leader, change=change, approve=True)
    with actions.as_of(REPORTED):
        for name in ("on_track", "busy", "overdue", "milestone", "child"):
            who = planning.p.staff if name == "overdue" else staff
            actions.report_progress(acting_user=who, item=items[name], text="推进中", percent=50)
    time_machine.move_to(at(TODAY), tick=False)
    return World(planning, items)


# -- attention lists ------------------------------------------------------------------------------


def test_the_attention_lists(world):
    lists = {
        key: world.titles(queries.attention(key, today=TODAY)) for key in queries.ATTENTION_KEYS
    }
    assert lists == {
        # ordered by end date; the draft plan's overdue item and the parent are not there
        "overdue": ["赴外地学习考察", "已过期限", "节点逾期"],
        "stale": ["计划未落实"],
        "busy": ["忙而无果"],
    }
    deputy = [world.planning.org.deputy_office.pk]
    assert world.titles(queries.attention("overdue", today=TODAY, office_ids=deputy)) == [
        "已过期限"
    ]
    assert queries.attention_counts(today=TODAY) == {"overdue": 3, "stale": 1, "busy": 1}
    assert queries.attention_counts(today=TODAY, office_ids=deputy) == {
        "overdue": 1,
        "stale": 1,
        "busy": 0,
    }


def test_overdue_milestones(world):
    rows = list(queries.overdue_milestones(today=TODAY))
    assert [(m.title, m.item.title) for m in rows] == [("实地检查", "节点逾期")]
    actions.complete_milestone(acting_user=world.planning.p.social_staff, milestone=rows[0])
    assert not queries.overdue_milestones(today=TODAY).exists()
    assert "节点逾期" not in world.titles(queries.attention("overdue", today=TODAY))


def test_item_health_follows_the_one_definition(world):
    health = {name: queries.item_health(item, today=TODAY) for name, item in world.items.items()}
    assert health == {
        "on_track": "on_track",
        "stale": "at_risk",
        "busy": "at_risk",
        "overdue": "overdue",
        "milestone": "overdue",
        "done": "completed",
        "dropped": "cancelled",
        "parent": "",  # a parent's state is its children's
        "child": "on_track",
        "study": "overdue",
        "draft": "",  # a draft binds nobody
    }


def test_an_approved_postponement_takes_items_off_the_overdue_list(world):
    p = world.planning.p
    for name, who, new_end in (
        ("overdue", p.staff, date(2026, 12, 31)),
        ("milestone", p.social_staff, date(2027, 1, 31)),
    ):
        change = actions.request_change(
            acting_user=who,
            item=world[name],
            kind="postpone",
            reason="配合市里安排",
            new_ends_on=new_end,
        )
        assert world[name].title in world.titles(queries.attention("overdue", today=TODAY))
        actions.decide_change(acting_user=p.leader, change=change, approve=True)
    assert world.titles(queries.attention("overdue", today=TODAY)) == ["赴外地学习考察"]
    assert not queries.overdue_milestones(today=TODAY).exists()
    assert queries.item_health(world["overdue"], today=TODAY) == "on_track"
    assert queries.item_health(world["milestone"], today=TODAY) == "on_track"


# -- stale and busy, day by day -------------------------------------------------------------------


def stale_on(day: date) -> list[str]:
    return [item.title for item in queries.attention("stale", today=day)]


def test_stale_counts_from_approval_then_from_the_last_report(planning, time_machine):
    time_machine.move_to(at(APRIL), tick=False)  # the item started 03-01; the plan binds 04-01
    item = planning.item(planning.approved())
    assert stale_on(date(2026, 4, 30)) == []
    assert stale_on(date(2026, 5, 1)) == ["《安全生产法》执法检查"]  # 30 days without a report
    with actions.as_of(date(2026, 5, 1)):
        actions.report_progress(
            acting_user=planning.p.social_staff, item=item, text="制定方案", percent=10
        )
    assert stale_on(date(2026, 5, 1)) == []
    assert stale_on(date(2026, 5, 30)) == []
    assert stale_on(date(2026, 5, 31)) == ["《安全生产法》执法检查"]


def test_stale_days_are_configurable(planning, time_machine):
    time_machine.move_to(at(APRIL), tick=False)
    planning.approved()
    PlanRules.objects.update_or_create(pk=1, defaults={"stale_days": 10})
    assert PlanRules.current().stale_days == 10
    assert stale_on(date(2026, 4, 10)) == []
    assert stale_on(date(2026, 4, 11)) == ["《安全生产法》执法检查"]


def test_an_item_not_yet_started_is_not_stale(planning, time_machine):
    time_machine.move_to(at(APRIL), tick=False)
    plan = planning.draft(items=0)
    actions.add_item(
        acting_user=planning.p.social_staff,
        plan=plan,
        values=item_fields(planning.office, starts_on=date(2026, 9, 1)),
    )
    planning.bind(plan)
    assert stale_on(date(2026, 9, 30)) == []
    assert stale_on(date(2026, 10, 1)) == ["《安全生产法》执法检查"]


def test_busy_means_reports_but_no_result_near_the_end(planning, time_machine):
    time_machine.move_to(at(APRIL), tick=False)
    item = planning.in_progress()  # reported on 04-01, due 10-31
    PlanRules.objects.update_or_create(pk=1, defaults={"busy_window_days": 20, "stale_days": 365})

    def busy(day):
        return [i.title for i in queries.attention("busy", today=day)]

    assert busy(date(2026, 10, 10)) == []
    assert busy(date(2026, 10, 11)) == ["《安全生产法》执法检查"]
    assert busy(date(2026, 11, 1)) == []  # past the end: overdue, not busy
    assert queries.item_health(item, today=date(2026, 11, 1)) == "overdue"
    untouched = planning.item(planning.approved(kind="study"))  # no report: not busy
    assert queries.item_health(untouched, today=date(2026, 10, 11)) == "on_track"


# -- dashboard ------------------------------------------------------------------------------------


HEALTH = ("total", "on_track", "at_risk", "overdue", "completed", "cancelled")


def test_dashboard_by_office_in_one_query(world, django_assert_num_queries):
    rules = PlanRules.current()
    with django_assert_num_queries(1):
        rows = queries.dashboard(year=2026, today=TODAY, group_by="office", rules=rules)
    org = world.planning.org
    assert [(r["owner_office_id"], r["owner_office__name"]) for r in rows] == [
        (org.deputy_office.pk, "人事代表工作室"),
        (org.social_office.pk, "社会建设工作室"),
    ]
    assert [tuple(r[k] for k in HEALTH) for r in rows] == [(2, 0, 1, 1, 0, 0), (7, 2, 1, 2, 1, 1)]
    with django_assert_num_queries(2):  # the rules, then the same aggregate
        queries.dashboard(year=2026, today=TODAY, group_by="office")
    assert queries.dashboard(year=2025, today=TODAY, group_by="office", rules=rules) == []


def test_dashboard_by_kind_and_its_click_through(world, django_assert_num_queries):
    rules = PlanRules.current()
    with django_assert_num_queries(1):
        rows = queries.dashboard(year=2026, today=TODAY, group_by="kind", rules=rules)
    assert [(r["plan__kind"], *(r[k] for k in HEALTH)) for r in rows] == [
        ("study", 1, 0, 0, 1, 0, 0),
        ("supervision", 8, 2, 2, 2, 1, 1),
    ]
    social = world.planning.office.pk

    def cell(**kw):
        return world.titles(queries.items_by_health(year=2026, today=TODAY, rules=rules, **kw))

    assert cell(key="overdue", office_id=social) == ["赴外地学习考察", "节点逾期"]
    assert cell(key="at_risk", kind="supervision") == ["忙而无果", "计划未落实"]
    assert cell(key="on_track") == ["正常推进", "下级事项"]
    assert cell(key="completed") == ["已完成"]
    assert cell(key="cancelled", kind="study") == []
    with django_assert_num_queries(1):  # a page of the click-through is one query
        list(queries.items_by_health(key="overdue", year=2026, today=TODAY, rules=rules))
    with pytest.raises(ValueError):
        queries.items_by_health(key="nonsense", year=2026, today=TODAY)
