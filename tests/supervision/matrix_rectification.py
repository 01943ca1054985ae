"""Role-matrix entries (see tests/core/test_role_matrix.py for the format) for the rectification
pages and /api/v1/supervision/rectifications.

Every builder makes a fresh item, through `open_rectifications` and the real actions, in the
state its page or operation needs. The items are addressed to the unit personas.unit answers
for (so "unit" reports and asks to close) and supervised by personas.staff's office (so "staff"
— and the admin — verify, reject and change the deadline); the leader reads only."""

from __future__ import annotations

from datetime import timedelta

from renda.supervision.actions import rectification as actions
from renda.supervision.models import Rectification, RectificationEvidence
from tests.core.factories import Multipart
from tests.plans.factories import pdf
from tests.supervision.rect_factories import rect_for_personas

READERS = {"admin", "leader", "staff", "unit"}
ORGAN = {"admin", "leader", "staff"}
UNIT = {"unit"}
OFFICE = {"admin", "staff"}
BASE = "/api/v1/supervision/rectifications"


def assigned(p) -> Rectification:
    return rect_for_personas(p).open()


def submitted(p) -> Rectification:
    return rect_for_personas(p).submitted()


def with_evidence(p) -> Rectification:
    """Being worked on, with a proof file already attached (ready to ask to close)."""
    item = rect_for_personas(p).in_progress()
    actions.add_rectification_evidence(acting_user=p.unit, item=item, files=[pdf("整改台账.pdf")])
    return item


def _pk(item) -> dict:
    return {"pk": item.pk}


def _evidence(p) -> dict:
    item = submitted(p)
    return {"pk": RectificationEvidence.objects.filter(rectification=item).first().pk}


SUP_RECTIFICATION_PAGES: dict = {
    "supervision:rectifications": (READERS, "get", None, 200),
    "supervision:rectifications_export": (READERS, "get", None, 200),
    "supervision:rectification_dashboard": (ORGAN, "get", None, 200),
    "supervision:rectification": (READERS, "get", lambda p: _pk(assigned(p)), 200),
    "supervision:report_rectification": (UNIT, "get", lambda p: _pk(assigned(p)), 200),
    "supervision:add_rectification_evidence": (UNIT, "get", lambda p: _pk(assigned(p)), 200),
    "supervision:submit_rectification": (UNIT, "get", lambda p: _pk(assigned(p)), 200),
    "supervision:verify_rectification": (OFFICE, "get", lambda p: _pk(submitted(p)), 200),
    "supervision:reject_rectification": (OFFICE, "get", lambda p: _pk(submitted(p)), 200),
    "supervision:change_rectification_deadline": (
        OFFICE,
        "get",
        lambda p: _pk(assigned(p)),
        200,
    ),
    "supervision:rectification_evidence": (READERS, "get", _evidence, 200),
}


def _deadline(p) -> tuple[str, dict]:
    item = assigned(p)
    later = item.due_on + timedelta(days=30)
    return f"{BASE}/{item.pk}/deadline", {"due_on": later.isoformat(), "reason": "资金下半年到位"}


SUP_RECTIFICATION_API: dict = {
    ("GET", "/supervision/rectifications"): (
        READERS,
        lambda p: (f"{BASE}?overdue=false", None),
        200,
    ),
    ("GET", "/supervision/rectifications/{int:rectification_id}"): (
        READERS,
        lambda p: (f"{BASE}/{assigned(p).pk}", None),
        200,
    ),
    ("POST", "/supervision/rectifications/{int:rectification_id}/report"): (
        UNIT,
        lambda p: (f"{BASE}/{assigned(p).pk}/report", {"text": "已制定整改方案", "percent": 30}),
        201,
    ),
    ("POST", "/supervision/rectifications/{int:rectification_id}/evidence"): (
        UNIT,
        lambda p: (f"{BASE}/{assigned(p).pk}/evidence", Multipart(files=pdf("照片.pdf"))),
        201,
    ),
    ("POST", "/supervision/rectifications/{int:rectification_id}/submit"): (
        UNIT,
        lambda p: (f"{BASE}/{with_evidence(p).pk}/submit", {"result": "已全部整改到位"}),
        200,
    ),
    ("POST", "/supervision/rectifications/{int:rectification_id}/verify"): (
        OFFICE,
        lambda p: (f"{BASE}/{submitted(p).pk}/verify", {"note": "核查属实"}),
        200,
    ),
    ("POST", "/supervision/rectifications/{int:rectification_id}/reject"): (
        OFFICE,
        lambda p: (f"{BASE}/{submitted(p).pk}/reject", {"reason": "佐证材料不完整"}),
        200,
    ),
    ("POST", "/supervision/rectifications/{int:rectification_id}/deadline"): (
        OFFICE,
        _deadline,
        200,
    ),
}
