"""Activities reached through the real actions, and deputies with logins to invite."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

import pytest

from renda.core.models import User
from renda.deputies import actions_activities as actions
from renda.deputies.actions_activities import ActivityFields
from renda.deputies.models import Activity, Deputy, Invitation, Level
from tests.core.factories import UserFactory, grant
from tests.deputies.factories import DeputyFactory, MandateFactory
from tests.plans.factories import APRIL, at

DAY = date(2026, 4, 10)  # the activity's day; today is APRIL (the 1st)


def activity_fields(org, **overrides) -> ActivityFields:
    values = dict(
        kind="visit",
        title="视察老旧小区改造",
        date=DAY,
        starts_at=time(9, 0),
        ends_at=time(11, 30),
        place="泉城路街道办事处",
        organiser_office=org.deputy_office,
        capacity=None,
    )
    return ActivityFields(**{**values, **overrides})


def deputy_with_login(name: str, *, level=Level.DISTRICT, street=None, group=None) -> Deputy:
    user = UserFactory(username=f"d_{name}", full_name=name)
    grant(user, "deputy")
    deputy = DeputyFactory(full_name=name, user=user)
    MandateFactory(deputy=deputy, level=level, street=street, group=group)
    return deputy


@dataclass
class World:
    org: object
    p: object
    activity: Activity
    zhang: Deputy  # personas.deputy's record, in org.group
    li: Deputy  # in org.group too
    wang: Deputy  # municipal, no group
    zhao: Deputy  # municipal, no group

    def inv(self, deputy: Deputy) -> Invitation:
        return Invitation.objects.get(activity=self.activity, deputy=deputy)

    @property
    def staff(self) -> User:
        return self.p.staff

    def refresh(self) -> Activity:
        self.activity.refresh_from_db()
        return self.activity


@pytest.fixture
def world(org, personas, time_machine) -> World:
    time_machine.move_to(at(APRIL), tick=False)
    zhang = personas.deputy.deputy
    li = deputy_with_login("李代表", street=org.street, group=org.group)
    wang = deputy_with_login("王市代表", level=Level.MUNICIPAL, street=org.other_street)
    zhao = deputy_with_login("赵市代表", level=Level.MUNICIPAL, street=org.other_street)
    activity = actions.create_activity(acting_user=personas.staff, values=activity_fields(org))
    return World(org, personas, activity, zhang, li, wang, zhao)


def invited(world: World, *, open_: bool = True) -> World:
    """The group and the two municipal deputies invited; sign-up open unless told."""
    actions.invite(
        acting_user=world.staff,
        activity=world.activity,
        groups=[world.org.group],
        deputies=[world.wang, world.zhao],
    )
    if open_:
        actions.open_signup(acting_user=world.staff, activity=world.activity)
    world.refresh()
    return world
