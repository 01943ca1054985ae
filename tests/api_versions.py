"""The versioned records the API writes to, and the tests' way to send a record's current version
(every write to an existing versioned record must name the version it was read at)."""

from __future__ import annotations

from django.urls import Resolver404, resolve

from renda.deputies.models import Activity, Deputy, Mandate, Station, VoterOpinion
from renda.plans.models import Plan, PlanItem
from renda.suggestions.models import Suggestion
from renda.supervision.models import (
    Inquiry,
    InquiryAttendee,
    InquiryQuestion,
    Inspection,
    OpinionPoint,
    Rectification,
    ReviewOpinion,
    WorkReport,
)

API = "/api/v1/"

# (router prefix, path parameter) -> the versioned model whose id the parameter carries.
VERSIONED_IDS = {
    ("deputies", "deputy_id"): Deputy,
    ("deputies", "mandate_id"): Mandate,
    ("deputies/activities", "activity_id"): Activity,
    ("deputies/stations", "station_id"): Station,
    ("deputies/stations", "opinion_id"): VoterOpinion,
    ("suggestions", "suggestion_id"): Suggestion,
    ("plans", "plan_id"): Plan,
    ("plans", "item_id"): PlanItem,
    ("supervision/inspections", "inspection_id"): Inspection,
    ("supervision/inquiries", "inquiry_id"): Inquiry,
    ("supervision/work-reports", "report_id"): WorkReport,
    ("supervision/opinions", "opinion_id"): ReviewOpinion,
    ("supervision/rectifications", "rectification_id"): Rectification,
}

# Parts of a versioned record whose writes are checked against the record's version.
VERSIONED_PARTS = {
    ("supervision/inquiries", "attendee_id"): (InquiryAttendee, "inquiry"),
    ("supervision/inquiries", "question_id"): (InquiryQuestion, "inquiry"),
    ("supervision/opinions", "point_id"): (OpinionPoint, "opinion"),
}


def addressed_record(path: str):
    """(model, pk) of the versioned record an API path addresses, or None."""
    route = path.split("?")[0]
    try:
        kwargs = resolve(route).kwargs
    except Resolver404:
        return None
    relative = route.removeprefix(API)
    matches = [
        (len(prefix), model, kwargs[param])
        for (prefix, param), model in VERSIONED_IDS.items()
        if param in kwargs and relative.startswith(f"{prefix}/")
    ]
    for (prefix, param), (part, whole) in VERSIONED_PARTS.items():
        if param in kwargs and relative.startswith(f"{prefix}/"):
            field = part._meta.get_field(whole)
            pk = part.objects.filter(pk=kwargs[param]).values_list(field.attname, flat=True).first()
            matches.append((len(prefix), field.related_model, pk))
    if not matches:
        return None
    _, model, pk = max(matches, key=lambda m: m[0])
    return model, pk


def current_version(path: str) -> int | None:
    """The stored version of the record `path` addresses (1 for one that does not exist, so the
    call reaches the view and is refused there as before)."""
    record = addressed_record(path)
    if record is None:
        return None
    model, pk = record
    return model.objects.filter(pk=pk).values_list("version", flat=True).first() or 1


def with_current_version(method: str, path: str, body):
    """The call as a client that read the record just now: its current version added to a JSON
    body (or to the query of a DELETE) unless the test names a version itself."""
    if method.upper() not in {"POST", "PUT", "PATCH", "DELETE"}:
        return path, body
    if type(body) not in (dict, type(None)) or (body and "version" in body) or "version=" in path:
        return path, body  # a file upload, or a version the test chose
    version = current_version(path)
    if version is None:
        return path, body
    if method.upper() == "DELETE":
        return f"{path}{'&' if '?' in path else '?'}version={version}", body
    return path, {**(body or {}), "version": version}
