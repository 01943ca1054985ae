"""Home-page panels of the suggestions work, per role: what waits for this user, what is overdue,
and the key suggestions for leaders. Each panel costs two queries (count and first rows)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from renda.core.home import Panel, PanelItem
from renda.core.models import Role
from renda.suggestions.models import Assignment, CoSigner, Extension, Status, Suggestion
from renda.suggestions.permissions import handles_suggestions

LIMIT = 8


def _panel(title: str, kind: str, rows, *, today, more: str, empty: str) -> Panel:
    rows = rows.select_related("deputy").order_by("due_at", "-id")
    items = [
        PanelItem(
            title=f"{s.display_number}{s.title}",
            url=reverse("suggestions:detail", args=[s.pk]),
            note=f"{s.deputy.full_name} · {s.get_status_display()}",
            badge=f"{s.due_at:%m-%d}" if s.due_at else "",
            badge_class="text-bg-danger" if s.is_overdue(today) else "text-bg-secondary",
        )
        for s in rows[:LIMIT]
    ]
    return Panel(
        title=title,
        kind=kind,
        items=items,
        total=rows.count(),
        more_url=reverse("suggestions:list") + more,
        empty_text=empty,
    )


def _unit_rows(unit_ids, **assignment_filter):
    return Suggestion.objects.filter(
        Exists(
            Assignment.objects.filter(
                suggestion=OuterRef("pk"), unit_id__in=unit_ids, **assignment_filter
            )
        )
    )


def suggestion_panels(user) -> list[Panel]:
    today = timezone.localdate()
    roles = user.roles
    panels: list[Panel] = []
    if roles.has(Role.DEPUTY):
        mine = Suggestion.objects.filter(deputy__user=user)
        panels.append(
            _panel(
                "待我评价的建议答复",
                "waiting",
                mine.filter(status=Status.ANSWERED),
                today=today,
                more="?status=answered",
                empty="没有待评价的答复。",
            )
        )
        panels.append(
            _panel(
                "待我确认的联名建议",
                "waiting",
                Suggestion.objects.filter(
                    status=Status.SUBMITTED,
                    cosigners__deputy__user=user,
                    cosigners__status=CoSigner.Status.PENDING,
                ),
                today=today,
                more="?status=submitted",
                empty="没有待确认的联名邀请。",
            )
        )
    if handles_suggestions(user):
        panels.append(
            _panel(
                "待审查的建议",
                "waiting",
                Suggestion.objects.filter(status=Status.SUBMITTED),
                today=today,
                more="?status=submitted",
                empty="没有待审查的建议。",
            )
        )
        panels.append(
            _panel(
                "待交办的建议",
                "waiting",
                Suggestion.objects.filter(status=Status.ACCEPTED),
                today=today,
                more="?status=accepted",
                empty="没有待交办的建议。",
            )
        )
        panels.append(
            _panel(
                "待决定的调整与延期申请",
                "waiting",
                Suggestion.objects.filter(
                    Exists(
                        Assignment.objects.filter(
                            suggestion=OuterRef("pk"), status=Assignment.Status.ADJUST_REQUESTED
                        )
                    )
                    | Exists(
                        Extension.objects.filter(
                            suggestion=OuterRef("pk"), status=Extension.Status.REQUESTED
                        )
                    )
                ),
                today=today,
                more="",
                empty="没有待决定的申请。",
            )
        )
    if roles.unit_ids:
        panels.append(
            _panel(
                "待签收的交办建议",
                "waiting",
                _unit_rows(roles.unit_ids, status=Assignment.Status.PENDING),
                today=today,
                more="?status=assigned",
                empty="没有待签收的建议。",
            )
        )
        panels.append(
            _panel(
                "办理中的建议",
                "waiting",
                _unit_rows(roles.unit_ids, status=Assignment.Status.SIGNED).filter(
                    status__in=(Status.HANDLING, Status.FOLLOW_UP)
                ),
                today=today,
                more="?status=handling",
                empty="没有办理中的建议。",
            )
        )
        panels.append(
            _panel(
                "已逾期未答复的建议",
                "overdue",
                _unit_rows(roles.unit_ids, status__in=["pending", "signed"]).overdue(today),
                today=today,
                more="?overdue=1",
                empty="没有逾期的建议。",
            )
        )
    if handles_suggestions(user) or roles.has(Role.LEADER):
        panels.append(
            _panel(
                "已逾期未答复的建议",
                "overdue",
                Suggestion.objects.overdue(today),
                today=today,
                more="?overdue=1",
                empty="没有逾期的建议。",
            )
        )
    if roles.has(Role.LEADER, Role.ADMIN):
        panels.append(
            _panel(
                "重点督办建议",
                "info",
                Suggestion.objects.filter(is_key=True).exclude(status=Status.CLOSED),
                today=today,
                more="?key=1",
                empty="尚未确定重点督办建议。",
            )
        )
        panels.append(
            _panel(
                "连续不满意、报告领导的建议",
                "overdue",
                Suggestion.objects.filter(is_escalated=True).exclude(status=Status.CLOSED),
                today=today,
                more="?escalated=1",
                empty="没有连续不满意的建议。",
            )
        )
    return panels
