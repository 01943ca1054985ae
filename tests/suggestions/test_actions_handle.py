"""Handling: contacts with the deputy and the co-units' written opinions (会办意见)."""

from datetime import date

import pytest

from renda.core.errors import NotAllowed
from renda.suggestions import actions
from renda.suggestions.models import Contact, Status
from tests.core.factories import UnitFactory, UserFactory, grant
from tests.suggestions.factories import (
    Mark,
    frozen,  # noqa: F401  (fixture)
    person,
    refused,
    reload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TODAY = date(2026, 3, 2)


def contact(world, s, who=None, **overrides):
    values = {
        "stage": Contact.Stage.BEFORE,
        "method": Contact.Method.FACE_TO_FACE,
        "contacted_on": TODAY,
        "summary": "到现场察看，商定先行施划临时泊位。",
    }
    values.update(overrides)
    return actions.record_contact(acting_user=who or world.p.unit, suggestion=s, **values)


# -- record_contact -------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["handling", "answered", "follow_up"])
def test_signed_unit_records_a_contact(world, status):
    s = world.in_state(status)
    mark = Mark(s)
    c = contact(world, s, stage=Contact.Stage.AFTER, method=Contact.Method.PHONE)
    assert (c.unit, c.stage, c.method, c.recorded_by) == (
        world.org.unit,
        "after",
        "phone",
        world.p.unit,
    )
    event = mark.event()
    assert (event.verb, event.summary) == (
        "contact",
        "区住房和城乡建设局办后电话沟通（2026-03-02）",
    )
    assert event.note == "到现场察看，商定先行施划临时泊位。"
    assert reload(s).status == status  # a contact is not a move


def test_co_unit_records_its_own_contact(world):
    s = world.handling()
    c = contact(world, s, who=world.co_unit_user)
    assert c.unit == world.org.other_unit


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"stage": "later"}, "请选择沟通阶段和方式。"),
        ({"method": "letter"}, "请选择沟通阶段和方式。"),
        ({"summary": "  "}, "请填写沟通情况及商定事项。"),
        ({"contacted_on": date(2026, 3, 3)}, "沟通日期不能晚于今天。"),
    ],
)
def test_bad_contact_input(world, overrides, message):
    s = world.handling()
    refused(s, lambda: contact(world, s, **overrides), message)


@pytest.mark.parametrize(
    "status", ["draft", "submitted", "declined", "merged", "accepted", "assigned"]
)
def test_no_contact_before_a_unit_has_signed(world, status):
    s = world.in_state(status)
    refused(s, lambda: contact(world, s), "只有已签收的承办单位可以记录与代表的沟通。", NotAllowed)


def test_no_contact_once_closed(world):
    s = world.closed()
    refused(s, lambda: contact(world, s), "当前状态不能记录沟通情况。")


@pytest.mark.parametrize("who", ["staff", "admin", "leader", "deputy", "street", "third"])
def test_only_a_signed_unit_records_contacts(world, who):
    if who == "third":
        grant(third := UserFactory(username="p_third"), "unit", unit=UnitFactory(name="区教育局"))
        user = third
    else:
        user = person(world, who)
    s = world.handling()
    refused(
        s,
        lambda: contact(world, s, who=user),
        "只有已签收的承办单位可以记录与代表的沟通。",
        NotAllowed,
    )


# -- submit_opinion -------------------------------------------------------------------------------


def test_co_unit_submits_its_opinion_to_the_lead(world):
    s = world.handling()
    co = world.assignment(s, world.org.other_unit)
    mark = Mark(s)
    co = actions.submit_opinion(acting_user=world.co_unit_user, assignment=co, opinion="同意。")
    assert co.opinion == "同意。" and co.opinion_at is not None
    event = mark.event()
    assert (event.verb, event.summary, event.note) == (
        "opinion",
        "区城市管理局提交会办意见",
        "同意。",
    )
    assert mark.notified() == {
        "p_unit": ["区城市管理局已提交会办意见：第1号 关于解决老旧小区停车难的建议"]
    }
    assert reload(s).status == Status.HANDLING


def test_co_unit_may_give_its_opinion_before_the_lead_signs(world):
    s = world.assigned()
    co = world.assignment(s, world.org.other_unit)
    actions.sign_for(acting_user=world.co_unit_user, assignment=co)
    actions.submit_opinion(acting_user=world.co_unit_user, assignment=co, opinion="同意。")
    assert reload(s).status == Status.ASSIGNED


def test_opinion_needs_text_and_a_signed_co_part(world):
    s = world.assigned()
    co = world.assignment(s, world.org.other_unit)
    refused(
        s,
        lambda: actions.submit_opinion(acting_user=world.co_unit_user, assignment=co, opinion="x"),
        "请先签收，再提交会办意见。",
    )
    actions.sign_for(acting_user=world.co_unit_user, assignment=co)
    refused(
        s,
        lambda: actions.submit_opinion(acting_user=world.co_unit_user, assignment=co, opinion=""),
        "请填写会办意见。",
    )


def test_the_lead_gives_no_opinion(world):
    s = world.handling()
    refused(
        s,
        lambda: actions.submit_opinion(
            acting_user=world.p.unit, assignment=world.assignment(s, world.org.unit), opinion="x"
        ),
        "只有协办单位提交会办意见。",
    )


@pytest.mark.parametrize("status", ["answered", "follow_up", "closed"])
def test_no_opinion_after_the_answer(world, status):
    s = world.in_state(status)
    co = world.assignment(s, world.org.other_unit)
    refused(
        s,
        lambda: actions.submit_opinion(acting_user=world.co_unit_user, assignment=co, opinion="x"),
        "主办单位已答复，不能再提交会办意见。",
    )


@pytest.mark.parametrize("who", ["unit", "staff", "admin", "deputy", "leader"])
def test_only_the_co_unit_itself_gives_its_opinion(world, who):
    s = world.handling()
    co = world.assignment(s, world.org.other_unit)
    refused(
        s,
        lambda: actions.submit_opinion(acting_user=person(world, who), assignment=co, opinion="x"),
        "只有承办单位本身可以办理此事项。",
        NotAllowed,
    )
