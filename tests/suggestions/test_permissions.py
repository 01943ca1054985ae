"""Who may do what (`available_actions`) and who sees what (`visible_suggestions`): the one list
pages and the API show, table-driven per persona and state."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from renda.suggestions import actions
from renda.suggestions.models import Status, Suggestion
from renda.suggestions.permissions import available_actions, get_suggestion_for_user
from renda.suggestions.queries import visible_suggestions
from tests.core.factories import UnitFactory, UserFactory, grant
from tests.deputies.factories import DeputyFactory, MandateFactory
from tests.suggestions.factories import (
    MONDAY,
    answer_draft,
    at,
    frozen,  # noqa: F401  (fixture)
    person,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

PERSONAS = (
    "admin",
    "staff",
    "leader",
    "social_staff",
    "street",
    "deputy",
    "cosigner",
    "unit",
    "co_unit_user",
    "nobody",
)
ATTACH = {"add_attachment", "remove_attachment"}
PUBLIC = {"set_confidential", "publish"}

# What each persona may do on a suggestion of the lead deputy (张代表), not jointly signed,
# assigned to a lead unit (住建局, user "unit") and a co-unit (城管局, "co_unit_user").
# Personas not named may do nothing.
TABLE: dict[str, dict[str, set[str]]] = {
    "draft": {
        "deputy": {"save_draft", "submit", "delete_draft", *ATTACH},
    },
    "submitted": {
        "deputy": {"withdraw", "add_attachment"},
        "staff": {"accept", "decline", "merge", *ATTACH},
        "admin": {"accept", "decline", "merge", *ATTACH},
    },
    "declined": {"staff": ATTACH, "admin": ATTACH},
    "merged": {"staff": ATTACH, "admin": ATTACH},
    "accepted": {
        "staff": {"assign", *PUBLIC, *ATTACH},
        "admin": {"assign", "flag_key", *PUBLIC, *ATTACH},
        "leader": {"flag_key"},
    },
    "assigned": {
        "staff": {"extend_deadline", *PUBLIC, *ATTACH},
        "admin": {"extend_deadline", "flag_key", *PUBLIC, *ATTACH},
        "leader": {"flag_key"},
        "unit": {"sign_for", "request_adjustment"},
        "co_unit_user": {"sign_for", "request_adjustment"},
    },
    "handling": {
        "staff": {"extend_deadline", *PUBLIC, *ATTACH},
        "admin": {"extend_deadline", "flag_key", *PUBLIC, *ATTACH},
        "leader": {"flag_key"},
        # No answer yet: the co-unit's opinion is missing.
        "unit": {"record_contact", "request_extension"},
        "co_unit_user": {"record_contact", "submit_opinion"},
    },
    "answered": {
        "staff": {"return_answer", "correct_category", "close", *PUBLIC, *ATTACH},
        "admin": {"return_answer", "correct_category", "close", "flag_key", *PUBLIC, *ATTACH},
        "leader": {"flag_key"},
        "unit": {"record_contact", "add_attachment"},
        "co_unit_user": {"record_contact"},
        "deputy": {"rate"},
    },
    "follow_up": {
        "staff": {"correct_category", *PUBLIC, *ATTACH},
        "admin": {"correct_category", "flag_key", *PUBLIC, *ATTACH},
        "leader": {"flag_key"},
        "unit": {"record_contact", "answer", "add_attachment"},
        "co_unit_user": {"record_contact"},
    },
    "closed": {
        "staff": {*PUBLIC, *ATTACH},
        "admin": {"flag_key", *PUBLIC, *ATTACH},
        "leader": {"flag_key"},
    },
}


def actions_of(world, who: str, s: Suggestion) -> set[str]:
    user = person(world, who)
    return available_actions(user, Suggestion.objects.get(pk=s.pk), today=MONDAY)


@pytest.mark.parametrize("status", Status.values)
def test_available_actions_per_persona_and_state(world, status):
    assert set(TABLE) == set(Status.values)  # every state has a row
    s = world.in_state(status)
    got = {who: actions_of(world, who, s) for who in PERSONAS}
    expected = {who: TABLE[status].get(who, set()) for who in PERSONAS}
    assert got == expected


def test_the_names_are_the_actions_functions(world):
    names = set().union(*(row for state in TABLE.values() for row in state.values()))
    names |= {"reply_cosign", "convert_motion", "decide_adjustment", "decide_extension"}
    names |= {"unpublish", "unflag_key", "confirm_face_to_face"}
    assert all(callable(getattr(actions, name, None)) for name in names), names


def test_lead_unit_answers_once_the_co_unit_has_given_its_opinion(world):
    s = world.opinion_given()
    assert actions_of(world, "unit", s) == {"record_contact", "request_extension", "answer"}
    assert actions_of(world, "co_unit_user", s) == {"record_contact", "submit_opinion"}


def test_joint_submission_waits_for_the_cosigner(world):
    s = world.submitted(cosign=True)
    assert actions_of(world, "cosigner", s) == {"reply_cosign"}
    assert actions_of(world, "staff", s) == {"decline", *ATTACH}  # not accept nor merge yet
    actions.reply_cosign(acting_user=world.cosigner, suggestion=s, confirm=True)
    assert actions_of(world, "cosigner", s) == set()
    assert actions_of(world, "staff", s) == {"accept", "decline", "merge", *ATTACH}


def test_a_motion_offers_conversion_not_acceptance(world):
    s = world.submitted(kind=Suggestion.Kind.MOTION)
    assert actions_of(world, "staff", s) == {"decline", "convert_motion", *ATTACH}


def test_office_entered_draft_is_the_staff_members_to_edit(world):
    s = actions.save_draft(
        acting_user=world.p.staff,
        deputy=world.p.deputy.deputy,
        title="代为录入",
        content="内容",
        category=world.draft().category,
        timing="during",
    )
    editing = {"save_draft", "submit", "delete_draft", *ATTACH}
    assert actions_of(world, "staff", s) == editing
    assert actions_of(world, "deputy", s) == editing
    assert actions_of(world, "admin", s) == set()


def test_adjustment_window_and_requests(world, time_machine):
    s = world.assigned()
    lead = world.assignment(s, world.org.unit)
    actions.request_adjustment(acting_user=world.p.unit, assignment=lead, reason="非本单位职责")
    assert actions_of(world, "unit", s) == set()  # waiting for the office's decision
    assert "decide_adjustment" in actions_of(world, "staff", s)
    time_machine.move_to(at(date(2026, 3, 10)), tick=False)  # after the window
    user = world.co_unit_user
    assert available_actions(user, s, today=date(2026, 3, 10)) == {"sign_for"}


def test_pending_extension(world):
    s = world.handling()
    actions.request_extension(
        acting_user=world.p.unit, suggestion=s, new_due=date(2026, 7, 1), reason="协调中"
    )
    assert "decide_extension" in actions_of(world, "staff", s)
    assert "request_extension" not in actions_of(world, "unit", s)


def test_publication_and_key_switch_their_counterparts(world):
    s = world.answered()
    actions.publish(acting_user=world.p.staff, suggestion=s)
    assert {"unpublish", "set_confidential"} <= actions_of(world, "staff", s)
    assert "publish" not in actions_of(world, "staff", s)
    actions.set_confidential(
        acting_user=world.p.staff, suggestion=s, confidential=True, reason="个人隐私"
    )
    assert not {"publish", "unpublish"} & actions_of(world, "staff", s)
    actions.flag_key(
        acting_user=world.p.leader,
        suggestion=s,
        leader=world.p.leader,
        office=world.org.deputy_office,
    )
    assert actions_of(world, "leader", s) == {"unflag_key"}


def test_face_to_face_answer_awaits_the_deputys_confirmation(world):
    s = world.opinion_given()
    actions.answer(acting_user=world.p.unit, suggestion=s, draft=answer_draft(is_face_to_face=True))
    assert actions_of(world, "deputy", s) == {"rate", "confirm_face_to_face"}


def test_separate_follow_up_only_the_unit_that_owes_it_answers(world):
    s = world.assigned(separate=True)
    actions.sign_for(acting_user=world.p.unit, assignment=world.assignment(s, world.org.unit))
    co = world.assignment(s, world.org.other_unit)
    actions.sign_for(acting_user=world.co_unit_user, assignment=co)
    actions.answer(acting_user=world.p.unit, suggestion=s, draft=answer_draft("A"))
    assert "answer" not in actions_of(world, "unit", s)
    assert "answer" in actions_of(world, "co_unit_user", s)
    actions.answer(acting_user=world.co_unit_user, suggestion=s, draft=answer_draft("B"))
    actions.rate(acting_user=world.p.deputy, suggestion=s, attitude="satisfied", result="satisfied")
    assert "answer" not in actions_of(world, "unit", s)
    assert "answer" in actions_of(world, "co_unit_user", s)


# -- visible_suggestions --------------------------------------------------------------------------


def seen_by(user) -> set[int]:
    return set(visible_suggestions(user).values_list("pk", flat=True))


def test_a_unit_never_sees_another_units_suggestion(world):
    mine = world.assigned(co_unit=False)  # only 住建局
    theirs = world.accepted()
    actions.assign(
        acting_user=world.p.staff,
        suggestion=theirs,
        plan=actions.AssignmentPlan(mode="lead", lead_unit=world.org.other_unit),
    )
    world.accepted()  # not assigned at all
    assert seen_by(world.p.unit) == {mine.pk}
    assert seen_by(world.co_unit_user) == {theirs.pk}
    with pytest.raises(Http404):
        get_suggestion_for_user(world.p.unit, theirs.pk)


def test_a_withdrawn_assignment_is_no_longer_seen(world):
    s = world.assigned(co_unit=False)
    lead = world.assignment(s, world.org.unit)
    actions.request_adjustment(acting_user=world.p.unit, assignment=lead, reason="非本单位职责")
    assert seen_by(world.p.unit) == {s.pk}  # asking does not drop it
    actions.decide_adjustment(
        acting_user=world.p.staff, assignment=lead, reassign_to=UnitFactory(name="区教育局")
    )
    assert seen_by(world.p.unit) == set()


def test_deputies_see_their_own_drafts_only(world):
    mine = world.draft(cosign=True)
    other_user = UserFactory(username="p_other_deputy")
    grant(other_user, "deputy")
    other = DeputyFactory(full_name="孙其他", user=other_user)
    MandateFactory(deputy=other, street=world.org.street)
    theirs = actions.save_draft(
        acting_user=other_user,
        deputy=other,
        title="他人草稿",
        content="内容",
        category=mine.category,
        timing="during",
    )
    assert seen_by(world.p.deputy) == {mine.pk}
    assert seen_by(other_user) == {theirs.pk}
    assert seen_by(world.cosigner) == set()  # a co-signer does not see the draft …
    actions.submit(acting_user=world.p.deputy, suggestion=mine)
    assert seen_by(world.cosigner) == {mine.pk}  # … but sees it once submitted
    assert seen_by(other_user) == {theirs.pk}  # another deputy's suggestion stays unseen


def test_street_sees_only_its_streets_non_drafts(world):
    draft = world.draft()
    here = world.submitted()
    elsewhere_user = UserFactory(username="p_far_deputy")
    grant(elsewhere_user, "deputy")
    far = DeputyFactory(full_name="周远", user=elsewhere_user)
    MandateFactory(deputy=far, street=world.org.other_street)
    elsewhere = actions.submit(
        acting_user=elsewhere_user,
        suggestion=actions.save_draft(
            acting_user=elsewhere_user,
            deputy=far,
            title="大明湖街道的建议",
            content="内容",
            category=here.category,
            timing="during",
        ),
    )
    assert seen_by(world.p.street) == {here.pk}
    assert draft.pk not in seen_by(world.p.street) and elsewhere.pk not in seen_by(world.p.street)


def test_other_office_staff_and_leaders_read_every_non_draft(world):
    draft = world.draft()
    rows = {world.submitted().pk, world.answered().pk, world.declined().pk}
    assert seen_by(world.p.social_staff) == rows
    assert seen_by(world.p.leader) == rows
    assert draft.pk not in seen_by(world.p.staff)  # a deputy's own draft is theirs alone
    # Reading is all the other office may do.
    for pk in rows:
        s = Suggestion.objects.get(pk=pk)
        assert available_actions(world.p.social_staff, s, today=MONDAY) == set()


def test_no_role_no_suggestions(world):
    world.answered()
    assert seen_by(world.p.nobody) == set()
    assert seen_by(AnonymousUser()) == set()
