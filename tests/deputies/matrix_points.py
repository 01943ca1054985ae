"""Role-matrix entries of points and bulletins (format: tests/core/test_role_matrix.py).

The points pages are the organ's and the street committees' (a street sees its own deputies);
a deputy reaches their own points page. Bulletins are public pages; on the API they need a
login like every operation. Publishing is open to the admin and staff roles and narrowed by the
action to the deputy-affairs office (personas.staff works there); each POST publishes a quarter
of a different past year, so every allowed role's request is valid on its own."""

from __future__ import annotations

from django.utils import timezone

from renda.deputies.models import PointBulletin

VIEWERS = {"admin", "leader", "staff", "street"}
KEEPERS = {"admin", "staff"}
BASE = "/api/v1/deputies/points"


def _deputy_pk(p) -> dict:
    return {"pk": p.deputy.deputy.pk}


def _bulletin(p) -> PointBulletin:
    bulletin, _ = PointBulletin.objects.get_or_create(
        year=2025,
        quarter=4,
        defaults={"published_at": timezone.now(), "published_by": p.admin},
    )
    return bulletin


def _bulletin_pk(p) -> dict:
    return {"pk": _bulletin(p).pk}


POINT_PAGES = {
    "deputies:points": (VIEWERS, "get", None, 200),
    "deputies:point_export": (VIEWERS, "get", None, 200),
    "deputies:point_talks": (VIEWERS, "get", None, 200),
    "deputies:deputy_points": (VIEWERS | {"deputy"}, "get", _deputy_pk, 200),
    "deputies:point_bulletins": ("public", "get", None, 200),
    "deputies:point_bulletin": ("public", "get", _bulletin_pk, 200),
    "deputies:publish_bulletin": (KEEPERS, "get", None, 200),
}


def _publish(p):
    return f"{BASE}/bulletins", {"year": 2015 + len(p.calls), "quarter": 2, "note": ""}


POINT_API = {
    ("GET", "/deputies/points/"): (VIEWERS, lambda p: (f"{BASE}/?year=2026", None), 200),
    ("GET", "/deputies/points/deputies/{int:deputy_id}"): (
        VIEWERS | {"deputy"},
        lambda p: (f"{BASE}/deputies/{p.deputy.deputy.pk}?year=2026", None),
        200,
    ),
    ("GET", "/deputies/points/talks"): (VIEWERS, lambda p: (f"{BASE}/talks", None), 200),
    ("GET", "/deputies/points/bulletins"): (
        "public",
        lambda p: (f"{BASE}/bulletins", None),
        200,
    ),
    ("GET", "/deputies/points/bulletins/{int:bulletin_id}"): (
        "public",
        lambda p: (f"{BASE}/bulletins/{_bulletin(p).pk}", None),
        200,
    ),
    ("POST", "/deputies/points/bulletins"): (KEEPERS, _publish, 201),
}
