"""The deputies' work hub (代表工作): one menu entry that leads each organ role and street
committee to roster, activities, stations, voters' opinions, points and the public pages."""

from __future__ import annotations

from django.shortcuts import render

from renda.core import clock
from renda.core.access import allow
from renda.deputies import queries_index as q
from renda.deputies.permissions import keeps_roster


@allow("admin", "leader", "staff", "street")
def index(request):
    user, today = request.user, clock.today()
    context = {
        "activities": q.activity_figures(user, today),
        "stations": q.station_figures(user, today),
        "bulletin": q.latest_bulletin(),
        "keeps_roster": keeps_roster(user),
    }
    return render(request, "deputies/index.html", context)
