"""Activity pages. Staff: the list, the new-activity page and an activity's page with its
invitations, counts, check-in QR code and one POST URL per action. Deputies, phone first: my
activities (sign up, decline, ask for leave) and the check-in page (code typed, or filled in
from the QR link)."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from renda.core import action_pages as ap
from renda.core.access import allow
from renda.core.downloads import download
from renda.core.errors import DomainError
from renda.core.models import TimelineEvent
from renda.deputies import actions_activities as actions
from renda.deputies import forms_activities as f
from renda.deputies.models import ActivityKind, ActivityStatus
from renda.deputies.queries_activities import (
    XLSX,
    ActivityFilters,
    activity_actions,
    activity_list_xlsx,
    attendance_sheet_xlsx,
    carried_out,
    counts_of,
    get_activity_for_user,
    get_invitation_for_user,
    invitation_actions,
    invitation_for_check_in,
    invitations_of,
    list_filename,
    may_create_activity,
    my_invitations,
    organises,
    sheet_filename,
)
from renda.deputies.queries_activities import activity_list as activity_rows

VIEWERS = ("admin", "leader", "staff", "street")
ORGANISERS = ("admin", "staff", "street")
PAGE_SIZE = 30


@allow(*VIEWERS)
@require_GET
def activity_list(request):
    """The list; with ?export=xlsx the same filtered rows (every page) as an Excel file."""
    filters = ActivityFilters.from_params(request.GET)
    if request.GET.get("export") == "xlsx":
        content = activity_list_xlsx(request.user, filters)
        return download(content, content_type=XLSX, filename=list_filename())
    page = Paginator(activity_rows(request.user, filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "filters": filters,
        "kinds": ActivityKind.choices,
        "statuses": ActivityStatus.choices,
        "may_create": may_create_activity(request.user),
        "filter_query": ap.without_page(request.GET),
        "export_query": _export_query(request.GET),
    }
    return render(request, "deputies/activities/list.html", context)


def _export_query(params) -> str:
    params = params.copy()
    params.pop("page", None)
    params["export"] = "xlsx"
    return params.urlencode()


@allow(*VIEWERS)
@require_GET
def attendance_sheet(request, pk: int):
    """The activity's attendance sheet (签到表) as an Excel file."""
    activity = get_activity_for_user(request.user, pk)
    content = attendance_sheet_xlsx(activity)
    return download(content, content_type=XLSX, filename=sheet_filename(activity))


@allow(*ORGANISERS)
@require_http_methods(["GET", "POST"])
def create_activity(request):
    page_action = ap.ActionPage(
        "create_activity", "新建活动", ORGANISERS, f.ActivityCreateForm, str
    )
    if request.method == "GET":
        form = f.ActivityCreateForm(user=request.user, params=request.GET)
        return render(
            request, "deputies/activities/create.html", {"form": form, "page_action": page_action}
        )
    form = f.ActivityCreateForm(request.POST, user=request.user)
    status = 400
    if form.is_valid():
        try:
            activity = actions.create_activity(acting_user=request.user, values=form.values())
        except DomainError as error:
            ap.show_domain_error(form, error)
            status = error.status
        else:
            messages.success(request, f"已创建活动：{activity.title}。")
            return redirect("deputies:activity", pk=activity.pk)
    context = {"form": form, "page_action": page_action}
    return render(request, "deputies/activities/create.html", context, status=status)


def checkin_url(request, activity) -> str:
    path = reverse("deputies:check_in", args=[activity.pk]) + f"?code={activity.checkin_code}"
    return request.build_absolute_uri(path)


def qr_svg(url: str) -> str:
    """The check-in link as an inline SVG (drawn on the server: no script, no network)."""
    return segno.make(url, error="m").svg_inline(scale=5, border=2, dark="#000", light="#fff")


