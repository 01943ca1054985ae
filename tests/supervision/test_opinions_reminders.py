"""The handling-report tick: an issued (or followed-up) review opinion whose written report is
not in is told once before it falls due and once when it is late, to the body's users and the
supervising office's staff; a follow-up round re-arms it."""

from datetime import date

import pytest

from renda.core.models import Notification
from renda.core.ticks import registered
from renda.supervision.actions import opinions as actions
from renda.supervision.reminders import remind_opinions
from tests.plans.factories import at
from tests.supervision.opinion_factories import issue_day_fixture, opinions_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def tick(day: date) -> dict[str, list[str]]:
    last = max(Notification.objects.values_list("id", flat=True), default=0)
    remind_opinions(at(day, hour=8))
    sent: dict[str, list[str]] = {}
    for n in Notification.objects.filter(id__gt=last).select_related("user").order_by("id"):
        sent.setdefault(n.user.username, []).append(n.title)
    return sent


@pytest.fixture
def opinion(opinions):
    opinion = opinions.issued()
    Notification.objects.all().delete()  # the issuing notice is not a reminder
    return opinion


def titles(opinion, what: str) -> dict[str, list[str]]:
    title = f"审议意见研究处理情况报告{what}：{opinion.title}"
    return {"p_unit": [title], "p_social": [title]}


def test_the_tick_is_registered():
    assert registered()["supervision_opinions"] is remind_opinions


def test_due_soon_and_overdue_once_each(opinion):
    due = opinion.due_on
    assert tick(date.fromordinal(due.toordinal() - 8)) == {}
    assert tick(date.fromordinal(due.toordinal() - 7)) == titles(opinion, "即将到期")
    assert tick(date.fromordinal(due.toordinal() - 7)) == {}  # run again: nothing new
    assert tick(due) == {}
    assert tick(date.fromordinal(due.toordinal() + 1)) == titles(opinion, "已逾期")
    assert tick(date.fromordinal(due.toordinal() + 2)) == {}


def test_a_handling_report_in_time_stops_the_reminders(opinion, opinions, time_machine):
    time_machine.move_to(at(date.fromordinal(opinion.due_on.toordinal() - 10)), tick=False)
    actions.report_opinion_handling(
        acting_user=opinions.p.unit, opinion=opinion, text="已逐条研究处理。"
    )
    assert tick(opinion.due_on) == {}
    assert tick(date.fromordinal(opinion.due_on.toordinal() + 1)) == {}


def test_a_follow_up_round_is_reminded_again(opinion, opinions, time_machine):
    from renda.meetings.models import Meeting

    first_due = opinion.due_on
    assert tick(date.fromordinal(first_due.toordinal() + 1)) == titles(opinion, "已逾期")
    late = date.fromordinal(first_due.toordinal() + 3)
    time_machine.move_to(at(late), tick=False)
    opinion = actions.report_opinion_handling(
        acting_user=opinions.p.unit, opinion=opinion, text="已逐条研究处理。"
    )
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.STANDING, term_number=18, number=31, date=late
    )
    opinion = actions.record_opinion_vote(
        acting_user=opinions.staff,
        opinion=opinion,
        meeting=meeting,
        votes_satisfied=3,
        votes_basic=4,
        votes_unsatisfied=20,
    )
    assert opinion.status == "follow_up" and opinion.round == 2 and opinion.due_on > first_due
    assert tick(date.fromordinal(opinion.due_on.toordinal() + 1)) == titles(opinion, "已逾期")
