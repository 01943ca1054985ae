"""Drafting, submission, withdrawal and co-signing: every allowed and refused move."""

from datetime import date

import pytest

from renda.core.errors import DomainError, NotAllowed
from renda.core.models import Notification, TimelineEvent
from renda.suggestions import actions
from renda.suggestions.models import Category, CoSigner, Status, Suggestion
from tests.deputies.factories import DeputyFactory, MandateFactory
from tests.suggestions.factories import (
    Mark,
    category,
    person,
    refused,
    reload,
)

pytestmark = pytest.mark.django_db

DRAFT_FIELDS = {
    "title": "关于解决老旧小区停车难的建议",
    "content": "建议挖潜增设停车位。",
    "timing": Suggestion.Timing.BETWEEN_SESSIONS,
}


def new_draft(world, acting_user=None, **overrides):
    values = {**DRAFT_FIELDS, "category": category(), **overrides}
    return actions.save_draft(
        acting_user=acting_user or world.p.deputy, deputy=world.p.deputy.deputy, **values
    )


# -- save_draft -----------------------------------------------------------------------------------


def test_deputy_saves_a_draft_of_their_own(world):
    s = new_draft(world, cosigners=[world.cosigner.deputy], wants_face_to_face=True)
    s = reload(s)
    assert s.status == Status.DRAFT and s.number is None
    assert (s.term_number, s.session_number) == (18, 5)  # the congress's current session
    assert s.street == world.org.street  # from the deputy's mandate
    assert s.created_by == world.p.deputy and s.wants_face_to_face
    assert list(s.cosigners.values_list("deputy", "status")) == [
        (world.cosigner.deputy.pk, CoSigner.Status.PENDING)
    ]
    (event,) = TimelineEvent.objects.for_object(s)
    assert (event.verb, event.summary, event.actor) == ("draft", "起草建议", world.p.deputy)
    assert not Notification.objects.exists()  # a draft tells nobody


def test_office_enters_a_draft_on_a_deputys_behalf(world):
    s = new_draft(world, acting_user=world.p.staff, term_number=18, session_number=4)
    assert s.created_by == world.p.staff and s.session_number == 4
    # Both the deputy and the staff member who entered it may edit it.
    for editor in (world.p.staff, world.p.deputy):
        s = actions.save_draft(
            acting_user=editor,
            deputy=world.p.deputy.deputy,
            suggestion=s,
            version=reload(s).version,
            **{**DRAFT_FIELDS, "category": category("教育"), "title": f"{editor.full_name}改"},
        )
    assert reload(s).title == "张代表改" and reload(s).category.name == "教育"


def test_editing_a_draft_bumps_the_version_and_replaces_cosigners(world):
    s = new_draft(world, cosigners=[world.cosigner.deputy])
    other = DeputyFactory(full_name="赵另一")
    MandateFactory(deputy=other)
    mark = Mark(s)
    s2 = actions.save_draft(
        acting_user=world.p.deputy,
        deputy=world.p.deputy.deputy,
        suggestion=s,
        version=s.version,
        cosigners=[other],
        **{**DRAFT_FIELDS, "category": category()},
    )
    assert s2.version == s.version + 1
    assert list(s2.cosigners.values_list("deputy__full_name", flat=True)) == ["赵另一"]
    event = mark.event()
    assert (event.verb, event.summary) == ("edit_draft", "修改草稿")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": "  "}, "请填写标题。"),
        ({"content": ""}, "请填写建议内容。"),
        ({"title": "长" * 201}, "标题不能超过 200 字。"),
        ({"timing": "sometime"}, "请选择提出时间。"),
        ({"kind": "petition"}, "请选择类型。"),
    ],
)
def test_bad_draft_input_is_refused(world, overrides, message):
    with pytest.raises(DomainError) as info:
        new_draft(world, **overrides)
    assert info.value.message == message
    assert not Suggestion.objects.exists()


def test_inactive_category_is_refused(world):
    old = Category.objects.create(name="旧类别", is_active=False)
    with pytest.raises(DomainError, match="该类别已停用。"):
        new_draft(world, category=old)
    assert not Suggestion.objects.exists()


def test_lead_deputy_cannot_also_cosign(world):
    with pytest.raises(DomainError) as info:
        new_draft(world, cosigners=[world.p.deputy.deputy])
    assert info.value.message == "领衔代表不必再列为联名代表。"
    assert not Suggestion.objects.exists()


