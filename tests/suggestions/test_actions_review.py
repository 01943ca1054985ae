"""Review by the assigning office: accept (numbering), decline, convert a motion, merge."""

import pytest

from renda.core.errors import ConflictError, NotAllowed
from renda.suggestions import actions
from renda.suggestions.models import Status, Suggestion
from tests.suggestions.factories import (
    NOT_OFFICE,
    Mark,
    answer_draft,
    person,
    refused,
    reload,
)

pytestmark = pytest.mark.django_db

NOT_SUBMITTED = [s for s in Status.values if s != Status.SUBMITTED]


# -- accept ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["staff", "admin"])
def test_office_accepts_and_numbers(world, who):
    s = world.submitted()
    mark = Mark(s)
    actions.accept(acting_user=person(world, who), suggestion=s, version=s.version)
    s = reload(s)
    assert s.status == Status.ACCEPTED and s.number == 1 and s.accepted_at is not None
    event = mark.event()
    assert (event.verb, event.from_state, event.to_state) == ("accept", "submitted", "accepted")
    assert event.summary == "立案，编为第1号"
    assert mark.notified() == {"p_deputy": ["您的建议已立案（第1号）"]}


def test_numbers_run_per_session(world):
    first = world.accepted()
    second = world.accepted()
    other_session = world.accepted(term_number=18, session_number=6)
    assert (reload(first).number, reload(second).number) == (1, 2)
    assert reload(other_session).number == 1  # a new session starts again at 第1号
    third = world.accepted()
    assert reload(third).number == 3


def test_number_taken_concurrently_is_a_conflict(world, monkeypatch):
    first = world.accepted()
    s = world.submitted()
    # Another review took the number between reading the maximum and saving.
    monkeypatch.setattr(actions, "_next_number", lambda suggestion: reload(first).number)
    refused(
        s,
        lambda: actions.accept(acting_user=world.p.staff, suggestion=s),
        "编号被同时占用，请重试。",
        ConflictError,
    )


def test_acceptance_waits_for_every_cosigner(world):
    s = world.submitted(cosign=True)
    refused(
        s,
        lambda: actions.accept(acting_user=world.p.staff, suggestion=s),
        "尚有联名代表未确认，待全部确认或拒绝后再立案。",
    )
    actions.reply_cosign(acting_user=world.cosigner, suggestion=s, confirm=False)
    actions.accept(acting_user=world.p.staff, suggestion=s)  # a declined co-signer does not block
    assert reload(s).status == Status.ACCEPTED


def test_a_motion_must_be_converted_before_acceptance(world):
    s = world.submitted(kind=Suggestion.Kind.MOTION)
    refused(
        s,
        lambda: actions.accept(acting_user=world.p.staff, suggestion=s),
        "这是议案：请先转为建议，或按议案程序处理。",
    )


@pytest.mark.parametrize("who", NOT_OFFICE)
def test_only_the_office_accepts(world, who):
    s = world.submitted()
    refused(
        s,
        lambda: actions.accept(acting_user=person(world, who), suggestion=s),
        "只有代表工作机构可以审查建议。",
        NotAllowed,
    )


@pytest.mark.parametrize("status", NOT_SUBMITTED)
def test_accept_refused_outside_submitted(world, status):
    s = world.in_state(status)
    refused(
        s,
        lambda: actions.accept(acting_user=world.p.staff, suggestion=s),
        f"当前状态为“{Status(status).label}”，不能立案。",
    )


def test_stale_version_is_refused_and_nothing_saved(world):
    """No lost update: two staff read version N; the first save wins, the second is refused."""
    s = world.submitted()
    seen_by_a = reload(s)
    seen_by_b = reload(s)
    assert seen_by_a.version == seen_by_b.version
    actions.accept(acting_user=world.p.staff, suggestion=seen_by_a, version=seen_by_a.version)
    error = refused(
        s,
        lambda: actions.decline(
            acting_user=world.p.admin,
            suggestion=seen_by_b,
            reason="重复",
            version=seen_by_b.version,
        ),
        "该建议已被他人修改，请刷新页面后重新操作。（您的修改未保存）",
        ConflictError,
    )
    assert error.status == 409
    s = reload(s)
    assert s.status == Status.ACCEPTED and s.decline_reason == ""


