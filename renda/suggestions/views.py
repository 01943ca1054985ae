from django.shortcuts import render

from renda.core.access import allow
from renda.suggestions.permissions import get_suggestion_for_user


@allow("admin", "leader", "staff", "street", "deputy", "unit")
def suggestion_list(request):
    return render(request, "suggestions/list.html", {})


@allow("admin", "leader", "staff", "street", "deputy", "unit")
def suggestion_detail(request, pk: int):
    suggestion = get_suggestion_for_user(request.user, pk)
    return render(request, "suggestions/detail.html", {"suggestion": suggestion})
