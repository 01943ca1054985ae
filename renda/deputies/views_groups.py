"""Deputy group pages: the list by street with member counts (each group opens the roster filtered
by it), the page to set up a group, and one URL per action (core/action_pages.py does the GET
form or refusal, the POST and the action's own errors)."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from renda.core import action_pages as ap
from renda.core.access import allow
from renda.core.errors import DomainError
from renda.deputies import actions_groups as actions
from renda.deputies import forms_groups as f
from renda.deputies.queries_groups import (
    current_term,
    get_group_for_user,
    group_actions,
    group_list,
    may_add_group,
    terms_for_filter,
)

VIEWERS = ("admin", "leader", "staff", "street")
KEEPERS = ("admin", "staff", "street")  # narrowed per group by keeps_group
TEMPLATES = "deputies/groups"


def _term(params, current: int) -> int:
    value = str(params.get("term") or "").strip()
    return int(value) if value.isdigit() and 0 < int(value) < 1000 else current


@allow(*VIEWERS)
@require_GET
def groups(request):
    user = request.user
    current = current_term()
    term = _term(request.GET, current)
    rows = list(group_list(user, term))
    context = {
        "sections": [
            (street, [(g, group_actions(user, g)) for g in members])
            for street, members in groupby(rows, key=lambda g: g.street)
        ],
        "count": len(rows),
        "term": term,
        "terms": terms_for_filter(user, current),
        "members": sum(g.district_count for g in rows),
        "may_add": may_add_group(user),
    }
    return render(request, f"{TEMPLATES}/list.html", context)


@allow(*KEEPERS)
@require_http_methods(["GET", "POST"])
def add_group(request):
    if not may_add_group(request.user):
        return ap.refused(
            request, TEMPLATES, "只有系统管理员、代表工作机构和街道人大工委可以设立代表小组。"
        )
    if request.method == "GET":
        form = f.GroupCreateForm(user=request.user)
        return render(request, f"{TEMPLATES}/add.html", {"form": form})
    form = f.GroupCreateForm(request.POST, user=request.user)
    status = 400
    if form.is_valid():
        try:
            group = actions.add_group(
                acting_user=request.user,
                values=form.values(),
                term_number=form.cleaned_data["term_number"],
            )
        except DomainError as error:
            ap.show_domain_error(form, error)
            status = error.status
        else:
            messages.success(request, f"已设立代表小组：{group.name}。")
            return redirect(f"{_list_url()}?term={group.term_number}")
    return render(request, f"{TEMPLATES}/add.html", {"form": form}, status=status)


def _list_url() -> str:
    return reverse("deputies:groups")


def _update(form) -> str:
    group = actions.update_group(acting_user=form.user, group=form.group, values=form.values())
    return f"代表小组“{group.name}”已修改。"


def _delete(form) -> str:
    name = form.group.name
    actions.delete_group(acting_user=form.user, group=form.group)
    return f"已删除代表小组：{name}。"


def _back_to_list(request, page, form):
    return redirect(f"{_list_url()}?term={form.group.term_number}")


GROUP_PAGES = [
    ap.ActionPage("update_group", "修改代表小组", KEEPERS, f.GroupUpdateForm, _update),
    ap.ActionPage(
        "delete_group",
        "删除代表小组",
        KEEPERS,
        f.GroupDeleteForm,
        _delete,
        button="btn-outline-danger",
        confirm="删除后不能恢复，确定吗？",
    ),
]

GROUP = ap.RecordKind(
    namespace="deputies",
    template_dir=TEMPLATES,
    fetch=lambda user, pk: {"group": get_group_for_user(user, pk)},
    key="group",
    allowed=group_actions,
    done=_back_to_list,
    refused_message=(
        "您当前不能进行“{label}”（只有系统管理员、代表工作机构和小组所在街道的人大工委可以；"
        "已有代表资格属于该小组的，不能删除）。"
    ),
)
GROUP_ACTION_VIEWS = ap.action_views(GROUP, GROUP_PAGES)
