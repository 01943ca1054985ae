"""The supervision hub (监督工作): one menu entry that leads each role to the parts it uses, with
the figures that need attention. Units and deputies see only their own parts."""

from __future__ import annotations

from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from renda.core.access import allow
from renda.core.models import Role
from renda.supervision import queries
from renda.supervision.models import InspectionStatus, OpinionStatus
from renda.supervision.queries_inspections import visible_inspections
from renda.supervision.queries_opinions import overdue_condition, visible_opinions


@allow("admin", "leader", "staff", "unit", "deputy")
def index(request):
    user, today = request.user, timezone.localdate()
    roles = user.roles
    organ = roles.has(Role.ADMIN, Role.LEADER, Role.STAFF)
    context = {
        "organ": organ,
        "unit": Role.UNIT in roles.names,
        "deputy": Role.DEPUTY in roles.names,
    }
    if organ or context["unit"]:
        context["rectifications"] = queries.overdue_counts(
            queries.visible_rectifications(user), today=today
        )
        context["opinions"] = visible_opinions(user).aggregate(
            open=Count("pk", filter=Q(status__in=(OpinionStatus.ISSUED, OpinionStatus.FOLLOW_UP))),
            overdue=Count("pk", filter=overdue_condition(today)),
        )
    if organ:
        context["inspections"] = visible_inspections(user).aggregate(
            open=Count("pk", filter=~Q(status=InspectionStatus.CLOSED)),
            total=Count("pk"),
        )
    return render(request, "supervision/index.html", context)
