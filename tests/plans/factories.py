"""Plans in every state, reached through the real actions (never by writing the status)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Max

from renda.core.errors import DomainError
from renda.core.models import Notification, TimelineEvent
from renda.meetings.models import Meeting
from renda.plans import actions
from renda.plans.actions import ItemFields
from renda.plans.models import Plan, PlanItem, PlanKind

SHANGHAI = ZoneInfo("Asia/Shanghai")
APRIL = date(2026, 4, 1)  # plans approved, items started, end dates ahead


def at(day: date, hour: int = 10) -> datetime:
    """A moment of `day` in the congress's time zone, for time_machine."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def frozen(time_machine) -> date:
    """Today is APRIL (move on with time_machine.move_to(at(...)) inside a test)."""
    time_machine.move_to(at(APRIL), tick=False)
    return APRIL


class Mark:
    """What happened after this point: new timeline events of a record, new notifications."""

    def __init__(self, obj):
        self.obj = obj
        self.event_id = TimelineEvent.objects.aggregate(m=Max("id"))["m"] or 0
        self.notification_id = Notification.objects.aggregate(m=Max("id"))["m"] or 0

    def events(self, obj=None) -> list[TimelineEvent]:
        obj = obj or self.obj
        return list(
            TimelineEvent.objects.filter(
                content_type=ContentType.objects.get_for_model(obj),
                object_id=obj.pk,
                id__gt=self.event_id,
            ).order_by("id")
        )

    def event(self, obj=None) -> TimelineEvent:
        """The one event the action wrote on the record."""
        events = self.events(obj)
        assert len(events) == 1, [e.summary for e in events]
        return events[0]

    def notified(self) -> dict[str, list[str]]:
        """username -> titles of the notifications sent since the mark."""
        sent: dict[str, list[str]] = {}
        rows = Notification.objects.filter(id__gt=self.notification_id).select_related("user")
        for n in rows.order_by("id"):
            sent.setdefault(n.user.username, []).append(n.title)
        return sent


def state_of(obj) -> tuple:
    """What a refused action must leave alone: the row's fields, and every timeline event and
    notification in the database."""
    row = type(obj).objects.filter(pk=obj.pk).values().first()
    return row, TimelineEvent.objects.count(), Notification.objects.count()


def refused(obj, call: Callable, message: str, error: type = DomainError) -> DomainError:
    """Run `call`, expect `error` with exactly `message`, and prove nothing changed."""
    before = state_of(obj)
    with pytest.raises(error) as info:
        call()
    assert info.value.message == message, info.value.message
    assert state_of(obj) == before
    return info.value


def pdf(name: str = "佐证材料.pdf") -> SimpleUploadedFile:
    """A small file that passes the content check (a PDF header)."""
    return SimpleUploadedFile(name, b"%PDF-1.4\n% renda test evidence\n", "application/pdf")


def item_fields(office, **overrides) -> ItemFields:
    values = {
        "title": "《安全生产法》执法检查",
        "owner_office": office,
        "objective": "检查安全生产法在本区的实施情况",
        "expected_result": "形成执法检查报告，提出审议意见并跟踪整改",
        "measure": "报告经常委会审议；整改事项全部销号",
        "starts_on": date(2026, 3, 1),
        "ends_on": date(2026, 10, 31),
        "invited_deputies": 5,
        "weight": 1,
    }
    values.update(overrides)
    return ItemFields(**values)


@dataclass
class Planning:
    """The personas plus a director meeting; the social-construction office drafts."""

    p: object  # Personas
    org: object
    meeting: Meeting

    @property
    def office(self):
        return self.org.social_office

    def draft(self, *, kind: str = PlanKind.SUPERVISION, year: int = 2026, items: int = 1) -> Plan:
        plan = actions.create_plan(
            acting_user=self.p.social_staff,
            kind=kind,
            year=year,
            title=f"{year}年{PlanKind(kind).label}",
            office=self.office,
        )
        for n in range(items):
            title = "《安全生产法》执法检查" if n == 0 else f"第{n + 1}项工作"
            actions.add_item(
                acting_user=self.p.social_staff,
                plan=plan,
                values=item_fields(self.office, title=title),
            )
        return Plan.objects.get(pk=plan.pk)

    def submitted(self, **kw) -> Plan:
        plan = self.draft(**kw)
        return actions.submit_plan(acting_user=self.p.social_staff, plan=plan)

    def approved(self, **kw) -> Plan:
        plan = self.submitted(**kw)
        return actions.approve_plan(
            acting_user=self.p.leader,
            plan=plan,
            meeting=self.meeting,
            party_committee_date=date(2026, 2, 10),
        )

    def published(self, **kw) -> Plan:
        plan = self.approved(**kw)
        return actions.publish_plan(acting_user=self.p.social_staff, plan=plan)

    def plan_in(self, status: str, **kw) -> Plan:
        """A plan in `status` ("draft", "submitted", "approved", "published")."""
        return getattr(self, status)(**kw)

    def bind(self, plan: Plan) -> Plan:
        """Submit and approve a draft plan built by hand."""
        plan = actions.submit_plan(acting_user=self.p.social_staff, plan=plan)
        return actions.approve_plan(
            acting_user=self.p.leader,
            plan=plan,
            meeting=self.meeting,
            party_committee_date=date(2026, 2, 10),
        )

    def item(self, plan: Plan, n: int = 0) -> PlanItem:
        return plan.items.order_by("position", "id")[n]

    def in_progress(self, percent: int = 40, **kw) -> PlanItem:
        item = self.item(self.approved(**kw))
        actions.report_progress(
            acting_user=self.p.social_staff, item=item, text="召开座谈会两次", percent=percent
        )
        return PlanItem.objects.get(pk=item.pk)

    def tree(self, **kw) -> dict[str, PlanItem]:
        """A draft plan with three levels: 执法检查 (weight 1) > 制定方案 (1), 实地检查 (3) >
        under 实地检查: 检查企业 (1), 召开座谈会 (1); plus a second root item 代表培训 (2)."""
        plan = self.draft(items=0, **kw)
        staff = self.p.social_staff

        def add(title, weight, parent=None):
            return actions.add_item(
                acting_user=staff,
                plan=plan,
                parent=parent,
                values=item_fields(self.office, title=title, weight=weight),
            )

        root = add("执法检查", 1)
        scheme = add("制定方案", 1, root)
        field = add("实地检查", 3, root)
        firms = add("检查企业", 1, field)
        forum = add("召开座谈会", 1, field)
        training = add("代表培训", 2)
        return {
            "plan": plan,
            "root": root,
            "scheme": scheme,
            "field": field,
            "firms": firms,
            "forum": forum,
            "training": training,
        }

    def completed(self, **kw) -> PlanItem:
        item = self.in_progress(**kw)
        return actions.complete_item(
            acting_user=self.p.social_staff,
            item=item,
            result_statement="执法检查报告经常委会第12次会议审议",
            evidence=[pdf()],
        )


@pytest.fixture
def planning(personas, org) -> Planning:
    meeting = Meeting.objects.create(
        kind=Meeting.Kind.DIRECTOR, term_number=18, number=3, date=date(2026, 2, 5)
    )
    return Planning(p=personas, org=org, meeting=meeting)
