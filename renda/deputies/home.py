"""The deputies app's home-page panels: a deputy's mandates and open invitations, the leave
requests waiting for an organiser, and voters' opinions waiting for a unit's answer. A panel
appears only when something waits (the page says 暂无 otherwise); each costs one or two queries."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from renda.core import clock
from renda.core.home import Panel, PanelItem
from renda.core.models import Role
from renda.deputies.models import Invitation, Mandate, VoterOpinion, VoterOpinionStatus
from renda.deputies.queries_activities import ACTIVE, own_deputy

SHOWN = 5


def _first_and_total(rows) -> tuple[list, int]:
    first = list(rows[: SHOWN + 1])
    total = len(first) if len(first) <= SHOWN else rows.count()
    return first[:SHOWN], total


def my_mandates(user) -> list[Panel]:
    if not user.roles.has("deputy"):
        return []
    mandates = Mandate.objects.filter(deputy__user=user, ended_on=None).select_related(
        "deputy", "street", "group"
    )
    items = [
        PanelItem(
            title=f"第{m.term_number}届{m.get_level_display()}",
            url=reverse("deputies:detail", args=[m.deputy_id]),
            note=" · ".join(
                x
                for x in [
                    m.electoral_unit,
                    m.street.name if m.street else "",
                    m.group.name if m.group else "",
                ]
                if x
            ),
        )
        for m in mandates
    ]
    return [
        Panel(
            title="我的代表资格",
            kind="info",
            items=items,
            empty_text="账号尚未关联代表信息，请联系人事代表工作室。",
        )
    ]


def my_open_invitations(user) -> list[Panel]:
    """A deputy's invitations that await their answer, and today's activities (check in)."""
    deputy = own_deputy(user) if user.roles.has(Role.DEPUTY) else None
    if deputy is None:
        return []
    today = clock.today()
    rows = (
        Invitation.objects.filter(deputy=deputy, activity__status__in=ACTIVE)
        .filter(Q(response=Invitation.Response.INVITED) | Q(activity__date=today))
        .exclude(leave=Invitation.Leave.GRANTED)
        .select_related("activity")
        .order_by("activity__date", "activity__starts_at", "id")
    )
    first, total = _first_and_total(rows)
    if not first:
        return []
    items = [
        PanelItem(
            title=i.activity.title,
            url=reverse("deputies:activity", args=[i.activity_id]),
            note=f"{i.activity.date:%m月%d日} {i.activity.starts_at:%H:%M}，{i.activity.place}",
            badge="今天签到" if i.activity.date == today else "待回复",
            badge_class="text-bg-primary" if i.activity.date == today else "text-bg-warning",
        )
        for i in first
    ]
    return [
        Panel(
            title="我的活动邀请",
            kind="waiting",
            items=items,
            total=total,
            more_url=reverse("deputies:my_activities"),
        )
    ]


def leave_requests(user) -> list[Panel]:
    """Leave requests waiting for the organiser's decision."""
    roles = user.roles
    if roles.is_admin or roles.has(Role.STAFF):
        scope = Q()
    elif roles.has(Role.STREET):
        scope = Q(activity__organiser_street_id__in=roles.street_ids)
    else:
        return []
    rows = (
        Invitation.objects.filter(scope, leave=Invitation.Leave.REQUESTED)
        .filter(activity__status__in=ACTIVE)
        .select_related("activity", "deputy")
        .order_by("activity__date", "id")
    )
    first, total = _first_and_total(rows)
    if not first:
        return []
    items = [
        PanelItem(
            title=f"{i.deputy.full_name}：{i.activity.title}",
            url=reverse("deputies:activity", args=[i.activity_id]),
            note=f"{i.activity.date:%m月%d日} · {i.leave_reason}",
            badge="请假待批",
            badge_class="text-bg-warning",
        )
        for i in first
    ]
    return [Panel(title="代表请假待审批", kind="waiting", items=items, total=total)]


def unit_voter_opinions(user) -> list[Panel]:
    """Voters' opinions forwarded to the user's unit and not yet answered, overdue ones first."""
    if not user.roles.has(Role.UNIT):
        return []
    today = clock.today()
    rows = VoterOpinion.objects.filter(
        status=VoterOpinionStatus.TO_UNIT, unit_id__in=user.roles.unit_ids
    )
    counts = rows.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(unit_due_on__lt=today)))
    if not counts["total"]:
        return []
    items = [
        PanelItem(
            title=o.subject,
            url=reverse("deputies:opinion", args=[o.pk]),
            note=f"{o.station.name} · 答复期限 {o.unit_due_on or '未定'}",
            badge="逾期" if _late(o, today) else "待答复",
            badge_class="text-bg-danger" if _late(o, today) else "text-bg-warning",
        )
        for o in rows.select_related("station").order_by("unit_due_on", "id")[:SHOWN]
    ]
    kind = "overdue" if counts["overdue"] else "waiting"
    title = (
        f"选民意见待答复（逾期 {counts['overdue']} 件）" if counts["overdue"] else "选民意见待答复"
    )
    return [Panel(title=title, kind=kind, items=items, total=counts["total"])]


def _late(opinion: VoterOpinion, today) -> bool:
    return opinion.unit_due_on is not None and opinion.unit_due_on < today
