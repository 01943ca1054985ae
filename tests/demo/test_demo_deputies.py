"""The demo's deputies' work: a year of activities through the real actions (the congress
session, standing-committee meetings, visits with the linkage, street groups, trainings, the
inspection's visits and the inquiry), stations with receptions and voters' opinions in every
state, and the quarterly points bulletins — as seen on the day the demo is looked at."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django.urls import reverse

from renda.core.models import TimelineEvent, User
from renda.demo.suggestions import LAST_DAY
from renda.deputies.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Invitation,
    Level,
    Mandate,
    PointBulletin,
    Station,
    VoterOpinion,
    VoterOpinionStatus,
)
from renda.deputies.points import needs_talk, points_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]


def test_summary_counts_what_was_built(demo):
    work = demo.deputies_work
    assert (
        work["activities"]
        == Activity.objects.exclude(station=None).count()
        + (Activity.objects.filter(station=None).count())
        - work["receptions"]
        - work["receptions_ahead"]
    )
    assert work["stations"] == Station.objects.count() == 13  # the home and one per street
    assert work["opinions"] == VoterOpinion.objects.count() >= 25
    assert work["point_bulletins"] == PointBulletin.objects.count() == 3
    assert any(line.startswith("履职活动 ") for line in demo.lines())


def test_activities_of_every_kind_and_state():
    kinds = set(Activity.objects.values_list("kind", flat=True))
    assert kinds >= {k for k in ActivityKind.values if k != ActivityKind.OTHER}
    states = Counter(Activity.objects.values_list("status", flat=True))
    assert set(states) == set(ActivityStatus.values)
    # Those ahead of the day the demo is looked at are still planned or open.
    ahead = Activity.objects.filter(date__gt=LAST_DAY)
    assert ahead.exists() and set(ahead.values_list("status", flat=True)) <= {
        ActivityStatus.PLANNED,
        ActivityStatus.OPEN,
    }


def test_the_session_invites_every_district_deputy_and_counts_half_days():
    session = Activity.objects.get(kind=ActivityKind.SESSION)
    assert session.meeting is not None and session.meeting.kind == "congress"
    assert session.half_days > 1
    district = Mandate.objects.filter(level=Level.DISTRICT, ended_on=None).values("deputy_id")
    invited = session.invitations.values("deputy_id")
    assert set(invited.values_list("deputy_id", flat=True)) == set(
        district.values_list("deputy_id", flat=True)
    )
    outcome = Counter(
        (i.leave, i.attendance) for i in session.invitations.only("leave", "attendance")
    )
    assert outcome[("granted", "")] >= 3 and outcome[("", "absent")] >= 1


def test_visits_invite_municipal_and_provincial_deputies_too():
    levels = set(
        Invitation.objects.filter(activity__kind__in=[ActivityKind.VISIT, ActivityKind.RESEARCH])
        .values_list("deputy__mandates__level", flat=True)
        .distinct()
    )
    assert {Level.MUNICIPAL, Level.PROVINCIAL} <= levels


def test_inspection_and_inquiry_entered_their_deputies_as_activities():
    assert Activity.objects.filter(inspection__isnull=False, kind=ActivityKind.INSPECTION).exists()
    assert Activity.objects.filter(inquiry__isnull=False, kind=ActivityKind.INQUIRY).exists()


def test_check_ins_by_code_and_by_staff():
    ways = Counter(
        Invitation.objects.filter(attendance="attended").values_list("checked_in_by", flat=True)
    )
    assert ways["code"] > ways["staff"] > 0


def test_opinions_in_every_state_with_one_overdue_at_a_unit():
    states = Counter(VoterOpinion.objects.values_list("status", flat=True))
    assert set(states) == set(VoterOpinionStatus.values)
    overdue = VoterOpinion.objects.filter(status="to_unit", unit_due_on__lt=date(2026, 11, 27))
    assert overdue.count() >= 1
    assert VoterOpinion.objects.filter(suggestion__isnull=False).exists()


def test_points_bands_and_talks():
    rows = points_for(None, 2026)
    bands = Counter(row.band for row in (rows.values() if isinstance(rows, dict) else rows))
    assert bands["fair"] > bands["good"] > 0 and bands["poor"] > 0
    assert len(needs_talk(2026)) >= 2
    bulletin = PointBulletin.objects.get(year=2026, quarter=3)
    district = Mandate.objects.filter(level=Level.DISTRICT, ended_on=None)
    assert bulletin.rows.count() == district.values("deputy_id").distinct().count()


def test_no_demo_event_after_its_last_day():
    last = TimelineEvent.objects.order_by("-created_at").first().created_at
    assert last.date() <= LAST_DAY


def test_the_demo_deputy_finds_their_work(client):
    client.force_login(User.objects.get(username="daibiao"))
    me = client.get(reverse("deputies:me"))
    assert me.status_code == 200 and "履职" in me.content.decode()
    mine = client.get(reverse("deputies:my_activities")).content.decode()
    assert "接待选民" in mine or "视察" in mine or "调研" in mine
    public = client.get(reverse("deputies:public_receptions")).content.decode()
    assert "代表之家" in public
