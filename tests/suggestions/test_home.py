"""The suggestions' home-page panels: each role sees its own queues, counts are right, and the
cost is one aggregate plus one query per non-empty panel."""

import pytest
from django.urls import reverse

from renda.suggestions.home import suggestion_panels

pytestmark = pytest.mark.django_db


def titles(user) -> dict[str, int]:
    return {p.title: p.total for p in suggestion_panels(user)}


def test_each_role_sees_its_queues(world):
    world.submitted(cosign=True)  # waits for review and for the co-signer
    world.accepted()  # waits for assignment
    world.assigned(co_unit=False)  # waits for the unit to sign
    world.answered("B")  # waits for the deputy's rating
    assert titles(world.p.staff) == {
        "待审查的建议": 1,
        "待交办的建议": 1,
        "已答复待办结的建议": 1,
    }
    assert titles(world.cosigner) == {"待我确认的联名建议": 1}
    assert titles(world.p.deputy) == {"待我评价的建议答复": 1}
    assert titles(world.p.unit) == {"待签收的交办建议": 1}
    assert titles(world.p.leader) == {"重点督办建议": 0, "连续不满意、报告领导的建议": 0}
    # Another office's staff and the street have no suggestion queues of their own.
    assert titles(world.p.social_staff) == {}
    assert titles(world.p.street) == {}


def test_overdue_shows_for_the_unit_the_office_and_the_leaders(world, time_machine):
    time_machine.move_to("2026-03-02 10:00 +08:00")
    s = world.handling(co_unit=False)
    time_machine.move_to("2026-06-10 10:00 +08:00")  # due 2026-06-02
    assert titles(world.p.unit)["本单位逾期未答复的建议"] == 1
    assert titles(world.p.staff)["逾期未答复的建议"] == 1
    assert titles(world.p.leader)["逾期未答复的建议"] == 1
    panel = next(p for p in suggestion_panels(world.p.unit) if p.kind == "overdue")
    assert panel.items[0].url == reverse("suggestions:detail", args=[s.pk])
    assert panel.items[0].badge_class == "text-bg-danger"
    assert titles(world.co_unit_user) == {}


def test_query_cost_does_not_grow_with_rows(world, django_assert_num_queries):
    world.submitted()
    world.p.staff.roles  # noqa: B018  (roles are read once per request, before the panels)
    with django_assert_num_queries(3):  # congress (office check), counts, one non-empty panel
        suggestion_panels(world.p.staff)
    for _ in range(5):
        world.submitted()
    with django_assert_num_queries(3):
        panels = suggestion_panels(world.p.staff)
    assert panels[0].total == 6 and len(panels[0].items) == 6