@allow(*VIEWERS, "deputy")
@require_GET
def activity_detail(request, pk: int):
    user = request.user
    activity = get_activity_for_user(user, pk)
    records = {"activity": activity}
    is_organiser = organises(user, activity)
    invitations = list(invitations_of(activity)) if user.roles.has(*VIEWERS) else []
    rows = []
    for invitation in invitations:
        invitation.activity = activity
        allowed = invitation_actions(user, invitation)
        links = [
            (page, reverse(f"deputies:{page.name}", args=[invitation.pk]))
            for page in INVITATION_STAFF_PAGES
            if page.name in allowed
        ]
        rows.append((invitation, links))
    context = {
        "activity": activity,
        "counts": counts_of(activity),
        "rows": rows,
        "is_organiser": is_organiser,
        "actions": ap.shown_actions(
            ACTIVITY, user, ACTIVITY_PAGES, activity_actions(user, activity), records
        ),
        "events": TimelineEvent.objects.for_object(activity),
        "own": invitation_for_check_in(user, activity),
        "carries_out": carried_out(user, activity),
        "may_export": user.roles.has(*VIEWERS),
    }
    if is_organiser and activity.status in ("planned", "open"):
        context["checkin_url"] = checkin_url(request, activity)
        context["qr_svg"] = qr_svg(context["checkin_url"])
    return render(request, "deputies/activities/detail.html", context)


@allow("deputy")
@require_GET
def my_activities(request):
    rows = []
    for invitation in my_invitations(request.user)[:100]:
        allowed = invitation_actions(request.user, invitation)
        shown = [
            (
                page,
                reverse(f"deputies:{page.name}", args=[invitation.pk]),
                page.form(
                    activity=invitation.activity,
                    invitation=invitation,
                    user=request.user,
                    auto_id=f"id_{page.name}_{invitation.pk}-%s",
                ),
            )
            for page in INVITATION_DEPUTY_PAGES
            if page.name in allowed
        ]
        rows.append((invitation, shown, "check_in" in allowed))
    return render(request, "deputies/activities/mine.html", {"rows": rows})


@allow("deputy")
@require_http_methods(["GET", "POST"])
def check_in(request, pk: int):
    activity = get_activity_for_user(request.user, pk)
    if request.method == "GET":
        form = f.CheckInForm(initial={"code": request.GET.get("code", "")})
        return render(
            request, "deputies/activities/check_in.html", {"activity": activity, "form": form}
        )
    form = f.CheckInForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            actions.check_in(
                acting_user=request.user, activity=activity, code=form.cleaned_data["code"]
            )
        except DomainError as error:
            ap.show_domain_error(form, error)
            status = error.status
        else:
            messages.success(request, f"签到成功：{activity.title}。")
            return redirect("deputies:my_activities")
    context = {"activity": activity, "form": form}
    return render(request, "deputies/activities/check_in.html", context, status=status)


# ---------------------------------------------------------------------------------------------
# One page per action (core/action_pages.py does the GET form or refusal, the POST, the
# conflict and the action's own errors).


def _update(form) -> str:
    actions.update_activity(
        acting_user=form.user, activity=form.activity, values=form.values(), version=form.version
    )
    return "活动已修改。"


def _invite(form) -> str:
    data = form.cleaned_data
    new = actions.invite(
        acting_user=form.user,
        activity=form.activity,
        deputies=data["deputies"],
        groups=data["groups"],
        levels=data["levels"],
    )
    return f"已邀请 {len(new)} 位代表。"


def _open(form) -> str:
    actions.open_signup(acting_user=form.user, activity=form.activity, version=form.version)
    return "已开放报名，已通知受邀代表。"


def _held(form) -> str:
    actions.mark_held(acting_user=form.user, activity=form.activity, version=form.version)
    return "活动已标记为已举行，未签到且未获准请假的代表记为缺席。"


def _close(form) -> str:
    actions.close_activity(acting_user=form.user, activity=form.activity, version=form.version)
    return "活动已归档。"


def _cancel(form) -> str:
    actions.cancel_activity(
        acting_user=form.user,
        activity=form.activity,
        reason=form.cleaned_data["reason"],
        version=form.version,
    )
    return "活动已取消，已通知受邀代表。"


