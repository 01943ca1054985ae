"""Role-matrix entries of stations and voters' opinions (format: tests/core/test_role_matrix.py).

Stations are of personas.street's street (so the admin, the deputy-affairs staff and that
street's committee keep them). Opinions are received there by personas.deputy; the opinion page
gets one forwarded to personas.unit's unit, which every role then sees. Each API request builds
fresh rows in the state where the calling role may act (personas.calls ends with that role)."""

from __future__ import annotations

from datetime import time, timedelta

from django.utils import timezone

from renda.core.access import PUBLIC
from renda.core.models import Street, Unit
from renda.deputies.models import Activity, Invitation, Station, VoterOpinion
from renda.suggestions.models import Category

ALL = {"admin", "leader", "staff", "street", "deputy", "unit"}
VIEWERS = {"admin", "leader", "staff", "street"}
KEEPERS = {"admin", "staff", "street"}
DRAFTERS = {"admin", "staff", "deputy"}
DEPUTY = {"deputy"}
UNIT = {"unit"}
BASE = "/api/v1/deputies/stations"


def _street(p) -> Street:
    return Street.objects.get(pk=next(iter(p.street.roles.street_ids)))


def _unit(p) -> Unit:
    return Unit.objects.get(pk=min(p.unit.roles.unit_ids))


def make_station(p, *, active: bool = True) -> Station:
    return Station.objects.create(
        name=f"联络站{Station.objects.count() + 1}",
        street=_street(p),
        address="街道党群服务中心二楼",
        is_active=active,
    )


def make_reception(p, station: Station, *, days: int = 0) -> Activity:
    activity = Activity.objects.create(
        kind="reception",
        title=f"{station.name}接待选民",
        organiser_street=station.street,
        station=station,
        date=timezone.localdate() + timedelta(days=days),
        starts_at=time(9),
        place=station.address,
        checkin_code="135790",
    )
    Invitation.objects.create(activity=activity, deputy=p.deputy.deputy, invited_at=timezone.now())
    return activity


def make_opinion(p, status: str = "received") -> VoterOpinion:
    today = timezone.localdate()
    fields = dict(
        station=make_station(p),
        received_on=today,
        received_by=p.deputy.deputy,
        voter_name="刘大爷",
        voter_phone="13805310001",
        subject="老旧小区加装电梯",
        content="希望推动加装电梯。",
        recorded_by=p.street,
        status=status,
    )
    if status in ("to_unit", "answered"):
        fields.update(
            unit=_unit(p), unit_due_on=today + timedelta(days=21), forwarded_at=timezone.now()
        )
    if status == "answered":
        fields.update(result="已列入改造计划。", answered_at=timezone.now())
    return VoterOpinion.objects.create(**fields)


def _station_pk(**options):
    return lambda p: {"pk": make_station(p, **options).pk}


def _opinion_pk(status: str = "received"):
    return lambda p: {"pk": make_opinion(p, status).pk}


STATION_PAGES = {
    "deputies:stations": (VIEWERS, "get", None, 200),
    "deputies:add_station": (KEEPERS, "get", None, 200),
    "deputies:public_receptions": (PUBLIC, "get", None, 200),
    "deputies:station": (VIEWERS, "get", _station_pk(), 200),
    "deputies:schedule_reception": (KEEPERS, "get", _station_pk(), 200),
    "deputies:record_opinion": (KEEPERS, "get", _station_pk(), 200),
    "deputies:update_station": (KEEPERS, "get", _station_pk(), 200),
    "deputies:deactivate_station": (KEEPERS, "get", _station_pk(), 200),
    "deputies:reactivate_station": (KEEPERS, "get", _station_pk(active=False), 200),
    "deputies:opinions": (ALL, "get", None, 200),
    "deputies:opinion_export": (ALL, "get", None, 200),
    "deputies:new_opinion": (DEPUTY, "get", None, 200),
    "deputies:opinion": (ALL, "get", _opinion_pk("to_unit"), 200),
    "deputies:forward_as_suggestion": (DRAFTERS, "get", _opinion_pk(), 200),
    "deputies:forward_to_unit": (KEEPERS, "get", _opinion_pk(), 200),
    "deputies:answer_opinion": (KEEPERS, "get", _opinion_pk(), 200),
    "deputies:unit_answer": (UNIT, "get", _opinion_pk("to_unit"), 200),
    "deputies:report_back": (KEEPERS, "get", _opinion_pk("answered"), 200),
}


