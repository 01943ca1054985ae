"""The issue's acceptance path through the actions alone: a deputy submits with a co-signer →
staff accept and assign to a lead and a co-unit → the co-unit gives its opinion → the lead unit
answers B → 不满意 → answered again → 满意 → follow-up reports solved → closed."""

from datetime import date

import pytest

from renda.core.models import Notification, TimelineEvent
from renda.suggestions import actions
from renda.suggestions.actions import AssignmentPlan
from renda.suggestions.models import Answer, Status, Suggestion
from renda.suggestions.permissions import available_actions
from renda.suggestions.queries import visible_suggestions
from tests.suggestions.factories import (
    answer_draft,
    at,
    frozen,  # noqa: F401  (fixture)
    reload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def may(user, s, today=date(2026, 3, 2)) -> set[str]:
    return available_actions(user, reload(s), today=today)


def test_full_path_from_draft_to_closed(world, time_machine):
    p, unit, co_user = world.p, world.org.unit, world.org.other_unit
    s = world.draft(cosign=True)
    assert not visible_suggestions(world.cosigner).filter(pk=s.pk).exists()

    actions.submit(acting_user=p.deputy, suggestion=s)
    assert "reply_cosign" in may(world.cosigner, s)
    actions.reply_cosign(acting_user=world.cosigner, suggestion=s, confirm=True)

    actions.accept(acting_user=p.staff, suggestion=s)
    plan = AssignmentPlan(mode="lead", lead_unit=unit, co_units=(co_user,))
    actions.assign(acting_user=p.staff, suggestion=s, plan=plan)
    assert reload(s).number == 1 and reload(s).due_at == date(2026, 6, 2)

    actions.sign_for(acting_user=p.unit, assignment=world.assignment(s, unit))
    co = world.assignment(s, co_user)
    actions.sign_for(acting_user=world.co_unit_user, assignment=co)
    assert "answer" not in may(p.unit, s)  # waits for the co-unit's opinion
    actions.submit_opinion(acting_user=world.co_unit_user, assignment=co, opinion="同意。")
    actions.record_contact(
        acting_user=p.unit,
        suggestion=s,
        stage="before",
        method="face",
        contacted_on=date(2026, 3, 2),
        summary="与代表商定先施划临时泊位。",
    )

    time_machine.move_to(at(date(2026, 4, 20)), tick=False)
    actions.answer(acting_user=p.unit, suggestion=s, draft=answer_draft("B"))
    assert reload(s).answered_on_time is True
    actions.rate(
        acting_user=p.deputy,
        suggestion=s,
        attitude="satisfied",
        result="not_satisfied",
        comment="停车位仍然不足。",
        cosigners_consulted=True,
    )
    s = reload(s)
    assert (s.status, s.round, s.due_at) == (Status.HANDLING, 2, date(2026, 5, 20))

    actions.answer(acting_user=p.unit, suggestion=s, draft=answer_draft("B"))
    actions.rate(
        acting_user=p.deputy,
        suggestion=s,
        attitude="satisfied",
        result="satisfied",
        cosigners_consulted=True,
    )
    assert reload(s).status == Status.FOLLOW_UP

    actions.answer(acting_user=p.unit, suggestion=s, draft=answer_draft("A"))
    assert reload(s).status == Status.ANSWERED
    actions.close(acting_user=p.staff, suggestion=s, note="已落实")
    s = reload(s)
    assert s.status == Status.CLOSED

    verbs = list(TimelineEvent.objects.for_object(s).values_list("verb", flat=True))
    assert verbs == [
        "draft",
        "submit",
        "cosign",
        "accept",
        "assign",
        "sign",
        "sign",
        "opinion",
        "contact",
        "answer",
        "rate",
        "answer",
        "rate",
        "answer",
        "close",
    ]
    states = [
        (e.from_state, e.to_state)
        for e in TimelineEvent.objects.for_object(s).exclude(from_state="")
    ]
    assert states == [
        ("draft", "submitted"),
        ("submitted", "accepted"),
        ("accepted", "assigned"),
        ("assigned", "handling"),
        ("handling", "answered"),
        ("answered", "handling"),
        ("handling", "answered"),
        ("answered", "follow_up"),
        ("follow_up", "answered"),
        ("answered", "closed"),
    ]
    assert list(s.answers.values_list("round", "category__code", "status")) == [
        (1, "B", Answer.Status.SUPERSEDED),
        (2, "B", Answer.Status.SUPERSEDED),
        (3, "A", Answer.Status.SENT),
    ]
    # Each role saw only its own: the deputies were told at every answer, and no one else's.
    deputy_titles = list(Notification.objects.filter(user=p.deputy).values_list("title", flat=True))
    assert sum(t.startswith("您的建议已答复") for t in deputy_titles) == 3
    assert (
        Notification.objects.filter(user=world.cosigner, title__startswith="您的建议已答复").count()
        == 3
    )
    for user in (p.unit, world.co_unit_user, p.deputy, world.cosigner, p.street):
        assert list(visible_suggestions(user)) == [Suggestion.objects.get(pk=s.pk)]
    assert not visible_suggestions(p.nobody).exists()
