"""record_cosign: the office enters a co-signer's confirmation given on paper (imports)."""

import pytest

from renda.core.errors import DomainError, NotAllowed
from renda.suggestions import actions
from renda.suggestions.models import Status
from tests.suggestions.factories import Mark, refused, reload

pytestmark = pytest.mark.django_db


def test_office_records_a_paper_confirmation(world):
    s = world.submitted(cosign=True)
    mark = Mark(s)
    cosigner = actions.record_cosign(
        acting_user=world.p.staff, suggestion=s, deputy=world.cosigner.deputy, note="书面"
    )
    assert cosigner.status == "confirmed" and cosigner.replied_at is not None
    event = mark.event()
    assert event.verb == "cosign" and event.summary == "登记李联名书面确认联名"
    assert event.actor == world.p.staff and event.note == "书面"
    assert reload(s).version == s.version + 1
    # Acceptance is no longer held up by the pending co-signer.
    assert actions.accept(acting_user=world.p.staff, suggestion=s).status == Status.ACCEPTED


@pytest.mark.parametrize("who", ["deputy", "unit", "social_staff", "leader", "street"])
def test_only_the_office_records_confirmations(world, who):
    s = world.submitted(cosign=True)
    refused(
        s,
        lambda: actions.record_cosign(
            acting_user=getattr(world.p, who), suggestion=s, deputy=world.cosigner.deputy
        ),
        "只有代表工作机构可以登记联名确认。",
        NotAllowed,
    )


def test_refused_for_a_deputy_who_is_not_a_cosigner(world):
    s = world.submitted(cosign=True)
    refused(
        s,
        lambda: actions.record_cosign(
            acting_user=world.p.staff, suggestion=s, deputy=world.p.deputy.deputy
        ),
        "张代表不是该建议的联名代表。",
    )


def test_refused_once_replied_or_after_review(world):
    s = world.submitted(cosign=True)
    actions.reply_cosign(acting_user=world.cosigner, suggestion=s, confirm=False)
    s = reload(s)
    refused(
        s,
        lambda: actions.record_cosign(
            acting_user=world.p.staff, suggestion=s, deputy=world.cosigner.deputy
        ),
        "李联名已答复过联名邀请。",
    )
    accepted = world.accepted(cosign=True)
    refused(
        accepted,
        lambda: actions.record_cosign(
            acting_user=world.p.staff, suggestion=accepted, deputy=world.cosigner.deputy
        ),
        "建议已审查，联名确认已截止。",
        DomainError,
    )
