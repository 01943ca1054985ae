"""A year of a deputy's work, reached through the real actions (activities held with sign-in,
leave and absence; suggestions submitted, accepted, declined, co-signed), for the record tests.

Past work is entered "as of" its day (renda.core.clock.as_of), as the demo does; the tests then
look at it from 2026-12-20."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

import pytest

from renda.core import clock
from renda.deputies import actions_activities as activities
from renda.deputies.models import Activity, Deputy, Invitation, Station, VoterOpinion
from renda.meetings.models import Meeting
from renda.suggestions import actions as suggestion_actions
from renda.suggestions.defaults import ensure_default_taxonomies
from tests.core.factories import UserFactory, grant
from tests.deputies.activity_factories import World, activity_fields
from tests.plans.factories import at
from tests.suggestions.factories import World as SuggestionWorld

TODAY = date(2026, 12, 20)
YEAR = 2026


def held(
    world: World,
    *,
    kind: str,
    day: date,
    title: str = "",
    attended=(),
    leave=(),
    absent=(),
    refused=(),
    half_days: int = 1,
    **links,
) -> Activity:
    """An activity held on `day`: `attended` checked in with the code, `leave` asked and were
    granted leave, `refused` asked and were refused (so absent), `absent` signed up and did not
    come (sign-up is open, so those who never signed up would not be absent)."""
    staff = world.staff
    with clock.as_of(day):
        activity = activities.create_activity(
            acting_user=staff,
            values=activity_fields(
                world.org, kind=kind, date=day, title=title or kind, half_days=half_days, **links
            ),
        )
        activities.invite(
            acting_user=staff, activity=activity, deputies=[*attended, *leave, *absent, *refused]
        )
        activities.open_signup(acting_user=staff, activity=activity)
        for deputy in absent:
            invitation = Invitation.objects.get(activity=activity, deputy=deputy)
            activities.sign_up(acting_user=deputy.user, invitation=invitation)
        for deputy in (*leave, *refused):
            invitation = Invitation.objects.get(activity=activity, deputy=deputy)
            activities.request_leave(acting_user=deputy.user, invitation=invitation, reason="出差")
            if deputy in leave:
                activities.grant_leave(acting_user=staff, invitation=invitation)
            else:
                activities.refuse_leave(acting_user=staff, invitation=invitation, reason="会议重要")
        for deputy in attended:
            activities.check_in(
                acting_user=deputy.user, activity=activity, code=activity.checkin_code
            )
        activities.mark_held(acting_user=staff, activity=activity)
    activity.refresh_from_db()
    return activity


def cancelled(world: World, *, kind: str, day: date, title: str, invited=()) -> Activity:
    with clock.as_of(day):
        activity = activities.create_activity(
            acting_user=world.staff,
            values=activity_fields(world.org, kind=kind, date=day, title=title),
        )
        activities.invite(acting_user=world.staff, activity=activity, deputies=list(invited))
        activities.cancel_activity(acting_user=world.staff, activity=activity, reason="改期")
    return activity


def opinion(world: World, *, station: Station, deputy: Deputy, day: date, reception=None):
    return VoterOpinion.objects.create(
        station=station,
        reception=reception,
        received_on=day,
        received_by=deputy,
        voter_name="居民甲",
        voter_phone="13800000000",
        subject="小区加装电梯",
        content="希望加快老旧小区加装电梯。",
        recorded_by=world.staff,
    )


def suggestions_led_by(world: World, deputy: Deputy, cosigner: Deputy) -> SuggestionWorld:
    """The suggestions test world with `deputy` leading and `cosigner` co-signing."""
    people = SimpleNamespace(deputy=deputy.user, staff=world.p.staff, unit=world.p.unit)
    return SuggestionWorld(p=people, org=world.org, cosigner=cosigner.user, co_unit_user=None)


@dataclass
class RecordWorld:
    world: World
    zhang: Deputy
    li: Deputy
    wang: Deputy
    station: Station
    session: Activity
    standing: Activity
    visit: Activity
    research: Activity
    group: Activity
    reception: Activity
    training: Activity
    last_year: Activity
    led: dict  # name -> Suggestion
    cosigned: dict

    @property
    def p(self):
        return self.world.p


@pytest.fixture
def record_world(world, time_machine) -> RecordWorld:
    """张代表's 2026: every section with something counted and something that must not be."""
    ensure_default_taxonomies()
    w = world
    zhang, li, wang = w.zhang, w.li, w.wang
    station = Station.objects.create(
        name="泉城路街道代表联络站", street=w.org.street, address="泉城路 1 号"
    )
    congress_meeting = Meeting.objects.create(
        kind="congress", term_number=18, number=5, date=date(2026, 1, 10)
    )
    standing_meeting = Meeting.objects.create(
        kind="standing", term_number=18, number=20, date=date(2026, 2, 20)
    )
    r = dict(
        session=held(
            w,
            kind="session",
            day=date(2026, 1, 10),
            title="区十八届人大五次会议",
            attended=[zhang],
            leave=[li],
            absent=[wang],
            half_days=4,
            meeting=congress_meeting,
        ),
        standing=held(
            w,
            kind="standing_committee",
            day=date(2026, 2, 20),
            title="列席常委会第二十次会议",
            attended=[li],
            leave=[zhang],
            meeting=standing_meeting,
        ),
        visit=held(
            w,
            kind="visit",
            day=date(2026, 3, 5),
            title="视察老旧小区",
            attended=[zhang],
            absent=[li],
        ),
        research=held(w, kind="research", day=date(2026, 5, 12), title="调研停车", refused=[zhang]),
        group=held(w, kind="group", day=date(2026, 6, 1), title="小组学习", attended=[zhang, li]),
        reception=held(
            w,
            kind="reception",
            day=date(2026, 7, 1),
            title="七月接待日",
            attended=[zhang, li],
            station=station,
        ),
        training=held(w, kind="training", day=date(2026, 9, 1), title="履职培训", attended=[zhang]),
        last_year=held(w, kind="visit", day=date(2025, 11, 11), title="去年视察", attended=[zhang]),
    )
    # Not counted: a cancelled activity and one that was never held (the world's own).
    cancelled(w, kind="visit", day=date(2026, 10, 10), title="取消的视察", invited=[zhang])
    activities.invite(acting_user=w.staff, activity=w.activity, deputies=[zhang])
    for _ in range(2):
        opinion(w, station=station, deputy=zhang, day=date(2026, 7, 1), reception=r["reception"])
    opinion(w, station=station, deputy=li, day=date(2026, 7, 1), reception=r["reception"])
    opinion(w, station=station, deputy=zhang, day=date(2026, 8, 1))
    opinion(w, station=station, deputy=zhang, day=date(2025, 8, 1))

    mine = suggestions_led_by(w, zhang, li)
    theirs = suggestions_led_by(w, li, zhang)
    with clock.as_of(date(2026, 1, 12)):
        led = {
            "accepted": mine.accepted(title="关于增设停车位的建议"),
            "cosigned_by_li": mine.accepted(title="关于整治背街小巷的建议", cosign=True),
            "draft": mine.draft(title="一份草稿"),
            "submitted": mine.submitted(title="待审查的建议"),
            "declined": mine.declined(title="不予立案的建议"),
        }
        cosigned = {"confirmed": theirs.accepted(title="李代表领衔的建议", cosign=True)}
        declined_cosign = theirs.submitted(title="张代表拒绝联名的建议", cosign=True)
        suggestion_actions.reply_cosign(
            acting_user=zhang.user, suggestion=declined_cosign, confirm=False
        )
        cosigned["declined"] = declined_cosign
        cosigned["pending"] = theirs.submitted(title="张代表尚未确认联名的建议", cosign=True)
        theirs.accepted(title="李代表独自领衔的建议")
    with clock.as_of(date(2025, 3, 2)):
        led["last_year"] = mine.accepted(title="去年的建议")
    time_machine.move_to(at(TODAY), tick=False)
    return RecordWorld(w, zhang, li, wang, station, **r, led=led, cosigned=cosigned)


def street_user_of(street, username: str = "p_street_other"):
    """A street committee's user of another street than the personas'."""
    user = UserFactory(username=username, full_name="外街道工委干部")
    grant(user, "street", street=street)
    return user