def test_deputy_without_mandate_cannot_propose_or_cosign(world):
    lapsed = DeputyFactory(full_name="钱已离任")
    with pytest.raises(DomainError) as info:
        new_draft(world, cosigners=[lapsed])
    assert info.value.message == "钱已离任没有有效的代表资格，不能联名。"
    with pytest.raises(DomainError) as info:
        actions.save_draft(
            acting_user=world.p.staff,
            deputy=lapsed,
            category=category(),
            **DRAFT_FIELDS,
        )
    assert info.value.message == "钱已离任没有有效的代表资格，不能提出建议。"
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize("who", ["leader", "social_staff", "street", "unit", "nobody", "cosigner"])
def test_only_the_deputy_or_the_office_drafts_in_a_deputys_name(world, who):
    with pytest.raises(NotAllowed) as info:
        new_draft(world, acting_user=person(world, who))
    assert info.value.message == "只能以本人名义提出建议；代为录入须由代表工作机构办理。"
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize("who", ["admin", "staff"])
def test_others_cannot_edit_a_deputys_own_draft(world, who):
    # admin and staff may draft on a deputy's behalf, but not edit a draft they did not enter.
    s = new_draft(world)
    refused(
        s,
        lambda: actions.save_draft(
            acting_user=person(world, who),
            deputy=world.p.deputy.deputy,
            suggestion=s,
            category=category(),
            **DRAFT_FIELDS,
        ),
        "只有起草人可以修改草稿。",
        NotAllowed,
    )


def test_a_submitted_suggestion_is_no_longer_an_editable_draft(world):
    s = world.submitted()
    refused(
        s,
        lambda: actions.save_draft(
            acting_user=world.p.deputy,
            deputy=world.p.deputy.deputy,
            suggestion=s,
            category=category(),
            **DRAFT_FIELDS,
        ),
        "建议已提交，不能再修改草稿。",
    )


# -- delete_draft ---------------------------------------------------------------------------------


def test_drafter_deletes_a_draft(world):
    s = new_draft(world, cosigners=[world.cosigner.deputy])
    actions.delete_draft(acting_user=world.p.deputy, suggestion=s)
    assert not Suggestion.objects.exists() and not CoSigner.objects.exists()
    # The timeline is append-only: the draft's history stays.
    assert TimelineEvent.objects.filter(object_id=s.pk, verb="draft").exists()


@pytest.mark.parametrize("who", ["staff", "admin", "leader", "unit", "cosigner"])
def test_only_the_drafter_deletes(world, who):
    s = new_draft(world)
    refused(
        s,
        lambda: actions.delete_draft(acting_user=person(world, who), suggestion=s),
        "只有起草人可以删除草稿。",
        NotAllowed,
    )


@pytest.mark.parametrize("status", [s for s in Status.values if s != Status.DRAFT])
def test_only_drafts_are_deleted(world, status):
    s = world.in_state(status)
    refused(
        s, lambda: actions.delete_draft(acting_user=world.p.deputy, suggestion=s), "只能删除草稿。"
    )


# -- submit ---------------------------------------------------------------------------------------


def test_submit_moves_to_submitted_and_asks_cosigners_and_the_office(world):
    s = world.draft(cosign=True)
    mark = Mark(s)
    s = actions.submit(acting_user=world.p.deputy, suggestion=s, version=s.version)
    s = reload(s)
    assert s.status == Status.SUBMITTED and s.submitted_at is not None and s.version == 2
    event = mark.event()
    assert (event.verb, event.from_state, event.to_state) == ("submit", "draft", "submitted")
    assert mark.notified() == {
        "p_cosigner": ["请确认联名：关于解决老旧小区停车难的建议"],
        "p_staff": ["新提交的建议待审查：关于解决老旧小区停车难的建议"],
    }


def test_staff_submits_the_draft_they_entered(world):
    s = new_draft(world, acting_user=world.p.staff)
    actions.submit(acting_user=world.p.staff, suggestion=s)
    assert reload(s).status == Status.SUBMITTED


