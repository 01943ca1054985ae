"""The rectification tick: an item still with the body is told once when it falls due within
SupervisionRules.remind_days_before days and once when it is overdue, to the body's users and
the supervising office's staff; a changed deadline re-arms both."""

from datetime import date

import pytest
from django.urls import reverse

from renda.core.models import Notification
from renda.core.ticks import registered
from renda.supervision.actions import common
from renda.supervision.actions import rectification as actions
from renda.supervision.models import SupervisionRules
from renda.supervision.reminders import remind_rectifications
from tests.plans.factories import APRIL, at
from tests.supervision.factories import pdf
from tests.supervision.rect_factories import rect_fixture  # noqa: F401  (the `rect` fixture)

pytestmark = pytest.mark.django_db


def tick(day: date) -> dict[str, list[str]]:
    """Run the tick early on `day`; who got which new titles."""
    last = max(Notification.objects.values_list("id", flat=True), default=0)
    remind_rectifications(at(day, hour=8))
    sent: dict[str, list[str]] = {}
    for n in Notification.objects.filter(id__gt=last).select_related("user").order_by("id"):
        sent.setdefault(n.user.username, []).append(n.title)
    return sent


def both(*titles: str) -> dict[str, list[str]]:
    """The body's user and the supervising office's staff."""
    return {"p_unit": list(titles), "p_social": list(titles)}


@pytest.fixture
def item(rect, time_machine):
    """Opened on 04-01, due 07-01."""
    time_machine.move_to(at(APRIL), tick=False)
    item = rect.open(title="老旧小区加装电梯")
    Notification.objects.all().delete()  # the opening notice is not a reminder
    return item


SOON = "整改事项即将到期：老旧小区加装电梯"
LATE = "整改事项已逾期：老旧小区加装电梯"


def test_the_tick_is_registered():
    assert registered()["supervision_rectification"] is remind_rectifications


def test_due_soon_and_overdue_are_told_once_each(item):
    assert tick(date(2026, 6, 23)) == {}  # eight days ahead
    assert tick(date(2026, 6, 24)) == both(SOON)
    assert tick(date(2026, 6, 24)) == {}  # the worker restarted and ran the tick again
    assert tick(date(2026, 7, 1)) == {}  # due today: already told
    assert tick(date(2026, 7, 2)) == both(LATE)
    assert tick(date(2026, 7, 20)) == {}
    note = Notification.objects.filter(user__username="p_unit").latest("id")
    assert note.url == reverse("supervision:rectification", args=[item.pk])
    assert note.body == "整改责任单位：区住房和城乡建设局；整改期限：2026-07-01"


def test_a_new_deadline_re_arms_both(item, supervision):
    tick(date(2026, 7, 2))
    with common.as_of(date(2026, 7, 3)):
        actions.change_rectification_deadline(
            acting_user=supervision.p.social_staff,
            item=item,
            due_on=date(2026, 7, 31),
            reason="资金下半年到位",
        )
    assert tick(date(2026, 7, 3)) == {}  # neither due soon nor overdue any more
    assert tick(date(2026, 7, 24)) == both(SOON)
    assert tick(date(2026, 8, 1)) == both(LATE)
    assert tick(date(2026, 8, 2)) == {}


def test_nothing_is_told_once_the_item_is_with_the_office_or_closed(item, rect, supervision):
    with common.as_of(date(2026, 6, 1)):
        actions.add_rectification_evidence(
            acting_user=supervision.p.unit, item=item, files=[pdf("验收单.pdf")]
        )
        actions.submit_rectification(acting_user=supervision.p.unit, item=item, result="已完成")
    assert tick(date(2026, 6, 24)) == {}
    assert tick(date(2026, 7, 2)) == {}
    with common.as_of(date(2026, 7, 2)):
        actions.reject_rectification(
            acting_user=supervision.p.social_staff, item=item, reason="缺少验收报告"
        )
    assert tick(date(2026, 7, 3)) == both(LATE)  # back with the body, past its deadline


def test_the_days_ahead_are_configurable(item):
    SupervisionRules.objects.create(pk=1, remind_days_before=14)
    assert tick(date(2026, 6, 16)) == {}
    assert tick(date(2026, 6, 17)) == both(SOON)


def test_only_the_body_and_the_supervising_office_are_told(item, rect, supervision):
    other = rect.open(unit=supervision.org.other_unit, title="道路破损修复")
    sent = tick(date(2026, 6, 24))
    assert sent == {
        "p_unit": [SOON],
        "p_social": [SOON, "整改事项即将到期：道路破损修复"],
        "p_unit2": ["整改事项即将到期：道路破损修复"],
    }
    assert other.due_on == item.due_on
