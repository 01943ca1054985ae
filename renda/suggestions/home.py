"""Home-page panels of the suggestions work, per role: what waits for this user, what is overdue,
and the key suggestions for leaders.

All counts come from one aggregate query; rows are read only for panels that have any. Waiting and
overdue panels with nothing in them are left out (the home page then says there is nothing to do);
the leaders' information panels always show."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from renda.core.home import Panel, PanelItem
from renda.core.models import Role
from renda.suggestions.models import (
    OPEN_STATES,
    Assignment,
    CoSigner,
    Extension,
    Status,
    Suggestion,
)
from renda.suggestions.permissions import handles_suggestions

LIMIT = 8


@dataclass(frozen=True)
class Queue:
    title: str
    kind: str  # waiting, overdue, info
    condition: Q
    more: str
    empty: str


def _assigned_to(unit_ids, **assignment_filter) -> Q:
    return Q(
        Exists(
            Assignment.objects.filter(
                suggestion=OuterRef("pk"), unit_id__in=unit_ids, **assignment_filter
            )
        )
    )


def queues_for(user, *, today) -> list[Queue]:
    roles = user.roles
    overdue = Q(status__in=OPEN_STATES, due_at__lt=today)
    queues: list[Queue] = []
    if roles.has(Role.DEPUTY):
        queues += [
            Queue(
                "待我评价的建议答复",
                "waiting",
                Q(deputy__user=user, status=Status.ANSWERED),
                "?status=answered",
                "没有待评价的答复。",
            ),
            Queue(
                "待我确认的联名建议",
                "waiting",
                Q(
                    Exists(
                        CoSigner.objects.filter(
                            suggestion=OuterRef("pk"),
                            deputy__user=user,
                            status=CoSigner.Status.PENDING,
                        )
                    ),
                    status=Status.SUBMITTED,
                ),
                "?status=submitted",
                "没有待确认的联名邀请。",
            ),
            Queue(
                "我的建议草稿",
                "waiting",
                Q(deputy__user=user, status=Status.DRAFT),
                "?status=draft",
                "没有草稿。",
            ),
        ]
    office = handles_suggestions(user)
    if office:
        pending_request = Q(
            Exists(
                Assignment.objects.filter(
                    suggestion=OuterRef("pk"), status=Assignment.Status.ADJUST_REQUESTED
                )
            )
        ) | Q(
            Exists(
                Extension.objects.filter(
                    suggestion=OuterRef("pk"), status=Extension.Status.REQUESTED
                )
            )
        )
        queues += [
            Queue("待审查的建议", "waiting", Q(status=Status.SUBMITTED), "?status=submitted", ""),
            Queue("待交办的建议", "waiting", Q(status=Status.ACCEPTED), "?status=accepted", ""),
            Queue("待决定的调整与延期申请", "waiting", pending_request, "", ""),
            Queue(
                "已答复待办结的建议", "waiting", Q(status=Status.ANSWERED), "?status=answered", ""
            ),
        ]
    if roles.unit_ids:
        queues += [
            Queue(
                "待签收的交办建议",
                "waiting",
                _assigned_to(roles.unit_ids, status=Assignment.Status.PENDING),
                "?status=assigned",
                "",
            ),
            Queue(
                "办理中的建议",
                "waiting",
                _assigned_to(roles.unit_ids, status=Assignment.Status.SIGNED)
                & Q(status__in=(Status.HANDLING, Status.FOLLOW_UP)),
                "?status=handling",
                "",
            ),
            Queue(
                "本单位逾期未答复的建议",
                "overdue",
                _assigned_to(roles.unit_ids, status__in=["pending", "signed"]) & overdue,
                "?overdue=1",
                "",
            ),
        ]
    if office or roles.has(Role.LEADER):
        queues.append(Queue("逾期未答复的建议", "overdue", overdue, "?overdue=1", ""))
    if roles.has(Role.LEADER, Role.ADMIN):
        queues += [
            Queue(
                "重点督办建议",
                "info",
                Q(is_key=True) & ~Q(status=Status.CLOSED),
                "?key=1",
                "尚未确定重点督办建议。",
            ),
            Queue(
                "连续不满意、报告领导的建议",
                "info",
                Q(is_escalated=True) & ~Q(status=Status.CLOSED),
                "?escalated=1",
                "没有连续不满意的建议。",
            ),
        ]
    return queues


def _items(condition: Q, *, today) -> list[PanelItem]:
    rows = (
        Suggestion.objects.filter(condition)
        .select_related("deputy")
        .order_by("due_at", "-id")[:LIMIT]
    )
    return [
        PanelItem(
            title=f"{s.display_number}{s.title}",
            url=reverse("suggestions:detail", args=[s.pk]),
            note=f"{s.deputy.full_name} · {s.get_status_display()}",
            badge=f"{s.due_at:%m-%d}" if s.due_at else "",
            badge_class="text-bg-danger" if s.is_overdue(today) else "text-bg-secondary",
        )
        for s in rows
    ]


def suggestion_panels(user) -> list[Panel]:
    today = timezone.localdate()
    queues = queues_for(user, today=today)
    if not queues:
        return []
    counts = Suggestion.objects.aggregate(
        **{f"q{i}": Count("pk", filter=q.condition) for i, q in enumerate(queues)}
    )
    panels = []
    for i, queue in enumerate(queues):
        total = counts[f"q{i}"]
        if not total and queue.kind != "info":
            continue
        panels.append(
            Panel(
                title=queue.title,
                kind=queue.kind,
                items=_items(queue.condition, today=today) if total else [],
                total=total,
                more_url=reverse("suggestions:list") + queue.more,
                empty_text=queue.empty or "暂无",
            )
        )
    return panels
