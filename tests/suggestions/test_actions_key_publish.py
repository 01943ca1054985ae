"""Key suggestions (重点督办, 代表法 52) flagged by leaders; publication and confidentiality
(SD 27) decided by the office."""

import pytest

from renda.core.errors import NotAllowed
from renda.suggestions import actions
from renda.suggestions.models import Status, Suggestion
from tests.suggestions.factories import (
    NOT_OFFICE,
    Mark,
    frozen,  # noqa: F401  (fixture)
    person,
    refused,
    reload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TITLE = "第1号 关于解决老旧小区停车难的建议"
UNREGISTERED = ["draft", "submitted", "declined", "merged"]
REGISTERED = ["accepted", "assigned", "handling", "answered", "follow_up", "closed"]
NOT_LEADER = ("staff", "social_staff", "street", "deputy", "unit", "nobody", "cosigner")


def flag(world, s, who=None, leader=None, office="default"):
    return actions.flag_key(
        acting_user=who or world.p.leader,
        suggestion=s,
        leader=leader or world.p.leader,
        office=world.org.social_office if office == "default" else office,
        note="群众反映集中",
    )


# -- flag_key / unflag_key ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["leader", "admin"])
def test_leader_flags_a_key_suggestion(world, who):
    s = world.handling()
    mark = Mark(s)
    flag(world, s, who=person(world, who))
    s = reload(s)
    assert (s.is_key, s.key_leader, s.key_office) == (
        True,
        world.p.leader,
        world.org.social_office,
    )
    assert s.status == Status.HANDLING
    event = mark.event()
    assert (event.verb, event.summary, event.note) == (
        "flag_key",
        "列为重点督办建议：李主任督办，社会建设工作室跟踪",
        "群众反映集中",
    )
    assert mark.notified() == {
        "p_leader": [f"重点督办建议：{TITLE}"],
        "p_unit": [f"重点督办建议：{TITLE}"],
    }


@pytest.mark.parametrize("status", REGISTERED)
def test_any_registered_suggestion_may_be_flagged(world, status):
    s = world.in_state(status)
    flag(world, s)
    assert reload(s).is_key


@pytest.mark.parametrize("status", UNREGISTERED)
def test_unregistered_suggestions_cannot_be_flagged(world, status):
    s = world.in_state(status)
    refused(s, lambda: flag(world, s), "只有已立案的建议可以列为重点督办。")


@pytest.mark.parametrize("who", NOT_LEADER)
def test_only_leaders_flag(world, who):
    s = world.accepted()
    refused(
        s,
        lambda: flag(world, s, who=person(world, who)),
        "只有常委会领导可以确定重点督办建议。",
        NotAllowed,
    )


def test_flag_needs_a_leader_and_an_office(world):
    s = world.accepted()
    refused(s, lambda: flag(world, s, leader=world.p.staff), "督办领导应为常委会领导。")
    refused(s, lambda: flag(world, s, office=None), "请选择督办机构。")
    flag(world, s)
    refused(s, lambda: flag(world, s), "该建议已是重点督办建议；更换督办领导请先取消后重新确定。")


def test_leader_unflags(world):
    s = world.accepted()
    flag(world, s)
    mark = Mark(s)
    actions.unflag_key(acting_user=world.p.leader, suggestion=s, note="已解决")
    s = reload(s)
    assert (s.is_key, s.key_leader, s.key_office) == (False, None, None)
    event = mark.event()
    assert (event.verb, event.summary) == ("unflag_key", "取消重点督办")
    refused(
        s,
        lambda: actions.unflag_key(acting_user=world.p.leader, suggestion=s),
        "该建议不是重点督办建议。",
    )


@pytest.mark.parametrize("who", NOT_LEADER)
def test_only_leaders_unflag(world, who):
    s = world.accepted()
    flag(world, s)
    refused(
        s,
        lambda: actions.unflag_key(acting_user=person(world, who), suggestion=s),
        "只有常委会领导可以调整重点督办建议。",
        NotAllowed,
    )


# -- publish / unpublish --------------------------------------------------------------------------


@pytest.mark.parametrize("status", REGISTERED)
def test_office_publishes_a_registered_suggestion(world, status):
    s = world.in_state(status)
    mark = Mark(s)
    actions.publish(acting_user=world.p.staff, suggestion=s)
    assert reload(s).published_at is not None
    assert (mark.event().verb, mark.event().summary) == ("publish", "向社会公开")


@pytest.mark.parametrize("status", UNREGISTERED)
def test_unregistered_suggestions_are_not_published(world, status):
    s = world.in_state(status)
    refused(
        s,
        lambda: actions.publish(acting_user=world.p.staff, suggestion=s),
        "只有已立案的建议可以公开。",
    )


def test_publish_refusals(world):
    s = world.answered()
    actions.publish(acting_user=world.p.staff, suggestion=s)
    refused(s, lambda: actions.publish(acting_user=world.p.staff, suggestion=s), "该建议已公开。")
    t = world.answered()
    actions.set_confidential(
        acting_user=world.p.staff, suggestion=t, confidential=True, reason="涉及个人隐私"
    )
    refused(
        t,
        lambda: actions.publish(acting_user=world.p.staff, suggestion=t),
        "该建议涉及国家秘密、商业秘密或个人隐私，不予公开。",
    )


@pytest.mark.parametrize("who", NOT_OFFICE)
def test_only_the_office_publishes(world, who):
    s = world.answered()
    refused(
        s,
        lambda: actions.publish(acting_user=person(world, who), suggestion=s),
        "只有代表工作机构可以公开建议。",
        NotAllowed,
    )


def test_office_unpublishes_with_a_reason(world):
    s = world.answered()
    refused(
        s,
        lambda: actions.unpublish(acting_user=world.p.staff, suggestion=s, reason="x"),
        "该建议尚未公开。",
    )
    actions.publish(acting_user=world.p.staff, suggestion=s)
    refused(
        s,
        lambda: actions.unpublish(acting_user=world.p.staff, suggestion=s, reason=""),
        "请填写撤回公开的理由。",
    )
    refused(
        s,
        lambda: actions.unpublish(acting_user=world.p.leader, suggestion=s, reason="x"),
        "只有代表工作机构可以撤回公开。",
        NotAllowed,
    )
    mark = Mark(s)
    actions.unpublish(acting_user=world.p.staff, suggestion=s, reason="含电话号码")
    assert reload(s).published_at is None
    event = mark.event()
    assert (event.verb, event.note) == ("unpublish", "含电话号码")


# -- set_confidential -----------------------------------------------------------------------------


def test_confidential_withdraws_publication(world):
    s = world.answered()
    actions.publish(acting_user=world.p.staff, suggestion=s)
    mark = Mark(s)
    actions.set_confidential(
        acting_user=world.p.staff, suggestion=s, confidential=True, reason="涉及商业秘密"
    )
    s = reload(s)
    assert s.is_confidential and s.published_at is None
    event = mark.event()
    assert (event.verb, event.summary, event.note) == (
        "confidential",
        "设为不予公开",
        "涉及商业秘密",
    )
    mark = Mark(s)
    actions.set_confidential(acting_user=world.p.staff, suggestion=s, confidential=False)
    assert not reload(s).is_confidential
    assert mark.event().summary == "取消不予公开"


def test_confidential_refusals(world):
    s = world.answered()
    refused(
        s,
        lambda: actions.set_confidential(
            acting_user=world.p.staff, suggestion=s, confidential=True, reason=" "
        ),
        "请填写不予公开的理由。",
    )
    refused(
        s,
        lambda: actions.set_confidential(
            acting_user=world.p.staff, suggestion=s, confidential=False
        ),
        "该建议未设为不予公开。",
    )
    refused(
        s,
        lambda: actions.set_confidential(
            acting_user=world.p.unit, suggestion=s, confidential=True, reason="x"
        ),
        "只有代表工作机构可以设置不予公开。",
        NotAllowed,
    )
    d = world.submitted()
    refused(
        d,
        lambda: actions.set_confidential(
            acting_user=world.p.staff, suggestion=d, confidential=True, reason="x"
        ),
        "只有已立案的建议才需决定是否公开。",
    )


# -- publish_answered -----------------------------------------------------------------------------


def test_publish_a_sessions_answered_suggestions_at_once(world):
    answered, closed, handling = world.answered(), world.closed(), world.handling()
    secret = world.answered()
    actions.set_confidential(
        acting_user=world.p.staff, suggestion=secret, confidential=True, reason="涉密"
    )
    other_session = world.answered(session_number=6)
    count = actions.publish_answered(acting_user=world.p.staff, term_number=18, session_number=5)
    assert count == 2
    published = set(Suggestion.objects.exclude(published_at=None).values_list("pk", flat=True))
    assert published == {answered.pk, closed.pk}
    assert handling.pk not in published and other_session.pk not in published
    assert (
        actions.publish_answered(acting_user=world.p.staff, term_number=18, session_number=5) == 0
    )
    with pytest.raises(NotAllowed):
        actions.publish_answered(acting_user=world.p.leader, term_number=18, session_number=5)
