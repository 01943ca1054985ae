"""Role-matrix entries of the roster's upkeep (see tests/core/test_role_matrix.py for the format).

The pages and operations are open to the admin and staff roles; the actions narrow staff to the
deputy-affairs office (personas.staff works there). Each API request is built afresh per call
(personas.calls counts them) so that every allowed role's request is valid on its own: a new ID
number, a new term, a new seat to end."""

from __future__ import annotations

from datetime import date
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from renda.core.idcard import make_id_number
from renda.deputies.imports import COLUMNS
from tests.core.factories import Multipart
from tests.deputies.factories import MandateFactory

KEEPERS = {"admin", "staff"}
BASE = "/api/v1/deputies"


def _deputy(p):
    return p.deputy.deputy


def deputy_pk(p) -> dict:
    return {"pk": _deputy(p).pk}


def mandate_pk(p) -> dict:
    return {"pk": _deputy(p).mandates.get(term_number=18).pk}


def _id_number(p) -> str:
    return make_id_number(
        area="370102", birth_date=date(1970, 1, 1), sequence=100 + len(p.calls), gender="M"
    )


def _person(p) -> dict:
    return {
        "full_name": "马新",
        "gender": "M",
        "ethnicity": "汉族",
        "birth_date": "1970-01-01",
        "party": "cpc",
        "occupation_category": "worker",
        "id_number": _id_number(p),
    }


def create_request(p):
    seat = {"level": "district", "term_number": 18, "started_on": "2022-01-06"}
    return f"{BASE}/", {**_person(p), "mandate": seat}


def update_request(p):
    # The persona's ID number says a woman born 1949-12-31; a new phone each call.
    body = {
        "full_name": "张代表",
        "gender": "F",
        "ethnicity": "汉族",
        "birth_date": "1949-12-31",
        "party": "cpc",
        "occupation_category": "professional",
        "id_number": "11010519491231002X",
        "phone": f"1390000{len(p.calls):04d}",
    }
    return f"{BASE}/{_deputy(p).pk}", body


def add_mandate_request(p):
    body = {"level": "municipal", "term_number": 10 + len(p.calls), "started_on": "2022-01-06"}
    return f"{BASE}/{_deputy(p).pk}/mandates", body


def update_mandate_request(p):
    mandate = _deputy(p).mandates.get(term_number=18)
    body = {
        "level": "district",
        "term_number": 18,
        "electoral_unit": f"第{len(p.calls) + 1}选区",
        "street_id": mandate.street_id,
        "group_id": mandate.group_id,
        "started_on": "2022-01-06",
    }
    return f"{BASE}/mandates/{mandate.pk}", body


def end_mandate_request(p):
    mandate = MandateFactory(deputy=_deputy(p), term_number=30 + _deputy(p).mandates.count())
    body = {"ended_on": "2024-01-01", "reason": "resigned"}
    return f"{BASE}/mandates/{mandate.pk}/end", body


def import_request(p):
    values = {
        "姓名": "冯雪",
        "民族": "汉族",
        "政治面貌": "群众",
        "构成类别": "工人",
        "层级": "区人大代表",
        "届次": 18,
        "当选日期": "2022-01-06",
        "身份证号": _id_number(p),
    }
    book = Workbook()
    book.active.append(list(COLUMNS))
    book.active.append([values.get(name, "") for name in COLUMNS])
    buffer = BytesIO()
    book.save(buffer)
    return f"{BASE}/import", Multipart(file=SimpleUploadedFile("名册.xlsx", buffer.getvalue()))


DEPUTY_ROSTER_PAGES = {
    "deputies:index": ({"admin", "leader", "staff", "street"}, "get", None, 200),
    "deputies:import": (KEEPERS, "get", None, 200),
    "deputies:add_deputy": (KEEPERS, "get", None, 200),
    "deputies:update_deputy": (KEEPERS, "get", deputy_pk, 200),
    "deputies:add_mandate": (KEEPERS, "get", deputy_pk, 200),
    "deputies:update_mandate": (KEEPERS, "get", mandate_pk, 200),
    "deputies:end_mandate": (KEEPERS, "get", mandate_pk, 200),
}

DEPUTY_ROSTER_API = {
    ("POST", "/deputies/"): (KEEPERS, create_request, 201),
    ("PUT", "/deputies/{int:deputy_id}"): (KEEPERS, update_request, 200),
    ("POST", "/deputies/{int:deputy_id}/mandates"): (KEEPERS, add_mandate_request, 201),
    ("PUT", "/deputies/mandates/{int:mandate_id}"): (KEEPERS, update_mandate_request, 200),
    ("POST", "/deputies/mandates/{int:mandate_id}/end"): (KEEPERS, end_mandate_request, 200),
    ("POST", "/deputies/import"): (KEEPERS, import_request, 200),
}
