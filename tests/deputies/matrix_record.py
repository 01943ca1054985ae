"""Role-matrix entries of the performance record and public profile (format:
tests/core/test_role_matrix.py).

The record is personas.deputy's (张代表, of personas.street's street): the organ, that street's
committee and the deputy themself read it; units are refused. The public pages and operations
are open to anyone, logged in or not."""

from __future__ import annotations

from django.utils import timezone

RECORD = {"admin", "leader", "staff", "street", "deputy"}
DEPUTY = {"deputy"}
BASE = "/api/v1/deputies/records"


def _zhang(p) -> int:
    return p.deputy.deputy.pk


def _record(p) -> dict:
    return {"pk": _zhang(p)}


def _archive(p) -> dict:
    return {"pk": _zhang(p), "year": timezone.localdate().year}


RECORD_PAGES = {
    "deputies:record": (RECORD, "get", _record, 200),
    "deputies:record_archive": (RECORD, "get", _archive, 200),
    # The deputy's own page is now this year's record (it used to redirect to their details).
    "deputies:me": (DEPUTY, "get", None, 200),
    "deputies:my_suggestions": (DEPUTY, "get", None, 200),
    "deputies:public_list": ("public", "get", None, 200),
    "deputies:public_profile": ("public", "get", _record, 200),
}

RECORD_API = {
    ("GET", "/deputies/records/{int:deputy_id}"): (
        RECORD,
        lambda p: (f"{BASE}/{_zhang(p)}", None),
        200,
    ),
    ("GET", "/deputies/records/{int:deputy_id}/archive"): (
        RECORD,
        lambda p: (f"{BASE}/{_zhang(p)}/archive", None),
        200,
    ),
    # Open without logging in: the matrix test must expect 200 (not 401) when anonymous here.
    ("GET", "/deputies/records/public"): ("public", lambda p: (f"{BASE}/public", None), 200),
    ("GET", "/deputies/records/public/{int:deputy_id}"): (
        "public",
        lambda p: (f"{BASE}/public/{_zhang(p)}", None),
        200,
    ),
}