def _on_station(path: str = "", body=None, **options):
    def build(p):
        return f"{BASE}/{make_station(p, **options).pk}{path}", body

    return build


def _on_opinion(path: str = "", body=None, status: str = "received"):
    def build(p):
        return f"{BASE}/opinions/{make_opinion(p, status).pk}{path}", body

    return build


def _add(p):
    body = {
        "name": f"新联络站{len(p.calls)}",
        "street_id": _street(p).pk,
        "address": "社区服务中心",
    }
    return f"{BASE}/", body


def _update(p):
    station = make_station(p)
    body = {
        "name": station.name,
        "street_id": station.street_id,
        "address": "社区服务中心一楼",
        "version": station.version,
    }
    return f"{BASE}/{station.pk}", body


def _schedule(p):
    body = {
        "date": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "starts_at": "09:00",
        "deputy_ids": [p.deputy.deputy.pk],
    }
    return f"{BASE}/{make_station(p).pk}/receptions", body


def _record(p):
    station = make_station(p)
    body = {"voter_name": "王阿姨", "subject": "背街小巷路灯", "content": "路灯坏了三个月。"}
    if p.calls and p.calls[-1] == "deputy":  # a deputy enters from their reception
        body["reception_id"] = make_reception(p, station).pk
    else:
        body.update(station_id=station.pk, received_on=timezone.localdate().isoformat())
    return f"{BASE}/opinions", body


def _to_suggestion(p):
    category = Category.objects.get(name="城乡建设")
    return _on_opinion("/forward-as-suggestion", {"category_id": category.pk})(p)


def _to_unit(p):
    body = {
        "unit_id": _unit(p).pk,
        "due_on": (timezone.localdate() + timedelta(days=21)).isoformat(),
    }
    return _on_opinion("/forward-to-unit", body)(p)


def _answer(p):
    status = "to_unit" if p.calls and p.calls[-1] == "unit" else "received"
    return _on_opinion("/answer", {"result": "已办理。"}, status)(p)


STATION_API = {
    ("GET", "/deputies/stations/"): (VIEWERS, lambda p: (f"{BASE}/", None), 200),
    ("POST", "/deputies/stations/"): (KEEPERS, _add, 201),
    ("GET", "/deputies/stations/{int:station_id}"): (VIEWERS, _on_station(), 200),
    ("PUT", "/deputies/stations/{int:station_id}"): (KEEPERS, _update, 200),
    ("POST", "/deputies/stations/{int:station_id}/deactivate"): (
        KEEPERS,
        _on_station("/deactivate", {}),
        200,
    ),
    ("POST", "/deputies/stations/{int:station_id}/reactivate"): (
        KEEPERS,
        _on_station("/reactivate", {}, active=False),
        200,
    ),
    ("GET", "/deputies/stations/{int:station_id}/receptions"): (
        VIEWERS,
        _on_station("/receptions"),
        200,
    ),
    ("POST", "/deputies/stations/{int:station_id}/receptions"): (KEEPERS, _schedule, 201),
    ("GET", "/deputies/stations/opinions"): (ALL, lambda p: (f"{BASE}/opinions", None), 200),
    ("POST", "/deputies/stations/opinions"): (KEEPERS | DEPUTY, _record, 201),
    ("GET", "/deputies/stations/opinions/{int:opinion_id}"): (
        ALL,
        _on_opinion(status="to_unit"),
        200,
    ),
    ("POST", "/deputies/stations/opinions/{int:opinion_id}/forward-as-suggestion"): (
        DRAFTERS,
        _to_suggestion,
        200,
    ),
    ("POST", "/deputies/stations/opinions/{int:opinion_id}/forward-to-unit"): (
        KEEPERS,
        _to_unit,
        200,
    ),
    ("POST", "/deputies/stations/opinions/{int:opinion_id}/answer"): (
        KEEPERS | UNIT,
        _answer,
        200,
    ),
    ("POST", "/deputies/stations/opinions/{int:opinion_id}/report-back"): (
        KEEPERS,
        _on_opinion("/report-back", {"method": "电话", "note": "已告知"}, "answered"),
        200,
    ),
}