ACTIVITY_PAGES = [
    ap.ActionPage("open_signup", "开放报名", ORGANISERS, f.VersionedConfirmForm, _open),
    ap.ActionPage("invite", "邀请代表", ORGANISERS, f.InviteForm, _invite),
    ap.ActionPage(
        "mark_held",
        "标记为已举行",
        ORGANISERS,
        f.VersionedConfirmForm,
        _held,
        confirm="未签到且未获准请假的代表将记为缺席，确定吗？",
    ),
    ap.ActionPage("close_activity", "归档", ORGANISERS, f.VersionedConfirmForm, _close),
    ap.ActionPage(
        "update_activity", "修改活动", ORGANISERS, f.ActivityUpdateForm, _update, embed=False
    ),
    ap.ActionPage(
        "cancel_activity",
        "取消活动",
        ORGANISERS,
        f.VersionedReasonForm,
        _cancel,
        button="btn-outline-danger",
    ),
]


def _sign_up(form) -> str:
    actions.sign_up(acting_user=form.user, invitation=form.invitation)
    return f"已报名：{form.activity.title}。"


def _decline(form) -> str:
    actions.decline(
        acting_user=form.user, invitation=form.invitation, reason=form.cleaned_data["reason"]
    )
    return f"已回复不参加：{form.activity.title}。"


def _request_leave(form) -> str:
    actions.request_leave(
        acting_user=form.user, invitation=form.invitation, reason=form.cleaned_data["reason"]
    )
    return "请假申请已提交，等待组织者审批。"


def _grant(form) -> str:
    actions.grant_leave(
        acting_user=form.user, invitation=form.invitation, answer=form.cleaned_data["answer"]
    )
    return f"已准假：{form.invitation.deputy.full_name}。"


def _refuse(form) -> str:
    actions.refuse_leave(
        acting_user=form.user, invitation=form.invitation, reason=form.cleaned_data["reason"]
    )
    return f"不准假：{form.invitation.deputy.full_name}。"


def _record(form) -> str:
    actions.record_attendance(acting_user=form.user, invitation=form.invitation)
    return f"已补录出席：{form.invitation.deputy.full_name}。"


INVITATION_DEPUTY_PAGES = [
    ap.ActionPage("sign_up", "报名", ("deputy",), f.ConfirmForm, _sign_up, button="btn-success"),
    ap.ActionPage(
        "request_leave",
        "请假",
        ("deputy",),
        f.LeaveForm,
        _request_leave,
        button="btn-outline-warning",
    ),
    ap.ActionPage(
        "decline", "不参加", ("deputy",), f.DeclineForm, _decline, button="btn-outline-secondary"
    ),
]
INVITATION_STAFF_PAGES = [
    ap.ActionPage("grant_leave", "准假", ORGANISERS, f.GrantForm, _grant),
    ap.ActionPage(
        "refuse_leave", "不准假", ORGANISERS, f.ReasonForm, _refuse, button="btn-outline-danger"
    ),
    ap.ActionPage("record_attendance", "补录出席", ORGANISERS, f.ConfirmForm, _record),
]


def _invitation_records(user, pk: int) -> dict:
    invitation = get_invitation_for_user(user, pk)
    return {"invitation": invitation, "activity": invitation.activity}


def _after_invitation(request, page, form):
    if page in INVITATION_DEPUTY_PAGES:
        return redirect("deputies:my_activities")
    return redirect("deputies:activity", pk=form.activity.pk)


ACTIVITY = ap.RecordKind(
    namespace="deputies",
    template_dir="deputies/activities",
    fetch=lambda user, pk: {"activity": get_activity_for_user(user, pk)},
    key="activity",
    allowed=activity_actions,
    detail_url="deputies:activity",
    refused_message="您当前不能进行“{label}”（只有活动的组织者可以，且要看活动所处的阶段）。",
)
INVITATION = ap.RecordKind(
    namespace="deputies",
    template_dir="deputies/activities",
    fetch=_invitation_records,
    key="invitation",
    allowed=invitation_actions,
    done=_after_invitation,
    refused_message="您当前不能进行“{label}”。",
)
# The activity's own URLs under activities/<pk>/<name>/: its action pages and its sheet.
ACTIVITY_ACTION_VIEWS = {
    **ap.action_views(ACTIVITY, ACTIVITY_PAGES),
    "attendance_sheet": attendance_sheet,
}
INVITATION_ACTION_VIEWS = ap.action_views(
    INVITATION, INVITATION_DEPUTY_PAGES + INVITATION_STAFF_PAGES
)
