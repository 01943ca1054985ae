"""Publishing a quarter's points bulletin: who may, when, once; what it freezes, writes and
sends. Refused publications change nothing."""

from datetime import date
from decimal import Decimal

import pytest

from renda.core import clock
from renda.core.errors import DomainError, NotAllowed
from renda.core.models import Notification, TimelineEvent
from renda.deputies import actions_activities as activities
from renda.deputies.actions_points import publish_bulletin
from renda.deputies.models import ActivityKind, PointBulletin, PointBulletinRow
from tests.deputies import points_factories
from tests.deputies.factories import DeputyFactory, MandateFactory
from tests.deputies.points_factories import Q2_DAY
from tests.plans.factories import Mark

pytestmark = pytest.mark.django_db
pw = points_factories.pw  # the fixture


def world_state() -> tuple:
    return (
        list(PointBulletin.objects.values().order_by("id")),
        list(PointBulletinRow.objects.values().order_by("id")),
        TimelineEvent.objects.count(),
        Notification.objects.count(),
    )


def refused(call, message: str, error: type = DomainError) -> DomainError:
    before = world_state()
    with pytest.raises(error) as info:
        call()
    assert info.value.message == message, info.value.message
    assert world_state() == before
    return info.value


def test_publishing_freezes_one_row_per_current_district_deputy(pw):
    pw.suggestion(pw.zhang, cosigners=[pw.li])
    pw.activity(ActivityKind.VISIT, absent=[pw.li])
    ended = DeputyFactory(full_name="已离任")
    MandateFactory(deputy=ended, ended_on=date(2025, 1, 1), end_reason="resigned")
    MandateFactory(deputy=DeputyFactory(full_name="市代表"), level="municipal")
    mark = Mark(pw.staff)
    bulletin = publish_bulletin(acting_user=pw.staff, year=2026, quarter=2, note="请各代表小组传达")
    assert (bulletin.year, bulletin.quarter, bulletin.published_by) == (2026, 2, pw.staff)
    assert bulletin.published_at.date() == date(2026, 11, 2)
    assert str(bulletin) == "2026年第2季度代表履职积分通报"
    rows = {r.deputy_id: r for r in bulletin.rows.all()}
    assert set(rows) == {pw.zhang.pk, pw.li.pk}
    zhang, li = rows[pw.zhang.pk], rows[pw.li.pk]
    assert (zhang.deputy_name, zhang.group_name) == ("张代表", "泉城路街道代表小组")
    assert (zhang.quarter_points, zhang.year_points, zhang.band) == (
        Decimal(3),
        Decimal(63),
        "fair",
    )
    assert zhang.details["suggestion_lead"] == [1, 3.0]
    assert (li.quarter_points, li.year_points, li.band) == (Decimal(-2), Decimal(58), "poor")
    assert li.details["suggestion_cosigned"] == [1, 1.0]
    assert li.details["absence"] == [1, -3.0]
    event = mark.event(bulletin)
    assert event.verb == "publish_bulletin"
    assert event.summary == "发布2026年第2季度代表履职积分通报：2 名代表"
    assert event.note == "请各代表小组传达"
    assert mark.notified() == {
        "p_deputy": ["2026年第2季度代表履职积分通报已发布"],
        "d_李代表": ["2026年第2季度代表履职积分通报已发布"],
    }
    keys = set(Notification.objects.filter(title__contains="通报").values_list("key", flat=True))
    assert keys == {f"point_bulletin:{bulletin.pk}"}


def test_the_admin_may_publish_and_a_quarter_just_ended_may_be_published(pw):
    with clock.as_of(date(2026, 7, 1)):
        bulletin = publish_bulletin(acting_user=pw.p.admin, year=2026, quarter=2)
    assert bulletin.rows.count() == 2


@pytest.mark.parametrize("role", ["leader", "social_staff", "street", "deputy", "unit", "nobody"])
def test_only_the_keepers_of_the_roster_publish(pw, role):
    refused(
        lambda: publish_bulletin(acting_user=getattr(pw.p, role), year=2026, quarter=2),
        "只有系统管理员和人事代表工作室可以发布积分通报。",
        NotAllowed,
    )


def test_a_quarter_not_yet_ended_is_refused(pw):
    error = refused(
        lambda: publish_bulletin(acting_user=pw.staff, year=2026, quarter=4),
        "2026年第4季度于 2026-12-31 结束，季度结束后才能发布积分通报。",
    )
    assert error.code == "too_early"
    with clock.as_of(date(2026, 6, 30)):  # the quarter's last day: not ended yet
        refused(
            lambda: publish_bulletin(acting_user=pw.staff, year=2026, quarter=2),
            "2026年第2季度于 2026-06-30 结束，季度结束后才能发布积分通报。",
        )


def test_a_quarter_is_published_once(pw):
    publish_bulletin(acting_user=pw.staff, year=2026, quarter=1)
    error = refused(
        lambda: publish_bulletin(acting_user=pw.p.admin, year=2026, quarter=1, note="再发一次"),
        "2026年第1季度积分通报已发布，不能重复发布。",
    )
    assert error.code == "already_published"


@pytest.mark.parametrize(
    ("year", "quarter", "message", "fields"),
    [
        (2026, 5, "季度应为 1 至 4。", {"quarter"}),
        (2027, 1, "年度应在 2000 至 2026 之间。", {"year"}),
        (1999, 0, "年度应在 2000 至 2026 之间。", {"year", "quarter"}),
    ],
)
def test_bad_periods_are_refused(pw, year, quarter, message, fields):
    error = refused(
        lambda: publish_bulletin(acting_user=pw.staff, year=year, quarter=quarter), message
    )
    assert set(error.field_errors) == fields


def test_a_long_note_is_refused(pw):
    refused(
        lambda: publish_bulletin(acting_user=pw.staff, year=2026, quarter=1, note="长" * 2001),
        "说明不能超过 2000 字。",
    )


def test_published_rows_do_not_change_when_attendance_is_corrected_later(pw):
    activity = pw.activity(ActivityKind.VISIT, Q2_DAY, absent=[pw.zhang])
    bulletin = publish_bulletin(acting_user=pw.staff, year=2026, quarter=2)
    before = list(bulletin.rows.values().order_by("id"))
    assert pw.points(pw.zhang).year_points == Decimal(57)
    # Staff later record that the deputy was there after all: the live points follow...
    activities.record_attendance(acting_user=pw.staff, invitation=pw.invitation(activity, pw.zhang))
    assert pw.points(pw.zhang).year_points == Decimal(63)
    # ...the published bulletin does not.
    assert list(bulletin.rows.values().order_by("id")) == before
    assert bulletin.rows.get(deputy=pw.zhang).year_points == Decimal(57)
