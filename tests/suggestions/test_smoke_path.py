import pytest

from renda.core.models import Notification, TimelineEvent
from renda.suggestions import actions
from renda.suggestions.models import Status, Suggestion
from tests.suggestions.factories import answer_draft

pytestmark = pytest.mark.django_db


def test_full_path_from_draft_to_closed(world):
    s = world.rated(result="not_satisfied", code="B", cosign=True)
    assert s.status == Status.HANDLING and s.round == 2 and s.not_satisfied_streak == 1
    actions.answer(acting_user=world.p.unit, suggestion=s, draft=answer_draft("B"))
    s = Suggestion.objects.get(pk=s.pk)
    assert s.status == Status.ANSWERED
    actions.rate(
        acting_user=world.p.deputy,
        suggestion=s,
        attitude="satisfied",
        result="satisfied",
        cosigners_consulted=True,
    )
    s = Suggestion.objects.get(pk=s.pk)
    assert s.status == Status.FOLLOW_UP and s.number == 1
    actions.answer(acting_user=world.p.unit, suggestion=s, draft=answer_draft("A"))
    s = Suggestion.objects.get(pk=s.pk)
    assert s.status == Status.ANSWERED
    actions.close(acting_user=world.p.staff, suggestion=s, note="已落实")
    s = Suggestion.objects.get(pk=s.pk)
    assert s.status == Status.CLOSED
    assert TimelineEvent.objects.for_object(s).count() >= 12
    assert Notification.objects.filter(user=world.p.deputy).count() >= 3
