"""Role-matrix entries of activities (see tests/core/test_role_matrix.py for the format).

The activities are organised by the street of personas.street (so the admin, the organ's staff
and that street's committee all organise them) and invite personas.deputy. Each API request
builds a fresh activity, so every allowed role's request is valid on its own."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from renda.core.models import Street
from renda.deputies.models import Activity, Invitation

VIEWERS = {"admin", "leader", "staff", "street"}
ORGANISERS = {"admin", "staff", "street"}
DEPUTY = {"deputy"}
BASE = "/api/v1/deputies/activities"


def _street(p) -> Street:
    return Street.objects.get(pk=next(iter(p.street.roles.street_ids)))


def make_activity(p, *, status="planned", days=10, invite=True, leave="") -> Activity:
    activity = Activity.objects.create(
        kind="research",
        title=f"调研{Activity.objects.count() + 1}",
        organiser_street=_street(p),
        date=timezone.localdate() + timedelta(days=days),
        starts_at=time(9),
        place="街道会议室",
        status=status,
        checkin_code="246810",
    )
    if invite:
        Invitation.objects.create(
            activity=activity,
            deputy=p.deputy.deputy,
            invited_at=timezone.now(),
            leave=leave,
            leave_reason="出差" if leave else "",
        )
    return activity


def _pk(**options):
    return lambda p: {"pk": make_activity(p, **options).pk}


def _invitation_pk(**options):
    return lambda p: {"pk": make_activity(p, **options).invitations.get().pk}


ACTIVITY_PAGES = {
    "deputies:activities": (VIEWERS, "get", None, 200),
    "deputies:create_activity": (ORGANISERS, "get", None, 200),
    "deputies:my_activities": (DEPUTY, "get", None, 200),
    "deputies:activity": (VIEWERS | DEPUTY, "get", _pk(), 200),
    "deputies:check_in": (DEPUTY, "get", _pk(days=0, status="open"), 200),
    "deputies:update_activity": (ORGANISERS, "get", _pk(), 200),
    "deputies:invite": (ORGANISERS, "get", _pk(), 200),
    "deputies:open_signup": (ORGANISERS, "get", _pk(), 200),
    "deputies:cancel_activity": (ORGANISERS, "get", _pk(), 200),
    "deputies:mark_held": (ORGANISERS, "get", _pk(days=0), 200),
    "deputies:close_activity": (ORGANISERS, "get", _pk(days=-1, status="held"), 200),
    "deputies:sign_up": (DEPUTY, "get", _invitation_pk(status="open"), 200),
    "deputies:decline": (DEPUTY, "get", _invitation_pk(status="open"), 200),
    "deputies:request_leave": (DEPUTY, "get", _invitation_pk(status="open"), 200),
    "deputies:grant_leave": (ORGANISERS, "get", _invitation_pk(leave="requested"), 200),
    "deputies:refuse_leave": (ORGANISERS, "get", _invitation_pk(leave="requested"), 200),
    "deputies:record_attendance": (ORGANISERS, "get", _invitation_pk(days=0), 200),
    # The attendance sheet (签到表, .xlsx) lists every invited deputy: not for a deputy.
    "deputies:attendance_sheet": (VIEWERS, "get", _pk(), 200),
}


def _on(path: str = "", body=None, **options):
    def build(p):
        activity = make_activity(p, **options)
        return f"{BASE}/{activity.pk}{path}", body

    return build


def _on_invitation(path: str, body=None, **options):
    def build(p):
        invitation = make_activity(p, **options).invitations.get()
        return f"{BASE}/invitations/{invitation.pk}{path}", body

    return build


def _create(p):
    body = {
        "kind": "visit",
        "title": "视察",
        "organiser_street_id": _street(p).pk,
        "date": (timezone.localdate() + timedelta(days=5)).isoformat(),
        "starts_at": "09:00",
        "place": "现场",
    }
    return f"{BASE}/", body


def _update(p):
    activity = make_activity(p)
    body = {
        "kind": "visit",
        "title": "改名后的视察",
        "organiser_street_id": activity.organiser_street_id,
        "date": activity.date.isoformat(),
        "starts_at": "09:00",
        "place": "街道会议室",
    }
    return f"{BASE}/{activity.pk}", body


ACTIVITY_API = {
    ("GET", "/deputies/activities/"): (VIEWERS, lambda p: (f"{BASE}/", None), 200),
    ("GET", "/deputies/activities/export"): (VIEWERS, lambda p: (f"{BASE}/export", None), 200),
    ("GET", "/deputies/activities/{int:activity_id}/attendance-sheet"): (
        VIEWERS,
        _on("/attendance-sheet"),
        200,
    ),
    ("GET", "/deputies/activities/mine"): (DEPUTY, lambda p: (f"{BASE}/mine", None), 200),
    ("GET", "/deputies/activities/{int:activity_id}"): (VIEWERS | DEPUTY, _on(), 200),
    ("POST", "/deputies/activities/"): (ORGANISERS, _create, 201),
    ("PUT", "/deputies/activities/{int:activity_id}"): (ORGANISERS, _update, 200),
    ("POST", "/deputies/activities/{int:activity_id}/invite"): (
        ORGANISERS,
        _on("/invite", {"levels": ["district"]}, invite=False),
        200,
    ),
    ("POST", "/deputies/activities/{int:activity_id}/open-signup"): (
        ORGANISERS,
        _on("/open-signup", {}),
        200,
    ),
    ("POST", "/deputies/activities/{int:activity_id}/mark-held"): (
        ORGANISERS,
        _on("/mark-held", {}, days=0),
        200,
    ),
    ("POST", "/deputies/activities/{int:activity_id}/close-activity"): (
        ORGANISERS,
        _on("/close-activity", {}, days=-1, status="held"),
        200,
    ),
    ("POST", "/deputies/activities/{int:activity_id}/cancel"): (
        ORGANISERS,
        _on("/cancel", {"reason": "改期"}),
        200,
    ),
    ("POST", "/deputies/activities/{int:activity_id}/check-in"): (
        DEPUTY,
        _on("/check-in", {"code": "246810"}, days=0, status="open"),
        200,
    ),
    ("POST", "/deputies/activities/invitations/{int:invitation_id}/sign-up"): (
        DEPUTY,
        _on_invitation("/sign-up", status="open"),
        200,
    ),
    ("POST", "/deputies/activities/invitations/{int:invitation_id}/decline"): (
        DEPUTY,
        _on_invitation("/decline", {}, status="open"),
        200,
    ),
    ("POST", "/deputies/activities/invitations/{int:invitation_id}/leave"): (
        DEPUTY,
        _on_invitation("/leave", {"reason": "出差"}),
        200,
    ),
    ("POST", "/deputies/activities/invitations/{int:invitation_id}/grant-leave"): (
        ORGANISERS,
        _on_invitation("/grant-leave", {}, leave="requested"),
        200,
    ),
    ("POST", "/deputies/activities/invitations/{int:invitation_id}/refuse-leave"): (
        ORGANISERS,
        _on_invitation("/refuse-leave", {"reason": "不充分"}, leave="requested"),
        200,
    ),
    ("POST", "/deputies/activities/invitations/{int:invitation_id}/attendance"): (
        ORGANISERS,
        _on_invitation("/attendance", days=0),
        200,
    ),
}
