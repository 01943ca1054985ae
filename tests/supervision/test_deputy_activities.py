"""Inspections and inquiries enter their deputies' part as activities: a visit with deputies, an
inquiry held with deputies' questions, become closed activities linked to them with those
deputies attended — so they count in the performance record and the points."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType

from renda.core.models import TimelineEvent
from renda.deputies.models import Activity, Invitation, PointSource
from renda.deputies.sources import counts_by_deputy
from renda.supervision.actions import inquiries as inquiry_actions
from renda.supervision.actions import inspections as actions
from renda.supervision.models import InvitationStatus
from tests.supervision.factories import at, refused
from tests.supervision.inspection_builders import VISIT_DAY, world_for
from tests.supervision.matrix_inquiries import InquiryWorld

pytestmark = pytest.mark.django_db
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def _visit(world, inspection, participants, **kw):
    values = {
        "method": "site_visit",
        "held_on": VISIT_DAY,
        "place": "区建筑工地三处",
        "participants": participants,
        "notes": "抽查安全生产责任制落实情况",
        **kw,
    }
    return actions.record_visit(acting_user=world.staff, inspection=inspection, **values)


def test_a_visit_with_deputies_is_an_activity_they_attended(supervision, time_machine):
    world = world_for(supervision, time_machine)
    inspection = world.teamed()
    going = list(inspection.team.exclude(invitation=InvitationStatus.DECLINED))
    deputies = [m.deputy for m in going if m.deputy_id]
    assert len(deputies) == 2 and len(going) == 4  # two appointed members, two deputies

    _visit(world, inspection, going)

    activity = Activity.objects.get(inspection=inspection)
    assert (activity.kind, activity.status, activity.date, activity.place) == (
        "inspection",
        "closed",
        VISIT_DAY,
        "区建筑工地三处",
    )
    assert activity.title.startswith("执法检查：") and activity.organiser_office == world.office
    rows = activity.invitations.order_by("deputy_id")
    assert [r.deputy for r in rows] == sorted(deputies, key=lambda d: d.pk)
    assert {(r.attendance, r.checked_in_by, r.via_label) for r in rows} == {
        ("attended", "staff", "执法检查组")
    }
    counted = counts_by_deputy(PointSource.VISIT_RESEARCH, *YEAR)
    assert {pk: counted[pk] for pk in counted} == {d.pk: (1, 1) for d in deputies}
    events = TimelineEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Activity), object_id=activity.pk
    )
    assert [e.summary for e in events] == ["由执法检查组登记：2 名代表参加（执法检查）"]


def test_a_visit_of_members_only_enters_no_activity(supervision, time_machine):
    world = world_for(supervision, time_machine)
    inspection = world.teamed()
    members = list(inspection.team.filter(deputy=None))
    _visit(world, inspection, members)
    assert not Activity.objects.exists() and not Invitation.objects.exists()


def test_a_refused_visit_enters_no_activity(supervision, time_machine):
    world = world_for(supervision, time_machine)
    inspection = world.teamed()
    going = list(inspection.team.exclude(invitation=InvitationStatus.DECLINED))
    refused(
        inspection,
        lambda: _visit(world, inspection, going, notes=""),
        "请填写检查记录。",
    )
    assert not Activity.objects.exists()


@pytest.fixture
def inquiries(supervision, time_machine) -> InquiryWorld:
    time_machine.move_to(at(date(2026, 9, 25)), tick=False)
    return InquiryWorld(
        staff=supervision.staff,
        office=supervision.office,
        unit=supervision.org.unit,
        unit_user=supervision.p.unit,
        deputy=supervision.deputies[0],
        meeting=supervision.standing_meeting,
    )


def test_an_inquiry_held_enters_the_asking_deputies(inquiries):
    inquiry = inquiries.held()
    activity = Activity.objects.get(inquiry=inquiry)
    assert (activity.kind, activity.status, activity.date) == (
        "inquiry",
        "closed",
        inquiries.meeting.date,
    )
    assert [i.deputy for i in activity.invitations.all()] == [inquiries.deputy]
    assert activity.invitations.get().attendance == "attended"
    counted = counts_by_deputy(PointSource.VISIT_RESEARCH, *YEAR)
    assert counted == {inquiries.deputy.pk: (1, 1)}


def test_an_inquiry_held_without_deputies_enters_no_activity(inquiries):
    inquiries.deputy = None  # the question is a member's
    inquiries.held()
    assert not Activity.objects.exists()


def test_an_inquiry_refused_hold_enters_no_activity(inquiries):
    inquiry = inquiries.with_question(answered=True)
    refused(
        inquiry,
        lambda: inquiry_actions.hold_inquiry(
            acting_user=inquiries.staff, inquiry=inquiry, held_on=date(2026, 9, 24), summary=""
        ),
        "请填写询问情况。",
    )
    assert not Activity.objects.exists()
