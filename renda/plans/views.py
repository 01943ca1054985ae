"""Placeholder pages, replaced by the pages of the plans work (in progress)."""

from django.shortcuts import render

from renda.core.access import allow
from renda.plans.permissions import get_item_for_user, get_plan_for_user

ORGAN = ("admin", "leader", "staff")


@allow(*ORGAN)
def plan_list(request):
    return render(request, "plans/list.html", {})


@allow(*ORGAN)
def plan_detail(request, pk: int):
    return render(request, "plans/detail.html", {"plan": get_plan_for_user(request.user, pk)})


@allow(*ORGAN)
def item_detail(request, pk: int):
    return render(request, "plans/item.html", {"item": get_item_for_user(request.user, pk)})


@allow(*ORGAN)
def attention(request):
    return render(request, "plans/attention.html", {})