# -- decline --------------------------------------------------------------------------------------


def test_office_declines_with_a_reason_the_deputy_sees(world):
    s = world.submitted()
    mark = Mark(s)
    actions.decline(acting_user=world.p.staff, suggestion=s, reason="  属于议案范畴。 ")
    s = reload(s)
    assert s.status == Status.DECLINED and s.decline_reason == "属于议案范畴。"
    assert s.number is None
    event = mark.event()
    assert (event.verb, event.to_state, event.note) == ("decline", "declined", "属于议案范畴。")
    assert mark.notified() == {"p_deputy": ["您的建议未予立案：关于解决老旧小区停车难的建议"]}


def test_decline_needs_a_reason(world):
    s = world.submitted()
    error = refused(
        s,
        lambda: actions.decline(acting_user=world.p.staff, suggestion=s, reason=" "),
        "请填写不予立案的理由。",
    )
    assert error.field_errors == {"reason": "请填写不予立案的理由"}


@pytest.mark.parametrize("who", NOT_OFFICE)
def test_only_the_office_declines(world, who):
    s = world.submitted()
    refused(
        s,
        lambda: actions.decline(acting_user=person(world, who), suggestion=s, reason="重复"),
        "只有代表工作机构可以审查建议。",
        NotAllowed,
    )


@pytest.mark.parametrize("status", NOT_SUBMITTED)
def test_decline_refused_outside_submitted(world, status):
    s = world.in_state(status)
    refused(
        s,
        lambda: actions.decline(acting_user=world.p.staff, suggestion=s, reason="重复"),
        f"当前状态为“{Status(status).label}”，不能不予立案。",
    )


# -- convert_motion -------------------------------------------------------------------------------


def test_office_converts_a_motion_which_can_then_be_accepted(world):
    s = world.submitted(kind=Suggestion.Kind.MOTION)
    mark = Mark(s)
    actions.convert_motion(acting_user=world.p.staff, suggestion=s, note="不符合议案条件")
    s = reload(s)
    assert s.kind == Suggestion.Kind.SUGGESTION and s.status == Status.SUBMITTED
    event = mark.event()
    assert (event.verb, event.summary, event.note) == ("convert", "议案转为建议", "不符合议案条件")
    actions.accept(acting_user=world.p.staff, suggestion=s)
    assert reload(s).number == 1


def test_only_a_submitted_motion_is_converted(world):
    s = world.submitted()  # already a suggestion
    refused(
        s,
        lambda: actions.convert_motion(acting_user=world.p.staff, suggestion=s),
        "只有待审查的议案可以转为建议。",
    )


@pytest.mark.parametrize("status", ["draft", "declined"])
def test_a_motion_is_converted_only_while_submitted(world, status):
    s = world.in_state(status, kind=Suggestion.Kind.MOTION)
    refused(
        s,
        lambda: actions.convert_motion(acting_user=world.p.staff, suggestion=s),
        "只有待审查的议案可以转为建议。",
    )


@pytest.mark.parametrize("who", NOT_OFFICE)
def test_only_the_office_converts(world, who):
    s = world.submitted(kind=Suggestion.Kind.MOTION)
    refused(
        s,
        lambda: actions.convert_motion(acting_user=person(world, who), suggestion=s),
        "只有代表工作机构可以转为建议。",
        NotAllowed,
    )


# -- merge ----------------------------------------------------------------------------------------