@pytest.mark.parametrize("who", ["staff", "admin", "leader", "street", "unit", "cosigner"])
def test_only_the_drafter_submits(world, who):
    s = world.draft()
    refused(
        s,
        lambda: actions.submit(acting_user=person(world, who), suggestion=s),
        "只有起草人可以提交。",
        NotAllowed,
    )


@pytest.mark.parametrize("status", [s for s in Status.values if s != Status.DRAFT])
def test_submit_refused_outside_draft(world, status):
    s = world.in_state(status)
    label = Status(status).label
    refused(
        s,
        lambda: actions.submit(acting_user=world.p.deputy, suggestion=s),
        f"当前状态为“{label}”，不能提交。",
    )


# -- withdraw -------------------------------------------------------------------------------------


def test_withdraw_returns_to_draft_and_resets_cosigners(world):
    s = world.submitted(cosign=True)
    actions.reply_cosign(acting_user=world.cosigner, suggestion=s, confirm=True)
    mark = Mark(s)
    actions.withdraw(acting_user=world.p.deputy, suggestion=s)
    s = reload(s)
    assert s.status == Status.DRAFT and s.submitted_at is None
    assert s.cosigners.get().status == CoSigner.Status.PENDING
    event = mark.event()
    assert (event.verb, event.from_state, event.to_state) == ("withdraw", "submitted", "draft")
    # Submitted again: the co-signer must confirm again, so is asked again.
    mark = Mark(s)
    actions.submit(acting_user=world.p.deputy, suggestion=s)
    assert "p_cosigner" in mark.notified()


@pytest.mark.parametrize("who", ["staff", "admin", "leader", "unit", "cosigner"])
def test_only_the_drafter_withdraws(world, who):
    s = world.submitted(cosign=True)
    refused(
        s,
        lambda: actions.withdraw(acting_user=person(world, who), suggestion=s),
        "只有起草人可以撤回。",
        NotAllowed,
    )


@pytest.mark.parametrize("status", [s for s in Status.values if s != Status.SUBMITTED])
def test_withdraw_refused_outside_submitted(world, status):
    s = world.in_state(status)
    refused(
        s,
        lambda: actions.withdraw(acting_user=world.p.deputy, suggestion=s),
        f"当前状态为“{Status(status).label}”，不能撤回。",
    )


# -- reply_cosign ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("confirm", "word"), [(True, "确认联名"), (False, "拒绝联名")])
def test_cosigner_confirms_or_declines(world, confirm, word):
    s = world.submitted(cosign=True)
    mark = Mark(s)
    cosigner = actions.reply_cosign(acting_user=world.cosigner, suggestion=s, confirm=confirm)
    expected = CoSigner.Status.CONFIRMED if confirm else CoSigner.Status.DECLINED
    assert cosigner.status == expected and cosigner.replied_at is not None
    assert mark.event().summary == f"李联名{word}"
    assert reload(s).version == s.version + 1


def test_cosigner_replies_once(world):
    s = world.submitted(cosign=True)
    actions.reply_cosign(acting_user=world.cosigner, suggestion=s, confirm=True)
    refused(
        s,
        lambda: actions.reply_cosign(acting_user=world.cosigner, suggestion=s, confirm=False),
        "您已答复过联名邀请。",
    )


@pytest.mark.parametrize("who", ["deputy", "staff", "admin", "unit", "street"])
def test_only_a_cosigner_replies(world, who):
    s = world.submitted(cosign=True)
    refused(
        s,
        lambda: actions.reply_cosign(acting_user=person(world, who), suggestion=s, confirm=True),
        "您不是该建议的联名代表。",
        NotAllowed,
    )


@pytest.mark.parametrize("status", [s for s in Status.values if s != Status.SUBMITTED])
def test_cosigning_closes_once_reviewed(world, status):
    s = world.in_state(status)
    refused(
        s,
        lambda: actions.reply_cosign(acting_user=world.cosigner, suggestion=s, confirm=True),
        "建议已审查，联名确认已截止。",
    )


def test_submission_dates_follow_as_of(world):
    # Entering last session's register: the actions run "as of" a past day.
    with actions.as_of(date(2025, 1, 10)):
        s = actions.submit(acting_user=world.p.deputy, suggestion=world.draft())
    assert reload(s).submitted_at.date() == date(2025, 1, 10)
    event = TimelineEvent.objects.for_object(s).get(verb="submit")
    assert event.created_at.date() == date(2025, 1, 10)
