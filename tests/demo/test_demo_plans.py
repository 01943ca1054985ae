"""The demo year's plans: every office's plans, built through the real actions, in every plan and
item state, with the attention lists populated on the day the demo is looked at."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from renda.core.models import TimelineEvent, User
from renda.demo.build import plan_demo
from renda.demo.organisation import OFFICES
from renda.demo.plans import (
    CANCELLED,
    DONE,
    LAST_DAY,
    LOOKED_AT,
    PLANNED,
    STALE,
    ItemSpec,
    _walk,
)
from renda.meetings.models import Meeting
from renda.plans import queries
from renda.plans.home import plan_panels
from renda.plans.models import (
    PARTY_APPROVED_KINDS,
    ChangeRequest,
    Evidence,
    ItemStatus,
    Plan,
    PlanItem,
    PlanKind,
    PlanStatus,
)

SEED = 2026
DEMO_DAY = datetime(2026, 11, 27, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
LISTS = ("overdue", "stale", "busy")


def _year_items():
    return PlanItem.objects.filter(plan__year=2026)


@pytest.mark.django_db
@pytest.mark.usefixtures("demo")
class TestDemoPlans:
    def test_every_office_drafts_and_owns_plans(self):
        for office in OFFICES:
            assert Plan.objects.filter(office__name=office.name, year=2026).exists(), office.name
            binding = queries.tracked_items().filter(owner_office__name=office.name)
            assert binding.filter(plan__year=2026).count() >= 2, office.name
        kinds = set(Plan.objects.filter(year=2026).values_list("kind", flat=True))
        assert kinds == set(PlanKind.values)

    def test_every_plan_and_item_state(self, demo):
        assert set(Plan.objects.values_list("status", flat=True)) == set(PlanStatus.values)
        assert Plan.objects.filter(status=PlanStatus.DRAFT).count() == 1
        assert Plan.objects.filter(status=PlanStatus.SUBMITTED).count() == 1
        assert set(_year_items().values_list("status", flat=True)) == set(ItemStatus.values)
        assert demo.plan_items == {
            s: PlanItem.objects.filter(status=s).count() for s in ItemStatus.values
        }

    def test_approved_at_the_demo_director_meetings(self):
        for plan in Plan.objects.filter(status__in=queries.BINDING).select_related(
            "approved_meeting"
        ):
            meeting = plan.approved_meeting
            assert meeting.kind == Meeting.Kind.DIRECTOR and meeting.date.year == 2026
            assert plan.approved_at.date() == meeting.date
            if plan.kind in PARTY_APPROVED_KINDS:
                assert plan.party_committee_date < meeting.date and plan.party_committee_note
            else:
                assert plan.party_committee_date is None
        public = Plan.objects.filter(kind__in=(PlanKind.SUPERVISION, PlanKind.DEPUTY_WORK))
        assert public.filter(year=2026, status=PlanStatus.PUBLISHED).count() == 2
        returned = Plan.objects.get(status=PlanStatus.SUBMITTED)
        assert returned.year == 2027 and returned.return_reason == ""
        verbs = TimelineEvent.objects.for_object(returned).values_list("verb", flat=True)
        assert list(verbs).count("submit") == 2 and "return" in verbs

    def test_the_work_safety_inspection_is_concrete(self):
        inspection = PlanItem.objects.get(title__contains="安全生产法》执法检查", plan__year=2026)
        assert inspection.invited_deputies == 5
        assert inspection.objective.count("条（") == 6
        children = list(inspection.children.order_by("position"))
        assert [c.title[:4] for c in children] == [
            "制定执法",
            "组织参检",
            "开展实地",
            "起草执法",
            "提请常委",
            "跟踪督办",
        ]
        assert sum(c.weight for c in children) == 100
        rolled = round(sum(c.progress * c.weight for c in children) / 100)
        assert inspection.progress == rolled and 80 <= rolled < 100
        assert inspection.status == ItemStatus.PLANNED  # a parent is carried by its children
        meeting = ContentType.objects.get_for_model(Meeting)
        assert children[4].links.filter(content_type=meeting).exists()

    def test_completed_items_carry_result_and_pdf_evidence(self, settings, demo_media):
        settings.MEDIA_ROOT = demo_media
        completed = _year_items().filter(status=ItemStatus.COMPLETED)
        assert completed.count() >= 20
        for item in completed:
            assert item.result_statement and item.progress == 100 and item.completed_on
            evidence = item.evidence.filter(purpose=Evidence.Purpose.RESULT)
            assert evidence.exists(), item.title
            with evidence[0].file.open("rb") as handle:
                assert handle.read(5) == b"%PDF-"
        progress_evidence = Evidence.objects.filter(purpose=Evidence.Purpose.PROGRESS)
        assert progress_evidence.exists()

    def test_changes_evaluation_and_dates(self):
        changes = set(ChangeRequest.objects.values_list("kind", "status"))
        assert changes == {
            (ChangeRequest.Kind.POSTPONE, ChangeRequest.Status.APPROVED),
            (ChangeRequest.Kind.POSTPONE, ChangeRequest.Status.REQUESTED),
            (ChangeRequest.Kind.ADJUST, ChangeRequest.Status.REFUSED),
            (ChangeRequest.Kind.CANCEL, ChangeRequest.Status.APPROVED),
        }
        assert _year_items().exclude(self_assessment="").filter(grade="").exists()
        grades = set(_year_items().exclude(grade="").values_list("grade", flat=True))
        assert {"excellent", "good"} <= grades
        last = TimelineEvent.objects.order_by("-created_at").first().created_at
        assert last.date() <= LAST_DAY

    def test_attention_lists_on_the_day_the_demo_is_looked_at(self):
        with time_machine.travel(DEMO_DAY, tick=False):
            lists = {key: list(queries.attention(key, today=LOOKED_AT)) for key in LISTS}
            milestones = list(queries.overdue_milestones(today=LOOKED_AT))
        assert all(lists.values()) and milestones
        stale_before = LOOKED_AT - timedelta(days=30)
        for item in lists["stale"]:
            assert item.last_report_on is None or item.last_report_on < stale_before
        for item in lists["busy"]:
            assert item.report_count and not item.result_statement
            assert LOOKED_AT <= item.ends_on <= LOOKED_AT + timedelta(days=30)
        late_items = [i for i in lists["overdue"] if i.ends_on < LOOKED_AT]
        assert late_items and len(late_items) < len(lists["overdue"])  # milestones too
        offices = {i.owner_office.name for rows in lists.values() for i in rows}
        assert len(offices) >= 6

    def test_an_approved_postponement_moves_the_deadline(self):
        change = ChangeRequest.objects.get(
            kind=ChangeRequest.Kind.POSTPONE, status=ChangeRequest.Status.APPROVED
        )
        item = change.item
        assert item.ends_on == change.new_ends_on > LOOKED_AT
        assert item.is_open
        overdue = queries.attention("overdue", today=LOOKED_AT)
        assert not overdue.filter(pk=item.pk).exists()
        # Without the postponement the item would have been overdue.
        decision = TimelineEvent.objects.for_object(item).filter(verb="decide_change").get()
        assert "延至" in decision.summary

    def test_home_pages_show_plan_panels(self, client):
        with time_machine.travel(DEMO_DAY, tick=False):
            for username, office in (
                ("shehuishi", "社会建设工作室"),
                ("bangongshi", "办公室"),
                ("zhuren", None),
            ):
                user = User.objects.get(username=username)
                panels = plan_panels(user)
                assert panels, username
                shown = {i.url for p in panels for i in p.items}
                client.force_login(user)
                html = client.get(reverse("home")).content.decode()
                assert all(f'href="{url}"' in html for url in shown), username
                assert any(p.title in html for p in panels), username
                if office is not None:
                    owned = PlanItem.objects.filter(owner_office__name=office)
                    pks = {
                        reverse("plans:item", args=[pk])
                        for pk in owned.values_list("pk", flat=True)
                    }
                    assert shown <= pks, username
            leader = {
                i.url for p in plan_panels(User.objects.get(username="zhuren")) for i in p.items
            }
            assert len(leader) >= 10  # the leaders see every office's lists

    def test_database_matches_the_plan(self):
        """Each item ends in the state its planned story leads to (parents only when done)."""
        plan = plan_demo(seed=SEED).plans
        checked = 0
        for spec in plan.plans:
            row = Plan.objects.get(kind=spec.kind, year=spec.year, office__name=spec.office)
            assert row.title == spec.title
            items = {i.title: i for i in row.items.all()}
            assert set(items) == {item.title for _, item in _walk(spec.items)}
            if row.status not in queries.BINDING:
                continue
            for _, item_spec in _walk(spec.items):
                wanted = _expected_status(item_spec)
                if wanted:
                    assert items[item_spec.title].status == wanted, item_spec.title
                    checked += 1
        assert checked >= 55


def _expected_status(item: ItemSpec) -> str:
    story = item.story
    if story.kind == DONE:
        return ItemStatus.COMPLETED
    if item.children:
        return ""  # carried by its children
    if story.kind == CANCELLED:
        return ItemStatus.CANCELLED
    if story.kind == PLANNED or (story.kind == STALE and story.on is None):
        return ItemStatus.PLANNED  # never reported on
    return ItemStatus.IN_PROGRESS


def test_same_seed_same_plans_other_seed_other_days():
    first, again = plan_demo(seed=SEED).plans, plan_demo(seed=SEED).plans
    assert first == again
    other = plan_demo(seed=7).plans
    assert [p.title for p in other.plans] == [p.title for p in first.plans]
    assert [s.day for s in other.steps] != [s.day for s in first.steps]
    assert all(s.day <= LAST_DAY for s in other.steps)
    assert max(s.day for s in first.steps) <= date(2026, 11, 20)