def test_merge_numbers_it_and_links_it_to_the_main_one(world):
    main = world.assigned()
    s = world.submitted(title="关于增设停车泊位的建议")
    mark, main_mark = Mark(s), Mark(main)
    actions.merge(acting_user=world.p.staff, suggestion=s, into=main)
    s = reload(s)
    assert s.status == Status.MERGED and s.merged_into == main and s.number == 2
    event = mark.event()
    assert (event.verb, event.from_state, event.to_state) == ("merge", "submitted", "merged")
    assert event.summary == "编为第2号，并入第1号建议办理"
    main_event = main_mark.event()
    assert (main_event.verb, main_event.summary) == ("merged_in", "第2号建议（张代表）并入本件办理")
    assert mark.notified() == {"p_deputy": ["您的建议已立案（第2号），与第1号建议并案办理"]}
    assert reload(main).version == main.version + 1


def test_merged_deputy_gets_the_main_answer(world):
    other = world.cosigner.deputy  # a second deputy proposing the same thing
    main = world.assigned()
    s = actions.submit(
        acting_user=world.cosigner,
        suggestion=actions.save_draft(
            acting_user=world.cosigner,
            deputy=other,
            title="同题建议",
            content="同上。",
            category=reload(main).category,
            timing="during",
        ),
    )
    actions.merge(acting_user=world.p.staff, suggestion=s, into=main)
    lead = world.assignment(main, world.org.unit)
    actions.sign_for(acting_user=world.p.unit, assignment=lead)
    co = world.assignment(main, world.org.other_unit)
    actions.sign_for(acting_user=world.co_unit_user, assignment=co)
    actions.submit_opinion(acting_user=world.co_unit_user, assignment=co, opinion="同意。")
    mark = Mark(main)
    actions.answer(acting_user=world.p.unit, suggestion=main, draft=answer_draft())
    assert set(mark.notified()) >= {"p_deputy", "p_cosigner"}


@pytest.mark.parametrize(
    ("main_state", "message"),
    [
        ("submitted", "只能并入已立案且尚未办结的建议。"),
        ("closed", "只能并入已立案且尚未办结的建议。"),
        ("declined", "只能并入已立案且尚未办结的建议。"),
    ],
)
def test_merge_only_into_an_open_registered_suggestion(world, main_state, message):
    main = world.in_state(main_state)
    s = world.submitted()
    refused(s, lambda: actions.merge(acting_user=world.p.staff, suggestion=s, into=main), message)


def test_merge_refuses_itself_an_already_merged_one_and_another_session(world):
    s = world.submitted()
    refused(
        s,
        lambda: actions.merge(acting_user=world.p.staff, suggestion=s, into=s),
        "不能并入自身或已并案的建议。",
    )
    merged = world.merged()
    refused(
        s,
        lambda: actions.merge(acting_user=world.p.staff, suggestion=s, into=merged),
        "不能并入自身或已并案的建议。",
    )
    elsewhere = world.accepted(session_number=6)
    refused(
        s,
        lambda: actions.merge(acting_user=world.p.staff, suggestion=s, into=elsewhere),
        "只能并入同一次会议的建议。",
    )


def test_merge_follows_the_acceptance_rules(world):
    main = world.accepted()
    motion = world.submitted(kind=Suggestion.Kind.MOTION)
    refused(
        motion,
        lambda: actions.merge(acting_user=world.p.staff, suggestion=motion, into=main),
        "这是议案：请先转为建议，或按议案程序处理。",
    )
    joint = world.submitted(cosign=True)
    refused(
        joint,
        lambda: actions.merge(acting_user=world.p.staff, suggestion=joint, into=main),
        "尚有联名代表未确认，待全部确认或拒绝后再并案。",
    )


@pytest.mark.parametrize("who", NOT_OFFICE)
def test_only_the_office_merges(world, who):
    main = world.accepted()
    s = world.submitted()
    refused(
        s,
        lambda: actions.merge(acting_user=person(world, who), suggestion=s, into=main),
        "只有代表工作机构可以并案。",
        NotAllowed,
    )


@pytest.mark.parametrize("status", NOT_SUBMITTED)
def test_merge_refused_outside_submitted(world, status):
    main = world.accepted()
    s = world.in_state(status)
    refused(
        s,
        lambda: actions.merge(acting_user=world.p.staff, suggestion=s, into=main),
        f"当前状态为“{Status(status).label}”，不能并案。",
    )
