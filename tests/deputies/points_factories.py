"""What the points count, made through the real actions: activities held with attendance,
leave and absence; suggestions led, co-signed and registered. Today is TODAY (2026 Q4), and the
past is entered as of its days (renda.core.clock.as_of), as the demo does."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta

import pytest

from renda.core import clock
from renda.deputies import actions_activities as activities
from renda.deputies.actions_activities import ActivityFields
from renda.deputies.models import Activity, Deputy, Invitation
from renda.deputies.points import DeputyPoints, points_for
from renda.suggestions import actions as suggestions
from renda.suggestions.defaults import ensure_default_taxonomies
from renda.suggestions.models import Category, Suggestion
from tests.deputies.activity_factories import deputy_with_login
from tests.plans.factories import at

TODAY = date(2026, 11, 2)  # Q4: the first three quarters have ended
Q2_DAY = date(2026, 5, 12)
Q1_DAY = date(2026, 2, 10)


@dataclass
class PointsWorld:
    org: object
    p: object
    zhang: Deputy  # personas.deputy's record, in org.group (泉城路街道)
    li: Deputy  # in org.group too

    @property
    def staff(self):
        return self.p.staff

    def activity(
        self,
        kind: str,
        day: date = Q2_DAY,
        *,
        attended: Iterable[Deputy] = (),
        absent: Iterable[Deputy] = (),
        granted: Iterable[Deputy] = (),
        refused: Iterable[Deputy] = (),
        half_days: int = 1,
        held: bool = True,
        meeting=None,
    ) -> Activity:
        """An activity of `day`: the deputies invited, leave asked and decided before the day,
        attendance recorded on the day, then marked held (those who neither came nor had
        leave granted become absent)."""
        attended, absent = list(attended), list(absent)
        granted, refused = list(granted), list(refused)
        everyone = [*attended, *absent, *granted, *refused]
        with clock.as_of(day - timedelta(days=7)):
            activity = activities.create_activity(
                acting_user=self.staff,
                values=ActivityFields(
                    kind=kind,
                    title=f"{kind}活动{Activity.objects.count() + 1}",
                    date=day,
                    starts_at=time(9),
                    place="区人大常委会会议室",
                    organiser_office=self.org.deputy_office,
                    half_days=half_days,
                    meeting=meeting,
                ),
            )
            if everyone:
                activities.invite(acting_user=self.staff, activity=activity, deputies=everyone)
            for deputy in [*granted, *refused]:
                invitation = self.invitation(activity, deputy)
                activities.request_leave(
                    acting_user=deputy.user, invitation=invitation, reason="外出学习"
                )
                if deputy in granted:
                    activities.grant_leave(acting_user=self.staff, invitation=invitation)
                else:
                    activities.refuse_leave(
                        acting_user=self.staff, invitation=invitation, reason="会议重要，请参加"
                    )
        with clock.as_of(day):
            for deputy in attended:
                activities.record_attendance(
                    acting_user=self.staff, invitation=self.invitation(activity, deputy)
                )
            if held:
                activities.mark_held(acting_user=self.staff, activity=activity)
        activity.refresh_from_db()
        return activity

    @staticmethod
    def invitation(activity: Activity, deputy: Deputy) -> Invitation:
        return Invitation.objects.get(activity=activity, deputy=deputy)

    def suggestion(
        self,
        lead: Deputy,
        day: date = Q2_DAY,
        *,
        cosigners: Iterable[Deputy] = (),
        confirm: bool = True,
        accept: bool = True,
    ) -> Suggestion:
        """A suggestion drafted and submitted on `day`, co-signers replying, then accepted
        (registered) by the deputy-affairs office unless told."""
        cosigners = list(cosigners)
        with clock.as_of(day):
            s = suggestions.save_draft(
                acting_user=lead.user,
                deputy=lead,
                title="关于增设社区养老服务站的建议",
                content="建议在老旧小区较多的社区增设养老服务站，方便老年人就近就餐和照护。",
                category=Category.objects.filter(is_active=True).first(),
                timing=Suggestion.Timing.BETWEEN_SESSIONS,
                cosigners=cosigners,
            )
            s = suggestions.submit(acting_user=lead.user, suggestion=s)
            for deputy in cosigners:
                suggestions.reply_cosign(acting_user=deputy.user, suggestion=s, confirm=confirm)
            if accept:
                s = suggestions.accept(acting_user=self.staff, suggestion=s)
        return s

    def points(self, deputy: Deputy, quarter: int | None = 2, year: int = 2026) -> DeputyPoints:
        return points_for([deputy.pk], year, quarter)[deputy.pk]


@pytest.fixture
def pw(org, personas, time_machine) -> PointsWorld:
    time_machine.move_to(at(TODAY), tick=False)
    ensure_default_taxonomies()
    li = deputy_with_login("李代表", street=org.street, group=org.group)
    return PointsWorld(org, personas, personas.deputy.deputy, li)
