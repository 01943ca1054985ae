"""Activities reached through the real actions, and deputies with logins to invite."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

import pytest

from renda.core.models import User
from renda.deputies import actions_activities as actions
from renda.deputies.actions_activities import ActivityFields
from renda.deputies.models import Activity, Deputy, Invitation, Level, Station
from renda.meetings.models import Meeting
from renda.plans.models import Plan, PlanItem
from renda.supervision.models import Inquiry, Inspection
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


@dataclass
class Work:
    """One piece of each kind of work an activity may carry out."""

    congress: Meeting  # the session (人代会), on the activity's day
    standing: Meeting  # a standing-committee meeting
    director: Meeting  # a director meeting: not deputies' work, never offered
    inspection: Inspection
    inquiry: Inquiry
    plan_item: PlanItem  # of an approved plan
    draft_item: PlanItem  # of a draft plan: not yet binding, never offered
    station: Station  # of personas.street's street
    other_station: Station  # of the other street


def make_work(org, p) -> Work:
    meeting = Meeting.objects.create
    plan = Plan.objects.create(
        kind="deputy_work",
        year=2026,
        title="2026年代表工作计划",
        office=org.deputy_office,
        status="approved",
        created_by=p.staff,
    )
    draft = Plan.objects.create(
        kind="study", year=2026, title="学习考察计划", office=org.deputy_office, created_by=p.staff
    )
    return Work(
        congress=meeting(kind="congress", term_number=18, number=5, date=DAY, place="区会议中心"),
        standing=meeting(kind="standing", term_number=18, number=28, date=DAY),
        director=meeting(kind="director", term_number=18, number=95, date=DAY),
        inspection=Inspection.objects.create(
            title="《中华人民共和国安全生产法》执法检查",
            year=2026,
            office=org.social_office,
            created_by=p.staff,
        ),
        inquiry=Inquiry.objects.create(
            topic="城市管理工作专题询问", year=2026, office=org.social_office, created_by=p.staff
        ),
        plan_item=PlanItem.objects.create(
            plan=plan, title="组织代表开展养老服务专题视察", owner_office=org.deputy_office
        ),
        draft_item=PlanItem.objects.create(
            plan=draft, title="赴外地学习考察", owner_office=org.deputy_office
        ),
        station=Station.objects.create(
            name="泉城路街道代表联络站", street=org.street, address="芙蓉社区党群服务中心二楼"
        ),
        other_station=Station.objects.create(
            name="大明湖街道代表联络站", street=org.other_street, address="大明湖社区二楼"
        ),
    )
